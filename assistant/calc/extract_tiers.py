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
    NUM,
    SENTENCE_END,
    alt,
    as_figure,
    clause_end,
    clause_start,
    lexicon,
    parent_of,
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


def _amount(text: str) -> Figure | None:
    """The one bound a tier's words hold: an amount, area or count."""
    qs = [q for q in quantities(text) if q.kind in ("amount", "area", "count")]
    return as_figure(qs[0]) if len(qs) == 1 else None


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


def tiers(doc_id: str, label: str, text: str) -> tuple[list[Rule], list[tuple[int, int]]]:
    norm = normalize_width(text)
    matches = list(_TIER_RE.finditer(norm))
    if len(matches) < 2:
        return [], []
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
        said = _bound_words(m.group("bounds"))
        row_start = max(clause_start(norm, m.start()), prev_end)
        prev_end = reward.span[1]
        pres.append(trim(text[row_start:m.start()]))
        rows.append(TierRow(Bound(lo, said.get(lo.value)), Bound(hi, said.get(hi.value)), as_figure(reward),
                            ceiling, text[m.start("bounds"):m.end("bounds")],
                            text[row_start:reward.span[1]].strip()))
        used += [m.span(), reward.span]
    if len(rows) < 2:
        return [], []
    # The open top: "30亿元及以上的，一次性奖励100万元", after the last bounded row.
    last = used[-1][1]
    top_re = re.compile(rf"(?P<lo>{_BOUND})(?P<w>{alt(lexicon()['open_top'])})")
    top = top_re.search(norm, last)
    if top:
        stop = clause_end(norm, clause_end(norm, top.end(), SENTENCE_END) + 1, SENTENCE_END)
        found = _reward_after(norm, top.end(), stop)
        lo = _amount(top.group("lo"))
        if found and lo:
            reward, ceiling = found
            row_start = max(clause_start(norm, top.start()), prev_end)
            pres.append(trim(text[row_start:top.start()]))
            rows.append(TierRow(Bound(lo, True), None, as_figure(reward), ceiling,
                                text[top.start():top.end()], text[row_start:reward.span[1]].strip()))
            used += [top.span(), reward.span]
    named = [p for p in pres if p]
    subject = Counter(named).most_common(1)[0][0] if named else ""
    first = clause_start(norm, matches[0].start())
    phrase = text[first:used[-1][1]].strip()
    return [Tiers(doc_id, label, phrase, subject, tuple(rows))], _spans_of(text, used, first)


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
        found, _ = tiers(items[0].doc_id, items[0].article, "\n".join(c.text for c in items))
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

