"""Rules found at ingest answer calculations on new documents, through the real chain (real
ingest, Chroma, bm25s, jieba; hash embedder). The three policies in tests/fixtures/rules_found/
are written for these tests: 松岭 has a bar, a tier table with 含/不含 and 补差, a per-person
amount with a yearly cap, a yearly window and a working-day deadline; 渡桥's tier table leaves its
boundaries open ("按上一年度数据计算" in the brackets where 含/不含 would be); 鹤山 has a sum paid
in yearly shares, a tier table in 家 written one row per item under a bar, and a per-event amount
whose count is capped in a sibling item."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from assistant.calc.applied import Ask
from assistant.calc.choose import choose, rules_of
from assistant.calc.extracted_answer import UNREVIEWED
from assistant.calc.quantities_in_text import extract_quantities
from assistant.chain import AnswerChain
from assistant.index import Index
from assistant.types import Answer, Hit

from .conftest import CORPUS, TODAY

FOUND = Path(__file__).parent / "fixtures" / "rules_found"
SL, DQ, HS = "songling-2025-park-support", "duqiao-2025-service-awards", "heshan-2025-service-measures"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from assistant.ingest import ingest_paths

    index_dir = tmp_path_factory.mktemp("found")
    report = ingest_paths([CORPUS, FOUND], index_dir, "hash", today=TODAY)
    assert not report.failed, report.failed
    return index_dir


@pytest.fixture(scope="module")
def chain(index_dir: Path) -> AnswerChain:
    return AnswerChain(Index(index_dir), TODAY)


def _cited(answer: Answer) -> set[tuple[str, str]]:
    return {(c.doc_id, c.article) for c in answer.citations}


# ---------------------------------------------------------------- stored with the index


def test_rules_are_stored_with_the_index_and_hashed_in_the_manifest(index_dir: Path) -> None:
    manifest = json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))
    stored = json.loads((index_dir / manifest["generation"] / "rules.json").read_text(encoding="utf-8"))
    sources = manifest["rules"]["sources"]
    assert {f"extracted:{SL}", f"extracted:{DQ}", "reviewed:liuzhou-2024-park-measures.yaml"} <= set(sources)
    assert stored["documents"][SL]["status"] == "extracted"
    kinds = [r["kind"] for r in stored["documents"][SL]["rules"]]
    assert {"threshold", "tiers", "per_unit_capped", "window", "deadline"} <= set(kinds)
    # a document with a reviewed file keeps only those
    assert stored["documents"]["liuzhou-2024-park-measures"] == {"status": "reviewed", "rules": []}


def test_stored_rules_read_back_as_extracted(index_dir: Path) -> None:
    from assistant.calc.extract import extract_document

    rules = [r for r in rules_of(Index(index_dir)) if r.doc_id == SL]
    assert rules == list(extract_document(FOUND / f"{SL}.txt").rules)


# ---------------------------------------------------------------- answered


def test_a_tier_on_a_new_document(chain: AnswerChain) -> None:
    answer = chain.ask("松岭：我们机构上一年度营业收入4500万元，发展奖励能拿多少？")
    assert answer.answer.startswith("营业收入4500万元属于“营业收入3000万元至1亿元（含3000万元，不含1亿元）的，奖励16万元”")
    assert UNREVIEWED in answer.answer
    assert _cited(answer) == {(SL, "第三条")}
    (call,) = answer.tools
    assert call.name == "extracted_tiers" and call.output["result"] == "16万元"


@pytest.mark.parametrize(("revenue", "reward"), [("3000万元", "16万元"), ("2999万元", "6万元"), ("1亿元", "40万元")])
def test_tier_boundaries_as_the_text_says(chain: AnswerChain, revenue: str, reward: str) -> None:
    answer = chain.ask(f"松岭营业收入{revenue}，发展奖励多少")
    assert answer.tools[0].output["result"] == reward


def test_a_higher_tier_pays_the_difference(chain: AnswerChain) -> None:
    answer = chain.ask("松岭：之前拿过6万元发展奖励，今年营业收入1.2亿元，这次能补多少")
    assert answer.answer.startswith("可得补差34万元")
    assert "40万元 − 6万元 = 34万元" in answer.answer


def test_a_bar_and_its_gap(chain: AnswerChain) -> None:
    answer = chain.ask("松岭市级产业园申报，我们园区建筑面积4200平方米，还差多少")
    assert "还差800平方米" in answer.answer
    assert _cited(answer) == {(SL, "第二条")}


def test_a_per_person_amount_held_under_its_cap(chain: AnswerChain) -> None:
    answer = chain.ask("松岭：今年引进了30个硕士研究生，引才奖励多少")
    assert "2000元 × 30人 = 6万元" in answer.answer
    assert "引才奖励4万元" in answer.answer
    assert _cited(answer) == {(SL, "第四条")}


def test_headroom_under_a_cap(chain: AnswerChain) -> None:
    answer = chain.ask("松岭：今年已经拿了3万元引才奖励，还能再拿几个人的")
    assert answer.tools[0].output["result"] == "5人"


def test_a_working_day_deadline(chain: AnswerChain) -> None:
    answer = chain.ask("松岭人社局2026年3月2日收到申报材料，最晚哪天完成审核")
    assert "2026年3月16日" in answer.answer
    assert _cited(answer) == {(SL, "第六条")}


def test_days_left_in_a_yearly_window(chain: AnswerChain) -> None:
    answer = chain.ask("今天6月10日，松岭今年的申报还有几天截止")
    assert "还有20天" in answer.answer
    assert _cited(answer) == {(SL, "第五条")}


def test_an_open_boundary_gives_the_conditions_not_a_number(chain: AnswerChain) -> None:
    answer = chain.ask("渡桥：营业收入2000万元，营收奖励多少")
    assert "未给出计算结果" in answer.answer
    assert "“营业收入500万元至2000万元（按上一年度数据计算）的，奖励3万元”" in answer.answer
    assert "“营业收入2000万元至5000万元（按上一年度数据计算）的，奖励8万元”" in answer.answer
    assert answer.tools[0].output["result"] == ""
    # off the boundary the table is certain
    assert chain.ask("渡桥：营业收入3000万元，营收奖励多少").tools[0].output["result"] == "8万元"


def test_only_a_retrieved_unit_and_the_routed_document(index_dir: Path) -> None:
    index = Index(index_dir)
    rules = rules_of(index)
    question = "营业收入3000万元，奖励多少"
    ask = Ask(question, tuple(extract_quantities(question)), TODAY)
    unit = {c.article: c for c in index.by_doc[SL]}
    tiers_dq = next(c for c in index.by_doc[DQ] if c.article == "一")
    # the tier table's unit is not among the hits: nothing is computed from it
    assert choose(rules, ask, [Hit(unit["第二条"], 1.0, "bm25")], (), index.by_doc) == []
    # both tables retrieved: the document the question names wins
    hits = [Hit(unit["第三条"], 1.0, "bm25"), Hit(tiers_dq, 0.5, "bm25")]
    (found,) = choose(rules, ask, hits, (DQ,), index.by_doc)
    assert (found.rule.doc_id, found.result) == (DQ, "8万元")
    (found,) = choose(rules, ask, hits, (SL,), index.by_doc)
    assert (found.rule.doc_id, found.result) == (SL, "16万元")


def test_answering_reads_only_the_rules_of_the_retrieved_units(index_dir: Path) -> None:
    from assistant.calc.stored import own_units

    index = Index(index_dir)
    question = "营业收入3000万元，奖励多少"
    ask = Ask(question, tuple(extract_quantities(question)), TODAY)
    unit = {c.article: c for c in index.by_doc[SL]}
    tiers_dq = next(c for c in index.by_doc[DQ] if c.article == "一")
    hits = [Hit(unit["第三条"], 1.0, "bm25"), Hit(tiers_dq, 0.5, "bm25")]
    narrowed = rules_of(index, hits)
    everything = rules_of(index)
    assert narrowed and len(narrowed) < len(everything)
    assert all({(r.doc_id, u) for u in own_units(r)} & {(SL, "第三条"), (DQ, "一")} for r in narrowed)
    # the stored order is kept, and every rule of those units is there
    assert narrowed == [r for r in everything if r in narrowed]
    assert [r for r in everything if {(r.doc_id, u) for u in own_units(r)} & {(SL, "第三条"), (DQ, "一")}] == narrowed
    for docs in ((DQ,), (SL,), ()):
        assert choose(narrowed, ask, hits, docs, index.by_doc) == choose(everything, ask, hits, docs, index.by_doc)


# ---------------------------------------------------------------- reviewed wins


def test_a_reviewed_file_beats_the_extracted_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant import settings
    from assistant.ingest import ingest_paths

    corpus = tmp_path / "corpus"
    (corpus / "rules").mkdir(parents=True)
    shutil.copy(FOUND / f"{SL}.txt", corpus)
    monkeypatch.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
    settings.get_settings.cache_clear()
    index_dir = tmp_path / "index"
    ingest_paths([corpus], index_dir, "hash", today=TODAY)
    extracted = Index(index_dir)
    assert any(r.doc_id == SL for r in rules_of(extracted))
    question = "松岭市级产业园申报，我们园区建筑面积4200平方米，还差多少"
    assert UNREVIEWED in AnswerChain(extracted, TODAY).ask(question).answer

    (corpus / "rules" / "songling.yaml").write_text(
        f"doc_id: {SL}\ntitle: 松岭市人力资源服务产业园发展扶持办法\nrules:\n"
        "  - id: songling.application\n    article: 第二条\n    kind: thresholds\n    label: 申报条件\n"
        "    criteria:\n      - {input: area, op: '>=', value: 5000平方米, phrase: 园区建筑面积不低于5000平方米}\n",
        encoding="utf-8",
    )
    report = ingest_paths([corpus], index_dir, "hash", today=TODAY)
    assert report.generation != extracted.manifest["generation"]  # the rules changed, not the text
    reviewed = Index(index_dir)
    manifest = reviewed.manifest
    assert "reviewed:songling.yaml" in manifest["rules"]["sources"]
    assert f"extracted:{SL}" not in manifest["rules"]["sources"]
    assert not [r for r in rules_of(reviewed) if r.doc_id == SL]
    answer = AnswerChain(reviewed, TODAY).ask(question)
    assert UNREVIEWED not in answer.answer and "还差800平方米" in answer.answer
    assert answer.tools[0].name == "check_thresholds"


def test_today_is_the_question_date_when_it_says_so() -> None:
    question = "今天6月10日，申报还有几天截止"
    ask = Ask(question, tuple(extract_quantities(question, today=TODAY)), dt.date(2026, 1, 1))
    assert [ask.is_today(q) for q in ask.figures] == [True]


# ---------------------------------------------------------------- other shapes (鹤山)


def test_a_share_of_a_sum_paid_by_year(chain: AnswerChain) -> None:
    answer = chain.ask("鹤山：新引进一个全日制博士，安家补贴第一年发多少")
    assert "10万元 × 60% = 6万元" in answer.answer
    assert _cited(answer) == {(HS, "一（一）")}
    second = chain.ask("鹤山：硕士安家补贴第二年发多少")
    assert "5万元 × 40% = 2万元" in second.answer
    # which sum is meant is not said: the schedule, not a number
    unsure = chain.ask("鹤山安家补贴第二年发多少")
    assert "未给出计算结果" in unsure.answer and unsure.tools[0].output["result"] == ""


def test_a_tier_row_in_its_own_item_with_the_bar_above_it(chain: AnswerChain) -> None:
    answer = chain.ask("鹤山：我们平台上一年度服务企业100家，奖励多少")
    assert answer.answer.startswith("服务企业100家属于“②服务企业80家至150家（含80家，不含150家）的，奖励12万元”")
    assert (HS, "二（一）②") in _cited(answer)


def test_a_count_capped_in_a_sibling_item(chain: AnswerChain) -> None:
    answer = chain.ask("鹤山：今年承办了9场专场招聘会，活动补助多少")
    assert "5000元 × 6场 = 3万元" in answer.answer
    assert _cited(answer) == {(HS, "三（一）"), (HS, "三（二）")}


def test_below_the_lowest_row_with_the_bar_above_it(chain: AnswerChain) -> None:
    answer = chain.ask("鹤山：平台上一年度服务企业30家，能拿多少")
    assert "未达到最低一档" in answer.answer and "还差10家" in answer.answer
    assert [t.name for t in answer.tools] == ["extracted_tiers", "extracted_threshold"]


def test_a_bar_alone_does_not_answer_how_much(chain: AnswerChain) -> None:
    """"能拿多少" with only a bar in reach: the article answers, nothing is computed."""
    answer = chain.ask("松岭：我们园区建筑面积4200平方米，能拿多少钱")
    assert answer.tools == () and (SL, "第二条") in _cited(answer)
    assert "还差800平方米" in chain.ask("松岭：我们园区建筑面积4200平方米，够不够").answer


def test_each_named_document_answers_for_itself(chain: AnswerChain) -> None:
    both = chain.ask("营业收入3000万元，在松岭和渡桥各能拿多少营收奖励")
    assert [t.output["result"] for t in both.tools] == ["16万元", "8万元"]
    assert both.answer.startswith("《松岭市人力资源服务产业园发展扶持办法》：")


def test_a_named_document_with_nothing_computed_is_quoted_not_dropped(chain: AnswerChain) -> None:
    """鹤山 has no revenue table: rather than 松岭's result alone, both documents' articles."""
    answer = chain.ask("营业收入3000万元，在松岭和鹤山各能拿多少营收奖励")
    assert answer.tools == ()
    assert {SL, HS} <= {c.doc_id for c in answer.citations}
