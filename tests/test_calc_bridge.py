"""Free-text calculations through the real chain (real index, retrieval, bridge and composer):
a date without its year, the bar asked about, occupancy in square metres, figures per branch
park, a duration condition, a per-year amount over a span of years."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chain import AnswerChain
from assistant.index import Index

from .conftest import TODAY

GX, LC, LZ = "guangxi-2021-regional-park", "liaocheng-city-park", "liuzhou-2024-park-measures"


@pytest.fixture(scope="module")
def chain(hash_index: Path) -> AnswerChain:
    return AnswerChain(Index(hash_index), TODAY)


def _cited(answer) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(c.doc_id, c.article) for c in answer.citations}


def test_a_publicity_start_without_a_year(chain: AnswerChain) -> None:
    answer = chain.ask("聊城公示从6月3日开始，5个工作日公示，哪天结束")
    assert answer.answer.startswith("公示期至2026年6月10日（周三）届满")
    assert "按今天所在的2026年理解为2026年6月3日" in answer.answer
    assert _cited(answer) == {(LC, "第七条")}
    (call,) = answer.tools
    assert call.output["start"] == "2026-06-03" and call.output["end"] == "2026-06-10"


def test_the_bar_asked_about_is_not_the_value(chain: AnswerChain) -> None:
    answer = chain.ask("入驻机构办公面积4500平方米，总面积8000平方米，够不够60%？")
    assert answer.answer.startswith("不符合")
    assert "入驻面积占比：56.25%" in answer.answer
    assert "需入驻至少4800平方米，还差300平方米" in answer.answer
    (call,) = answer.tools
    (row,) = [c for c in call.output["criteria"] if c["input"] == "occupancy"]
    assert (row["value"], row["met"], row["gap"]) == ("56.25%", False, "还差3.75个百分点")


def test_each_branch_park_with_its_gap(chain: AnswerChain) -> None:
    answer = chain.ask("广西多园区申报：核心区入驻22家机构、入驻面积52%，分园区A 12家、55%，分园区B 9家、60%，符合吗")
    assert _cited(answer) == {(GX, "第五条")}
    assert "分园区A 12家、分园区B 9家" in answer.answer and "分园区B还差1家" in answer.answer
    (call,) = answer.tools
    assert call.output["rule_id"] == "guangxi.application.multi_park"
    assert call.input["branch_institutions"] == "12家、9家"


def test_a_duration_condition_not_yet_met(chain: AnswerChain) -> None:
    answer = chain.ask("柳州有家企业上规入统才8个月，运营机构能拿奖励吗")
    assert answer.answer.startswith("暂不符合") and "还差4个月" in answer.answer
    assert "可获奖励" not in answer.answer
    assert _cited(answer) == {(LZ, "二（二）3")}


def test_a_per_year_amount_over_a_span_of_years(chain: AnswerChain) -> None:
    answer = chain.ask("柳州专项发展资金2024到2026年一共安排多少")
    assert answer.answer.startswith("2024年至2026年合计900万元（3年 × 每年300万元）")
    assert _cited(answer) == {(LZ, "二（二）1")}
    (call,) = answer.tools
    assert (call.name, call.output["total"]) == ("per_year_total", "9000000")
