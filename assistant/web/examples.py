"""Example questions for the empty chat, made from the documents in the index.

A park that ingests only its own policies sees examples about its own documents: each
question names a document the way people do (its place and kind, 澜江办法; or its title) and
asks what its rules or units hold — a figure inside a reward tier, a threshold, two documents'
thresholds side by side, a unit by its label, the validity. Candidates are asked through the
chain (offline) and kept only when answered from the document they name, so an example never
leads to a refusal. Pure Python: no gradio.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from assistant.types import Chunk, DocumentMeta

if TYPE_CHECKING:
    from assistant.chain import AnswerChain

COUNT = 5  # the issue asks for 4–6
# The kind of document a title ends in (办法, 措施 …): with a place, the short name people use.
_KINDS = ("实施细则", "细则", "办法", "措施", "方案", "规划", "规定", "条例", "意见", "通知", "政策")
_SUFFIX = re.compile(r"(的通知|的决定)$")
_FIGURES = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|平方米|家|人|个|%|年|个月|日)")
_NOT_BODY = ("序言", "附则", "附件", "附表", "附录")


@dataclass(frozen=True)
class Example:
    question: str
    doc_ids: tuple[str, ...]  # the documents it names; it must be answered from one of them
    follow_up: str = ""  # a follow-up with another figure (the warm-up asks it too)


def short_name(meta: DocumentMeta, documents: Mapping[str, DocumentMeta]) -> str:
    """澜江办法 when the place is the document's alone and the title names a kind, else 《title》."""
    core = _SUFFIX.sub("", re.sub(r"^(关于)?(印发)?", "", meta.title))
    kind = max(((core.rfind(k), k) for k in _KINDS if k in core), default=(-1, ""))[1]
    place = min(meta.places, key=len) if meta.places else ""
    shared = any(place in other.places for d, other in documents.items() if d != meta.doc_id)
    if place and kind and not shared:
        return f"{place}{kind}"
    return f"《{core.strip('《》')}》"


def _place_or_name(meta: DocumentMeta, documents: Mapping[str, DocumentMeta]) -> str:
    name = short_name(meta, documents)
    return name if name.startswith("《") else min(meta.places, key=len)


def _round(value: Decimal) -> Decimal:
    """Two significant figures: 6.2亿 → 6.2亿, 26071万 → 2.6亿."""
    if value <= 0:
        return value
    exponent = value.adjusted() - 1
    return (value.scaleb(-exponent).quantize(Decimal(1))).scaleb(exponent)


def _inside(tier: Any) -> Decimal | None:
    """A figure well inside a tier (not on its bounds, which are their own question)."""
    if tier.min is not None and tier.max is not None:
        return _round(tier.min + (tier.max - tier.min) / 5)
    if tier.min is not None:
        return _round(tier.min * Decimal("1.2"))
    return _round(tier.max / 2) if tier.max is not None else None


def tier_example(rule: Any, documents: Mapping[str, DocumentMeta]) -> Example | None:
    from assistant.calc.number_format import format_value

    inside = [(t, v) for t in rule.tiers if (v := _inside(t)) is not None]
    if rule.input is None or len(inside) < 2:
        return None
    (middle, value), (_, second) = inside[len(inside) // 2], inside[len(inside) // 2 - 1]
    kind, unit = rule.input.kind, rule.input.unit
    figure = format_value(kind, value, unit)
    ask = "最多多少" if middle.cap else "是多少"
    who = _place_or_name(documents[rule.doc_id], documents)
    return Example(f"{who}{rule.input.label}{figure}，{rule.label}{ask}？", (rule.doc_id,),
                   f"那{format_value(kind, second, unit)}呢？")


_ASK_BY_OP = {">=": "最低要求是多少", ">": "最低要求是多少", "<=": "最高不能超过多少", "<": "最高不能超过多少"}


def threshold_examples(rules: Sequence[Any], documents: Mapping[str, DocumentMeta]) -> list[Example]:
    """One threshold question per document; and, where two documents bound the same input, the
    comparison of the two."""
    out: list[Example] = []
    bounds: dict[str, list[Any]] = {}  # doc_id → its bounded criteria, in rule order
    for rule in rules:
        if rule.kind == "thresholds":
            bounds.setdefault(rule.doc_id, []).extend(c for c in rule.criteria if c.op in _ASK_BY_OP)
    for doc_id, criteria in bounds.items():
        if criteria:
            who = _place_or_name(documents[doc_id], documents)
            out.append(Example(f"{who}{criteria[0].label}{_ASK_BY_OP[criteria[0].op]}？", (doc_id,)))
    docs = sorted(d for d in bounds if bounds[d])
    for a, b in ((a, b) for a in docs for b in docs if a < b):
        shared = next((c for c in bounds[a] if any(c.input == o.input for o in bounds[b])), None)
        if shared is not None:
            names = [_place_or_name(documents[d], documents) for d in (a, b)]
            out.append(Example(f"{names[0]}和{names[1]}的{shared.label}要求相差多少？", (a, b)))
            break
    return out


def unit_example(meta: DocumentMeta, chunks: Sequence[Chunk], documents: Mapping[str, DocumentMeta]) -> Example | None:
    """The document's unit richest in figures, asked for by its label."""
    body = [c for c in chunks if not c.article.startswith(_NOT_BODY) and c.text.strip()]
    if not body:
        return None
    best = max(body, key=lambda c: (len(_FIGURES.findall(c.text)), -c.order))
    return Example(f"{short_name(meta, documents)}{best.article}讲了什么？", (meta.doc_id,))


def validity_example(meta: DocumentMeta, documents: Mapping[str, DocumentMeta]) -> Example | None:
    if meta.valid_until is None:
        return None
    return Example(f"{short_name(meta, documents)}的有效期到什么时候？", (meta.doc_id,))


def candidates(
    documents: Mapping[str, DocumentMeta], by_doc: Mapping[str, Sequence[Chunk]], rules: Iterable[Any], today: Any
) -> list[Example]:
    """Every candidate, in the order shown: the kinds of question in turn (a reward tier, a
    threshold, a comparison, a unit, the validity), each turn naming the documents named least
    so far, so the first few show both the range of questions and the range of documents."""
    order = sorted(documents, key=lambda d: documents[d].status(today) in ("expired", "superseded"))
    rank = {d: n for n, d in enumerate(order)}
    mine = [r for r in rules if r.doc_id in documents]
    thresholds = threshold_examples(mine, documents)
    kinds = [
        [e for r in mine if r.kind == "tiers" and (e := tier_example(r, documents))],
        [e for e in thresholds if len(e.doc_ids) == 1],
        [e for e in thresholds if len(e.doc_ids) > 1],
        [e for d in order if (e := unit_example(documents[d], by_doc.get(d, ()), documents))],
        [e for d in order if (e := validity_example(documents[d], documents))],
    ]
    named: dict[str, int] = {}
    out: list[Example] = []
    while any(kinds):
        for pool in kinds:
            if not pool:
                continue
            pick = min(pool, key=lambda e: (sum(named.get(d, 0) for d in e.doc_ids), rank[e.doc_ids[0]]))
            pool.remove(pick)
            out.append(pick)
            for d in pick.doc_ids:
                named[d] = named.get(d, 0) + 1
    return out


def _rules() -> list[Any]:
    from assistant.calc.rules import load_rules
    from assistant.errors import AssistantError

    try:
        return list(load_rules())
    except AssistantError:  # a park without reviewed rules: examples from the documents alone
        return []


def answerable(chain: AnswerChain, count: int = COUNT) -> tuple[Example, ...]:
    """Up to `count` candidates the chain answers from the documents they name (asked offline)."""
    from assistant.errors import AssistantError

    offline = chain.without_llm()
    index = chain.index
    kept: list[Example] = []
    for example in candidates(index.documents, index.by_doc, _rules(), chain.today):
        if len(kept) >= count:
            break
        try:
            answer = offline.ask(example.question)
        except AssistantError:
            continue
        if answer.answered and any(c.doc_id in example.doc_ids for c in answer.citations):
            kept.append(example)
    return tuple(kept)
