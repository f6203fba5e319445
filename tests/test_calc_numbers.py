"""Figures out of Chinese text: every accepted form, every rejected one, figures in questions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from assistant.calc.number_format import format_amount, format_gap, format_value, plain, to_months
from assistant.calc.numbers import (
    Quantity,
    parse_amount,
    parse_area,
    parse_count,
    parse_date,
    parse_duration,
    parse_percent,
    parse_quantity,
    with_year,
)
from assistant.calc.quantities_in_text import extract_quantities
from assistant.errors import AssistantError, CalcError


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("3000万元", "30000000"),
        ("3000万", "30000000"),
        ("1.2亿", "120000000"),
        ("9.9亿元", "990000000"),
        ("一百万", "1000000"),
        ("一百万元", "1000000"),
        ("两千万元", "20000000"),
        ("一点二亿", "120000000"),
        ("2,500万", "25000000"),
        ("５０００", "5000"),
        ("５０００元", "5000"),
        ("４９９９．９９万", "49999900"),
        ("4999.99万", "49999900"),
        ("30亿元及以上", "3000000000"),
        ("5亿元人民币", "500000000"),
        ("3千万", "30000000"),
        ("  250万元 ", "2500000"),
        ("0元", "0"),
        ("60000000", "60000000"),
    ],
)
def test_amounts(text: str, yuan: str) -> None:
    q = parse_amount(text)
    assert q.kind == "amount" and q.unit == "元"
    assert isinstance(q.value, Decimal)
    assert q.value == Decimal(yuan)


def test_amount_keeps_its_qualifier_without_changing_the_value() -> None:
    q = parse_amount("30亿元及以上")
    assert q.qualifier == "及以上" and q.number == Decimal("3000000000")
    assert parse_amount("不低于5亿元").qualifier == "不低于"


def test_amounts_from_code() -> None:
    assert parse_amount(Decimal("1.5")).number == Decimal("1.5")
    assert parse_amount(2000).number == Decimal(2000)
    assert parse_amount(0.1).number == Decimal("0.1")  # via repr, not the binary float


@pytest.mark.parametrize("text", ["4800平方米", "4800㎡", "4800 平米", "４８００平方米", "4800m²", "0.48万平方米"])
def test_areas(text: str) -> None:
    q = parse_area(text)
    assert (q.kind, q.value, q.unit) == ("area", Decimal(4800), "平方米")


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("35家", 35, "家"), ("12个", 12, "个"), ("3人", 3, "人"), ("3名", 3, "人"), ("十五家", 15, "家"), ("15", 15, "")],
)
def test_counts(text: str, value: int, unit: str) -> None:
    q = parse_count(text)
    assert (q.value, q.unit) == (Decimal(value), unit)


@pytest.mark.parametrize(
    ("text", "fraction"),
    [("62%", "0.62"), ("60％", "0.6"), ("百分之六十", "0.6"), ("百分之62", "0.62"), ("62.5%", "0.625"),
     ("百分之百", "1"), ("0%", "0"), ("不低于60%", "0.6")],
)
def test_percentages_are_fractions(text: str, fraction: str) -> None:
    q = parse_percent(text)
    assert q.value == Decimal(fraction) and q.unit == "%"


def test_percent_display_is_in_percent() -> None:
    assert parse_percent("62%").display() == "62%"
    assert format_value("percent", Decimal(2) / Decimal(3)) == "约66.67%"
    assert format_gap("percent", Decimal("0.02")) == "2个百分点"


@pytest.mark.parametrize("text", ["2026年3月2日", "2026-03-02", "2026/3/2", "2026.3.2", "2026年3月2号", "２０２６－０３－０２"])
def test_dates(text: str) -> None:
    assert parse_date(text) == dt.date(2026, 3, 2)


def test_date_objects_pass_through() -> None:
    assert parse_date(dt.date(2026, 3, 2)) == dt.date(2026, 3, 2)
    assert parse_date(dt.datetime(2026, 3, 2, 9, 30)) == dt.date(2026, 3, 2)


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("45日", 45, "日"), ("7天", 7, "日"), ("5个工作日", 5, "工作日"), ("3年", 3, "年"), ("两年", 2, "年"),
     ("6个月", 6, "月")],
)
def test_durations(text: str, value: int, unit: str) -> None:
    q = parse_duration(text)
    assert (q.value, q.unit) == (Decimal(value), unit)


@pytest.mark.parametrize(
    ("func", "text", "reason"),
    [
        (parse_amount, "-3000万", "不能为负数"),
        (parse_amount, "－3000万", "不能为负数"),
        (parse_amount, "负五百万", "不能为负数"),
        (parse_amount, "NaN", "不是可识别的数字和单位"),
        (parse_amount, "nan万元", "不是可识别的数字和单位"),
        (parse_amount, "inf", "不是可识别的数字和单位"),
        (parse_amount, "1e400", "不支持科学计数法"),
        (parse_amount, "1E4万", "不支持科学计数法"),
        (parse_amount, "", "内容为空"),
        (parse_amount, "   ", "内容为空"),
        (parse_amount, "很多", "不是可识别的数字和单位"),
        (parse_amount, "万", "不是可识别的数字和单位"),
        (parse_amount, "1,23万", "不是可识别的数字和单位"),
        (parse_amount, "99999999999亿", "数值过大"),
        (parse_amount, "1" * 30, "数字位数过多"),
        (parse_amount, "3000平方米", "不是可识别的数字和单位"),
        (parse_area, "-4800平方米", "不能为负数"),
        (parse_area, "很大", "不是可识别的数字和单位"),
        (parse_area, "100000亿平方米", "数值过大"),
        (parse_count, "3.5家", "数量应为整数"),
        (parse_count, "很多家", "不是可识别的数字和单位"),
        (parse_percent, "62", "不是百分比"),
        (parse_percent, "0.62", "不是百分比"),
        (parse_percent, "101%", "数值过大"),
        (parse_percent, "-5%", "不能为负数"),
        (parse_percent, "百分之", "不是百分比"),
        (parse_date, "2026-02-30", "没有这一天"),
        (parse_date, "2026年3月", "不是完整的年月日"),
        (parse_date, "明天", "不是完整的年月日"),
        (parse_date, "3026-01-01", "年份超出范围"),
        (parse_duration, "45", "缺少单位"),
        (parse_duration, "100000日", "期限过长"),
    ],
)
def test_invalid_inputs_raise_a_clear_bilingual_error(func: Callable[[str], object], text: str, reason: str) -> None:
    with pytest.raises(CalcError) as info:
        func(text)
    message = str(info.value)
    assert reason in message
    assert "请写成" in message and "write it like" in message  # says what form is accepted
    assert isinstance(info.value, AssistantError)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1, Decimal("NaN"), Decimal("-0.5"), True, None, [1]])
def test_invalid_values_from_code(value: object) -> None:
    with pytest.raises(CalcError):
        parse_amount(value)


def test_unknown_kind_lists_the_choices() -> None:
    with pytest.raises(CalcError, match="amount, area, count"):
        parse_quantity("5", "money")  # type: ignore[arg-type]


def test_formatting() -> None:
    assert format_amount(Decimal("30000000")) == "3000万元"
    assert format_amount(Decimal("120000000.0")) == "1.2亿元"
    assert format_amount(Decimal("49999900")) == "4999.99万元"
    assert format_amount(Decimal("250")) == "250元"
    assert plain(Decimal("1.20E+8")) == "120000000"
    assert parse_area("4800㎡").display() == "4800平方米"
    assert parse_duration("5个工作日").display() == "5个工作日"


# ---------------------------------------------------------------- figures in free text


def _kinds(text: str) -> list[tuple[str, object, str]]:
    return [(q.kind, q.value, q.unit) for q in extract_quantities(text)]


def test_extract_the_chain_example() -> None:
    text = "营收6亿元，核心区4500平方米，入驻16家，占比62%"
    found = extract_quantities(text)
    assert [(q.kind, q.value, q.unit) for q in found] == [
        ("amount", Decimal(600000000), "元"),
        ("area", Decimal(4500), "平方米"),
        ("count", Decimal(16), "家"),
        ("percent", Decimal("0.62"), "%"),
    ]
    assert [text[slice(*q.span)] for q in found] == ["6亿元", "4500平方米", "16家", "62%"]


def test_extract_keeps_spans_with_full_width_digits() -> None:
    text = "面积４８００平方米，占比６０％"
    found = extract_quantities(text)
    assert [text[slice(*q.span)] for q in found] == ["４８００平方米", "６０％"]
    assert found[1].value == Decimal("0.6")


def test_extract_dates_durations_and_chinese_numerals() -> None:
    assert _kinds("2026年3月6日开始公示，5个工作日后结束") == [
        ("date", dt.date(2026, 3, 6), ""),
        ("duration", Decimal(5), "工作日"),
    ]
    assert _kinds("连续两年不合格，三年内不予重新认定") == [
        ("duration", Decimal(2), "年"),
        ("duration", Decimal(3), "年"),
    ]
    assert _kinds("园区营业收入九点九亿元，专职工作人员三人，百分之六十二") == [
        ("amount", Decimal(990000000), "元"),
        ("count", Decimal(3), "人"),
        ("percent", Decimal("0.62"), "%"),
    ]


def test_extract_skips_what_is_not_a_figure() -> None:
    assert extract_quantities("桂人社规〔2021〕1号第五条") == []
    assert extract_quantities("联系电话：0635-2189062") == []
    (span,) = extract_quantities("2024年-2026年，一园三区")  # a span of years, not a 2024-year period
    assert (span.years, span.number, span.unit) == ((2024, 2026), Decimal(3), "年")
    (day,) = extract_quantities("3月2日起", today=dt.date(2026, 11, 24))  # a date, not a two-day period
    assert (day.kind, day.year_assumed) == ("date", True)
    assert extract_quantities("2026年3月前") == []  # a year-month is no date to count from


def test_extract_reads_boundary_words_and_ranges() -> None:
    (q,) = extract_quantities("核心区建筑面积不低于 4000 平方米")
    assert (q.value, q.qualifier) == (Decimal(4000), "不低于")
    (tax,) = [q for q in extract_quantities("首次年纳税总额达到200万元以上的") if q.kind == "amount"]
    assert tax.qualifier == "以上"
    assert _kinds("2000-5000万") == [("amount", Decimal(50000000), "元")]  # a range dash, not a minus


@pytest.mark.parametrize(
    ("text", "reason"),
    [("营收-3000万", "不能为负数"), ("营收1e400元", "科学计数法"), ("营收99999999999亿", "数值过大"),
     ("2026年2月30日申请", "没有这一天"), ("占比120%", "数值过大")],
)
def test_extract_rejects_clearly_wrong_figures(text: str, reason: str) -> None:
    with pytest.raises(CalcError, match=reason):
        extract_quantities(text)


def test_quantity_json() -> None:
    q = extract_quantities("营收6亿元")[0]
    assert q.to_json() == {"kind": "amount", "value": "600000000", "unit": "元", "display": "6亿元",
                           "text": "6亿元", "span": [2, 5], "qualifier": None, "field": None,
                           "year_assumed": False, "years": None, "scope": None, "role": None}
    d = Quantity("date", dt.date(2026, 3, 2), "")
    assert d.to_json()["value"] == "2026-03-02"
    with pytest.raises(CalcError):
        _ = d.number


# ---------------------------------------------------------------- dates without a year, year spans


@pytest.mark.parametrize("text", ["公示从6月3日开始", "6月3号开始公示", "６月３日"])
def test_a_date_without_its_year_is_read_in_the_year_of_today(text: str) -> None:
    (q,) = extract_quantities(text, today=dt.date(2025, 1, 5))
    assert (q.kind, q.day, q.year_assumed) == ("date", dt.date(2025, 6, 3), True)
    assert q.to_json()["year_assumed"] is True


def test_the_year_defaults_to_the_settings_today_and_can_be_moved() -> None:
    (q,) = extract_quantities("6月3日")  # conftest sets ASSISTANT_TODAY=2026-11-24
    assert q.day == dt.date(2026, 6, 3)
    assert parse_date("6月3日") == dt.date(2026, 6, 3)
    assert with_year(q, 2027).day == dt.date(2027, 6, 3) and with_year(q, 2027).year_assumed
    (full,) = extract_quantities("2026年6月3日")
    assert not full.year_assumed and with_year(full, 2027) is full  # a written year is never moved


def test_february_29_without_a_year_needs_a_leap_year() -> None:
    with pytest.raises(CalcError, match="2026年没有这一天"):
        extract_quantities("2月29日开始", today=dt.date(2026, 1, 1))
    (q,) = extract_quantities("2月29日开始", today=dt.date(2028, 1, 1))
    assert q.day == dt.date(2028, 2, 29)
    with pytest.raises(CalcError, match="2027年没有这一天"):
        with_year(q, 2027)


@pytest.mark.parametrize("text", ["2024年-2026年", "2024-2026年", "2024到2026年", "2024年至2026年", "2024—2026年度",
                                  "２０２４－２０２６年"])
def test_year_spans_count_both_ends(text: str) -> None:
    (q,) = extract_quantities(f"{text}一共安排多少")
    assert (q.kind, q.years, q.number, q.unit) == ("duration", (2024, 2026), Decimal(3), "年")
    assert q.display() == "2024年至2026年（3年）"


def test_year_spans_typed_on_their_own_and_their_errors() -> None:
    assert parse_duration("2024-2026").years == (2024, 2026)  # a CLI value needs no 年
    assert extract_quantities("2024年-2026年3月") == []  # a date range cut short is not a span
    with pytest.raises(CalcError, match="起止年份颠倒"):
        extract_quantities("2026-2024年")


def test_percentage_point_gaps_of_computed_shares_are_rounded_and_say_so() -> None:
    assert format_gap("percent", Decimal("0.0375")) == "3.75个百分点"
    share = Decimal(3100) / Decimal(4700)  # 65.957…%
    assert format_gap("percent", Decimal("0.7") - share) == "约4.04个百分点"


def test_durations_in_years_and_months_convert_exactly() -> None:
    assert to_months(Decimal(1), "年") == Decimal(12) and to_months(Decimal(8), "月") == Decimal(8)
    with pytest.raises(CalcError, match="无法换算成月"):
        to_months(Decimal(30), "日")
