"""Tier tables found in a unit's text for assistant.calc.extract: rows of bounds and a reward,
"2000万元至5000万元（包含2000万元，不含5000万元）的，奖励10万元", and an open top row
("30亿元及以上的，奖励100万元"); a table written one row per item is read across the items.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from decimal import Decimal
from typing import Any

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
from assistant.calc.extract_types import Bound, Cap, Figure, Rule, TierRow, Tiers
from assistant.calc.numbers import Quantity, normalize_width
from assistant.types import Chunk

# A tier's bounds: amounts, or counts and areas ("服务企业50家至100家（含50家，不含100家）的").
_BOUND = rf"(?:{NUM})(?:[万亿]?元|家|人|平方米)"
_TIER_RE = re.compile(
    rf"(?P<lo>{_BOUND})至(?P<hi>{_BOUND})的?[（(](?P<bounds>[^）)]*)[）)]的?"
)
# Each bound with its own word in brackets: "500万元（含）至1000万元（不含）的" (a table cell too).
_SAID = r"[（(](?:不包含|包含|不含|含)[）)]"
_BRACKETED_RE = re.compile(rf"(?P<lo>{_BOUND})(?P<lw>{_SAID})至(?P<hi>{_BOUND})(?P<hw>{_SAID})的?")


def _amount(text: str) -> Figure | None:
    """The one bound a tier's words hold: an amount, area or count."""
    qs = [q for q in quantities(text) if q.kind in ("amount", "area", "count")]
    return as_figure(qs[0]) if len(qs) == 1 else None


def _said_of(m: re.Match[str], lo: Figure, hi: Figure) -> dict[Decimal, bool]:
    """Which bounds a row includes: from the words in its brackets, "（含X，不含Y）" after both
    bounds or "（含）"/"（不含）" right after each."""
    if "bounds" in m.groupdict():
        return _bound_words(m.group("bounds"))
    inclusive = lexicon()["tier_inclusive"]
    return {lo.value: m.group("lw")[1:-1] in inclusive, hi.value: m.group("hw")[1:-1] in inclusive}


def _bound_words(bounds: str) -> dict[Decimal, bool]:
    lex = lexicon()
    said: dict[Decimal, bool] = {}
    words = alt([*lex["tier_exclusive"], *lex["tier_inclusive"]])
    for m in re.finditer(rf"({words})\s*({_BOUND})", bounds):
        fig = _amount(m.group(2))
        if fig is not None:
            said[fig.value] = m.group(1) in lex["tier_inclusive"]
    return said


def _reward_after(text: str, start: int, stop: int) -> tuple[Quantity, bool] | None:
    """The first amount after a tier's bounds, and whether "不超过" makes it a ceiling."""
    for q in quantities(text[start:stop]):
        if q.kind == "amount":
            gap = text[start:start + q.span[0]]
            return replace(q, span=(q.span[0] + start, q.span[1] + start)), "不超过" in gap
    return None


_LEAD = re.compile(r"(?P<what>[^，。；：:\n]*?)(?:达到|符合|按照)(?:下列|以下|如下)")


def _lead_subject(text: str) -> str:
    """What a table's rows measure, from the sentence that introduces it ("入驻机构年度纳税额达到
    下列标准的，给予一次性奖励："), when the rows do not say."""
    found = list(_LEAD.finditer(text))
    return trim(found[-1].group("what")) if found else ""


def tiers(doc_id: str, label: str, text: str, lead: str = "") -> tuple[list[Rule], list[tuple[int, int]]]:
    """A table "X至Y（含X，不含Y）的，奖励Z", or one written with bound words (see `_worded`).
    `lead`: the text introducing the table when it is not in `text` (a parent item's)."""
    norm = normalize_width(text)
    matches = sorted([*_TIER_RE.finditer(norm), *_BRACKETED_RE.finditer(norm)], key=lambda m: m.start())
    if not matches:
        return _worded(doc_id, label, text)
    rows: list[TierRow] = []
    pres: list[str] = []
    used: list[tuple[int, int]] = []
    ends = [m.start() for m in matches[1:]] + [len(norm)]
    prev_end = 0
    for m, nxt in zip(matches, ends, strict=True):
        stop = min(nxt, clause_end(norm, m.end(), SENTENCE_END))
        found = _reward_after(norm, m.end(), stop)
        lo, hi = _amount(m.group("lo")), _amount(m.group("hi"))
        if found is None or lo is None or hi is None:
            continue
        reward, ceiling = found
        said = _said_of(m, lo, hi)
        row_start = max(clause_start(norm, m.start()), prev_end)
        prev_end = reward.span[1]
        pres.append(column(norm, m.start()) or trim(text[row_start:m.start()]))
        bounds = text[m.start("bounds"):m.end("bounds")] if "bounds" in m.groupdict() else m.group(0)
        rows.append(TierRow(Bound(lo, said.get(lo.value)), Bound(hi, said.get(hi.value)), as_figure(reward),
                            ceiling, bounds, text[row_start:reward.span[1]].strip()))
        used += [m.span(), reward.span]
    if not rows:
        return _worded(doc_id, label, text)
    # The open top: "30亿元及以上的，一次性奖励100万元", after the last bounded row.
    last = used[-1][1]
    top_re = re.compile(rf"(?P<lo>{_BOUND})(?:{_SAID})?(?P<w>{alt(lexicon()['open_top'])})")
    top = top_re.search(norm, last)
    if top:
        stop = clause_end(norm, clause_end(norm, top.end(), SENTENCE_END) + 1, SENTENCE_END)
        found = _reward_after(norm, top.end(), stop)
        lo = _amount(top.group("lo"))
        if found and lo:
            reward, ceiling = found
            row_start = max(clause_start(norm, top.start()), prev_end)
            pres.append(column(norm, top.start()) or trim(text[row_start:top.start()]))
            rows.append(TierRow(Bound(lo, True), None, as_figure(reward), ceiling,
                                text[top.start():top.end()], text[row_start:reward.span[1]].strip()))
            used += [top.span(), reward.span]
    if len(rows) < 2:  # one row is no table
        return _worded(doc_id, label, text)
    named = [p for p in pres if p]
    first = clause_start(norm, matches[0].start())
    subject = Counter(named).most_common(1)[0][0] if named else _lead_subject(lead + text[:first])
    phrase = text[first:used[-1][1]].strip()
    return [Tiers(doc_id, label, phrase, subject, tuple(rows))], _spans_of(text, used, first)


_CELL = "｜|"


def row_head(text: str, pos: int) -> str:
    """In a table of cells, the first cell of the row `pos` is in (what the row measures)."""
    line_start = text.rfind("\n", 0, pos) + 1
    first = re.split(f"[{_CELL}]", text[line_start:pos])
    return trim(first[0]) if len(first) > 1 else ""


def column(text: str, pos: int) -> str:
    """In a table written as rows of cells ("档次｜上一年度营业收入｜奖励金额"), the header of the
    column `pos` is in: what the bounds measure. "" outside such a table."""
    line_start = text.rfind("\n", 0, pos) + 1
    if not any(c in text[line_start:pos] for c in _CELL):
        return ""
    column = len(re.findall(f"[{_CELL}]", text[line_start:pos]))
    header = ""
    for line in text[:max(line_start - 1, 0)].split("\n")[::-1]:
        cells = re.split(f"[{_CELL}]", line)
        if len(cells) == 1:
            break
        header = trim(cells[column]) if column < len(cells) else ""
    return header  # the top row of the table


def _spans_of(text: str, used: list[tuple[int, int]], first: int) -> list[tuple[int, int]]:
    """Every figure inside a tier table belongs to it (the 2000万元以上 that introduces it too)."""
    lo = min([first, *(s for s, _ in used)])
    hi = max(e for _, e in used)
    head = clause_start(text, lo, SENTENCE_END)
    return [(head, hi)]


def tiers_across_items(per_unit: list[tuple[Chunk, list[Rule], list[Cap]]]) -> list[Rule]:
    """A tier table written one row per item ("①服务企业50家至100家（含50家，不含100家）的，奖励
    10万元；②…"): read the items of one parent together; each row's figures keep their own item."""
    groups: dict[tuple[str, Any], list[Chunk]] = {}
    for chunk, rules, _ in per_unit:
        parent = parent_of(chunk.article)
        if parent is not None and not any(isinstance(r, Tiers) for r in rules):
            groups.setdefault((chunk.doc_id, parent), []).append(chunk)
    out: list[Rule] = []
    for items in groups.values():
        if len(items) < 2:
            continue
        parent = parent_of(items[0].article)
        lead = next((c.text for c, _, _ in per_unit if c.doc_id == items[0].doc_id and parent is not None
                     and _path(c.article) == parent), "")
        found, _ = tiers(items[0].doc_id, items[0].article, "\n".join(c.text for c in items), lead)
        for table in found:
            assert isinstance(table, Tiers)
            rows = []
            for row in table.rows:
                home = next((c.article for c in items if row.phrase in c.text), None)
                if home is None:
                    break

                def mark(fig: Figure, home: str = home) -> Figure:
                    return replace(fig, label=home)

                rows.append(replace(row, reward=mark(row.reward),
                                    lower=replace(row.lower, figure=mark(row.lower.figure)) if row.lower else None,
                                    upper=replace(row.upper, figure=mark(row.upper.figure)) if row.upper else None))
            else:
                first = rows[0].reward.label
                out.append(replace(table, unit=first, phrase=rows[0].phrase, rows=tuple(rows)))
    return out



def _path(label: str) -> tuple[Any, ...] | None:
    from assistant import outline

    try:
        return tuple(outline.label_path(label))
    except Exception:  # noqa: BLE001 - a label the grammar cannot read
        return None


# ---------------------------------------------------------------- tiers written with words

_BOUND_KINDS = ("amount", "area", "count", "duration")
_ROW_END = re.compile(r"的[，,]")
_PER = re.compile(r"每(?:[月年次])?(?:平方米|人次|人|名|家|户|个)")  # a rate, not a row's outcome


def _bound_of(seg: str, q: Quantity) -> tuple[str, Bound] | None:
    """A figure with its boundary word ("3000万元以上", "不满1亿元", "满1年"): the side it
    bounds (lo / hi) and whether it includes the number, as the boundary words say."""
    suffix = q.qualifier if q.qualifier in lexicon()["tier_suffix_words"] else None
    pre = prefix_op(seg, q.span[0])
    op = ops()[suffix] if suffix else (pre[1] if pre else None)
    if op is None:
        return None
    side = "lo" if op in (">=", ">") else "hi"
    return side, Bound(as_figure(q), op in (">=", "<="))


def _outcome(seg: str, start: int) -> tuple[Figure, bool, int] | None:
    """What a row gives, after its condition: an amount, a share ("退回60%") or the whole
    ("全额退回", a share of 100%); with whether it is a ceiling and where it ends. A rate
    ("每人500元") is not a row's outcome."""
    rest = seg[start:]
    whole = re.search(alt(lexicon()["whole_words"]), rest)
    for q in quantities(rest):
        if q.kind in ("amount", "percent"):
            if whole and whole.start() < q.span[0]:
                break
            gap = rest[:q.span[0]]
            if _PER.search(gap):
                return None
            return as_figure(q), "不超过" in gap or "最高" in gap, start + q.span[1]
    if whole:
        return Figure(Decimal(1), "%", whole.group()), False, start + whole.end()
    return None


_Row = tuple[Bound | None, Bound | None, Figure, bool, str, int, int, int]


def _worded_row(seg: str) -> _Row | None:
    """One row "营业收入3000万元以上不满1亿元的，奖励20万元": its bounds, outcome, ceiling, subject
    words, where its bounds start and end and where the row ends (in `seg`)."""
    end = _ROW_END.search(seg)
    if end is None:
        return None
    cond = seg[:end.start()]
    bounds: dict[str, Bound] = {}
    spans: list[tuple[int, int]] = []
    for q in quantities(cond):
        if q.kind not in _BOUND_KINDS:
            continue
        found = _bound_of(cond, q)
        if found is None and q.kind == "duration":
            continue  # "上一年度营业收入…": the year the measure is of, not a bound
        if found is None or found[0] in bounds:
            return None
        bounds[found[0]] = found[1]
        pre = prefix_op(cond, q.span[0])
        spans.append((q.span[0] - (len(pre[0]) if pre and q.qualifier not in lexicon()["tier_suffix_words"] else 0),
                      q.span[1]))
    if not bounds:
        return None
    lo, hi = bounds.get("lo"), bounds.get("hi")
    if lo and hi and (lo.figure.unit != hi.figure.unit or lo.figure.value >= hi.figure.value):
        return None
    got = _outcome(seg, end.end())
    if got is None:
        return None
    reward, ceiling, stop = got
    first, last = spans[0][0], spans[-1][1]
    subject = trim(cond[:first]) or trim(cond[last:])
    return lo, hi, reward, ceiling, subject, first, last, clause_end(seg, stop)


def _worded(doc_id: str, label: str, text: str) -> tuple[list[Rule], list[tuple[int, int]]]:
    """Rows in a run of sentences or items, each bounded by the one before: "（一）营业收入3000万元
    以上不满1亿元的，奖励20万元；（二）…1亿元以上不满3亿元的，奖励50万元；（三）…3亿元以上的，
    奖励100万元". A table needs two rows or more, one unit, and each lower bound where the row
    before ends (so that no value falls between rows or in two)."""
    norm = normalize_width(text)
    found: list[tuple[TierRow, str, int, int]] = []
    pos = 0
    for seg in re.split(f"([{SENTENCE_END}])", norm):
        read = _worded_row(seg)
        if read is not None:
            lo, hi, reward, ceiling, subject, first, last, stop = read
            phrase = LEADING_MARK.sub("", text[pos:pos + stop].strip())
            found.append((TierRow(lo, hi, reward, ceiling, text[pos + first:pos + last], phrase), subject,
                          pos + first, pos + stop))
        pos += len(seg)
    runs: list[list[tuple[TierRow, str, int, int]]] = []
    for item in found:
        row = item[0]
        prev = runs[-1][-1][0] if runs else None
        joined = (prev is not None and prev.upper is not None and row.lower is not None
                  and prev.upper.figure.unit == row.lower.figure.unit
                  and prev.upper.figure.value == row.lower.figure.value
                  and prev.upper.inclusive != row.lower.inclusive)
        if joined:
            runs[-1].append(item)
        else:
            runs.append([item])
    rules: list[Rule] = []
    used: list[tuple[int, int]] = []
    for run in runs:
        if len(run) < 2 or run[0][0].lower is None and run[0][0].upper is None:
            continue
        named = [s for _, s, _, _ in run if s]
        subject = Counter(named).most_common(1)[0][0] if named else ""
        start = clause_start(norm, run[0][2], SENTENCE_END)
        phrase = LEADING_MARK.sub("", text[start:run[-1][3]].strip())
        rules.append(Tiers(doc_id, label, phrase, subject, tuple(r for r, _, _, _ in run)))
        used.append((start, run[-1][3]))
    return rules, used
