"""Tier tables written with bound words ("X以上不满Y的", "满X不满Y的", "不满X的", "X以上的") on
synthetic text: what is found, that each bound includes or excludes its number as its word says,
and the rows applied to a question's figures (an amount, or a share of a sum the asker gives)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from assistant.calc.applied import Ask, apply
from assistant.calc.extract import extract_chunks, extract_unit
from assistant.calc.extract_types import Threshold, Tiers, check
from assistant.calc.quantities_in_text import extract_quantities
from assistant.types import Chunk

TODAY = dt.date(2026, 5, 1)
W = Decimal(10_000)

GRANT = ("第九条　对上一年度技术合同成交额达到500万元以上的企业，按照下列标准给予一次性奖励：\n"
         "（一）成交额500万元以上不满2000万元的，奖励8万元；\n"
         "（二）成交额2000万元以上不满6000万元的，奖励16万元；\n"
         "（三）成交额6000万元以上的，奖励30万元。")
REFUND = ("第二十条　企业享受补助后未满4年注销的，按照下列规定退还补助：\n"
          "（一）不满1年注销的，全额退还；\n"
          "（二）满1年不满3年注销的，退还50%；\n"
          "（三）满3年不满4年注销的，退还20%。")
BELOW = "第三条　员工人数在20人以下的，每年补助2万元；员工人数超过20人不满100人的，每年补助5万元。"


def _tables(text: str) -> list[Tiers]:
    rules, _ = extract_unit("synthetic", "第九条", text)
    return [r for r in rules if isinstance(r, Tiers)]


def _ask(question: str) -> Ask:
    return Ask(question, tuple(extract_quantities(question, today=TODAY)), TODAY)


def test_a_worded_table_is_read_with_each_bound_as_its_word_says() -> None:
    (table,) = _tables(GRANT)
    assert table.subject == "成交额"
    lows = [(r.lower.figure.value / W, r.lower.inclusive) for r in table.rows if r.lower]
    highs = [(r.upper.figure.value / W, r.upper.inclusive) for r in table.rows if r.upper]
    assert lows == [(500, True), (2000, True), (6000, True)]  # 以上 includes its number
    assert highs == [(2000, False), (6000, False)]  # 不满 excludes it
    assert table.rows[-1].upper is None  # the open top
    assert [r.reward.value / W for r in table.rows] == [8, 16, 30]
    assert table.rows[0].phrase == "成交额500万元以上不满2000万元的，奖励8万元"
    assert not check(table, {"第九条": GRANT})


def test_the_bar_that_introduces_a_table_stays_a_threshold() -> None:
    rules, _ = extract_unit("synthetic", "第九条", GRANT)
    bars = [r for r in rules if isinstance(r, Threshold)]
    assert [(b.op, b.value.value / W) for b in bars] == [(">=", 500)]


@pytest.mark.parametrize(("figure", "reward"), [
    ("500万", "8万元"),  # 以上: the bound itself is in the row
    ("1999万", "8万元"),
    ("2000万", "16万元"),  # 不满2000万 excludes it: the next row
    ("6000万", "30万元"),
    ("9亿", "30万元"),  # the open top
])
def test_worded_rows_at_their_boundaries(figure: str, reward: str) -> None:
    (table,) = _tables(GRANT)
    got = apply(table, _ask(f"技术合同成交额{figure}，奖励多少"))
    assert got is not None and got.result == reward


def test_below_the_first_row_gives_the_gap() -> None:
    (table,) = _tables(GRANT)
    got = apply(table, _ask("成交额450万能拿多少"))
    assert got is not None and got.result == "还差50万元"


def test_a_table_of_shares_applies_to_the_sum_given() -> None:
    (table,) = _tables(REFUND)
    assert [r.reward.text for r in table.rows] == ["全额", "50%", "20%"]
    assert [r.reward.value for r in table.rows] == [1, Decimal("0.5"), Decimal("0.2")]
    assert not check(table, {"第九条": REFUND})
    cases = {"一年半": "40万元", "满1年": "40万元", "3年": "16万元", "10个月": "80万元", "2年半": "40万元"}
    for when, due in cases.items():
        got = apply(table, _ask(f"拿了80万补助，{when}后注销了，要退还多少"))
        assert got is not None and got.result == due, when


def test_rows_with_a_gap_or_overlap_are_not_a_table() -> None:
    # "不满2000万" then "2500万以上": 2000万–2500万 is in no row, so the rows are not one table
    text = ("（一）成交额500万元以上不满2000万元的，奖励8万元；（二）成交额2500万元以上不满6000万元的，"
            "奖励16万元。")
    assert _tables(text) == []


def test_a_table_opened_from_below_with_exclusive_words() -> None:
    (table,) = _tables(BELOW)
    first, second = table.rows
    assert first.lower is None and (first.upper.figure.value, first.upper.inclusive) == (20, True)  # 以下 includes
    assert (second.lower.figure.value, second.lower.inclusive) == (20, False)  # 超过 excludes
    assert (second.upper.figure.value, second.upper.inclusive) == (100, False)
    for people, grant in (("20人", "2万元"), ("21人", "5万元"), ("99人", "5万元")):
        got = apply(table, _ask(f"员工人数{people}，补助多少"))
        assert got is not None and got.result == grant, people


def test_a_worded_table_one_row_per_item_keeps_each_row_in_its_item() -> None:
    items = [("第二部分（一）", "服务企业30家以上不满60家的，奖励3万元。"),
             ("第二部分（二）", "服务企业60家以上的，奖励6万元。")]
    chunks = [Chunk(doc_id="synthetic", article=label, text=text, title="t") for label, text in items]
    found = [r for r in extract_chunks(chunks).rules if isinstance(r, Tiers)]
    assert len(found) == 1
    assert [r.reward.label for r in found[0].rows] == ["第二部分（一）", "第二部分（二）"]


def test_rows_naming_the_year_their_measure_is_of_are_one_table_across_items() -> None:
    # "上一年度" reads as a duration (一年) but is the year the measure is of, not a bound
    items = [("三（一）2（1）①", "①上一年度营业收入1000万元以上不满4000万元的，奖励5万元；"),
             ("三（一）2（1）②", "②上一年度营业收入4000万元以上不满1亿元的，奖励12万元；"),
             ("三（一）2（1）③", "③上一年度营业收入1亿元以上的，奖励30万元。")]
    chunks = [Chunk(doc_id="synthetic", article=label, text=text, title="t") for label, text in items]
    (table,) = [r for r in extract_chunks(chunks).rules if isinstance(r, Tiers)]
    assert [r.reward.label for r in table.rows] == [label for label, _ in items]
    assert [r.reward.text for r in table.rows] == ["5万元", "12万元", "30万元"]
    got = apply(table, _ask("上一年度营业收入正好4000万，奖励多少"))
    assert got is not None and got.result == "12万元"
