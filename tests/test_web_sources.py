"""The web layer's pure parts: [n] markers, operative sentences, badges, export, feedback, the
generated self-check form."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from assistant.types import Answer, Citation, ToolCall

A = Citation("a", "甲办法", "第五条", "第五条 申报条件。核心区建筑面积不低于4000平方米；机构不少于15家。", "in_force")
B = Citation("b", "乙措施", "二（二）5", "5.经济贡献奖励。5亿元至10亿元的，一次性奖励不超过50万元；其余不奖励。", "draft",
             valid_until="2026-12-31")


def test_lines_are_marked_by_what_they_name() -> None:
    from assistant.web.sources import mark_lines

    answer = Answer("q", "两者相差\n- 《甲办法》第五条：4000平方米\n- 《乙措施》二（二）5：50万元\n\n说明", True,
                    citations=(A, B))
    marks = [m.marks for m in mark_lines(answer)]
    assert marks == [(1, 2), (1,), (2,), (), ()]


def test_a_calculator_line_rests_on_its_tools_unit() -> None:
    from assistant.web.sources import mark_lines

    tool = ToolCall("reward_tier", {}, {"doc_id": "b", "article": "二（二）5", "verdict": "符合第4档", "lines": []})
    answer = Answer("q", "符合第4档\n另见《甲办法》", True, citations=(A, B), tools=(tool,))
    assert [m.marks for m in mark_lines(answer)] == [(2,), (1,)]


def test_operative_sentence_prefers_the_direct_answer() -> None:
    from assistant.web.sources import operative_sentence

    text = "一次性奖励不超过50万元\n原文：“其余不奖励。”"
    assert operative_sentence(B, text) == "5亿元至10亿元的，一次性奖励不超过50万元；"
    assert operative_sentence(B, "无关") is None


def test_expiring_badge_within_sixty_days() -> None:
    from assistant.web.sources import badges

    assert badges(B, dt.date(2026, 11, 24)) == ["draft", "expiring"]
    assert badges(B, dt.date(2026, 9, 1)) == ["draft"]
    assert badges(A, dt.date(2026, 11, 24)) == ["in_force"]


def test_markdown_export_and_feedback_candidates(tmp_path: Path) -> None:
    from assistant.web import history
    from evals.feedback import candidates, latest, read_jsonl

    answer = Answer("q", "不超过50万元", True, citations=(B,))
    rec = history.record(answer, "营收6亿元奖励多少？")
    conv = {**history.empty(), "records": [rec]}
    markdown = history.to_markdown(conv)
    assert "## 1. 营收6亿元奖励多少？" in markdown and "[1] 《乙措施》二（二）5" in markdown
    path = tmp_path / "data" / "feedback.jsonl"
    history.save_feedback(rec, False, path=path)
    history.save_feedback(rec, False, "应写明是上限", path=path)
    history.save_feedback({**rec, "question": "好问题"}, True, path=path)
    rows = read_jsonl(path)
    assert len(rows) == 3 and json.loads(path.read_text().splitlines()[0])["liked"] is False
    found = candidates(latest(rows))
    assert [c["question"] for c in found] == ["营收6亿元奖励多少？"]  # the liked one is not proposed
    assert found[0]["gold"] == [{"doc": "b", "article": "二（二）5"}]
    assert found[0]["review"]["comment"] == "应写明是上限"


def test_self_check_fields_come_from_the_rules(tmp_path: Path) -> None:
    from assistant.calc.rules import default_rules_dir
    from assistant.web.check import fields

    names = [f.name for f in fields()]
    assert "regulated_enterprises" in names and "branch_institutions" in names
    assert "already_awarded" not in names  # an input no rule reads gets no field
    # a rules file added to the folder brings its fields, with no UI code
    rules = tmp_path / "rules"
    rules.mkdir()
    source = default_rules_dir()
    (rules / "liaocheng.yaml").write_text((source / "liaocheng-city-park.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    before = {f.name for f in fields(rules)}
    (rules / "liuzhou.yaml").write_text((source / "liuzhou-2024-park-measures.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    after = {f.name: f for f in fields(rules)}
    assert "revenue" not in before and "revenue" in after and after["revenue"].label == "企业主营业务收入"
    assert after["revenue"].kind == "amount"
    # its placeholder is a figure the new rules state (a tier's bound), in their own writing
    assert after["revenue"].placeholder.removeprefix("如 ") in (rules / "liuzhou.yaml").read_text(encoding="utf-8")
