"""Rules found in a document's own text: thresholds, tier tables, per-unit amounts with caps,
periodic duties, yearly windows and deadlines.

Each rule keeps its unit label and its verbatim phrase (an exact substring of the unit), and
each number keeps the words it was written with. `check` re-reads every number from its unit:
a rule whose numbers are not all in their units is dropped, never kept silently.

Figures are read by `assistant.calc.numbers`; what is measured (建筑面积, 营业收入 …) is taken
from the text around the number; general policy words live in `extract_lexicon.yaml`.
The rules found here are drafts ("按条文自动识别，未经人工核对"): a reviewed file in
corpus/rules/ wins over them (see `assistant.calc.draft`).
"""


from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from assistant.calc.extract_refunds import refunds
from assistant.calc.extract_scaled import scaled_bars
from assistant.calc.extract_shares import due_dates, installments, year_numbers
from assistant.calc.extract_text import (
    LEADING_MARK,
    NUM,
    SENTENCE_END,
    alt,
    as_figure,
    clause_end,
    clause_start,
    lexicon,
    ops,
    parent_of,
    prefix_op,
    quantities,
    trim,
)
from assistant.calc.extract_tiers import column, row_head, tiers, tiers_across_items
from assistant.calc.extract_types import (
    KINDS,
    Cap,
    Deadline,
    Extraction,
    Figure,
    Period,
    PerUnitCapped,
    Rule,
    Threshold,
    Tiers,
    Variant,
    Window,
    check,
    count_of,
)
from assistant.calc.extract_yearly import yearly_shares
from assistant.calc.numbers import Quantity
from assistant.errors import CalcError
from assistant.types import Chunk

__all__ = ["KINDS", "Extraction", "Rule", "check", "extract_chunks", "extract_document", "extract_unit", "lexicon",
           "parent_of"]


_PER_RE = re.compile(
    rf"每(?P<f1>[月年次])?(?:(?:{alt(lexicon()['per_verbs'])})?(?:\d+|一)?|每)?"
    r"(?P<per>平方米|人次|人|名|家|户|个|场)(?:[\u4e00-\u9fff]{0,4}?每(?P<f2>[月年次]))?(?P<gap>[^，。；每\d]{0,12})$"
)
_SLASH_RE = re.compile(r"^/(?P<per>家|人|平方米|个|户)")
# "按照实际投入的30%", and each rate of a list "按照第一年实际租金的70%、第二年实际租金的50%"
_RATE_RE = re.compile(r"(?:按照?|%、)(?P<base>[^，。；%]{1,24}?)的$")
# a table row's rate cell after its bar ("年度外包合同额500万元以上合同额的2%")
_ROW_RATE_RE = re.compile(r"以上(?P<base>[^，。；%的按]{1,12})的$")


def _per_unit(doc_id: str, label: str, text: str, q: Quantity, op: tuple[str, str] | None) -> Rule | None:
    start, end = q.span
    clause = clause_start(text, start)
    before = text[clause:start]
    phrase_end = clause_end(text, end)
    if q.kind == "amount":
        slash = _SLASH_RE.match(text[end:])
        m = _PER_RE.search(before)
        if slash:
            return PerUnitCapped(doc_id, label, text[clause:end + slash.end()], _reward_subject(text, end),
                                 as_figure(q), slash.group("per"), "", False)
        if m and (op is None or any(w in before for w in lexicon()["rate_words"])):
            per = "人" if m.group("per") == "名" else m.group("per")
            freq = m.group("f1") or m.group("f2") or ""
            # "第一年按照…25元、第二年、第三年按照…20元": the years nearest before the rate are its own
            named = re.findall(f"第[{_YEAR_NUMS}]年(?:、第[{_YEAR_NUMS}]年)*", before)
            return PerUnitCapped(doc_id, label, text[clause:phrase_end], _reward_subject(text, end),
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
            return PerUnitCapped(doc_id, label, text[clause:phrase_end], _reward_subject(text, end),
                                 as_figure(q), "", "", False, base=trim(base[year.end():] if year else base),
                                 years=years)
    return None


_YEAR_NUMS = "一二三四五"
# "第一年、第二年、第三年分别按照每月每平方米30元、20元、10元": one rate per year, in order.
_YEARS_EACH = re.compile(f"(?P<years>第[{_YEAR_NUMS}]年(?:、第[{_YEAR_NUMS}]年)+)分别")
_MORE_AMOUNTS = re.compile(r"^(?:、[\d.]+元)+")


def _by_year(text: str, q: Quantity, pu: PerUnitCapped) -> tuple[list[PerUnitCapped], tuple[int, int]]:
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


def _rates_by_year(per_units: list[tuple[PerUnitCapped, int]]) -> list[tuple[PerUnitCapped, int]]:
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


def _amounts_by_year(per_units: list[tuple[PerUnitCapped, int]], text: str) -> list[tuple[PerUnitCapped, int]]:
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


def _variants(rates: list[PerUnitCapped], text: str) -> tuple[list[Variant], list[PerUnitCapped]]:
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


def _reward_subject(text: str, end: int) -> str:
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


_PERIOD_RE = re.compile(
    r"每(?P<n>[两二三四五六七八九十\d]*)(?P<u>年|季度|个月|月)(?P<mid>[^，。；]{0,24}?)"
    r"(?P<times>[一两二三四五\d]+)(?P<cu>次|届)(?P<after>[^，。；]*)"
)
_WINDOW_RE = re.compile(
    r"(?P<y>每年|当年|次年)?(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日(?:至|到|—|-|～)"
    r"(?:(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2})日"
)
_DUE_RE = re.compile(
    r"(?P<y>每年|当年|次年)(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日(?:前|之前)|底(?:前|之前)?)"
)
_DEADLINE_RE = re.compile(
    rf"(?P<fig>(?:{NUM})(?:个工作日|工作日|个自然日|日|天|个月|年))(?P<tail>以内|内|的公示|公示)?"
)


def _month_day(m: str, d: str | None, text: str) -> Figure:
    return Figure(Decimal(int(m) * 100 + int(d or 0)), "月日", text)


def _periodic(doc_id: str, label: str, text: str) -> tuple[list[Rule], list[tuple[int, int]]]:
    rules: list[Rule] = []
    used: list[tuple[int, int]] = []
    for m in _PERIOD_RE.finditer(text):
        n = m.group("n")
        every_text = f"{n}{m.group('u')}" if n else f"每{m.group('u')}"
        value = Decimal(1)
        if n:
            try:
                value = _duration(every_text).value
            except CalcError:
                continue
        unit = {"个月": "月"}.get(m.group("u"), m.group("u"))
        times = m.group("times")
        times_text = f"{times}{m.group('cu')}"
        clause = clause_start(text, m.start())
        subject = trim(f"{m.group('mid')}{m.group('after')}") or trim(text[clause:m.start()])
        rules.append(Period(doc_id, label, text[clause:m.end()], subject,
                            Figure(value, unit, every_text), Figure(count_of(times), m.group("cu"), times_text)))
        used.append(m.span())
    # "每3年由…进行综合评估": a duty every N years with no count written (once each time).
    verbs = alt(lexicon()["periodic_verbs"])
    every_re = rf"每(?P<n>[两二三四五六七八九十\d]*)(?P<u>年|季度)(?P<mid>[^，。；]*?(?:{verbs})[^，。；]*)"
    for m in re.finditer(every_re, text):
        if any(s <= m.start() < e for s, e in used) or not m.group("n"):
            continue
        try:
            every = _duration(f"{m.group('n')}{m.group('u')}")
        except CalcError:
            continue
        clause = clause_start(text, m.start())
        rules.append(Period(doc_id, label, text[clause:m.end()], trim(m.group("mid")), every, None))
        used.append(m.span())
    taken = []
    for m in _WINDOW_RE.finditer(text):
        year = m.group("y") or ("每年" if "每年" in text[:m.start()] else "")
        clause = clause_start(text, m.start())
        start_text = text[m.start("m1"):m.end("d1") + 1]
        end_text = text[m.end("d1") + 2:m.end()]
        # "于每年5月1日至5月31日推荐申报": what the window is for may follow it
        event = trim(text[m.end():clause_end(text, m.end())])
        event = event if event and not re.search(r"\d", event) else ""
        rules.append(Window(doc_id, label, text[clause:m.end() + (len(text[m.end():clause_end(text, m.end())]) if event else 0)],
                            re.sub("[于在]$", "", trim(text[clause:m.start()])) + event,
                            _month_day(m.group("m1"), m.group("d1"), start_text),
                            _month_day(m.group("m2") or m.group("m1"), m.group("d2"), end_text),
                            year))
        used.append(m.span())
        taken.append(m.span())
    for m in _DUE_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        clause = clause_start(text, m.start())
        after = trim(text[m.end():clause_end(text, m.end())])
        due_text = text[m.start("m"):m.end()]
        due_text = re.sub(r"(?:之前|前)$", "", due_text)
        rules.append(Window(doc_id, label, text[clause:clause_end(text, m.end())],
                            after or trim(text[clause:m.start()]), None,
                            _month_day(m.group("m"), m.group("d"), due_text), m.group("y")))
        used.append(m.span())
    return rules, used


def _duration(words: str) -> Figure:
    from assistant.calc.numbers import parse_duration

    q = parse_duration(words)
    return Figure(q.number, q.unit, words)


def _deadlines(doc_id: str, label: str, text: str) -> tuple[list[Rule], list[tuple[int, int]]]:
    lex = lexicon()
    rules: list[Rule] = []
    used: list[tuple[int, int]] = []
    for m in _DEADLINE_RE.finditer(text):
        fig_text = m.group("fig")
        clause = clause_start(text, m.start())
        before = text[clause:m.start()]
        after_end = clause_end(text, m.end())
        after = text[m.end():after_end]
        is_year = fig_text.endswith("年")
        publicity = re.search(f"(?:{alt(lex['publicity_words'])})(?:为)?$", before)
        if (m.group("tail") or "").endswith("公示") or publicity:
            meaning = "publicity"
        elif is_year and m.group("tail") == "内" and re.match(alt(lex["ban_words"]), after.lstrip("其")):
            meaning = "ban"
        elif m.group("tail") in lex["within_words"] and not is_year:
            meaning = "within"
        else:
            continue
        try:
            period = _duration(fig_text)
        except CalcError:
            continue
        start = ""
        sm = re.search(rf"(?:自|在|于)?(?P<s>[^，。；自在于]+?)(?:{alt(lex['start_words'])})$", before)
        if meaning == "within" and sm:
            start = LEADING_MARK.sub("", sm.group("s")).strip()
        subject = (trim(after) if meaning != "publicity" else "") or trim(before) or "公示"
        rules.append(Deadline(doc_id, label, text[clause:after_end], subject, period, meaning, start))
        used.append(m.span())
    return rules, used


def _share(before: str) -> tuple[str, str]:
    """"入驻面积达到园区建筑面积" → (入驻面积, 园区建筑面积); "…占入驻机构总数的比例" likewise."""
    for word in lexicon()["share_words"]:
        if word in before:
            head, _, whole = before.partition(word)
            whole = re.sub(r"的(?:比例|比重)?$", "", whole)
            if trim(head) and trim(whole):
                return trim(head), trim(whole)
    return trim(before), ""


def extract_unit(doc_id: str, label: str, text: str) -> tuple[list[Rule], list[Cap]]:
    """The rules of one unit, and its caps not yet tied to a rule (the caller ties them to a
    per-unit amount or tier table of a sibling unit, or keeps them as a ceiling threshold)."""
    lex = lexicon()
    rules, used = tiers(doc_id, label, text)
    rules += installments(doc_id, label, text)
    rules += refunds(doc_id, label, text, used)
    rules += due_dates(doc_id, label, text)
    yearly, spans = yearly_shares(text)
    used += spans
    for find in (_periodic, _deadlines):
        found, spans = find(doc_id, label, text)
        rules += found
        used += spans
    facts = [(s, e) for m in re.finditer(alt(lex["fact_markers"]), text)
             for s, e in [(clause_start(text, m.start(), SENTENCE_END), clause_end(text, m.end(), SENTENCE_END))]]
    per_units: list[tuple[PerUnitCapped, int]] = []  # with the start of its sentence
    caps: list[Cap] = []
    longest: list[tuple[Threshold, int]] = []  # "期限最长N年", with the start of its sentence
    lump: list[Quantity] = []  # "一次性奖励3万元": a sum per qualifying case
    last: tuple[int, int, int, str] | None = None  # the last rate: its clause, end, rules made, unit
    for q in quantities(text):
        s, e = q.span
        if any(a <= s < b for a, b in [*used, *facts]):
            continue
        op_word = prefix_op(text, s)
        suffix = q.qualifier if q.qualifier in ops() else None
        if suffix and op_word and ops()[suffix] != op_word[1]:
            continue  # contradictory words: not a rule we can read
        words = list(dict.fromkeys(w for w in (op_word[0] if op_word else None, suffix) if w))
        op = ops()[suffix] if suffix else (op_word[1] if op_word else None)
        share = _share_cap(text, q) if op is None else None
        if share is not None:
            caps.append(share)
            continue
        raised = _raised_cap(text, q) if op is None else None
        if raised is not None:
            caps.append(raised)
            continue
        cap = _row_cap(text, q, last) if op is None and last and per_units else None
        if cap is not None and last is not None:
            # "合同额的2%每家每年30万元": the cap cell of the rate's own row
            made = last[2]
            per_units[-made:] = [(replace(p, caps=(*p.caps, cap)), at) for p, at in per_units[-made:]]
            used.append(q.span)
            continue
        pu = _per_unit(doc_id, label, text, q, op_word if op else None)
        if isinstance(pu, PerUnitCapped):
            each, span = _by_year(text, q, pu)
            per_units += [(p, clause_start(text, s, SENTENCE_END)) for p in each]
            last = (clause_start(text, s), span[1], len(each), pu.per)
            used.append(span)
            continue
        if op is None:
            if q.kind == "amount" and re.search(alt(lex["reward_words"]), text[clause_start(text, s):s]):
                lump.append(q)
            continue
        clause = clause_start(text, s)
        before = text[clause:s - len(op_word[0]) if op_word else s]
        if op in ("<=", "<") and q.kind == "duration" and op_word and op_word[0] == "最长":
            ceiling = Threshold(doc_id, label, text[clause:clause_end(text, e)], trim(before), op,
                                as_figure(q), op_word[0])
            longest.append((ceiling, clause_start(text, s, SENTENCE_END)))
            continue
        if op in ("<=", "<") and q.kind in ("amount", "percent", "area", "count") and not (
            q.kind in ("area", "count") and not per_units and not _has_rate_later(text, e)
        ):
            scope, of = (trim(before), "") if q.kind != "percent" else _share(before)
            cap_phrase = LEADING_MARK.sub("", text[clause:clause_end(text, e)])
            caps.append(Cap(as_figure(q, text), op, scope, cap_phrase, of, "、".join(words)))
            continue
        subject, of = _share(before) if q.kind == "percent" else (trim(re.split("、|或者", before)[-1]), "")
        after = text[e:clause_end(text, e)]
        applies = trim(after[1:]) if after.startswith("的") else ""
        if not subject:
            subject = trim(after)
        if row_head(text, s):
            # a table of cells: the row says what is measured, the column whom the bar is for
            subject, applies = row_head(text, s), column(text, s)
        basis = "、".join(words)
        rules.append(Threshold(doc_id, label, text[clause:clause_end(text, e)], subject, op,
                               as_figure(q, text), basis, of, applies))
    per_units = _amounts_by_year(_rates_by_year(per_units), text)
    variants, kept = _variants([p for p, _ in per_units], text)
    per_units = [(p, at) for p, at in per_units if p in kept]
    if variants:
        per_units = [(replace(p, variants=tuple(variants)) if p.amount.unit == "元" else p, at)
                     for p, at in per_units]
    # "期限最长N年" binds the rates of its own sentence; one that binds none is a ceiling itself.
    bound: set[int] = set()
    for p, at in per_units:
        mine = [i for i, (_, other) in enumerate(longest) if other == at]
        bound.update(mine)
        rules.append(replace(p, longest=longest[mine[0]][0].value if mine else None))
    rules += [t for i, (t, _) in enumerate(longest) if i not in bound]
    totals = [c for c in caps if re.search(alt(lex["total_words"]), c.scope + c.phrase)]
    if not per_units and totals and lump:
        # "…达到200万元以上的，一次性奖励3万元，此项奖励资金总额不超过30万元": each qualifying
        # case earns the sum, up to the total.
        for q in lump:
            clause = clause_start(text, q.span[0])
            rules.append(PerUnitCapped(doc_id, label, text[clause:clause_end(text, q.span[1])],
                                       _reward_subject(text, q.span[1]), as_figure(q), "", "", False,
                                       caps=tuple(caps)))
        return rules, []
    if per_units:
        # a schedule of yearly shares is of the standard each paid-over-time amount states
        rules = [replace(r, caps=(*r.caps, *caps),
                         yearly=yearly if r.amount.unit == "元" and r.frequency and not r.years and not r.yearly
                         else r.yearly)
                 if isinstance(r, PerUnitCapped) else r for r in rules]
        return rules, []
    return rules, caps


def _share_cap(text: str, q: Quantity) -> Cap | None:
    """"补贴金额不超过实际缴纳租金的70%": a ceiling at a share of another sum, the boundary
    word before the sum rather than before the figure."""
    if q.kind != "percent":
        return None
    clause = clause_start(text, q.span[0])
    ceilings = [w for w, op in ops().items() if op in ("<=", "<")]
    m = re.search(rf"(?P<w>{alt(ceilings)})(?P<of>[^，。；、\d]{{2,16}}?)的$", text[clause:q.span[0]])
    if m is None or not trim(m.group("of")):
        return None
    phrase = LEADING_MARK.sub("", text[clause:clause_end(text, q.span[1])])
    return Cap(as_figure(q), ops()[m.group("w")], trim(text[clause:clause + m.start()]), phrase,
               trim(m.group("of")), m.group("w"))


def _row_cap(text: str, q: Quantity, last: tuple[int, int, int, str]) -> Cap | None:
    """A figure right after a rate in the same clause with no word of its own between but what
    it caps ("合同额的2%每家每年30万元", "每月每平方米25元补贴面积300平方米", "每人1万元每家每年
    20万元"): a table row's cap cell, in the rate's unit or in 元."""
    clause, end, _, per = last
    s, e = q.span
    between = text[end:s]
    if clause_start(text, s) != clause or not between or re.search(r"[，,；;。\d]", between):
        return None
    if any(w in between for w in lexicon()["rate_words"]) or re.search(f"(?:{alt(lexicon()['reward_words'])})$", between):
        return None
    if not (q.kind == "amount" or (q.kind in ("area", "count") and q.unit == per)):
        return None
    return Cap(as_figure(q, text), "<=", trim(between), LEADING_MARK.sub("", text[clause:clause_end(text, e)]), "", "")


def _raised_cap(text: str, q: Quantity) -> Cap | None:
    """"首次入驻且在岗从业人员达到20人以上的，补贴面积上限提高至600平方米": a cap for those the
    clause before names (`when`), in place of the general one."""
    s, e = q.span
    clause = clause_start(text, s)
    before = text[clause:s]
    word = next((w for w in lexicon()["raise_words"] if before.endswith(w)), None)
    if word is None or q.kind not in ("area", "count", "amount"):
        return None
    cond_start = clause_start(text, max(clause - 1, 0))
    condition = text[cond_start:clause].rstrip("，,")
    if not condition.endswith("的"):
        return None
    phrase = LEADING_MARK.sub("", text[cond_start:clause_end(text, e)])
    return Cap(as_figure(q, text), "<=", trim(before[:-len(word)]), phrase, "", word, trim(condition[:-1]))


def _has_rate_later(text: str, pos: int) -> bool:
    return bool(re.search(r"每(?:[月年次])?(?:平方米|人次|人|名|家)", text[pos:]))


# ---------------------------------------------------------------- a document


def extract_chunks(chunks: Sequence[Chunk]) -> Extraction:
    """Rules of every unit; a cap in a sibling item ("（3）…每家机构每年不超过30万元") is tied to
    the per-unit amounts and tier tables under the same parent."""
    per_unit: list[tuple[Chunk, list[Rule], list[Cap]]] = []
    for chunk in chunks:
        rules, caps = extract_unit(chunk.doc_id, chunk.article, chunk.text)
        per_unit.append((chunk, rules, caps))
    out: list[Rule] = []
    lenders = {id(chunk) for chunk, rules, caps in per_unit if caps and _only_caps(rules, caps)}
    for chunk, rules, _ in per_unit:
        parent = parent_of(chunk.article)
        # Only an item that is nothing but caps lends them to its siblings; "此项…总额不超过"
        # beside a rule of its own stays with that item.
        sibling_caps = [replace(c, figure=replace(c.figure, label=other.article))
                        for other, other_rules, caps in per_unit if other is not chunk and parent is not None
                        and id(other) in lenders and parent_of(other.article) == parent for c in caps]
        if not sibling_caps and any(isinstance(r, PerUnitCapped) for r in rules):
            # "（1）补贴标准 ①…每月每平方米25元…" and "（2）补贴限额 ①补贴面积…不超过400平方米": the caps
            # of the items under a sibling heading bind the rates under this one
            sibling_caps = [replace(c, figure=replace(c.figure, label=other.article))
                            for other, other_rules, caps in per_unit if _cousins(chunk.article, other.article)
                            for c in _lent(other_rules, caps)]
        for r in rules:
            r = _named_by_heading(r, chunk.chapter)
            # A sibling's cap ("（3）…每家机构每年不超过30万元") binds items with no cap of their own.
            own_cap = any(c.figure.unit == "元" for c in getattr(r, "caps", ()))
            if isinstance(r, (PerUnitCapped, Tiers)) and sibling_caps and not own_cap:
                amount_caps = [c for c in sibling_caps if c.figure.unit == "元" or isinstance(r, PerUnitCapped)]
                r = replace(r, caps=(*r.caps, *amount_caps))
            out.append(r)
    out = _sibling_schedules(out, per_unit)
    out += tiers_across_items(per_unit)
    out += scaled_bars(chunks, out)
    out = _sibling_count_caps(out)
    # A lender's bars that are only the condition of its own raised cap ("…达到50人以上的，补贴
    # 面积上限提高至700平方米") are read with that cap, not as rules of their own.
    conditions = {(chunk.article, c.phrase) for chunk, _, caps in per_unit if id(chunk) in lenders for c in caps if c.when}
    out = [r for r in out if not (isinstance(r, Threshold) and any(
        a == r.unit and r.phrase in phrase for a, phrase in conditions))]
    # A cap that no rate or table takes is a ceiling in its own right.
    taken = {(c.figure.label, c.phrase) for r in out if isinstance(r, (PerUnitCapped, Tiers)) for c in r.caps}
    for chunk, rules, caps in per_unit:
        has_owner = any(isinstance(r, (PerUnitCapped, Tiers)) for r in rules)
        for c in caps:
            if has_owner or (chunk.article, c.phrase) in taken:
                continue
            out.append(Threshold(chunk.doc_id, chunk.article, c.phrase, c.scope, c.op, c.figure,
                                 c.basis, c.of))
    # Phrases read as the reviewed files quote them: without the item's own marker.
    out = [replace(r, phrase=LEADING_MARK.sub("", r.phrase)) for r in out]
    texts = {c.article: c.text for c in chunks}
    kept: list[Rule] = []
    dropped: list[tuple[Rule, str]] = []
    for r in out:
        problems = check(r, texts)
        if problems:
            dropped.append((r, "；".join(problems)))
        else:
            kept.append(r)
    return Extraction(tuple(kept), tuple(dropped))


def _named_by_heading(rule: Rule, chapter: str) -> Rule:
    """"1.房租补贴 / （1）补贴标准 / ①…给予补贴": an amount whose own words name only the payment word
    is named by the nearest heading above it that names a payment."""
    paid = lexicon()["reward_words"]
    if not isinstance(rule, PerUnitCapped) or rule.amount.unit != "元" or not rule.per \
            or trim(rule.subject) not in ("", *paid):
        return rule  # a rate's base names what it pays
    # the two headings nearest above it: a group's heading further up names a kind of payments
    for heading in reversed(chapter.split(" / ")[-2:]):
        name = trim(LEADING_MARK.sub("", heading.strip()))
        if name.endswith(tuple(paid)) and name not in paid and len(name) <= 12:
            return replace(rule, subject=name)
    return rule


def _sibling_schedules(rules: list[Rule], per_unit: list[tuple[Chunk, list[Rule], list[Cap]]]) -> list[Rule]:
    """"（1）…按照每月每平方米18元的标准给予房租补贴" and "（2）补贴期限…最长3年：第一年按标准全额补贴，
    第二年按标准的60%补贴…": a schedule of yearly shares in a sibling item with no amount of its
    own is the schedule of the standard paid over time."""
    schedules = [(chunk.article, found) for chunk, own, _ in per_unit
                 if not any(isinstance(r, PerUnitCapped) for r in own)
                 for found in [yearly_shares(chunk.text)[0]] if found]
    if not schedules:
        return rules
    out: list[Rule] = []
    for r in rules:
        if isinstance(r, PerUnitCapped) and r.amount.unit == "元" and r.frequency and not r.years and not r.yearly:
            parent = parent_of(r.unit)
            mine = [(label, s) for label, s in schedules if parent is not None and parent_of(label) == parent]
            if len(mine) == 1:
                label, schedule = mine[0]
                r = replace(r, yearly=tuple((years, replace(f, label=label)) for years, f in schedule))
        out.append(r)
    return out


def _only_caps(rules: list[Rule], caps: list[Cap]) -> bool:
    """An item that is nothing but caps: no rule of its own but bars that are the condition of
    one of its raised caps."""
    return all(isinstance(r, Threshold) and any(c.when and r.phrase in c.phrase for c in caps) for r in rules)


def _lent(rules: list[Rule], caps: list[Cap]) -> list[Cap]:
    """The caps an item of nothing but ceilings lends ("①补贴面积每家机构最高不超过400平方米；…达到
    50人以上的，补贴面积上限提高至700平方米"): its caps and its ceilings read as caps; none when it
    has a rule of its own."""
    ceilings = [r for r in rules if isinstance(r, Threshold) and r.op in ("<=", "<")]
    rest = [r for r in rules if r not in ceilings]
    if not (caps or ceilings) or not _only_caps(rest, caps):
        return []
    return [*caps, *(Cap(t.value, t.op, t.subject, LEADING_MARK.sub("", t.phrase), t.of, t.basis) for t in ceilings)]


def _cousins(label: str, other: str) -> bool:
    """Items under two sibling headings of one parent ("1（1）①" and "1（2）②")."""
    mine, theirs = parent_of(label), parent_of(other)
    return (mine is not None and theirs is not None and mine != theirs and len(mine) == len(theirs) > 1
            and mine[:-1] == theirs[:-1])


def _sibling_count_caps(rules: list[Rule]) -> list[Rule]:
    """"（1）…每场给予活动补助1万元" and "（2）…每家机构每年享受…不超过8场": a ceiling on the
    count in a sibling item binds the per-unit amount counted in that unit."""
    out: list[Rule] = []
    for r in rules:
        if isinstance(r, PerUnitCapped) and r.per and not any(c.figure.unit == r.per for c in r.caps):
            parent = parent_of(r.unit)
            ceilings = [t for t in rules if isinstance(t, Threshold) and t.op in ("<=", "<") and parent is not None
                        and t.doc_id == r.doc_id and t.unit != r.unit and parent_of(t.unit) == parent
                        and t.value.unit == r.per]
            caps = [Cap(replace(t.value, label=t.unit), t.op, t.subject, LEADING_MARK.sub("", t.phrase),
                        basis=t.basis) for t in ceilings]
            r = replace(r, caps=(*r.caps, *caps))
        out.append(r)
    return out



def extract_document(path: Path | str) -> Extraction:
    from assistant.ingest import load_document
    from assistant.structure import chunk_document

    return extract_chunks(chunk_document(load_document(Path(path))))

