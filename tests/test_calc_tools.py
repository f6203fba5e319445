"""LangChain tools, the profile self-check, figures in a question, and the CLI commands."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.calc.cli import calc_command, check_command
from assistant.calc.tools import (
    TOOLS,
    check_thresholds_tool,
    deadline,
    label_quantities,
    normalize_profile,
    per_unit_reward_tool,
    profile_from_text,
    reward_tier,
    run_tool,
    self_check,
    self_check_report,
    self_check_tool,
)
from assistant.errors import CalcError
from assistant.types import ToolCall

# ---------------------------------------------------------------- tools


def test_tools_have_typed_args() -> None:
    assert [t.name for t in TOOLS] == ["reward_tier", "check_thresholds", "per_unit_reward", "per_year_total",
                                       "deadline", "self_check"]
    assert set(reward_tier.args) == {"revenue", "rule_id", "previous_revenue"}
    assert all(t.description for t in TOOLS)


def test_reward_tier_tool() -> None:
    out = reward_tier.invoke({"revenue": "6亿"})
    assert out["tier"] == 4 and out["wording"] == "不超过50万元" and out["reward"] == "500000"
    assert out["text"].startswith("符合第4档")
    json.dumps(out, ensure_ascii=False)


def test_tools_return_errors_as_data() -> None:
    out = reward_tier.invoke({"revenue": "很多"})
    assert set(out) == {"error"} and "请写成" in out["error"]
    assert "error" in reward_tier.invoke({"revenue": "6亿", "rule_id": "nope"})


def test_check_thresholds_tool_combines_documents() -> None:
    out = check_thresholds_tool.invoke({
        "rule_ids": ["guangxi.application.multi_park", "liaocheng.application"],
        "inputs": {"core_area": "3800平方米", "institutions": "16家", "occupancy": "62%"},
    })
    assert [r["rule_id"] for r in out["results"]] == ["guangxi.application.multi_park", "liaocheng.application"]
    (core,) = [c for c in out["combined"] if c["input"] == "core_area"]
    assert core["required"] == "≥4000平方米" and core["gap"] == "还差200平方米"


def test_per_unit_and_deadline_tools() -> None:
    out = per_unit_reward_tool.invoke({"rule_id": "liuzhou.investment_team", "values": ["250万", "180万"]})
    assert (out["units"], out["amount"]) == (1, "30000")
    assert per_unit_reward_tool.invoke({"rule_id": "liuzhou.regulated_enterprise", "count": 15})["amount"] == "200000"
    d = deadline.invoke({"start": "2026-03-02", "rule_id": "guangxi.evaluation_deadline"})
    assert d["end"] == "2026-04-16" and d["article"] == "第六条"
    assert deadline.invoke({"start": "2026-03-06", "period": "5个工作日"})["end"] == "2026-03-13"
    assert "error" in deadline.invoke({"start": "2026-03-06"})


def test_run_tool_records_a_tool_call() -> None:
    call = run_tool("reward_tier", {"revenue": "3000万"})
    assert isinstance(call, ToolCall)
    assert call.input == {"revenue": "3000万"} and call.output["tier"] == 1
    with pytest.raises(CalcError, match="reward_tier"):
        run_tool("nope", {})


# ---------------------------------------------------------------- self-check


def test_self_check_for_an_enterprise_in_liuzhou() -> None:
    results = self_check({"location": "柳州", "revenue": "3000万", "tax": "250万"})
    by_id = {r.rule_id: r for r in results}
    assert set(by_id) == {"liuzhou.economic_contribution", "liuzhou.investment_team"}
    assert by_id["liuzhou.economic_contribution"].verdict == "符合第1档：一次性奖励不超过10万元"
    assert "招商团队" in by_id["liuzhou.investment_team"].verdict


def test_self_check_for_a_park_lists_what_is_missing() -> None:
    report = self_check_report({"所在地": "聊城", "营收": "6亿", "核心区面积": "4500平方米", "入驻机构": "16家",
                                "占比": "62%"})
    (result,) = report.results
    assert result.rule_id == "liaocheng.application" and result.status == "incomplete"
    assert result.missing_labels == ["专职工作人员"]
    assert any("园区年营业收入" in n for n in report.notes)
    assert "还需要：专职工作人员" in report.render()


def test_self_check_picks_the_park_shape_and_derives_totals() -> None:
    report = self_check_report({
        "location": "广西南宁", "subject": "park", "revenue": "6亿", "core_area": "4500平方米",
        "core_institutions": 22, "core_occupancy": "55%",
        "branches": [{"area": "2000平方米", "institutions": 12, "occupancy": "55%"}],
    })
    (result,) = report.results  # the single-park rule does not apply to two parks
    assert result.rule_id == "guangxi.application.multi_park"
    rows = {c["input"]: c for c in result.to_json()["criteria"]}
    assert rows["total_area"]["value"] == "6500平方米" and rows["total_area"]["gap"] == "还差1500平方米"


def test_one_park_is_its_own_core() -> None:
    prof, _ = normalize_profile({"park_count": 1, "area": "5200平方米", "institutions": "31家", "occupancy": "61%"})
    assert prof["core_area"] == prof["total_area"] == "5200平方米"
    results = self_check({"location": "柳州", "park_count": 1, "area": "5200平方米", "institutions": 31,
                          "occupancy": "61%", "park_revenue": "5亿", "staff": 3})
    assert [r.status for r in results] == ["met"]


def test_occupancy_from_areas() -> None:
    prof, notes = normalize_profile({"area": "5000平方米", "occupied_area": "3100平方米"})
    assert prof["occupancy"].value == Decimal("0.62") and notes


def test_self_check_rejects_unknown_fields_and_places_without_rules() -> None:
    with pytest.raises(CalcError, match="营业额"):
        self_check({"营业额": "6亿"})
    with pytest.raises(CalcError, match="enterprise"):
        self_check({"subject": "个人", "revenue": "6亿"})
    report = self_check_report({"location": "杭州", "revenue": "6亿"})
    assert report.results == () and "杭州" in report.notes[-1]


def test_self_check_tool() -> None:
    out = self_check_tool.invoke({"profile": {"location": "柳州", "revenue": "1.2亿"}})
    assert out["results"][0]["tier"] == 3 and "text" in out


# ---------------------------------------------------------------- figures in a question


def test_label_quantities_for_the_chain() -> None:
    fields = [q.field for q in label_quantities("营收6亿元，核心区4500平方米，入驻16家，占比62%")]
    assert fields == ["revenue", "core_area", "institutions", "occupancy"]
    prof = profile_from_text("我们在柳州园区，营收3000万，首年纳税250万，专职人员3人")
    assert {k: q.number for k, q in prof.items()} == {
        "revenue": Decimal(30000000), "tax": Decimal(2500000), "staff": Decimal(3)}
    assert profile_from_text("园区年营业收入1.2亿")["park_revenue"].number == Decimal(120000000)
    assert profile_from_text("2026年3月6日开始公示")["publicity_start"].day.isoformat() == "2026-03-06"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("柳州园区企业主营收入刚好1个亿 奖多少", [("1亿元", "revenue")]),
        ("柳州招商团队今年引进了12家新企业，首年纳税都超过200万",
         [("12家", "qualifying_enterprises"), ("200万元", "tax")]),
        ("柳州运营机构培育了15家企业上规入统，都在库满一年了",
         [("15家", "regulated_enterprises"), ("1年", "regulated_duration")]),
        ("准备设1个核心园区加3个分园区，分园区数量符合要求吗", [("1个", "park_count"), ("3个", "branch_count")]),
        ("设立多个园区，核心园区3200平米，园区总面积8000平方米", [("3200平方米", "core_area"), ("8000平方米", "total_area")]),
        ("聊城园区核心区4200平米 18家机构 办公面积占58% 营收1.5亿 工作人员5人",
         [("4200平方米", "core_area"), ("18家", "institutions"), ("58%", "occupancy"), ("1.5亿元", "revenue"),
          ("5人", "staff")]),
        ("自治区级申报 园区年营收4.6亿 离门槛还差多少", [("4.6亿元", "park_revenue")]),
        ("收到当天不算，45日评估期限最晚到哪一天", [("45日", None)]),  # 哪一天 is not a one-day period
        ("公示从6月3日开始，当天算第一天", [("2026年6月3日", "publicity_start")]),  # the year of ASSISTANT_TODAY
    ],
)
def test_fields_of_dev_style_questions(question: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(q.display(), q.field) for q in label_quantities(question)] == expected


# ---------------------------------------------------------------- CLI


def test_calc_list() -> None:
    result = CliRunner().invoke(calc_command, ["--list"])
    assert result.exit_code == 0
    assert "liuzhou.economic_contribution" in result.output and "--revenue" in result.output
    listed = json.loads(CliRunner().invoke(calc_command, ["--list", "--json"]).output)
    assert {"id", "doc_id", "article", "kind", "inputs"} <= set(listed[0])


def test_calc_a_rule() -> None:
    result = CliRunner().invoke(calc_command, ["liuzhou.economic_contribution", "--revenue", "6亿"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "符合第4档：一次性奖励不超过50万元"
    data = json.loads(CliRunner().invoke(calc_command, ["liuzhou.economic_contribution", "--revenue=6亿", "--json"]).output)
    assert data["tier"] == 4


def test_calc_flags_map_to_inputs() -> None:
    runner = CliRunner()
    out = runner.invoke(calc_command, ["liaocheng.application", "--core-area", "3800平方米", "--institutions", "16家"]).output
    assert "还差200平方米" in out and "还需要：入驻面积占比" in out
    out = runner.invoke(calc_command, ["liuzhou.investment_team", "--tax", "250万", "--tax", "180万"]).output
    assert out.startswith("可获奖励3万元")
    out = runner.invoke(calc_command, ["liuzhou.regulated_enterprise", "--count", "12"]).output
    assert out.startswith("可获奖励20万元")
    out = runner.invoke(calc_command, ["liaocheng.publicity", "--start", "2026-03-06"]).output
    assert "2026年3月13日" in out.splitlines()[0]
    out = runner.invoke(calc_command, ["deadline", "--start", "2026-03-02", "--period", "45日"]).output
    assert out.startswith("截止日期：2026年4月16日")
    out = runner.invoke(calc_command, ["liaocheng.publicity", "--start", "2024-11-13", "--include-start",
                                       "--weekends-only"]).output
    assert out.startswith("公示期至2024年11月19日")


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["liuzhou.economic_contribution", "--revenue", "很多"], "无法识别金额"),
        (["liuzhou.economic_contribution", "--revenue", "-3000万"], "不能为负数"),
        (["liuzhou.economic_contribution", "--revenue"], "needs a value"),
        (["liuzhou.economic_contribution", "--bogus", "1"], "--bogus"),
        (["liuzhou.economic_contribution", "6亿"], "unexpected argument"),
        (["nope"], "unknown rule"),
        ([], "RULE_ID"),
    ],
)
def test_calc_bad_input_is_one_line_not_a_traceback(args: list[str], reason: str) -> None:
    result = CliRunner().invoke(calc_command, args)
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    (line,) = result.output.strip().splitlines()
    assert reason in line


def test_check_a_yaml_and_a_json_profile(tmp_path: Path) -> None:
    yaml_file = tmp_path / "enterprise.yaml"
    yaml_file.write_text("所在地: 柳州\n营收: 3000万\n首年纳税: 250万\n", encoding="utf-8")
    result = CliRunner().invoke(check_command, ["--profile", str(yaml_file)])
    assert result.exit_code == 0
    assert "【经济贡献奖励】" in result.output and "【招商团队奖励（引进优质企业）】" in result.output
    json_file = tmp_path / "park.json"
    json_file.write_text(json.dumps({"location": "聊城", "park_revenue": "6亿", "core_area": "3800平方米",
                                     "institutions": 16, "occupancy": "62%", "staff": 3}, ensure_ascii=False),
                         encoding="utf-8")
    data = json.loads(CliRunner().invoke(check_command, ["--profile", str(json_file), "--json"]).output)
    (res,) = data["results"]
    assert res["status"] == "not_met" and res["criteria"][0]["gap"] == "还差200平方米"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("营收: [unclosed", "not valid YAML/JSON"),
        ("- just\n- a list\n", "mapping"),
        ("营业额: 6亿\n", "unknown profile field"),
        ("location: 柳州\nrevenue: 很多\n", "无法识别金额"),
    ],
)
def test_check_bad_profiles(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(check_command, ["--profile", str(path)])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    (line,) = result.output.strip().splitlines()
    assert reason in line


def test_check_missing_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(check_command, ["--profile", str(tmp_path / "absent.yaml")])
    assert result.exit_code == 1 and "cannot read profile" in result.output
