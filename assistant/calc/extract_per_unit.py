"""Amounts per unit found in a unit's text for assistant.calc.extract: "每人每月补贴1000元", "按照实际
投入的30%给予补贴", a rate or an amount for each year named ("第一年、第二年分别按照…70%、50%"),
the variants of one rate, and what each pays (the reward word and the words before it).
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from assistant.calc.extract_shares import year_numbers
from assistant.calc.extract_text import (
    LEADING_MARK,
    SENTENCE_END,
    alt,
    as_figure,
    clause_end,
    clause_start,
    lexicon,
    trim,
)
from assistant.calc.extract_types import Figure, PerUnitCapped, Rule, Variant
from assistant.calc.numbers import Quantity

_PER_RE = re.compile(
    rf"每(?P<f1>[月年次])?(?:(?:{alt(lexicon()['per_verbs'])})?(?:\d+|一)?|每)?"
    r"(?P<per>平方米|人次|人|名|家|户|个|场)(?:[\u4e00-\u9fff]{0,4}?每(?P<f2>[月年次]))?(?P<gap>[^，。；每\d]{0,12})$"
)
_SLASH_RE = re.compile(r"^/(?P<per>家|人|平方米|个|户)")
# "按照实际投入的30%", and each rate of a list "按照第一年实际租金的70%、第二年实际租金的50%"
_RATE_RE = re.compile(r"(?:按照?|%、)(?P<base>[^，。；%]{1,24}?)的$")
# a table row's rate cell after its bar ("年度外包合同额500万元以上合同额的2%")
_ROW_RATE_RE = re.compile(r"以上(?P<base>[^，。；%的按]{1,12})的$")


def per_unit_rule(doc_id: str, label: str, text: str, q: Quantity, op: tuple[str, str] | None) -> Rule | None:
    start, end = q.span
    clause = clause_start(text, start)
    before = text[clause:start]
    phrase_end = clause_end(text, end)
    if q.kind == "amount":
        slash = _SLASH_RE.match(text[end:])
        m = _PER_RE.search(before)
        if slash:
            return PerUnitCapped(doc_id, label, text[clause:end + slash.end()], reward_subject(text, end),
                                 as_figure(q), slash.group("per"), "", False)
        if m and (op is None or any(w in before for w in lexicon()["rate_words"])):
            per = "人" if m.group("per") == "名" else m.group("per")
            freq = m.group("f1") or m.group("f2") or ""
            # "第一年按照…25元、第二年、第三年按照…20元": the years nearest before the rate are its own
            named = re.findall(f"第[{_YEAR_NUMS}]年(?:、第[{_YEAR_NUMS}]年)*", before)
            return PerUnitCapped(doc_id, label, text[clause:phrase_end], reward_subject(text, end),
                                 as_figure(q), per, freq, op is not None,
                                 years=year_numbers(named[-1]) if named else ())
    if q.kind == "percent" and op is None:
        m = _RATE_RE.search(before) or _ROW_RATE_RE.search(before)
        if m:
            base = m.group("base")
            year = re.match(f"第([{_YEAR_NUMS}])年(?=.)", base)  # "第二年实际租金的50%": the rate of that year
            # "第二年、第三年按照实际缴纳租金的50%": the years before the rate's 按照
            ahead = re.search(f"第[{_YEAR_NUMS}]年(?:、第[{_YEAR_NUMS}]年)*$", before[:m.start()])
            years = (_YEAR_NUMS.index(year.group(1)) + 1,) if year else year_numbers(ahead.group()) if ahead else ()
            return PerUnitCapped(doc_id, label, text[clause:phrase_end], reward_subject(text, end),
                                 as_figure(q), "", "", False, base=trim(base[year.end():] if year else base),
                                 years=years)
    return None


_YEAR_NUMS = "一二三四五"
# "第一年、第二年、第三年分别按照每月每平方米30元、20元、10元": one rate per year, in order.
_YEARS_EACH = re.compile(f"(?P<years>第[{_YEAR_NUMS}]年(?:、第[{_YEAR_NUMS}]年)+)分别")
_MORE_AMOUNTS = re.compile(r"^(?:、[\d.]+元)+")


def listed_year_rates(text: str, q: Quantity, pu: PerUnitCapped) -> tuple[list[PerUnitCapped], tuple[int, int]]:
    """The rates of a list "第一年、第二年…分别按照…30元、20元、10元", each with its year, and
    the span of the amounts read (none: the rate alone)."""
    start, end = q.span
    years = _YEARS_EACH.search(text[clause_start(text, start):start])
    more = _MORE_AMOUNTS.match(text[end:])
    if pu.amount.unit != "元" or years is None or more is None:
        return [pu], (start, end)
    numbers = [_YEAR_NUMS.index(y) + 1 for y in re.findall(f"第([{_YEAR_NUMS}])年", years.group("years"))]
    amounts = [pu.amount, *(Figure(Decimal(a[:-1]), "元", a) for a in more.group().strip("、").split("、"))]
    if len(numbers) != len(amounts):
        return [pu], (start, end)
    return [replace(pu, amount=a, years=(n,)) for n, a in zip(numbers, amounts, strict=True)], (start, end + more.end())


def rates_by_year(per_units: list[tuple[PerUnitCapped, int]]) -> list[tuple[PerUnitCapped, int]]:
    """Rates of one base for the years of a schedule ("第一年按照实际缴纳租金的100%…，第二年、第三年
    按照实际缴纳租金的50%…"), each year named once from the first on: each rate keeps the whole
    schedule, so that a sum over the years can be paid year by year."""
    rates = [p for p, _ in per_units if p.amount.unit == "%" and p.years and p.base]
    bases = {p.base for p in rates}
    if len(bases) != 1 or len(rates) < 2:
        return per_units
    named = sorted(y for p in rates for y in p.years)
    if named != list(range(1, len(named) + 1)):
        return per_units
    schedule = tuple((p.years, p.amount) for p in sorted(rates, key=lambda p: p.years))
    return [(replace(p, yearly=schedule) if p in rates else p, at) for p, at in per_units]


def amounts_by_year(per_units: list[tuple[PerUnitCapped, int]], text: str) -> list[tuple[PerUnitCapped, int]]:
    """Amounts per unit for the years of a schedule ("第一年按照每月每平方米22元补贴，第二年按照每月
    每平方米18元补贴，第三年…12元"), each year named once from the first on, one unit counted: one
    rule, the first year's amount with the whole schedule, so that the years asked are each paid
    at their own amount (and capped) before they are summed."""
    dated = [(p, at) for p, at in per_units if p.amount.unit == "元" and p.years and p.per and not p.yearly]
    if len(dated) < 2 or len({(p.per, p.frequency) for p, _ in dated}) != 1:
        return per_units
    ordered = sorted(dated, key=lambda pa: pa[0].years)
    named = [y for p, _ in ordered for y in p.years]
    if named != list(range(1, len(named) + 1)):
        return per_units
    first, at = ordered[0]
    schedule = tuple((p.years, p.amount) for p, _ in ordered)
    # the phrase runs from the first year's rate to the last year's, when they follow one another
    start, last = text.find(first.phrase), ordered[-1][0].phrase
    end = text.find(last, start) + len(last) if start >= 0 and text.find(last, start) >= 0 else -1
    phrase = text[start:end] if end > start >= 0 and len(text[start:end]) <= 200 else first.phrase
    merged = replace(first, phrase=phrase, years=(), yearly=schedule)
    dropped = {id(p) for p, _ in dated}
    return [(merged, at) if p is first else (p, a) for p, a in per_units if p is first or id(p) not in dropped]


def rate_variants(rates: list[PerUnitCapped], text: str) -> tuple[list[Variant], list[PerUnitCapped]]:
    """"入驻分园区的，按照…每平方米补贴标准的80%给予补贴": a rate of the document's own standard
    is not a payment of a sum the asker gives, it scales the unit's other rates for those its
    condition names. (variants, the rates left)."""
    found: list[Variant] = []
    rest: list[PerUnitCapped] = []
    for r in rates:
        if r.amount.unit == "%" and r.base.endswith(tuple(lexicon()["standard_words"])):
            at = text.find(r.phrase)
            sentence = clause_start(text, at, SENTENCE_END) if at >= 0 else at
            condition = trim(text[sentence:clause_start(text, at)].strip("，,：: ")) if at > 0 else ""
            if condition:
                found.append(Variant(condition, r.amount, r.phrase))
            continue
        rest.append(r)
    return found, rest


def reward_subject(text: str, end: int) -> str:
    """What is paid: the reward word and the words before it in the rest of the clause."""
    rest = text[end:clause_end(text, end)]
    words = alt(lexicon()["reward_words"])
    m = re.search(rf"(?:给予)?(?P<w>[^，。；给予按照]{{0,10}}?(?:{words}))", rest)
    if m:
        return trim(m.group("w"))
    # "每引进1人给予机构引才奖励1万元": the reward word is before the amount; or a rate of
    # something else ("租金按照…的50%收取"): the words before 按照.
    before = text[clause_start(text, end):end]
    m = re.search(rf"(?P<w>[^，。；给予]{{0,10}}(?:{words}))[^，。；]*$", before)
    if m:
        return trim(m.group("w"))
    # "给予房租补贴，标准为每月每平方米25元": named earlier in the sentence
    earlier = text[clause_start(text, end, SENTENCE_END):clause_start(text, end)]
    found = re.findall(rf"(?:给予)?([^，。；给予]{{0,10}}?(?:{words}))", earlier)
    if found and trim(found[-1]):
        return trim(found[-1])
    own = trim(re.split("按照|按|每", before)[0])
    # "①输送普通员工的，每人400元": what the item pays for is its condition
    return own or trim(LEADING_MARK.sub("", earlier).rstrip("，,"))
