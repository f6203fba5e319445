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
from pathlib import Path

from assistant.calc.extract_dates import deadline_rules, periodic_duties
from assistant.calc.extract_per_unit import (
    amounts_by_year,
    listed_year_rates,
    per_unit_rule,
    rate_variants,
    rates_by_year,
    reward_subject,
)
from assistant.calc.extract_refunds import refunds
from assistant.calc.extract_scaled import scaled_bars
from assistant.calc.extract_shares import due_dates, installments
from assistant.calc.extract_text import (
    LEADING_MARK,
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
    Extraction,
    PerUnitCapped,
    Rule,
    Threshold,
    Tiers,
    check,
)
from assistant.calc.extract_yearly import yearly_shares
from assistant.calc.numbers import Quantity
from assistant.types import Chunk

__all__ = ["KINDS", "Extraction", "Rule", "check", "extract_chunks", "extract_document", "extract_unit", "lexicon",
           "parent_of"]


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
    for find in (periodic_duties, deadline_rules):
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
        pu = per_unit_rule(doc_id, label, text, q, op_word if op else None)
        if isinstance(pu, PerUnitCapped):
            each, span = listed_year_rates(text, q, pu)
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
    per_units = amounts_by_year(rates_by_year(per_units), text)
    variants, kept = rate_variants([p for p, _ in per_units], text)
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
                                       reward_subject(text, q.span[1]), as_figure(q), "", "", False,
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

