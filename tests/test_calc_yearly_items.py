"""Amounts paid by a schedule over years, on policies written here (not a seed, not an eval
document), through the real chain: a schedule of amounts in one article (第一年…30元，第二年…20元),
the rates of each park under one heading and their caps under a sibling heading (1.补贴标准 /
2.补贴限额), and a schedule of yearly shares in a sibling item of the standard (（2）第一年按标准全额…)."""

from __future__ import annotations

import pytest

from assistant.calc.extract import extract_chunks, extract_unit
from assistant.calc.extract_types import PerUnitCapped
from assistant.chain import AnswerChain
from assistant.types import Chunk

from .conftest import chain_over

SH = "shuanghe-2027-hr-park-measures"
SHUANGHE = """双禾市人力资源服务产业园入驻扶持办法

第一条　为吸引人力资源服务机构入驻产业园，制定本办法。

第二条　对入驻机构给予3年房租补贴：第一年按照每月每平方米30元补贴，第二年按照每月每平方米20元补贴，\
第三年按照每月每平方米10元补贴。补贴面积每家机构不超过300平方米，房租补贴每家机构每年最高不超过8万元。
"""

LU = "luxi-2027-hr-park-fund-measures"
LUXI = """芦溪市人力资源服务产业园扶持资金管理办法

一、适用范围
本办法适用于入驻芦溪人力资源服务产业园的人力资源服务机构。

二、扶持内容
（一）房租补贴
1.补贴标准
（1）入驻主园区的，第一年按照每月每平方米30元、第二年按照每月每平方米24元、第三年按照每月每平方米18元给予补贴；
（2）入驻分园区的，第一年按照每月每平方米20元、第二年按照每月每平方米15元、第三年按照每月每平方米10元给予补贴。
2.补贴限额
（1）补贴面积每家机构最高不超过300平方米；从业人员达到40人以上的，补贴面积上限提高至500平方米；
（2）房租补贴每家机构每年最高不超过10万元，且不超过当年实际缴纳租金的50%。
（二）装修补贴
按照装修面积每平方米100元给予一次性补贴，最高不超过5万元。
"""

QI = "qiling-2027-hr-park-support-notice"
QILING = """岐岭市关于支持人力资源服务产业园入驻机构发展的通知

1、适用对象
（1）本通知适用于入驻岐岭人力资源服务产业园的人力资源服务机构。

2、房租补贴
（1）入驻机构按照每月每平方米20元的标准给予房租补贴，补贴面积每家机构最高不超过400平方米。
（2）补贴期限自入驻之日起最长3年：第一年按标准全额补贴，第二年按标准的50%补贴，第三年按标准的20%补贴。
（3）房租补贴每家机构每年最高不超过8万元。
"""


def test_a_schedule_of_amounts_is_one_rule_with_each_years_amount() -> None:
    rules, _ = extract_unit(SH, "第二条", SHUANGHE.splitlines()[4])
    (rent,) = [r for r in rules if isinstance(r, PerUnitCapped)]
    assert [(years, f.text) for years, f in rent.yearly] == [((1,), "30元"), ((2,), "20元"), ((3,), "10元")]
    assert rent.years == ()  # the schedule covers every year


def test_rates_listed_in_one_clause_each_keep_their_own_year() -> None:
    text = "（1）入驻主园区的，第一年按照每月每平方米30元、第二年按照每月每平方米24元、第三年按照每月每平方米18元给予补贴；"
    rules, _ = extract_unit(LU, "二（一）1（1）", text)
    (rent,) = [r for r in rules if isinstance(r, PerUnitCapped)]
    assert [(years, f.text) for years, f in rent.yearly] == [((1,), "30元"), ((2,), "24元"), ((3,), "18元")]


def test_caps_under_a_sibling_heading_bind_the_rates() -> None:
    lines = LUXI.splitlines()
    items = [("二（一）1（1）", lines[8]), ("二（一）1（2）", lines[9]), ("二（一）2（1）", lines[11]),
             ("二（一）2（2）", lines[12])]
    chunks = [Chunk(doc_id=LU, article=label, text=text, title="t") for label, text in items]
    rates = [r for r in extract_chunks(chunks).rules if isinstance(r, PerUnitCapped)]
    assert len(rates) == 2
    for rate in rates:
        assert {c.figure.text for c in rate.caps} == {"300平方米", "500平方米", "10万元", "50%"}
        assert {c.figure.label for c in rate.caps} == {"二（一）2（1）", "二（一）2（2）"}


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    return chain_over(tmp_path_factory.mktemp("yearly_items"), {SH: SHUANGHE, LU: LUXI, QI: QILING})


@pytest.mark.parametrize(("question", "expected"), [
    # 30 × 200 × 12 = 7.2万; 20 × 200 × 12 = 4.8万; 10 × 200 × 12 = 2.4万
    ("双禾租了200平，三年房补一共多少", "14.4万元"),
    ("双禾租了200平，第二年房补多少", "4.8万元"),
    # a month of the year asked: 20 × 200
    ("双禾租了200平，第二年每个月房补多少", "4000元"),
    # area held at 300: 10.8万 → 8万; 7.2万; 3.6万
    ("双禾租了400平，三年房补加起来一共多少", "18.8万元"),
    # area held at 300 (30 people): 30 × 300 × 12 = 10.8万 → 10万 a year
    ("芦溪主园区租了400平，员工30人，第一年房补多少", "10万元"),
    # 40 people or more raise the area to 500: 15 × 450 × 12 = 8.1万
    ("芦溪分园区租了450平，员工45人，第二年房补能拿多少", "8.1万元"),
    ("芦溪分园区租了450平，员工20人，第二年房补能拿多少", "5.4万元"),
    # 20 × 250 × 12 = 6万; the rent 16 × 250 × 12 = 4.8万, 50% of it 2.4万
    ("芦溪分园区租了250平，租金每平每月16块，第一年房补多少", "2.4万元"),
    # the rent 17 × 230 × 12 = 46920元, 50% of it 23460元: said in 元 too (three decimals of 万)
    ("芦溪分园区租了230平，租金每平每月17块，第一年房补多少", "2.346万元（23460元）"),
    # 20 × 300 × 12 = 7.2万; 3.6万; 1.44万
    ("岐岭租了300平，三年房补一共能拿多少", "12.24万元"),
    # area held at 400: 9.6万 → 8万
    ("岐岭租了450平，第一年房补能拿多少", "8万元"),
])
def test_each_year_is_paid_at_its_own_amount_or_share(chain: AnswerChain, question: str, expected: str) -> None:
    answer = chain.ask(question)
    assert expected in answer.answer.splitlines()[0], answer.answer


def test_an_amount_naming_only_the_payment_word_is_named_by_its_heading() -> None:
    text = LUXI.splitlines()[8]
    chunk = Chunk(doc_id=LU, article="二（一）1（1）", text=text, title="t",
                  chapter="二、扶持内容 / （一）房租补贴 / 1.补贴标准")
    (rent,) = [r for r in extract_chunks([chunk]).rules if isinstance(r, PerUnitCapped)]
    assert rent.subject == "房租补贴"  # not "补贴", and not the heading 补贴标准


def test_a_follow_up_with_an_area_stays_with_the_rent(chain: AnswerChain) -> None:
    from .conftest import talk

    # 装修补贴 also pays by area; the conversation is about 房补 (房租补贴): 500 × 30 × 12 = 18万 → 10万
    answer, _ = talk(chain, "芦溪主园区租了200平，第一年房补多少", "如果面积是600平、员工45人呢")
    assert "房租补贴10万元" in answer.answer.splitlines()[0], answer.answer
