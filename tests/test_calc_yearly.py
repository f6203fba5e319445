"""A standard paid in a share a year, on policies written here (not a seed, not an eval document),
through the real chain: each year's share of standard × area × 12 months, capped each year by the
sum and by a share of that year's rent (when the rent is given), then summed over the years asked
("三年一共", "两年", "第二年")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.calc.extract import extract_unit
from assistant.calc.extract_types import PerUnitCapped
from assistant.chain import AnswerChain

from .conftest import chain_over, talk

NA = "nanxi-2027-hr-park-measures"
NANXI = """南溪县人力资源服务产业园扶持办法

第一条　入驻机构租用产业园办公用房的，按照每月每平方米15元给予房租补贴，补贴面积不超过400平方米，补贴期限最长3年：\
第一年全额补贴，第二年按照60%补贴，第三年按照20%补贴。房租补贴每家机构每年最高不超过5万元。

第二条　入驻机构开展招聘活动的，每场补贴3000元，每家机构每年最高不超过3万元。
"""

BI = "bishan-2027-hr-park-guide"
BISHAN = """碧山市人力资源服务产业园服务指南

事项一　房租补贴

【补贴标准】按照每月每平方米40元给予补贴，补贴面积不超过300平方米。补贴期限3年：第一年、第二年按标准全额补贴，\
第三年按标准的40%补贴。每家机构每年房租补贴最高不超过12万元，且不超过当年实际缴纳租金的80%。
"""
XI = "xikou-2027-hr-park-qa"
XIKOU = """溪口市人力资源服务产业园政策问答

问1：房租补贴怎么算？
答：房租补贴期限最长3年。第一年按照实际缴纳租金的100%给予补贴，第二年、第三年按照实际缴纳租金的40%给予补贴。补贴面积每家机构不超过300平方米；房租补贴每家机构每年最高不超过8万元。
"""


def test_a_schedule_of_yearly_shares_is_read_with_the_standard() -> None:
    rules, _ = extract_unit(NA, "第一条", NANXI.splitlines()[2])
    rent = [r for r in rules if isinstance(r, PerUnitCapped)]
    assert len(rent) == 1
    assert [(years, share.value) for years, share in rent[0].yearly] == [
        ((1,), Decimal(1)), ((2,), Decimal("0.6")), ((3,), Decimal("0.2"))]
    # the shares are of the standard, not rates of their own
    assert not [r for r in rules if isinstance(r, PerUnitCapped) and r.amount.unit == "%"]


def test_years_listed_together_share_one_share() -> None:
    rules, _ = extract_unit(BI, "事项一【补贴标准】", BISHAN.splitlines()[4])
    rent = [r for r in rules if isinstance(r, PerUnitCapped)]
    assert [(years, share.text) for years, share in rent[0].yearly] == [((1, 2), "全额"), ((3,), "40%")]


def test_rates_of_one_base_by_year_keep_the_whole_schedule() -> None:
    rules, _ = extract_unit(XI, "问1", XIKOU.splitlines()[3])
    rates = [r for r in rules if isinstance(r, PerUnitCapped)]
    # the years before 按照 are the rate's own; each rate knows the schedule
    assert [(r.years, r.amount.text, r.base) for r in rates] == [((1,), "100%", "实际缴纳租金"),
                                                                  ((2, 3), "40%", "实际缴纳租金")]
    assert all([(y, f.text) for y, f in r.yearly] == [((1,), "100%"), ((2, 3), "40%")] for r in rates)


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    return chain_over(tmp_path_factory.mktemp("yearly"), {NA: NANXI, BI: BISHAN, XI: XIKOU})


@pytest.mark.parametrize(("question", "expected"), [
    # 15 × 300 × 12 = 5.4万 → capped 5万; 3.24万; 1.08万
    ("南溪租了300平，三年房补一共多少", "9.32万元"),
    ("南溪租了300平，两年房补一共能拿多少", "8.24万元"),
    ("南溪租了300平，第二年房补多少", "3.24万元"),
    # area capped at 400: 15 × 400 × 12 = 7.2万 → 5万 each year at most
    ("南溪租了500平，第三年房补能拿多少", "1.44万元"),
    # 40 × 250 × 12 = 12万; rent 45 × 250 × 12 = 13.5万 × 80% = 10.8万 each of years 1 and 2; 4.8万
    ("碧山租了250平，月租金每平45元，三年房补一共多少", "26.4万元"),
    # a rate of the rent: 30 × 200 × 12 = 7.2万 the first year, 40% of it the second and third
    ("溪口租了200平，租金每平每月30元，三年房补一共多少", "12.96万元"),
    # area held at 300: 30 × 300 × 12 = 10.8万 → 8万 the first year
    ("溪口租了500平，月租金每平30元，第一年房补能拿多少", "8万元"),
    ("溪口租了500平，月租金每平30元，第二年房补能拿多少", "4.32万元"),
])
def test_each_year_is_paid_and_capped_then_summed(chain: AnswerChain, question: str, expected: str) -> None:
    answer = chain.ask(question)
    assert expected in answer.answer.splitlines()[0], answer.answer


def test_a_follow_up_asks_one_year_of_the_schedule(chain: AnswerChain) -> None:
    answer, _ = talk(chain, "南溪房补标准是每平米多少", "那我们租了200平，第二年能补多少")
    # 15 × 200 × 12 × 60% = 2.16万
    assert "2.16万元" in answer.answer, answer.answer
