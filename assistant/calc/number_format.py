"""Figures written out the way the documents write them: 2000万元, 1.2亿元, 62%, 5个工作日,
2026年3月2日, 2024年至2026年; shortfalls of a percentage in percentage points.

Values are `Decimal` (or `datetime.date`); nothing here parses text (see assistant.calc.numbers).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from assistant.errors import CalcError


def plain(d: Decimal) -> str:
    """Decimal as plain digits, no exponent, no trailing zeros: 1.20E+8 → '120000000'."""
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def _whole_to(d: Decimal, places: int) -> bool:
    scaled = d * (Decimal(10) ** places)
    return scaled == scaled.to_integral_value()


def format_amount(d: Decimal) -> str:
    """Yuan the way the documents write them: 2000万元, 1.2亿元, 4999.99万元, 250元."""
    a = abs(d)
    if a >= 10**8 and _whole_to(d / 10**8, 4):
        return f"{plain(d / 10**8)}亿元"
    if a >= 10**4 and _whole_to(d / 10**4, 4):
        return f"{plain(d / 10**4)}万元"
    return f"{plain(d)}元"


def format_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def format_years(span: tuple[int, int]) -> str:
    first, last = span
    return f"{first}年" if first == last else f"{first}年至{last}年"


def format_value(kind: str, value: Decimal | dt.date, unit: str = "") -> str:
    if isinstance(value, dt.date):
        return format_date(value)
    if kind == "amount":
        return format_amount(value)
    if kind == "percent":
        pct = value * 100
        return f"{plain(pct)}%" if _whole_to(pct, 4) else f"约{plain(pct.quantize(Decimal('0.01')))}%"
    if kind == "duration" and unit in ("工作日", "月"):
        return f"{plain(value)}个{unit}"
    return f"{plain(value)}{unit}"


def format_gap(kind: str, gap: Decimal, unit: str = "") -> str:
    """A shortfall: percentages are percentage points (还差2个百分点), not percent of percent.
    A share computed by division (3100/4700) is shown to 0.01 point, marked 约."""
    if kind == "percent":
        points = gap * 100
        if _whole_to(points, 4):
            return f"{plain(points)}个百分点"
        return f"约{plain(points.quantize(Decimal('0.01')))}个百分点"
    return format_value(kind, gap, unit)


def to_months(value: Decimal, unit: str) -> Decimal:
    """A duration in 年 or 月 as months (1年 = 12个月, exact); other units cannot be converted."""
    if unit == "月":
        return value
    if unit == "年":
        return value * 12
    raise CalcError(f"{plain(value)}{unit}无法换算成月（only 年 and 月 convert to months）")
