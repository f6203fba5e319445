"""The calculator's answer from the rules found at ingest, for documents without reviewed rules:
the question's figures read, the rules chosen per document named (assistant.calc.choose), and
the answer text, which says the rule was read from the text automatically and not reviewed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from assistant.calc.applied import Applied, Ask, has
from assistant.calc.choose import TOP_HITS, choose, rules_of
from assistant.calc.extract_text import lexicon
from assistant.calc.extract_types import Rule, Threshold
from assistant.calc.numbers import Quantity
from assistant.errors import CalcError
from assistant.types import Hit, ToolCall

if TYPE_CHECKING:
    from assistant.calc_bridge import CalcOutcome
    from assistant.index import Index
    from assistant.route import Intent


UNREVIEWED = "按条文自动识别，未经人工核对"


def render(chosen: Sequence[Applied], titles: dict[str, str], named: bool = False) -> str:
    """The answer from one document's rules; `named`: begin with the document (one block of
    several)."""
    text = _render(chosen, titles)
    title = titles.get(chosen[0].rule.doc_id, chosen[0].rule.doc_id)
    return f"《{title}》：{text}" if named else text


def _render(chosen: Sequence[Applied], titles: dict[str, str]) -> str:
    first = chosen[0]
    title = titles.get(first.rule.doc_id, first.rule.doc_id)
    units = "、".join(dict.fromkeys(u for a in chosen for u in a.units))
    # bars shown beside a result are its preconditions; another result beside it is a tie
    tie = not isinstance(first.rule, Threshold) and any(not isinstance(a.rule, Threshold) for a in chosen[1:])
    if tie or not first.result:
        lines = [f"《{title}》{units}中可能适用的规定如下，需按实际情况确认，未给出计算结果（{UNREVIEWED}）："]
        lines += [*first.lines] if not first.result else []
        phrases = [c for a in chosen for c in (a.conditions or (a.rule.phrase,))]
        lines += [f"- “{p}”" for p in dict.fromkeys(phrases)]
        return "\n".join([*lines, f"依据《{title}》{units}"])
    lines = [line for a in chosen for line in a.lines]
    missed = [a for a in chosen[1:] if isinstance(a.rule, Threshold) and a.result != "达到"]
    if missed and not isinstance(first.rule, Threshold):
        lines.insert(0, "注意：按所给数字，前提条件未达到，不能获得下述奖励：")
        lines = [lines[0], *[line for a in missed for line in a.lines], *lines[1:]]
        lines = list(dict.fromkeys(lines))
    steps = [s for a in chosen for s in a.steps]
    if steps:
        lines.append("计算：" + "；".join(steps))
    for a in chosen:
        lines += [f"另需符合：“{c}”" for c in a.conditions]
    lines.append(f"说明：以上规则由系统{UNREVIEWED}，请以原文为准。")
    lines.append(f"依据《{title}》{units}")
    return "\n".join(lines)


def asked_figures(question: str, today: dt.date) -> tuple[Quantity, ...] | None:
    """The question's figures to compute with; None when they cannot be read. "一个硕士" /
    "1家企业" names the subject, it is not a count to compute with; nor is a figure the question
    asks about ("都是90万吗") or a span naming a tier by its condition ("满1年不满2年")."""
    from assistant.calc.figures import checked_or_span
    from assistant.calc.quantities_in_text import extract_quantities

    try:
        figures = extract_quantities(question, today=today)
    except CalcError:
        return None
    named = checked_or_span(question, figures)
    return tuple(
        q for i, q in enumerate(figures) if i not in named and not (q.kind == "count" and q.value == 1)
    )


def run_extracted(intent: Intent, hits: Sequence[Hit], index: Index, today: dt.date) -> CalcOutcome | None:
    """The calculator on the rules found at ingest, for documents without reviewed rules."""
    from assistant.calc_bridge import CalcOutcome

    rules = rules_of(index, hits)
    if not rules:
        return None
    figures = asked_figures(intent.question, today)
    if figures is None:
        return None
    ask = Ask(intent.question, figures, today)
    asks_minimum = has(ask.text, "minimum")  # "专业性产业园面积最低要多少": a scaled bar answers
    # "申报截止以后最晚哪天审完": a date after the end of a window the document states
    after_window = has(ask.text, "due") and any(w in ask.text for w in lexicon()["window_end_words"])
    if not figures and not (asks_minimum or has(ask.text, "next") or has(ask.text, "days_left") or after_window
                            or re.search(r"季度|第.年|\d月", ask.text)):
        return None  # nothing to compute from: the article itself answers
    # several documents named: each answers for itself ("在澜江和在禾源各能拿多少")
    per_doc = [[d] for d in intent.doc_ids] if len(intent.doc_ids) > 1 else [list(intent.doc_ids)]
    found = [c for docs in per_doc if (c := choose(rules, ask, hits, docs, index.by_doc))]
    if not found or len(found) < len(per_doc):
        return None  # a named document with nothing computed: its own articles answer, all quoted
    lead = ""
    if not intent.doc_ids:
        found += _other_documents(found[0], rules, ask, hits, index)
        lead = "问题未指明文件，以下按各文件的规定分别计算：\n\n" if len(found) > 1 else ""
    titles = {d: m.title for d, m in index.documents.items()}
    chosen = [a for c in found for a in c]
    calls = tuple(ToolCall(name=f"extracted_{a.rule.kind}", input={"unit": a.units[0], **a.inputs},
                           output=_output(a)) for a in chosen)
    # the rule's own unit (retrieved, or it would not be a candidate) and any item it relies on
    wanted = [(a.rule.doc_id, unit) for a in chosen for unit in a.units]
    cited = tuple(dict.fromkeys(c for key in wanted for c in index.by_doc.get(key[0], []) if c.article == key[1]))
    return CalcOutcome(text=lead + "\n\n".join(render(c, titles, len(found) > 1) for c in found), tools=calls, chunks=cited)


def _other_documents(first: list[Applied], rules: Sequence[Rule], ask: Ask, hits: Sequence[Hit],
                     index: Index, most: int = 2) -> list[list[Applied]]:
    """No document named, and other retrieved documents hold a rule of the same kind that the
    figures fit: their results too, one per document — never one document's rule silently."""
    best = first[0]
    docs = dict.fromkeys(h.chunk.doc_id for h in hits[:TOP_HITS] if h.chunk.doc_id != best.rule.doc_id)
    out: list[list[Applied]] = []
    for doc_id in docs:
        found = choose(rules, ask, hits, [doc_id], index.by_doc)
        if found and found[0].result and found[0].rule.kind == best.rule.kind and found[0].fit == best.fit:
            out.append(found)
    return out[:most]


def _output(a: Applied) -> dict[str, Any]:
    return {**a.to_json(), "note": UNREVIEWED}
