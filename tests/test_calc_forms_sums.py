"""Rule forms found at ingest on policies written here (not a seed, not an eval document), through
the real chain: paying back the whole of what was received unless a row inside the sentence says
a share ("…退回已享受的X和Y，其中满2年不满3年的，退回40%"); a share row of a table of stays
taken of every sum given that it names; a rate whose cap is per unit ("每平方米…不超过150元");
a rate of an increase ("增长额的2%"); rates listed per year with their base ("第一年实际租金的
60%、第二年实际租金的40%"); a total of two named payments ("…加…一共"); the gap to a bar not
met, or to a table's lowest tier; decimal and arabic article numbers kept out of phrases; a cap
raised for those a condition names ("…达到30人以上的，补贴面积上限提高至500平方米"); a tier sum
raised when a bar of its unit is met ("…增长15%以上的，…上浮20%"); the share of the year asked
of a computed sum ("认定当年拨付70%，次年拨付30%"); a table row's rate and cap cells."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.calc.extract import extract_document
from assistant.calc.extract_types import PerUnitCapped, Refund
from assistant.chain import AnswerChain
from assistant.types import Answer

from .conftest import chain_over

LU = "luxi-2027-hr-park-measures"
LUXI = """鹿溪市人力资源服务产业园扶持办法

第1条　本办法所称“以上”包括本数，“不满”不包括本数。

第2条　申请认定市级产业园，园区建筑面积不少于5000平方米，入驻人力资源服务机构不少于20家。

第3条　入驻面积不少于60平方米的机构，给予3年房租补贴，分别按照第一年实际租金的60%、第二年实际租金的40%、\
第三年实际租金的20%给予补贴，每家机构每年最高不超过6万元。

第4条　装修补贴。入驻机构首次入驻并自行装修的，按照实际装修投入的25%给予一次性补贴，每平方米补贴最高不超过150元，\
每家最高不超过12万元。

第5条　对上一年度营业收入达到2000万元以上的机构，按照下列标准给予营收贡献奖励：
（一）2000万元以上不满5000万元的，奖励6万元；
（二）5000万元以上不满2亿元的，奖励18万元；
（三）2亿元以上的，奖励50万元。
上一年度营业收入较前一年度增长25%以上的，另按照营业收入增长额的2%给予增长奖励，最高不超过25万元。

第6条　入驻机构自入驻之日起不满3年迁出本市的，退回已享受的房租补贴和营收贡献奖励，其中入驻满2年不满3年迁出的，退回40%。
"""

HE = "hexi-2027-hr-park-rules"
HEXI = """河西市人力资源服务产业园管理细则

1　总则

1.1　本细则所称“以上”“满”包括本数，“不满”不包括本数。

2　入驻支持

2.1　房租补贴。入驻机构按照每月每平方米18元给予房租补贴，每家机构每年最高不超过8万元。

2.2　入驻机构享受房租补贴或者装修补贴后，自入驻之日起不满3年迁出的，按照下列规定退回：入驻不满1年迁出的，\
退回已享受的全部房租补贴和装修补贴；入驻满1年不满2年迁出的，退回已享受的房租补贴和装修补贴的50%；\
入驻满2年不满3年迁出的，退回已享受的房租补贴和装修补贴的20%。
"""

QH = "qinghe-2027-hr-park-fund-guide"
QINGHE = """清河市2027年度人力资源服务产业园扶持资金申报指南

一、房租补贴
●补贴标准：按照每月每平方米12元给予补贴；
●补贴面积：每家机构补贴面积最高不超过300平方米；在岗从业人员达到30人以上的，补贴面积上限提高至500平方米。

二、纳税奖励
按照申报单位2026年度缴纳的税收总额，分档给予奖励：
——50万元（含）至200万元（不含）的，奖励5万元；
——200万元（含）以上的，奖励15万元。
●2026年度税收总额较2025年度增长15%以上的，在所属档次奖励金额基础上上浮20%。
●新落户的区域总部，落户当年即可按照其预计税收总额所属档次的60%预拨奖励，次年按照实际税收总额清算。

三、建设补助
新认定的园区，按照建设实际投入的10%给予建设补助，最高不超过100万元。建设补助分两年拨付，认定当年拨付70%，次年拨付30%。

四、培训和引才奖励
入驻机构开展职业培训、引进人才的，按照附件给予培训奖励和引才奖励。

附件
清河市扶持标准表
项目　　　　条件　　　　　　　　　　标准　　　　　　　上限
培训奖励　　年度培训人次1000人次以上　培训费用的10%　　每家每年8万元
引才奖励　　引进硕士以上人才　　　　每人5000元　　　　每家每年4万元
"""


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    return chain_over(tmp_path_factory.mktemp("sums"), {LU: LUXI, HE: HEXI, QH: QINGHE})


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory) -> list:
    folder = tmp_path_factory.mktemp("sums-rules")
    (folder / f"{LU}.txt").write_text(LUXI, encoding="utf-8")
    (folder / f"{HE}.txt").write_text(HEXI, encoding="utf-8")
    found = [*extract_document(folder / f"{LU}.txt").rules, *extract_document(folder / f"{HE}.txt").rules]
    return found


def _cited(answer: Answer, doc: str) -> set[str]:
    return {c.article for c in answer.citations if c.doc_id == doc}


# ---------------------------------------------------------------- found in the text


def test_the_whole_is_paid_back_below_the_row_inside_the_sentence(rules: list) -> None:
    found = {(r.below.text, r.above.text if r.above else None, r.share.value if r.share else None)
             for r in rules if isinstance(r, Refund) and r.doc_id == LU}
    # "不满3年…退回已享受的…，其中满2年不满3年的，退回40%": the whole below 2年, 40% from 2 to 3
    assert found == {("2年", None, 1), ("3年", "2年", Decimal("0.4"))}


def test_a_list_that_introduces_rows_is_no_refund_of_its_own(rules: list) -> None:
    found = [r for r in rules if isinstance(r, Refund) and r.doc_id == HE]
    assert all("：" not in r.received for r in found)
    assert all(r.below.text != "3年" for r in found)


def test_rates_listed_per_year_keep_their_year_and_base(rules: list) -> None:
    rent = [r for r in rules if isinstance(r, PerUnitCapped) and r.unit == "第3条"]
    assert [(r.years, r.amount.text, r.base) for r in rent] == [
        ((1,), "60%", "实际租金"), ((2,), "40%", "实际租金"), ((3,), "20%", "实际租金")]


def test_article_numbers_stay_out_of_phrases(rules: list) -> None:
    assert not [r for r in rules if r.phrase.startswith(("第2条", "第3条", "1.1", "2.1", "2.2"))]


# ---------------------------------------------------------------- answered


@pytest.mark.parametrize(("question", "expected", "doc", "unit"), [
    # 2年半: the 40% row; of both sums the article names
    ("鹿溪入驻两年半就迁出了，之前拿了房补10万、营收贡献奖励6万，要退多少", "6.4万元", LU, "第6条"),
    # 1年半: below 2年, the whole of both
    ("鹿溪入驻一年半就迁出了，之前拿了房补10万、营收贡献奖励6万，要退多少", "16万元", LU, "第6条"),
    # 20个月: the 50% row of a table of stays, of both sums ("房补" names 房租补贴)
    ("河西园区入驻了20个月就搬走了，之前拿了房补8万、装修补贴4万，要退多少", "6万元", HE, "2.2"),
])
def test_refunds_of_every_sum_named(chain: AnswerChain, question: str, expected: str, doc: str, unit: str) -> None:
    answer = chain.ask(question)
    assert expected in answer.answer, answer.answer
    assert unit in _cited(answer, doc)


def test_a_refund_row_does_not_answer_what_is_paid(chain: AnswerChain) -> None:
    # "入驻第一年" names no stay to pay back for: the rent subsidy answers, 18元 × 300 × 12 = 6.48万
    answer = chain.ask("河西园区租了300平，入驻第一年，每月租金每平40块，房租补贴一年能拿多少")
    assert "6.48万元" in answer.answer, answer.answer
    assert "退回" not in answer.answer.split("\n")[0]


def test_a_cap_per_unit_grows_with_the_units_given(chain: AnswerChain) -> None:
    # 25% of 50万 = 12.5万; 150元 × 300平 = 4.5万 is lower; 12万 a firm is higher
    answer = chain.ask("鹿溪首次入驻装修 300平米花了50万，装修补贴能拿多少")
    assert "补贴4.5万元" in answer.answer, answer.answer
    assert _cited(answer, LU) == {"第4条"}


def test_the_rate_of_the_year_asked(chain: AnswerChain) -> None:
    # 第二年: 40% of 20万 = 8万, over 6万 a year
    answer = chain.ask("鹿溪园区入驻100平，第二年实际租金一共20万，房补多少")
    assert "补贴6万元" in answer.answer, answer.answer
    answer = chain.ask("鹿溪园区入驻100平，第三年实际租金一共20万，房补多少")
    assert "补贴4万元" in answer.answer, answer.answer


def test_two_named_payments_summed(chain: AnswerChain) -> None:
    # 6000万: 18万; growth (6000万 − 4500万) × 2% = 30万, capped at 25万; 43万 in all
    answer = chain.ask("鹿溪 去年营收6000万，前年4500万，营收贡献奖励加增长奖励一共多少")
    assert "合计43万元" in answer.answer, answer.answer
    assert _cited(answer, LU) == {"第5条"}
    # a payment named with fewer words than the text gives it (营收奖励 for 营收贡献奖励)
    answer = chain.ask("鹿溪 去年营收6000万，前年4500万，营收奖励加增长奖励一共多少")
    assert "合计43万元" in answer.answer, answer.answer


def test_the_gap_asked_is_to_the_bar_not_met(chain: AnswerChain) -> None:
    answer = chain.ask("鹿溪想申请市级产业园，园区建筑面积4600平，入驻26家，面积还差多少")
    assert "还差400平方米" in answer.answer, answer.answer
    answer = chain.ask("鹿溪营收贡献奖励 我们去年营收1800万，离最低一档还差多少")
    assert "还差200万元" in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "expected"), [
    # 30人 or more: 500平方米, so all 450平 count: 12元 × 450 × 12 = 6.48万元
    ("清河 首次入驻，员工40人，租了450平，房补一年多少", "补贴6.48万元"),
    # fewer: the general 300平方米, 12元 × 300 × 12 = 4.32万元
    ("清河 首次入驻，员工20人，租了450平，房补一年多少", "补贴4.32万元"),
])
def test_a_cap_raised_for_those_a_condition_names(chain: AnswerChain, question: str, expected: str) -> None:
    answer = chain.ask(question)
    assert expected in answer.answer, answer.answer


def test_a_tier_raised_when_its_bar_is_met(chain: AnswerChain) -> None:
    # 260万: 15万; (260 − 200) / 200 = 30% ≥ 15%: 15万 × 1.2 = 18万
    answer = chain.ask("清河 我们2026年交税260万，2025年是200万，纳税奖励多少")
    assert "奖励18万元" in answer.answer, answer.answer
    # 5% < 15%: the tier's own sum
    answer = chain.ask("清河 我们2026年交税210万，2025年是200万，纳税奖励多少")
    assert "奖励15万元" in answer.answer and "18万元" not in answer.answer, answer.answer


def test_the_share_of_the_year_asked_of_a_computed_sum(chain: AnswerChain) -> None:
    answer = chain.ask("清河新认定的园区，建设投入800万，建设补助多少？认定当年先拨多少？")
    assert "建设补助80万元" in answer.answer and "当年拨付56万元" in answer.answer, answer.answer


@pytest.mark.parametrize(("question", "expected"), [
    # a rate cell after its bar, capped by the row's cap cell: 120万 × 10% = 12万 → 8万
    ("清河 培训费用120万 培训奖励能奖多少", "培训奖励8万元"),
    # 5000元 × 10 = 5万 → the row's 4万
    ("清河 引进了10个硕士，引才奖励多少", "4万元"),
])
def test_a_table_row_caps_its_own_rate(chain: AnswerChain, question: str, expected: str) -> None:
    answer = chain.ask(question)
    assert expected in answer.answer, answer.answer
    assert _cited(answer, QH) == {"附件", "四"}


def test_the_share_of_a_tier_for_the_case_a_sentence_names(chain: AnswerChain) -> None:
    # 300万: 15万; the case named: 60% paid ahead
    answer = chain.ask("清河 区域总部今年新落户，预计税收300万，当年能预拨多少纳税奖励")
    assert "奖励9万元" in answer.answer, answer.answer
    answer = chain.ask("清河 我们2026年交税300万，纳税奖励多少")
    assert "奖励15万元" in answer.answer and "9万元" not in answer.answer, answer.answer
