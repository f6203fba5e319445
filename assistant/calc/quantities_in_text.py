"""Every figure in a free-text question, in order, with its kind, value, unit and span.

Dates first, then spans of whole years, month-days, percentages, and amounts, areas, counts and
durations; each found figure is masked so that its digits are not read twice. Single values and
the figure grammar are in assistant.calc.numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from assistant.calc.numbers import (
    _DATE_RE,
    _MONTH_DAY_RE,
    _MULT,
    _NUM,
    _PCT_RE,
    _SUFFIX,
    _UNIT,
    _UNIT_PATTERNS,
    _YEAR_SPAN_RE,
    BOUNDARY_WORDS,
    DURATION_LIMITS,
    Quantity,
    _check_range,
    _clean_suffix,
    _default_year,
    _error,
    _make_date,
    _to_decimal,
    _unit_of,
    _year_span,
    normalize_width,
)

# "1个亿" is colloquial for 1亿: the 个 before a multiplier is skipped.
_QTY_RE = re.compile(
    rf"(?P<sign>[-负][ \t]*)?{_NUM}[ \t]*(?:个(?=[十百千万亿]))?{_MULT}[ \t]*(?:{_UNIT})?[ \t]*{_SUFFIX}"
)
# A year-month, or a month-day without 日/号, is not a date we can count from; masked so that
# its "2日" is not read as a two-day period.
_PARTIAL_DATE_RE = re.compile(r"(?<!\d)(?:\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}[日号]?)")
_RANGE_BEFORE = set("0123456789年月日万亿元家个人名%米天㎡")


def _mask(text: str, start: int, end: int) -> str:
    return text[:start] + "\x00" * (end - start) + text[end:]


def _raise_if_sign(text: str, m: re.Match[str], kind: str, shown: str) -> bool:
    """A real minus sign is an error; a dash between two figures (2000-5000万) is a range."""
    sign = m.group("sign")
    if not sign:
        return False
    start = m.start()
    if sign.startswith("-") and start > 0 and text[start - 1] in _RANGE_BEFORE:
        return True  # range dash: read the figure without it
    raise _error(kind, shown, "不能为负数", "must not be negative")


def extract_quantities(text: str, *, today: dt.date | None = None) -> list[Quantity]:
    """Every figure in a free-text question, in order, with kind, value, unit and span (see
    tools.label_quantities for which input each one fills). Bare numbers without a unit (article
    numbers, 文号) are not figures and are skipped; a figure that is clearly wrong (negative,
    scientific notation, absurdly large, 2026年2月30日) raises CalcError.

    A date without its year ("6月3日") is read in the year of `today` (default: the settings'
    today) and marked `year_assumed`; "2024-2026年" is a span of 3 whole years (`years`)."""
    norm = normalize_width(text)
    found: list[Quantity] = []
    for m in _DATE_RE.finditer(norm):
        span = m.span()
        found.append(_make_date(m.group("y"), m.group("m1") or m.group("m2"),
                                m.group("d1") or m.group("d2"), text[span[0]:span[1]], span))
        norm = _mask(norm, *span)
    for m in _YEAR_SPAN_RE.finditer(norm):
        found.append(_year_span(m, text[m.start():m.end()], m.span()))
        norm = _mask(norm, *m.span())
    year: int | None = today.year if today else None
    for m in _MONTH_DAY_RE.finditer(norm):
        year = year or _default_year()
        found.append(_make_date(year, m.group("m"), m.group("d"), text[m.start():m.end()], m.span(),
                                year_assumed=True))
        norm = _mask(norm, *m.span())
    for m in _PARTIAL_DATE_RE.finditer(norm):
        norm = _mask(norm, *m.span())
    for m in _PCT_RE.finditer(norm):
        span = m.span()
        shown = text[span[0]:span[1]]
        ranged = _raise_if_sign(norm, m, "percent", shown)
        if ranged:
            span = (span[0] + len(m.group("sign")), span[1])
            shown = text[span[0]:span[1]]
        pct = _to_decimal(m.group("num") or m.group("cn"), "", "percent", shown)
        found.append(Quantity("percent", _check_range("percent", pct / 100, shown), "%", text=shown,
                              span=span, qualifier=_clean_suffix(m.group("suffix"))))
        norm = _mask(norm, *m.span())
    for m in _QTY_RE.finditer(norm):
        q = _figure(norm, text, m)
        if q is not None:
            found.append(q)
    found.sort(key=lambda q: q.span)
    return found


def _figure(norm: str, text: str, m: re.Match[str]) -> Quantity | None:
    kind: str | None = next((k for k in _UNIT_PATTERNS if m.group(f"u_{k}")), None)
    num, mult = m.group("num"), m.group("mult")
    if kind is None:
        has_wan = "万" in mult or "亿" in mult or (not num[0].isdigit() and ("万" in num or "亿" in num))
        if not has_wan:
            return None  # a bare number: an article, a 文号, a phone number
        kind = "amount"
    start = m.start("num")
    if start > 0 and norm[start - 1] in "第哪":
        return None  # 第一天, 哪一天: an ordinal or a question, not a figure
    end = m.end(f"u_{kind}") if m.group(f"u_{kind}") else m.end("mult")
    shown = text[start:end]
    if start >= 2 and norm[start - 1] in "eE" and norm[start - 2].isdigit():
        raise _error(kind, text[start - 2:end], "不支持科学计数法", "scientific notation is not accepted")
    raw_unit = m.group(f"u_{kind}")
    unit = _unit_of(kind, raw_unit)
    value = _to_decimal(num, mult, kind, shown)
    if kind == "duration" and unit in ("年", "月") and norm[end:end + 1] == "半" and not m.group("suffix"):
        value += Decimal("0.5")  # "一年半", "两个月半": half a unit more
        end += 1
        shown = text[start:end]
    elif m.group("suffix"):
        end = m.end("suffix")
    if kind == "duration" and value > DURATION_LIMITS.get(unit, 36500):
        return None  # "2024年" is a year, not a 2024-year period
    _raise_if_sign(norm, m, kind, text[m.start():end])
    qualifier = _clean_suffix(m.group("suffix"))
    before = norm[:start].rstrip(" \t")[-4:]
    for word in sorted(BOUNDARY_WORDS, key=len, reverse=True):
        if before.endswith(word):
            qualifier = qualifier or word
            break
    value = _check_range(kind, value, shown, unit)
    return Quantity(kind, value, unit, text=text[start:end], span=(start, end), qualifier=qualifier)  # type: ignore[arg-type]
