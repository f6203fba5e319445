"""Rule forms found at ingest on a policy written here (not a seed, not an eval document), through
the real chain: a count said as part of an earlier count ("200人，其中40个是…") paid at its own
rate while the earlier count keeps the rest; the rent still owed over a relieved area ("减免面积每家
不超过200平方米，超出部分按照租金标准全额收取") in a year waived and in a year charged a share; a bar met whose sentence goes on to pay, added
to another payment the question names; a unit paying a share of the sum another unit gives (配套).
"""

from __future__ import annotations

import pytest

from assistant.chain import AnswerChain

from .conftest import chain_over

TX = "tongxi-2027-hr-park-measures"
TONGXI = """桐溪县人力资源服务产业园扶持措施（试行）

一、支持措施

①就业补贴。入驻机构组织本县劳动者到县内企业就业，签订1年以上劳动合同的，每人补贴400元；其中残疾人和退役军人，每人补贴600元。每家机构每年就业补贴最高不超过8万元。

②房租减免。入驻机构使用县属房源的，自入驻之日起第一年免收租金，第二年按照租金标准的60%收取；减免面积每家不超过200平方米，超出部分按照租金标准全额收取。县属房源租金标准为每月每平方米20元。

③开办补助。新注册并入驻产业园的机构，给予一次性开办补助3万元；注册资本不低于300万元的，给予一次性开办补助6万元。

④营收奖励。对上一年度营业收入800万元（含）至2000万元（不含）的入驻机构，奖励4万元；2000万元（含）以上的，奖励10万元。
"""


LX = "lanxi-2027-hr-park-measures"
LANXI = """岚溪市人力资源服务产业园扶持办法

第一条　对上一年度营业收入达到1000万元的入驻机构，按照以下档次给予一次性奖励：1000万元（含）至5000万元（不含）的，奖励8万元；5000万元（含）至2亿元（不含）的，奖励24万元；2亿元（含）以上的，奖励50万元。

第二条　入驻机构按照每月每平方米10元的标准给予房租补贴。

第三条　对获得本办法第一条营业收入奖励的入驻机构，区财政按照市级奖励金额的50%给予配套奖励，每家机构每年配套奖励最高不超过20万元。
"""


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    return chain_over(tmp_path_factory.mktemp("parts"), {TX: TONGXI, LX: LANXI})


def test_a_count_said_as_part_of_another_is_paid_at_its_own_rate(chain: AnswerChain) -> None:
    # (100 − 20) × 400 + 20 × 600 = 44000
    answer = chain.ask("桐溪县：我们组织了100人到县内企业就业，其中20个是残疾人，就业补贴能拿多少")
    assert "4.4万元" in answer.answer, answer.answer


def test_two_counts_said_side_by_side_are_not_parts(chain: AnswerChain) -> None:
    # 100 × 400 + 20 × 600 = 52000
    answer = chain.ask("桐溪县：组织了100个普通劳动者和20个残疾人到县内企业就业，就业补贴能拿多少")
    assert "5.2万元" in answer.answer, answer.answer


@pytest.mark.parametrize(("year", "owed"), [("第一年", "1.44万元"), ("第二年", "4.32万元")])
def test_rent_owed_over_the_relieved_area(chain: AnswerChain, year: str, owed: str) -> None:
    # 第一年: 60平方米 × 20元 × 12 = 14400; 第二年: + 200平方米 × 20元 × 60% × 12 = 28800
    answer = chain.ask(f"桐溪县属房源，我们用了260平方米，入驻{year}还要交多少房租？")
    assert f"{year}还需缴纳{owed}" in answer.answer, answer.answer


def test_a_follow_up_verb_is_no_noun_of_the_new_figure() -> None:
    from assistant.turn_figures import replace_figures

    previous = "桐溪一家机构去年营收800万，营收奖励给多少？"
    for turn in ("改成900万呢？", "换成900万呢？"):
        assert replace_figures(previous, turn) == "桐溪一家机构去年营收900万，营收奖励给多少？"


def test_a_bar_met_that_pays_is_summed_with_another_payment(chain: AnswerChain) -> None:
    # 注册资本400万 ≥ 300万 → 6万元; 营收900万 → 4万元; 10万元 in all
    answer = chain.ask("桐溪县产业园新入驻机构，注册资本400万，去年营收900万，开办补助加营收奖励一共能拿多少？")
    assert "合计10万元" in answer.answer, answer.answer


@pytest.mark.parametrize(("revenue", "share"), [("1.5亿", "12万元"), ("3亿", "20万元")])
def test_a_share_of_the_sum_another_unit_gives(chain: AnswerChain, revenue: str, share: str) -> None:
    # 1.5亿 → 24万元, 50% = 12万元; 3亿 → 50万元, 50% = 25万元, capped at 20万元
    answer = chain.ask(f"岚溪一家入驻机构去年营收{revenue}，市里营收奖励给多少？区里配套又能拿多少？")
    assert f"配套奖励：{share}" in answer.answer, answer.answer


def test_no_share_unless_the_question_names_it(chain: AnswerChain) -> None:
    answer = chain.ask("岚溪一家入驻机构去年营收1.5亿，营业收入奖励能拿多少？")
    assert "24万元" in answer.answer and "配套" not in answer.answer, answer.answer
