"""The engine over the real rules: tiers at every boundary, caps, thresholds with gaps,
cross-document requirements, deadlines (calendar days, working days, holidays, years)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assistant.calc.dates import (
    add_months,
    add_working_days,
    add_years,
    compute_deadline,
    counting_from_text,
)
from assistant.calc.engine import (
    check_thresholds,
    combine_thresholds,
    evaluate,
    evaluate_tiers,
)
from assistant.calc.numbers import Quantity, parse_quantity
from assistant.calc.quantities_in_text import extract_quantities
from assistant.calc.rewards import per_unit_reward, per_year_total
from assistant.calc.rules import load_rules
from assistant.errors import CalcError

RULES = load_rules(Path(__file__).resolve().parent.parent / "corpus" / "rules")
TIERS = RULES.get("liuzhou.economic_contribution")
LIAOCHENG = RULES.get("liaocheng.application")
SINGLE = RULES.get("guangxi.application.single_park")
MULTI = RULES.get("guangxi.application.multi_park")
WAN = Decimal(10000)

# ---------------------------------------------------------------- tiers


@pytest.mark.parametrize(
    ("revenue", "tier", "wording", "is_cap"),
    [
        ("1999万", None, "", False),
        ("1999.99万", None, "", False),
        ("2000万", 1, "不超过10万元", True),
        ("4999.99万", 1, "不超过10万元", True),
        ("5000万", 2, "不超过15万元", True),
        ("9999.99万", 2, "不超过15万元", True),
        ("1亿", 3, "不超过30万元", True),
        ("4.9999亿", 3, "不超过30万元", True),
        ("5亿", 4, "不超过50万元", True),
        ("9.9亿元", 4, "不超过50万元", True),
        ("10亿", 5, "不超过80万元", True),
        ("29.99亿", 5, "不超过80万元", True),
        ("30亿", 6, "100万元", False),
        ("30亿元及以上", 6, "100万元", False),
        ("300亿", 6, "100万元", False),
    ],
)
def test_every_tier_boundary(revenue: str, tier: int | None, wording: str, is_cap: bool) -> None:
    r = evaluate_tiers(TIERS, revenue)
    assert r.tier == tier
    assert r.wording == wording
    assert r.reward_is_cap is is_cap
    assert r.status == ("met" if tier else "not_met")


def test_tier_result_reports_the_boundary_words_and_renders_verdict_first() -> None:
    r = evaluate_tiers(TIERS, "3000万")
    assert r.quote == "包含2000万元，不含5000万元"
    assert r.tier_range == "2000万元（含）至5000万元（不含）"
    assert r.reward == Decimal(100000) and r.next_tier_gap == "2000万元"
    text = r.render()
    lines = text.splitlines()
    assert lines[0] == "符合第1档：一次性奖励不超过10万元"
    assert lines[-1] == "依据《关于推进国家级柳州人力资源服务产业园高质量发展若干措施》二（二）5（包含2000万元，不含5000万元）"
    assert "上述奖励不得重复享受" in text
    assert r.render(title="柳州措施").splitlines()[-1].startswith("依据《柳州措施》二（二）5")


def test_below_the_lowest_tier_names_the_gap() -> None:
    r = evaluate_tiers(TIERS, "1999万")
    assert r.verdict == "不符合：园区企业主营业务收入1999万元，未达到最低档2000万元（含）至5000万元（不含），还差1万元"
    assert r.reward is None


def test_top_tier_is_exact_not_a_cap() -> None:
    r = evaluate_tiers(TIERS, "30亿")
    assert r.verdict == "符合第6档：一次性奖励100万元" and not r.next_tier_gap
    assert not any("上限" in n for n in r.notes)


def test_moving_up_a_tier_is_allowed_repeating_is_not() -> None:
    up = evaluate_tiers(TIERS, "1.2亿", previous="3000万")
    assert up.status == "met" and up.verdict.startswith("升档：由第1档升至第3档")
    assert any("补差" in n for n in up.notes)
    same = evaluate_tiers(TIERS, "4000万", previous="3000万")
    assert same.status == "not_met" and "不得重复享受" in same.verdict
    down = evaluate_tiers(TIERS, "3000万", previous="1.2亿")
    assert down.status == "not_met"


def test_missing_revenue_is_named() -> None:
    r = evaluate_tiers(TIERS, None)
    assert r.status == "incomplete" and r.missing == ("revenue",)
    assert "还需要：园区企业主营业务收入" in r.render()


def test_wrong_rule_kind_is_an_error() -> None:
    with pytest.raises(CalcError):
        evaluate_tiers(LIAOCHENG, "1亿")


# Property tests over the tier table: exact boundaries, no gaps or overlaps, monotone rewards.

yuan = st.decimals(min_value=0, max_value=Decimal(10) ** 11, places=2, allow_nan=False, allow_infinity=False)


@given(yuan)
def test_every_amount_falls_in_at_most_one_tier(v: Decimal) -> None:
    hits = [t for t in TIERS.tiers if t.contains(v)]
    assert len(hits) == (0 if v < 2000 * WAN else 1)


@given(yuan, yuan)
def test_rewards_are_monotone(a: Decimal, b: Decimal) -> None:
    lo, hi = sorted((a, b))
    r_lo, r_hi = evaluate_tiers(TIERS, lo), evaluate_tiers(TIERS, hi)
    assert (r_lo.reward or 0) <= (r_hi.reward or 0)
    assert (r_lo.tier or 0) <= (r_hi.tier or 0)


def test_each_boundary_belongs_to_the_upper_tier_exactly() -> None:
    cent = Decimal("0.01")
    for i, t in enumerate(TIERS.tiers):
        assert t.min is not None
        assert evaluate_tiers(TIERS, t.min).tier == i + 1
        assert evaluate_tiers(TIERS, t.min - cent).tier == (i or None)


# ---------------------------------------------------------------- thresholds


def test_threshold_check_reports_every_criterion_with_its_gap() -> None:
    r = check_thresholds(LIAOCHENG, {"core_area": "3800平方米", "institutions": "16家", "occupancy": "62%",
                                     "park_revenue": "6亿", "staff": "2人"})
    assert r.status == "not_met"
    rows = {c.input: c for c in r.criteria}
    assert len(rows) == 5
    assert (rows["core_area"].met, rows["core_area"].gap) == (False, "还差200平方米")
    assert (rows["staff"].met, rows["staff"].gap) == (False, "还差1人")
    assert rows["occupancy"].met and rows["occupancy"].value == "62%" and rows["occupancy"].required == "≥60%"
    text = r.render()
    assert text.splitlines()[0] == "不符合：2项未达到（核心区建筑面积、专职工作人员）"
    assert "- 核心区建筑面积：3800平方米，要求≥4000平方米（核心区建筑面积不低于4000平方米），不符合，还差200平方米" in text
    assert text.splitlines()[-1] == "依据《聊城市市级人力资源服务产业园管理暂行办法》第六条（二）（三）（四）"


def test_boundary_values_meet_inclusive_criteria() -> None:
    r = check_thresholds(LIAOCHENG, {"core_area": "4000平方米", "institutions": "15家", "occupancy": "60%",
                                     "park_revenue": "1亿元", "staff": "3人"})
    assert r.status == "met" and r.verdict == "符合：5项量化条件全部达到"


def test_percentage_gap_is_in_points() -> None:
    r = check_thresholds(SINGLE, {"occupancy": "58%"})
    (occ,) = [c for c in r.criteria if c.input == "occupancy"]
    assert occ.gap == "还差2个百分点"


def test_missing_inputs_are_named() -> None:
    r = check_thresholds(LIAOCHENG, {"core_area": "4500平方米", "institutions": "16家", "park_revenue": "6亿"})
    assert r.status == "incomplete"
    assert r.missing == ("occupancy", "staff")
    assert "还需要：入驻面积占比、专职工作人员" in r.render()


def test_single_and_multiple_parks() -> None:
    multi = {"park_count": "3个", "core_area": "3800平方米", "total_area": "9000平方米", "branch_count": "2个",
             "core_institutions": "22家", "core_occupancy": "55%", "branch_institutions": ["12家", "9家"],
             "branch_occupancy": ["60%", "50%"], "park_revenue": "6亿"}
    assert check_thresholds(SINGLE, multi).status == "not_applicable"
    r = check_thresholds(MULTI, multi)
    (branch,) = [c for c in r.criteria if c.input == "branch_institutions"]
    assert (branch.met, branch.value, branch.gap) == (False, "第1个分园区 12家、第2个分园区 9家", "第2个分园区还差1家")
    ok = check_thresholds(MULTI, {**multi, "branch_institutions": ["12家", "10家"]})
    assert ok.status == "met"
    soft = check_thresholds(MULTI, {**multi, "branch_institutions": ["12家", "10家"], "branch_count": 3, "park_count": 4})
    assert soft.status == "soft_not_met" and "原则" in soft.verdict
    (count,) = [c for c in soft.criteria if c.input == "branch_count"]
    assert count.gap == "超出1个"


def test_condition_unknown_is_said() -> None:
    r = check_thresholds(SINGLE, {"area": "5000平方米"})
    assert any("未提供园区数量" in n for n in r.notes)
    assert r.verdict.endswith("（适用于只设立一个园区的）")


def test_benefit_and_penalty_rules() -> None:
    assert check_thresholds(RULES.get("guangxi.excellent_support"), {"excellent_years": 3}).status == "met"
    assert check_thresholds(RULES.get("guangxi.excellent_support"), {"excellent_years": "2年"}).status == "not_met"
    revoked = check_thresholds(RULES.get("guangxi.revocation"), {"fail_years": 2})
    assert revoked.verdict == "触发：取消其自治区级人力资源服务产业园授牌"


def test_combining_documents_takes_the_strictest_requirement() -> None:
    r = combine_thresholds(list(RULES), "core_area", "3800平方米")
    assert r.required == "≥4000平方米" and r.gap == "还差200平方米" and r.status == "not_met"
    assert {s["doc_id"] for s in r.sources} == {"guangxi-2021-regional-park", "liaocheng-city-park"}
    assert any("地域不同" in n for n in r.notes)
    assert r.render().splitlines()[-1] == (
        "依据《自治区级人力资源服务产业园管理暂行办法》第五条；《聊城市市级人力资源服务产业园管理暂行办法》第六条"
    )
    # One park is its own core: 广西's 5000平方米 for a single park is then the binding figure.
    one = combine_thresholds(list(RULES), "core_area", "4500平方米", single_park=True)
    assert one.required == "≥5000平方米" and one.gap == "还差500平方米"
    assert combine_thresholds(list(RULES), "core_area", "5000平方米", single_park=True).met is True
    with pytest.raises(CalcError):
        combine_thresholds([TIERS], "core_area")


# ---------------------------------------------------------------- per-unit rewards with caps


def test_per_unit_reward_and_cap() -> None:
    team = RULES.get("liuzhou.investment_team")
    r = per_unit_reward(team, values=["250万", "199.99万", "200万"])
    assert (r.units, r.amount, r.capped) == (2, Decimal(60000), False)
    assert r.verdict == "可获奖励6万元（奖励对象：招商团队（人））"
    capped = per_unit_reward(team, count=11)
    assert (capped.uncapped, capped.amount, capped.capped) == (Decimal(330000), Decimal(300000), True)
    assert per_unit_reward(team, count=10).capped is False
    assert per_unit_reward(team, values=["150万"]).status == "not_met"
    regulated = RULES.get("liuzhou.regulated_enterprise")
    left = per_unit_reward(regulated, count="3家", already_awarded="16万")
    assert (left.amount, left.capped) == (Decimal(40000), True)
    assert per_unit_reward(regulated, count=12).amount == Decimal(200000)
    assert per_unit_reward(regulated).missing == ("regulated_enterprises",)


# ---------------------------------------------------------------- dates


def test_45_days_from_2026_03_02() -> None:
    r = compute_deadline(RULES.get("guangxi.evaluation_deadline"), "2026-03-02")
    assert r.end == dt.date(2026, 4, 16) and r.extended_to is None
    assert r.verdict.startswith("截止日期：2026年4月16日")
    assert r.render().splitlines()[-1] == "依据《自治区级人力资源服务产业园管理暂行办法》第六条（自收到申请之日起45日内）"


def test_a_period_ending_on_a_holiday_runs_to_the_next_working_day() -> None:
    r = compute_deadline(RULES.get("guangxi.evaluation_deadline"), "2026-08-17")  # +45 = 国庆 10月1日
    assert r.end == dt.date(2026, 10, 1) and r.extended_to == dt.date(2026, 10, 8)
    assert any("第二百零三条" in n for n in r.notes)


def test_publicity_7_days() -> None:
    assert compute_deadline(RULES.get("guangxi.publicity"), "2026年3月2日").end == dt.date(2026, 3, 9)


def test_working_days_skip_a_weekend() -> None:
    r = compute_deadline(RULES.get("liaocheng.publicity"), "2026-03-06")  # a Friday
    assert r.end == dt.date(2026, 3, 13)
    assert "2026年3月7日（周六）、2026年3月8日（周日）" in r.render()
    assert "chinese_calendar" in r.calendar


def test_working_days_skip_holidays_and_count_adjusted_weekends() -> None:
    end, skipped, exact = add_working_days(dt.date(2026, 9, 28), 5)
    # 9/29, 9/30, then 国庆 10/1–10/7 off, 10/9 (Fri) and 10/10 (an adjusted working Saturday)
    assert (end, exact) == (dt.date(2026, 10, 10), True)
    assert dt.date(2026, 10, 1) in skipped and len(skipped) == 7


def test_working_days_beyond_the_calendar_skip_weekends_only_and_say_so() -> None:
    r = compute_deadline(RULES.get("liaocheng.publicity"), "2027-01-01")
    assert r.end == dt.date(2027, 1, 8)
    assert r.calendar == "仅跳过周末"
    assert any("没有2027年的节假日数据" in n for n in r.notes)


def test_year_periods_cycles_bans_and_annual_dates() -> None:
    assert add_years(dt.date(2024, 2, 29), 3) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 1, 15), 13) == dt.date(2027, 2, 15)
    cycle = compute_deadline(RULES.get("guangxi.comprehensive_evaluation"), "2025-06-30", today="2028-07-01")
    assert cycle.occurrences == (dt.date(2028, 6, 30), dt.date(2031, 6, 30), dt.date(2034, 6, 30))
    assert "下一次：2031年6月30日" in cycle.render()
    ban = compute_deadline(RULES.get("liaocheng.reapply_ban"), "2026-05-10")
    assert ban.end == dt.date(2029, 5, 10)
    assert ban.verdict == "2029年5月10日前（含当日）不予重新认定；自2029年5月11日起可重新申请"
    assert compute_deadline(RULES.get("liaocheng.self_assessment"), "2026-01-10").end == dt.date(2026, 6, 30)
    assert compute_deadline(RULES.get("guangxi.annual_self_assessment"), "2025-05-01").end == dt.date(2026, 3, 31)


def test_conventions_stated_in_the_question() -> None:
    # "收到当天不算，45日" (the default), "当天算第一天", "当天算第一个工作日，不考虑调休"
    assert compute_deadline(RULES.get("guangxi.evaluation_deadline"), "2024-03-01").end == dt.date(2024, 4, 15)
    first_day = compute_deadline(RULES.get("guangxi.publicity"), "2026-06-03", include_start=True)
    assert first_day.end == dt.date(2026, 6, 9)
    assert any("开始当日本不计入" in n for n in first_day.notes)
    weekends = compute_deadline(RULES.get("liaocheng.publicity"), "2024-11-13", include_start=True, weekends_only=True)
    assert weekends.end == dt.date(2024, 11, 19) and weekends.calendar.startswith("仅跳过周末")
    # 2025 国庆 (10/1–10/8 off, Saturday 10/11 worked): 5 working days from 9/30 end 10/14;
    # counting weekends only they would end 10/7.
    assert compute_deadline(None, "2025-09-30", period="5个工作日").end == dt.date(2025, 10, 14)
    assert compute_deadline(None, "2025-09-30", period="5个工作日", weekends_only=True).end == dt.date(2025, 10, 7)
    assert counting_from_text("2024年11月13日开始公示，当天算第一个工作日，不考虑调休") == {
        "include_start": True, "weekends_only": True}
    assert counting_from_text("收到当天不算，45日评估期限最晚到哪一天") == {
        "include_start": False, "weekends_only": False}


def test_ad_hoc_deadline_and_missing_start() -> None:
    assert compute_deadline(None, "2026-03-02", period="45日").end == dt.date(2026, 4, 16)
    assert compute_deadline(None, "2026-03-02", period="45日").references() == []
    missing = compute_deadline(RULES.get("guangxi.publicity"), None)
    assert missing.status == "incomplete" and missing.missing == ("publicity_start",)
    with pytest.raises(CalcError):
        compute_deadline(None, "2026-02-30", period="45日")


# ---------------------------------------------------------------- every result


def test_every_rule_evaluates_and_serialises() -> None:
    inputs = {"revenue": "6亿", "park_revenue": "6亿", "core_area": "4500平方米", "area": "5200平方米",
              "total_area": "9000平方米", "institutions": 31, "occupancy": "62%", "staff": 3,
              "tax": ["250万"], "regulated_enterprises": 2, "application_date": "2026-03-02",
              "publicity_start": "2026-03-06", "recognition_date": "2025-06-30",
              "revocation_date": "2026-05-10", "assessment_date": "2026-01-01",
              "excellent_years": 1, "fail_years": 0}
    for rule in RULES:
        result = evaluate(rule, inputs)
        data = json.loads(json.dumps(result.to_json(), ensure_ascii=False))
        assert data["rule_id"] == rule.id and data["article"] == rule.article
        text = result.render()
        assert text.splitlines()[0] == result.verdict
        assert f"》{rule.article}" in text


# ---------------------------------------------------------------- occupancy in square metres


def test_occupancy_gap_is_also_given_in_square_metres() -> None:
    r = check_thresholds(LIAOCHENG, {"occupancy": "56.25%", "occupied_area": "4500平方米", "total_area": "8000平方米"})
    (row,) = [c for c in r.criteria if c.input == "occupancy"]
    assert (row.met, row.gap) == (False, "还差3.75个百分点")
    assert row.detail == "按园区总面积8000平方米，需入驻至少4800平方米，还差300平方米"  # 60% × 8000 − 4500
    assert row.line().endswith("；按园区总面积8000平方米，需入驻至少4800平方米，还差300平方米")
    assert row.to_json()["detail"] == row.detail


def test_area_terms_when_met_without_an_occupied_area_and_with_decimals() -> None:
    met = check_thresholds(SINGLE, {"occupancy": "62.5%", "occupied_area": "5000平方米", "area": "8000平方米"})
    assert next(c for c in met.criteria if c.input == "occupancy").detail == (
        "按园区建筑面积8000平方米，需入驻至少4800平方米，已入驻5000平方米")
    bare = check_thresholds(LIAOCHENG, {"total_area": "8000.5平方米"})
    (row,) = [c for c in bare.criteria if c.input == "occupancy"]
    assert row.met is None and row.detail == "按园区总面积8000.5平方米，需入驻至少4800.3平方米"  # exact, not rounded
    multi = check_thresholds(MULTI, {"core_area": "3500平方米", "core_occupancy": "48%"})
    (core,) = [c for c in multi.criteria if c.input == "core_occupancy"]
    assert core.detail == "按核心区建筑面积3500平方米，需入驻至少1750平方米"


# ---------------------------------------------------------------- each branch park with its gap


def _branch(text: str, scope: str | None) -> Quantity:
    return replace(parse_quantity(text, "percent" if text.endswith("%") else "count"), scope=scope)


def test_each_branch_is_reported_with_its_own_gap() -> None:
    r = check_thresholds(MULTI, {
        "branch_count": "2个", "core_institutions": "22家", "core_occupancy": "52%",
        "branch_institutions": [_branch("12家", "分园区A"), _branch("9家", "分园区B")],
        "branch_occupancy": [_branch("55%", "分园区A"), _branch("60%", "分园区B")],
    })
    rows = {c.input: c for c in r.criteria}
    assert rows["branch_institutions"].value == "分园区A 12家、分园区B 9家"
    assert (rows["branch_institutions"].met, rows["branch_institutions"].gap) == (False, "分园区B还差1家")
    assert (rows["branch_occupancy"].met, rows["branch_occupancy"].gap) == (True, None)
    assert r.verdict.startswith("不符合：1项未达到（每个分园区入驻人力资源服务机构）")
    both = check_thresholds(MULTI, {"branch_institutions": [_branch("8家", "分园区A"), _branch("9家", "分园区B")]})
    assert next(c for c in both.criteria if c.input == "branch_institutions").gap == "分园区A还差2家、分园区B还差1家"


# ---------------------------------------------------------------- a condition with a duration

REGULATED = RULES.get("liuzhou.regulated_enterprise")


def test_a_duration_condition_not_yet_met_awards_nothing() -> None:
    r = evaluate(REGULATED, {"regulated_enterprises": "3家", "regulated_duration": "8个月"})
    assert r.status == "not_met" and r.amount is None
    assert r.verdict.startswith("暂不符合：尚未满足“企业上规入统后在库一年”") and "还差4个月" in r.verdict
    assert "2万" not in r.verdict
    assert r.lines == ("- 条件：上规入统后在库时间8个月，要求≥1年（企业上规入统后在库一年），不符合，还差4个月",)
    # the condition decides even before the count is known
    assert evaluate(REGULATED, {"regulated_duration": "8个月"}).status == "not_met"


@pytest.mark.parametrize("duration", ["12个月", "1年", "一年", "2年", "13个月"])
def test_a_duration_condition_met_counts_the_reward(duration: str) -> None:
    r = evaluate(REGULATED, {"regulated_enterprises": "3家", "regulated_duration": duration})
    assert (r.status, r.amount) == ("met", Decimal(60000))
    assert r.lines[0].endswith("符合")


def test_an_absent_duration_is_listed_as_a_condition() -> None:
    r = evaluate(REGULATED, {"regulated_enterprises": "3家"})
    assert (r.status, r.amount) == ("met", Decimal(60000))
    assert r.lines[0] == "- 条件：企业上规入统后在库一年（未提供上规入统后在库时间；须满足此条件才可获奖励）"
    assert "regulated_duration" in REGULATED.inputs
    with pytest.raises(CalcError, match="应以月或年计"):
        evaluate(REGULATED, {"regulated_enterprises": "3家", "regulated_duration": "300天"})


def test_one_amount_said_of_every_enterprise_counted() -> None:
    team = RULES.get("liuzhou.investment_team")
    each = replace(parse_quantity("200万", "amount"), scope="每家")
    r = per_unit_reward(team, count="12家", values=each)
    assert (r.units, r.uncapped, r.amount, r.capped) == (12, Decimal(360000), Decimal(300000), True)
    one = per_unit_reward(team, count="12家", values=parse_quantity("250万", "amount"))
    assert (one.units, one.amount) == (1, Decimal(30000))  # one figure of one enterprise
    assert per_unit_reward(team, count="3家", values=replace(parse_quantity("150万", "amount"), scope="每家")).units == 0


# ---------------------------------------------------------------- an amount every year over a span

FUND = RULES.get("liuzhou.special_fund")


@pytest.mark.parametrize(
    ("years", "counted", "total"),
    [("2024-2026年", (2024, 2025, 2026), 9000000), ("2024到2025年", (2024, 2025), 6000000),
     ("3年", (2024, 2025, 2026), 9000000), (None, (2024, 2025, 2026), 9000000)],
)
def test_per_year_total(years: str | None, counted: tuple[int, ...], total: int) -> None:
    r = evaluate(FUND, {"years": years} if years else {})
    assert (r.years, r.total, r.per_year) == (counted, Decimal(total), Decimal(3000000))
    assert r.article == "二（二）1" and r.render().splitlines()[-1].startswith("依据")


def test_per_year_total_shows_the_sum_and_its_parts() -> None:
    r = evaluate(FUND, {"years": "2024-2026年"})
    assert r.verdict == "2024年至2026年合计900万元（3年 × 每年300万元）"
    assert "- 其中150万元用于本措施政策兑现及产业园相关业务工作：3年 × 150万元 = 450万元" in r.lines
    assert [p["total"] for p in r.to_json()["parts"]] == ["4500000", "4500000"]


def test_years_outside_the_article_are_not_counted() -> None:
    r = evaluate(FUND, {"years": "2025-2027年"})
    assert (r.years, r.total) == ((2025, 2026), Decimal(6000000))
    assert r.notes[0] == "2027年不在原文所列年度（2024年至2026年）内，未计入"
    none = evaluate(FUND, {"years": "2027-2028年"})
    assert none.status == "not_met" and none.total is None and "只写了2024年至2026年" in none.verdict
    five = evaluate(FUND, {"years": "5年"})
    assert five.total == Decimal(9000000) and "2027年、2028年不在原文所列年度" in five.notes[0]
    with pytest.raises(CalcError, match="整年"):
        per_year_total(FUND, "1.5年")


# ---------------------------------------------------------------- a start date without its year


def test_a_start_date_without_a_year_is_read_in_the_year_of_today() -> None:
    (start,) = extract_quantities("公示从6月3日开始", today=dt.date(2026, 11, 24))
    r = evaluate(RULES.get("guangxi.publicity"), {"publicity_start": start}, today=dt.date(2025, 3, 1))
    assert (r.start, r.end) == (dt.date(2025, 6, 3), dt.date(2025, 6, 10))
    assert r.lines[0] == "“6月3日”未写年份，按今天所在的2025年理解为2025年6月3日"
    evaluation = evaluate(RULES.get("guangxi.evaluation_deadline"), {"application_date": start}, today=dt.date(2026, 1, 1))
    assert evaluation.end == dt.date(2026, 7, 18)  # 45 calendar days
    assert "2026年" in evaluation.render()


def test_working_days_from_a_date_without_a_year_use_the_holiday_calendar() -> None:
    r = compute_deadline(RULES.get("liaocheng.publicity"), "9月28日", today=dt.date(2026, 5, 1))
    assert r.end == dt.date(2026, 10, 10)  # 国庆 skipped, the adjusted Saturday counted
    assert "按今天所在的2026年" in r.lines[0] and "已计法定节假日" in r.calendar
