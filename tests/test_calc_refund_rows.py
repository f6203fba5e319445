"""Refund rows listed after a lead that names what is paid back ("…应当退回已享受的A和B：不满1年迁出的，
全额退回；满1年不满2年迁出的，退回60%…"), on a policy written here: each row is a refund of the
lead's sums, and the lead alone is none."""

from __future__ import annotations

from decimal import Decimal

import pytest

from assistant.calc.extract_refunds import refunds
from assistant.chain import AnswerChain

from .conftest import chain_over

SH = "shuangqiao-2027-hr-park-qa"
SHUANGQIAO = """双桥市人力资源服务产业园政策问答

问1：房租补贴怎么给？
答：按照每月每平方米20元给予房租补贴，每家机构每年最高不超过10万元。

问2：中途搬走要退钱吗？
答：要。自入驻之日起不满3年迁出产业园的，应当退回已享受的房租补贴和人才补贴：不满1年迁出的，全额退回；\
满1年不满2年迁出的，退回60%；满2年不满3年迁出的，退回30%。
"""


def test_rows_after_the_lead_pay_back_its_sums() -> None:
    found = refunds(SH, "问2", SHUANGQIAO.split("退钱吗？\n")[1], [])
    assert [(r.below.text, r.above.text if r.above else None, r.share.value if r.share else None)
            for r in found] == [("1年", None, 1), ("2年", "1年", Decimal("0.6")), ("3年", "2年", Decimal("0.3"))]
    assert {r.received for r in found} == {"已享受的房租补贴和人才补贴"}
    assert found[0].phrase == "不满1年迁出的，全额退回"


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    return chain_over(tmp_path_factory.mktemp("refund-rows"), {SH: SHUANGQIAO})


@pytest.mark.parametrize(("question", "expected"), [
    # 1.5年: the 60% row, of both sums named
    ("在双桥入驻一年半就要搬走了，之前拿了房补10万、人才补贴5万，要退多少", "9万元"),
    ("在双桥入驻8个月就搬走，之前拿了房补2万，要退多少", "2万元"),
])
def test_the_row_of_the_stay_is_paid_back(chain: AnswerChain, question: str, expected: str) -> None:
    answer = chain.ask(question)
    assert expected in answer.answer.splitlines()[0], answer.answer
