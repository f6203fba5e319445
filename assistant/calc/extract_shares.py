"""Dated deadlines ("意见反馈截止时间为2024年6月20日"), and sums paid in yearly shares ("安家补贴分三年发放，第一年发放40%，第二年、第三年各发放30%"),
found in a unit's text for assistant.calc.extract. Only a schedule whose shares add up to the
whole is kept: anything else is not a reading we can be sure of."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.calc.extract_types import DueDate, Figure, Installments

# "第一年、第二年", or the year of the event and the next ("认定当年拨付60%，次年…拨付40%")
_YEARS = r"(?:第[一二三四五]年|当年|次年)(?:、第[一二三四五]年)*"
_PAID = r"发放|拨付|兑现|支付"
_SHARE = re.compile(rf"(?P<y>{_YEARS})(?P<mid>[^。；%]{{0,30}}?)(?:{_PAID})(?:其余|剩余)?(?P<p>\d+(?:\.\d+)?%)")
_LEADING = re.compile(r"^(?:[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、]|[①-⑳])\s*")


def year_numbers(words: str) -> tuple[int, ...]:
    """"第二年、第三年" → (2, 3); "当年" (of the event) → (1,); "次年" → (2,)."""
    out = []
    for m in re.finditer(r"第([一二三四五])年|(当年)|(次年)", words):
        out.append("一二三四五".index(m.group(1)) + 1 if m.group(1) else 1 if m.group(2) else 2)
    return tuple(out)


def installments(doc_id: str, label: str, text: str) -> list[Installments]:
    found = list(_SHARE.finditer(text))
    if len(found) < 2:
        return []
    shares: list[tuple[tuple[int, ...], Figure]] = []
    for m in found:
        years = year_numbers(m.group("y"))
        share = Figure(Decimal(m.group("p")[:-1]) / 100, "%", m.group("p"))
        shares.append((years, share))
    whole = sum((share.value * len(years) for years, share in shares), Decimal(0))
    if whole != 1:
        return []
    start = found[0].start()
    head = max(text.rfind(c, 0, start - 1) for c in "。；\n") + 1  # the clause naming what is paid
    before = _LEADING.sub("", text[head:start].strip())
    subject = re.split(rf"分[一二三四五两\d]+年|分期|(?:{_PAID})", before)[0].strip("，, ")
    phrase = _LEADING.sub("", text[head:found[-1].end()].strip())
    return [Installments(doc_id, label, phrase, subject, tuple(shares))]


_DUE = re.compile(r"(?P<what>[^，。；：\n]{2,24}?)(?:截止(?:时间|日期)?为|截至|截止到)(?P<d>(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<dd>\d{1,2})日)")


def due_dates(doc_id: str, label: str, text: str) -> list[DueDate]:
    """"意见反馈截止时间为2024年6月20日": the thing due and its date."""
    out: list[DueDate] = []
    for m in _DUE.finditer(text):
        value = Decimal(int(m.group("y")) * 10000 + int(m.group("m")) * 100 + int(m.group("dd")))
        what = _LEADING.sub("", m.group("what")).strip()
        out.append(DueDate(doc_id, label, m.group(0), what, Figure(value, "年月日", m.group("d"))))
    return out
