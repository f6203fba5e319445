"""Headroom left under a per-unit cap from the units already rewarded, the next year of a yearly
cycle from the year it last happened, and a per-branch figure said of every branch — on synthetic
rules and texts."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from assistant.calc.applied import Ask, apply
from assistant.calc.dates import next_in_cycle
from assistant.calc.extract import extract_unit
from assistant.calc.extract_types import PerUnitCapped
from assistant.calc.figures import collect_inputs, label_quantities
from assistant.calc.numbers import Quantity
from assistant.calc.quantities_in_text import extract_quantities
from assistant.calc.rewards import per_unit_reward
from assistant.calc.rules import load_rules
from assistant.calc.tools import normalize_profile
from assistant.errors import CalcError

RULES = load_rules(Path(__file__).resolve().parent.parent / "corpus" / "rules")
WAN = Decimal(10000)
TODAY = dt.date(2026, 6, 1)


def _team_rule():  # a per-unit rule with a total cap, with numbers of our own
    seed = RULES.get("liuzhou.investment_team")
    return replace(seed, id="test.team", per_unit=5 * WAN, cap=40 * WAN,
                   per_unit_phrase="一次性奖励引才团队5万元", cap_phrase="此项奖励资金总额不超过40万元")


def test_units_already_rewarded_use_up_the_cap_by_the_amount_each() -> None:
    r = per_unit_reward(_team_rule(), already_paid="6个")
    assert r.amount == 10 * WAN and "还剩10万元" in r.verdict and "还可奖励2个" in r.verdict
    assert any("6个 × 5万元 = 30万元" in line for line in r.lines)


def test_an_amount_already_paid_still_works_and_a_full_cap_leaves_nothing() -> None:
    assert per_unit_reward(_team_rule(), already_awarded="25万元").amount == 15 * WAN
    assert per_unit_reward(_team_rule(), already_paid="9个").amount == 0


def test_the_question_words_fill_already_paid() -> None:
    inputs = collect_inputs(label_quantities("引才团队奖励已经发了6个团队，还剩多少额度"))
    assert inputs["already_paid"].number == 6


def test_extracted_one_off_amount_per_recipient_headroom_from_the_count_paid() -> None:
    text = "对引进龙头企业的，一次性奖励引才团队5万元，此项奖励资金总额不超过40万元。"
    rules = [r for r in extract_unit("doc", "三", text)[0] if isinstance(r, PerUnitCapped)]
    assert rules
    question = "引才团队奖励已经发了6个团队，这项资金还剩多少额度"
    a = apply(rules[0], Ask(question, tuple(extract_quantities(question)), TODAY))
    assert a is not None and a.result == "10万元"


def _cycle(period: str):
    seed = RULES.get("liaocheng.evaluation_cycle")
    return replace(seed, id="test.cycle", period=Quantity("duration", Decimal(int(period[0])), "年", text=period),
                   phrase=f"每{period}开展一次考核")


@pytest.mark.parametrize(("period", "last", "nxt"), [("3年", 2024, 2027), ("2年", 2026, 2028), ("1年", 2025, 2026)])
def test_next_year_of_a_yearly_cycle(period: str, last: int, nxt: int) -> None:
    r = next_in_cycle(_cycle(period), last)
    assert f"下一次应在{nxt}年" in r.verdict


def test_a_cycle_not_in_years_is_refused() -> None:
    with pytest.raises(CalcError):
        next_in_cycle(RULES.get("liaocheng.publicity"), 2025)


def test_a_figure_said_of_every_branch_is_repeated_per_branch() -> None:
    raw = collect_inputs(label_quantities("核心园区5000平方米，三个分园区各1500平方米，总面积够吗"))
    assert [q.number for q in raw["branch_area"]] == [1500] * 3
    inputs, notes = normalize_profile(raw)
    assert inputs["total_area"].number == 9500 and notes


def test_a_branch_figure_without_each_stays_one_value() -> None:
    raw = collect_inputs(label_quantities("核心园区5000平方米，两个分园区1500平方米"))
    assert len(raw["branch_area"]) == 1
