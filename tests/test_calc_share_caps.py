"""A ceiling at a share of another sum ("补贴金额不超过实际缴纳租金的60%") on synthetic text:
found with its whole, and applied when the question gives that sum (per unit, per month)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assistant.calc.applied import Ask, apply
from assistant.calc.extract import extract_unit
from assistant.calc.extract_types import PerUnitCapped, check
from assistant.calc.quantities_in_text import extract_quantities

TODAY = dt.date(2026, 5, 1)
RENT = ("第七条　对租用场地不低于100平方米的企业给予场租补助，标准为每月每平方米30元，补助面积每家不超过"
        "200平方米。补助金额不超过实际支付场租的60%。")


def _rule() -> PerUnitCapped:
    rules, _ = extract_unit("synthetic", "第七条", RENT)
    (rule,) = [r for r in rules if isinstance(r, PerUnitCapped)]
    return rule


def _apply(question: str) -> str:
    got = apply(_rule(), Ask(question, tuple(extract_quantities(question, today=TODAY)), TODAY))
    assert got is not None
    return got.result


def test_the_share_cap_is_found_with_its_whole_and_the_payment_named_earlier() -> None:
    rule = _rule()
    assert rule.subject == "场租补助"  # "给予场租补助，标准为每月每平方米30元"
    (share,) = [c for c in rule.caps if c.of]
    assert (share.figure.value, share.op, share.of) == (Decimal("0.6"), "<=", "实际支付场租")
    assert not check(rule, {"第七条": RENT})


@pytest.mark.parametrize(("question", "result"), [
    ("租了100平，场租每月每平40块，每月补助多少", "2400元"),  # 30×100=3000 > 60% of 4000 = 2400
    ("租了100平，场租每月每平50元，每月补助多少", "3000元"),  # 60% of 5000 = 3000: at the cap exactly
    ("租了100平，场租每月每平60元，每月补助多少", "3000元"),  # 3600 does not bind
    ("租了300平，场租每月每平60元，一年补助多少", "7.2万元"),  # 200平 cap: 30×200×12; 60% of rent 12.96万
    ("租了100平，场租每月每平40块，一年补助多少", "2.88万元"),  # 2400 × 12
])
def test_the_share_cap_at_its_boundary(question: str, result: str) -> None:
    assert _apply(question) == result


def test_without_the_sum_the_share_cap_stays_a_condition() -> None:
    rule = _rule()
    question = "租了100平，每月补助多少"
    got = apply(rule, Ask(question, tuple(extract_quantities(question, today=TODAY)), TODAY))
    assert got is not None and got.result == "3000元"
    assert got.conditions == ("补助金额不超过实际支付场租的60%",)
