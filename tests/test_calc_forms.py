"""More written forms of rules found at ingest, through the real chain (real ingest, Chroma,
bm25s, jieba; hash embedder), on a synthetic policy of our own (tests/fixtures/rules_forms/):
rates by year of payment with area, yearly and rent-share caps and a variant of the standard for
a branch park; a tier table in an annex written as "｜" rows with （含）/（不含） after each bound,
cited with the article that gives it force, and its 补差; bars in a "｜" table, one column per
kind of park; refunds on leaving early (the whole, a share, or the time not served over the
period); kinds of persons listed in one sentence and summed under a shared cap; a ceiling on
the count written with a verb (最多补贴15人); a table of items with （含） and a text that denies
the top-up (不再补差); rates listed per year ("第一年、第二年分别按照…12元、6元")."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from assistant.calc.extract import extract_document
from assistant.calc.extract_types import PerUnitCapped, Refund, Threshold, Tiers
from assistant.chain import AnswerChain
from assistant.index import Index
from assistant.types import Answer

from .conftest import CORPUS, TODAY

FORMS = Path(__file__).parent / "fixtures" / "rules_forms"
QF = "qingfeng-2026-park-support"


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    from assistant.ingest import ingest_paths

    index_dir = tmp_path_factory.mktemp("forms")
    report = ingest_paths([CORPUS, FORMS], index_dir, "hash", today=TODAY)
    assert not report.failed, report.failed
    return AnswerChain(Index(index_dir), TODAY)


@pytest.fixture(scope="module")
def rules() -> list:
    extraction = extract_document(FORMS / f"{QF}.txt")
    assert not extraction.dropped, extraction.dropped
    return list(extraction.rules)


def _cited(answer: Answer) -> set[str]:
    return {c.article for c in answer.citations if c.doc_id == QF}


# ---------------------------------------------------------------- found in the text


def test_rates_by_year_carry_their_year_and_the_branch_variant(rules: list) -> None:
    rent = [r for r in rules if isinstance(r, PerUnitCapped) and r.unit == "第三条"]
    # one rule, the first year's amount with the schedule of every year's
    assert [[(years, f.text) for years, f in r.yearly] for r in rent] == [[((1,), "20元"), ((2,), "15元"),
                                                                           ((3,), "10元")]]
    assert all([(v.condition, v.factor.text) for v in r.variants] == [("入驻分园", "70%")] for r in rent)
    # the variant is no payment of its own
    assert not [r for r in rules if isinstance(r, PerUnitCapped) and r.unit == "第三条" and r.amount.unit == "%"]
    listed = [r for r in rules if isinstance(r, PerUnitCapped) and r.unit == "第九条"]
    assert [[(years, f.text) for years, f in r.yearly] for r in listed] == [[((1,), "12元"), ((2,), "6元")]]


def test_a_table_of_cells_is_read_with_its_column_header(rules: list) -> None:
    (table,) = [r for r in rules if isinstance(r, Tiers) and r.unit == "附表1"]
    assert table.subject == "上一年度营业收入"
    assert [(r.lower.figure.text if r.lower else None, r.lower.inclusive if r.lower else None,
             r.upper.figure.text if r.upper else None, r.upper.inclusive if r.upper else None, r.reward.text)
            for r in table.rows] == [("2亿元", True, "4亿元", False, "20万元"), ("4亿元", True, "8亿元", False, "45万元"),
                                     ("8亿元", True, None, None, "90万元")]
    bars = [(r.subject, r.value.text, r.applies_to) for r in rules if isinstance(r, Threshold) and r.unit == "附表2"]
    assert ("园区建筑面积", "12000平方米", "单一园区") in bars
    assert ("入驻机构数量", "20家", "设立分园的主园区") in bars


def test_bracketed_bounds_make_a_table_with_one_row_and_an_open_top(rules: list) -> None:
    (table,) = [r for r in rules if isinstance(r, Tiers) and r.unit == "第八条"]
    assert table.subject == "入驻机构年度纳税额"
    assert [r.reward.text for r in table.rows] == ["5万元", "12万元"]
    assert table.rows[0].upper is not None and table.rows[0].upper.inclusive is False


def test_refunds_are_found_with_their_share(rules: list) -> None:
    found = {(r.unit, r.below.text, r.above.text if r.above else None, r.share.text if r.share else None,
              r.whole.text if r.whole else None, r.received) for r in rules if isinstance(r, Refund)}
    assert found == {("第五条", "6个月", None, "全部", None, "已享受的全部扶持资金"),
                     ("第五条", "24个月", "6个月", None, "24个月", "已享受的房租补贴和入驻奖励"),
                     ("第十条", "3年", None, "40%", None, "已享受装修补贴"),
                     ("第十六条", "3年", None, "全额", None, "落户奖励")}


def test_a_ceiling_written_with_a_verb_caps_the_count(rules: list) -> None:
    (hire,) = [r for r in rules if isinstance(r, PerUnitCapped) and r.unit == "第七条"]
    assert [c.figure.text for c in hire.caps] == ["15人"]


# ---------------------------------------------------------------- answered


@pytest.mark.parametrize(("question", "expected", "units"), [
    # 20元 × 300 × 12 = 7.2万元; 50% of the rent 30元 × 300 × 12 = 5.4万元 is lower
    ("青枫主园区租了300平，租金每月每平方米30元，第一年房租补贴能拿多少", "补贴5.4万元", {"第三条"}),
    # 500平 capped at 400; 20元 × 400 × 12 = 9.6万元 > 8万元 a year; 50% of 60元 × 500 × 12 is higher
    ("青枫主园区租了500平，租金每月每平方米60元，第一年房租补贴最多拿多少", "补贴8万元", {"第三条"}),
    # the branch park: 15元 × 70% = 10.5元 × 300 × 12 = 3.78万元
    ("青枫分园租了300平，租金每月每平方米60元，第二年房租补贴多少", "补贴3.78万元", {"第三条"}),
    ("青枫孵化区的初创机构租了100平，第二年场地补贴多少", "场地补贴7200元", {"第九条"}),
])
def test_rent_by_year(chain: AnswerChain, question: str, expected: str, units: set[str]) -> None:
    answer = chain.ask(question)
    assert expected in answer.answer, answer.answer
    assert _cited(answer) == units


def test_an_annex_table_is_cited_with_its_article(chain: AnswerChain) -> None:
    answer = chain.ask("青枫入驻机构上一年度营业收入5亿元，营收奖励多少")
    assert "奖励45万元" in answer.answer, answer.answer
    assert _cited(answer) == {"附表1", "第四条"}
    # the payers' parts, as the referring article splits the sum
    assert "其中市级财政承担27万元，区级财政承担18万元" in answer.answer
    answer = chain.ask("青枫园区里我们前年拿过一档20万，去年营收9亿，还能拿多少")
    assert "可得补差70万元" in answer.answer, answer.answer


def test_bars_of_a_table_for_the_kind_of_park_asked(chain: AnswerChain) -> None:
    answer = chain.ask("青枫单一园区申报市级产业园：建筑面积11000平，入驻35家，差在哪")
    assert "还差1000平方米" in answer.answer, answer.answer
    assert "入驻机构数量：35家" in answer.answer
    assert "8000平方米”，达到" not in answer.answer  # the other column's bar is not applied


@pytest.mark.parametrize(("question", "expected", "unit"), [
    # (24 − 18) / 24 × (6万 + 3万); the 营收奖励 is not paid back
    ("入驻青枫园区满18个月就迁出，之前拿了房租补贴6万、入驻奖励3万，还有营收奖励20万，要退多少", "应退回2.25万元", "第五条"),
    ("入驻青枫园区才4个月就迁出，之前拿了房租补贴1万，要退多少", "应退回1万元", "第五条"),
    ("青枫园区拿了5万装修补贴，经营了2年就退出，要退多少", "应退回2万元", "第十条"),
    ("青枫园区拿了30万落户奖励，经营了2年就迁出产业园，落户奖励要退多少", "应退回30万元", "第十六条"),
])
def test_refunds(chain: AnswerChain, question: str, expected: str, unit: str) -> None:
    answer = chain.ask(question)
    assert expected in answer.answer, answer.answer
    assert unit in _cited(answer)


def test_kinds_listed_in_one_sentence_are_summed(chain: AnswerChain) -> None:
    answer = chain.ask("青枫我们输送了100个普通劳动者、20个高校毕业生，在岗都满3个月了，输送补贴一共多少")
    assert "合计4.2万元" in answer.answer, answer.answer  # 300元 × 100 + 600元 × 20


def test_a_count_capped_with_a_verb(chain: AnswerChain) -> None:
    answer = chain.ask("青枫园区，招用了25个本市户籍劳动者，社保都缴满6个月，吸纳就业补贴多少")
    assert "吸纳就业补贴3万元" in answer.answer, answer.answer  # 15人 × 2000元


def test_a_bracketed_table_and_a_denied_top_up(chain: AnswerChain) -> None:
    answer = chain.ask("青枫入驻机构年度纳税额80万，纳税奖励多少")
    assert "奖励5万元" in answer.answer, answer.answer
    answer = chain.ask("青枫：之前领了5万纳税奖励，今年纳税额到了150万，还能补差吗")
    assert "不再补差" in answer.answer, answer.answer
    assert "可得补差" not in answer.answer


# ---------------------------------------------------------------- roles of figures, increases, scaled bars


def test_a_figure_of_another_measure_is_not_read_as_the_tables(chain: AnswerChain) -> None:
    answer = chain.ask("青枫入驻机构注册资本5亿元，营收奖励多少")
    assert "这一档" not in answer.answer, answer.answer  # 注册资本 is no 营业收入
    answer = chain.ask("青枫入驻机构去年营收5亿元，前年3亿元，营收奖励多少")
    assert "奖励45万元" in answer.answer, answer.answer  # the latest year's figure


@pytest.mark.parametrize(("question", "expected"), [
    # (5800 − 5000) / 5000 = 16% ≥ 15%: 800万 × 3% = 24万, capped at 20万
    ("青枫园区，营收从5000万涨到5800万，增长奖励多少", "增长奖励20万元"),
    # (5400 − 5000) / 5000 = 8% < 15%
    ("青枫入驻机构去年营收5400万，前年5000万，能拿增长奖励吗", "增长8%"),
])
def test_a_bar_on_an_increase(chain: AnswerChain, question: str, expected: str) -> None:
    answer = chain.ask(question)
    assert expected in answer.answer, answer.answer
    if "8%" in expected:
        assert "未达到" in answer.answer


def test_a_rate_of_an_increase_needs_both_years(chain: AnswerChain) -> None:
    answer = chain.ask("青枫入驻机构营收5800万，增长奖励多少")
    assert "× 3%" not in answer.answer, answer.answer


def test_bars_of_a_table_scaled_for_a_kind_of_park(rules: list) -> None:
    from assistant.calc.extract_types import ScaledBars

    (scaled, halved) = [r for r in rules if isinstance(r, ScaledBars)]
    assert scaled.subject == "位于开发区以外的产业园" and scaled.factor.text == "50%"
    # "…的分支机构申请入驻的，前款第1项规定的面积标准和第2项…标准减半执行": the unit's own bars
    assert halved.unit == "第十九条" and halved.factor.text == "减半" and halved.factor.value == Decimal("0.5")
    assert [(b.scope, b.figure.text) for b in halved.bars] == [("实际使用办公面积", "120平方米"), ("从业人员", "8人")]
    assert [(b.scope, b.figure.text, b.figure.label, b.of) for b in scaled.bars] == [
        ("园区建筑面积", "12000平方米", "附表2", "单一园区"), ("入驻机构数量", "30家", "附表2", "单一园区")]


def test_scaled_bars_answer_what_is_required(chain: AnswerChain) -> None:
    answer = chain.ask("青枫开发区以外的产业园，园区建筑面积和入驻机构数量最低要多少")
    assert "6000平方米" in answer.answer and "15家" in answer.answer, answer.answer
    assert _cited(answer) >= {"第十二条", "附表2"}
    answer = chain.ask("青枫开发区以外的产业园，建筑面积5000平够吗")
    assert "还差1000平方米" in answer.answer, answer.answer


def test_the_count_no_kind_names_goes_to_the_general_kind(chain: AnswerChain) -> None:
    answer = chain.ask("青枫我们介绍了300个普通求职者就业，另外还有50个残疾人，职业介绍补贴多少")
    assert "合计8.5万元" in answer.answer, answer.answer  # 300 × 200元 + 50 × 500元


def test_a_window_is_named_by_the_event_after_it(chain: AnswerChain) -> None:
    answer = chain.ask("今天4月10日，青枫园区扶持资金今年提出申请还有几天截止？")
    assert "还有20天" in answer.answer, answer.answer


def test_the_next_opening_of_a_window_that_has_passed(chain: AnswerChain) -> None:
    answer = chain.ask("青枫扶持资金今年的申报已经过了，下一次什么时候")  # today 2026-11-24
    assert "2027年4月1日" in answer.answer, answer.answer
    assert "完成审核最晚" not in answer.answer


def test_a_figure_that_qualifies_chooses_the_sum_paid_in_shares(chain: AnswerChain) -> None:
    answer = chain.ask("注册资本2500万新迁入青枫产业园，第二年能兑现多少落户奖励")
    assert "第二年发放12万元" in answer.answer, answer.answer  # 30万元 × 40%, not 2500万 × 40%


def test_units_brought_in_count_in_the_whole_too(chain: AnswerChain) -> None:
    answer = chain.ask("园区现有入驻机构30家，其中经营性机构15家，还得新引进几家经营性机构才满足青枫申报市级产业园的比例要求")
    assert "至少还需新引进8家" in answer.answer, answer.answer  # (15 + x) / (30 + x) ≥ 60%


def test_a_monthly_rate_per_person_named_between(chain: AnswerChain) -> None:
    answer = chain.ask("青枫给一家重点企业派了5个服务专员，驻了7个月，驻企补贴多少")
    assert "驻企补贴2.1万元" in answer.answer, answer.answer  # at most 3 × 1000元 × 7个月


def test_a_count_cap_shared_by_kinds_pays_the_best_paid_first(chain: AnswerChain) -> None:
    answer = chain.ask("青枫机构今年新引进了4个全日制博士5个全日制硕士，引才补贴最多能拿多少")
    assert "合计36万元" in answer.answer, answer.answer  # 6 persons: 4 × 8万 + 2 × 2万


def test_the_payment_the_question_names_wins(chain: AnswerChain) -> None:
    # the 营业收入 table (附表1) would give 20万元 for 3亿; the question asks the 增长奖励
    answer = chain.ask("青枫园区企业 前年营收2.5亿 去年3亿 增长奖励多少")
    assert "增长奖励20万元" in answer.answer, answer.answer  # 5000万 × 3% = 150万, capped at 20万
    assert "这一档" not in answer.answer


def test_a_payment_is_no_base_of_a_rate(rules: list) -> None:
    from assistant.calc.applied import Ask, apply
    from assistant.calc.quantities_in_text import extract_quantities

    (rate,) = [r for r in rules if isinstance(r, PerUnitCapped) and r.unit == "第十三条"]
    question = "去年营收3亿，增长奖励也够20万，两项加起来能拿多少"
    assert apply(rate, Ask(question, tuple(extract_quantities(question, today=TODAY)), TODAY)) is None
    question = "去年营收3亿，前年2.5亿，增长奖励多少"
    applied = apply(rate, Ask(question, tuple(extract_quantities(question, today=TODAY)), TODAY))
    assert applied is not None and applied.result == "20万元"  # 5000万 × 3% = 150万, capped


def test_days_left_to_a_dated_deadline(chain: AnswerChain) -> None:
    answer = chain.ask("今天是2026年12月1日，青枫那份扶持办法还有几天截止意见反馈？")
    assert "还有9天" in answer.answer, answer.answer


def test_every_new_kind_reads_as_a_draft_for_review() -> None:
    from assistant.calc.draft import draft_document, draft_yaml

    doc_id, title, extraction = draft_document(FORMS / f"{QF}.txt")
    text = draft_yaml(doc_id, title, extraction)
    assert "kind: refund" in text and "kind: scaled_bars" in text and "meaning: dated" in text


def test_bars_halved_for_a_branch(chain: AnswerChain) -> None:
    answer = chain.ask("我们是外地机构在青枫设立的分支机构，办公面积70平方米、从业人员3人，能入驻产业园吗")
    assert "要求60平方米（120平方米减半），达到" in answer.answer, answer.answer
    assert "从业人员：3人，要求4人（8人减半），未达到，还差1人" in answer.answer
