"""The offline composer: understand → select → render, extractive and cited.

Every sentence it shows comes verbatim from a cited article or from a calculator result; it
never writes a number of its own. When the corpus does not cover a question it declines and
says what the corpus does cover. The stages live in their own modules: `question` (what is
asked), `coverage` (whether the corpus answers it), `select` (which unit, sentences and
clauses), `render` (text, citations, warnings)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from assistant import outline
from assistant.addressed import addressed_to_reader
from assistant.coverage import absent_title, refusal_reason, unknown_asked
from assistant.lexicon import lexicon
from assistant.parts import part_meta, part_name, parts_of
from assistant.passage import complete, holding, under_named_heading, unquoted_label
from assistant.question import Question
from assistant.render import answered, cn_date, refusal, source_line
from assistant.retrieve import validity_unit
from assistant.select import (
    Vocabulary,
    best_sentences,
    direct_answer,
    extreme_entry,
    is_heading,
    ordinal_entry,
    split_sentences,
    strip_label,
    targets,
    tier_answer,
    unstated_kind,
    vocabulary_for,
)
from assistant.types import Answer, Chunk, DocumentMeta, Hit, ToolCall


def compose(
    q: Question,
    hits: Sequence[Hit],
    documents: Mapping[str, DocumentMeta],
    chunks: Sequence[Chunk],
    today: dt.date,
    tools: Sequence[ToolCall] = (),
    tool_text: str = "",
    tool_chunks: Sequence[Chunk] = (),
    support: float = 0.0,
    by_doc: Mapping[str, Sequence[Chunk]] | None = None,
) -> Answer:
    """The extractive answer for an understood question and its retrieved articles.

    `support` is the raw BM25 score of the best article for the question's subject; `by_doc`
    each document's units in order (a unit asked for by its label brings the units inside it)."""
    vocab = vocabulary_for(chunks)
    if tool_text and q.intent.doc_ids and q.kind is None and (untaught := _unknown_to_named(q, vocab, by_doc or {})):
        # a figure in the question is not what it asks ("300万元的奖励要不要交所得税", which asks
        # no amount, date or count): the named documents never mention the asked thing, whatever
        # the calculator made of the figure
        where = "".join(f"《{documents[d].title}》" for d in q.intent.doc_ids if d in documents)
        return refusal(q.text, f"{where}没有关于“{'、'.join(untaught)}”的规定。", documents)
    if tool_text:
        return answered(q.text, tool_text, list(dict.fromkeys(tool_chunks)), documents, today, tools)
    # Evidence is policy text: a passage speaking to its reader (orders, pay-this-number) is
    # quoted only when the question asks for that very article.
    hits = [h for h in hits if h.via == "exact" or not addressed_to_reader(h.chunk.text)]
    exact = [h.chunk for h in hits if h.via == "exact"]
    if q.intent.doc_ids and (absent := absent_title(q.intent.question, documents, by_doc or {})):
        return refusal(q.text, absent, documents)
    if q.intent.doc_ids and (q.about_draft or (q.about_validity and not exact)):
        status = _status_answer(q, hits, documents, by_doc or {}, today)
        if status:
            return status
    reason = refusal_reason(q, hits, documents, vocab, support, by_doc)
    if reason:
        return refusal(q.text, reason, documents)
    if exact:
        return _lookup_answer(q, exact, documents, vocab, today, by_doc or {})
    if q.wants_whole and (under := under_named_heading(q, hits, by_doc or {})):
        return _lookup_answer(q, under, documents, vocab, today, by_doc or {})
    chosen = targets(q, hits, vocab, by_doc or {})
    # 最高一档 over tiers written as points of their own: the point holding that tier answers
    tiers = {unit: tier_answer(q, unit, by_doc or {}) for unit in chosen}
    chosen = list(dict.fromkeys(found[0] if (found := tiers[unit]) else unit for unit in chosen))
    if q.also:
        chosen = list(dict.fromkeys(_heading_stating_all(q, unit, by_doc or {}) for unit in chosen))
    # the top of a table of amounts leads no answer to "面积上限" or "最多几家" (the table is quoted)
    extremes = {found[0]: found[1] for found in tiers.values() if found and q.kind in (None, "amount")}
    if q.wants_list:
        # a list the unit only points to ("申报材料具体见附件《申报材料清单》"): the annex lists it
        chosen = list(dict.fromkeys(u for unit in chosen for u in (unit, *_annex_pointed(unit, by_doc or {}))))
    parts = []
    for unit in chosen:
        # a heading over points ("九、申报审核。" over ①②③) is answered with its points
        chunk = with_inside(unit, by_doc or {}) if q.wants_whole or _only_heading(unit) else unit
        meta = documents[chunk.doc_id]
        sentences = best_sentences(q, chunk, vocab)
        extreme = extremes.get(unit)
        if extreme and extreme_entry(q, chunk) is None:
            # a tier found among the points beside the unit: the quote shows the point answering
            sentences = holding(sentences, extreme, chunk)
        quote = complete(q, sentences, chunk)
        lead = direct_answer(q, sentences, vocab)
        if lead and len(chosen) > 1:  # one answer line per document
            lead = f"《{meta.title}》：{lead}"
        extreme = extreme or ordinal_entry(q, chunk)  # "第三档": that entry of the table
        if extreme:
            lead = extreme if len(chosen) == 1 else f"《{meta.title}》：{extreme}"
        elif len(chosen) == 1 and (missing := unstated_kind(q, chunk)):
            lead = f"该条未规定具体{missing}，只写明：“{strip_label(''.join(s.text for s in sentences))}”"
        quote = unquoted_label(quote, chunk)
        where = f"{source_line(meta, chunk.article)}：“{quote}”"
        if q.which_article:
            where = f"相关规定在《{meta.title}》{chunk.article}：“{quote}”"
        parts.append(f"{lead}\n\n{where}" if lead else where)
    return answered(q.text, "\n\n".join(parts), chosen, documents, today, tools)


def _unknown_to_named(q: Question, vocab: Vocabulary, by_doc: Mapping[str, Sequence[Chunk]]) -> list[str]:
    """The asked nouns the documents a question names never use (see `coverage.unknown_asked`)."""
    return unknown_asked(q, vocab, [c.text for d in q.intent.doc_ids for c in by_doc.get(d, ())])


def _lookup_answer(
    q: Question,
    exact: Sequence[Chunk],
    documents: Mapping[str, DocumentMeta],
    vocab: Vocabulary,
    today: dt.date,
    by_doc: Mapping[str, Sequence[Chunk]],
) -> Answer:
    """A unit asked for by its label: its whole text — with the units inside it, when it is a
    heading over points (九、申报审核 over ①②③) — led by the answering clauses when the
    question also asks something specific of it."""
    parts = []
    specific = not q.wants_whole and q.intent.topic and q.subject
    cited: list[Chunk] = []
    for label, units in _named_units(exact, by_doc)[:3]:
        meta = documents[units[0].doc_id]
        whole = with_inside(units[0], by_doc) if len(units) == 1 else _joined(units)
        lead = ""
        item = named_inside(q, units[0]) if len(units) == 1 else None
        if specific:
            sentences = best_sentences(q, item or whole, vocab)
            lead = (
                ordinal_entry(q, whole) or direct_answer(q, sentences, vocab) or strip_label("".join(s.text for s in sentences))
            ) + "\n\n"
        elif item is not None:  # "第二条第（三）项": that item leads, the article follows whole
            lead = f"{item.text}\n\n"
        parts.append(f"{lead}《{meta.title}》{label}规定：\n{whole.text}")
        cited.extend(units)
    if len({c.doc_id for c in exact}) > 1 and not q.intent.doc_ids:
        parts.insert(0, "多份文件都有这一条，分别是：")
    return answered(q.text, "\n\n".join(parts), cited, documents, today, ())


def named_inside(q: Question, unit: Chunk) -> Chunk | None:
    """The 项 or 款 a question names inside a unit it asks for ("第二条第（三）项", "第五条第二款"):
    its lines within the unit's text (an item with the items under it; a 款 with its items), as a
    unit of the same label; None when it names nothing inside the unit or the text has no such part."""
    own = outline.label_path(unit.article)
    for ref in q.intent.articles:
        steps = ref.ref.steps
        inside = next((steps[k:] for k in range(1, len(steps)) if outline.path_matches(steps[:k], own)
                       and (own[-1][0] != "tiao" or steps[k - 1][0] == "tiao")), ())
        if inside:
            lines = outline.lines_within(unit.text.split("\n"), inside)
            if lines:
                return Chunk(unit.doc_id, unit.article, "\n".join(lines), unit.chapter, unit.title, unit.order)
    return None


def _named_units(exact: Sequence[Chunk], by_doc: Mapping[str, Sequence[Chunk]]) -> list[tuple[str, list[Chunk]]]:
    """The units a reference named, as (label, units) in document order: a unit inside another
    named one is part of it; units under one heading with no text of its own (第三部分 重点任务
    over 1. 2.①②③) are that heading, with every unit under it."""
    named = [c for c in exact if not any(o.doc_id == c.doc_id and outline.is_within(c.article, o.article) for o in exact)]
    out: list[tuple[str, list[Chunk]]] = []
    for doc_id in dict.fromkeys(c.doc_id for c in named):
        mine = sorted((c for c in named if c.doc_id == doc_id), key=lambda c: c.order)
        common = _common_path([outline.label_path(c.article) for c in mine]) if len(mine) > 1 else ()
        units = by_doc.get(doc_id, ())
        if common and not any(outline.label_path(u.article) == common for u in units):
            heading = outline.render_label(common)
            under = [u for u in units if outline.is_within(u.article, heading)]
            out.append((heading, under or mine))
        else:
            out.extend((c.article, [c]) for c in mine)
    return out


def _common_path(paths: Sequence[tuple[outline.Step, ...]]) -> tuple[outline.Step, ...]:
    common: list[outline.Step] = []
    for steps in zip(*paths, strict=False):
        if any(s != steps[0] for s in steps):
            break
        common.append(steps[0])
    return tuple(common)


def _joined(units: Sequence[Chunk]) -> Chunk:
    first = units[0]
    return Chunk(first.doc_id, first.article, "\n".join(u.text for u in units), first.chapter, first.title, first.order)


def with_inside(chunk: Chunk, by_doc: Mapping[str, Sequence[Chunk]]) -> Chunk:
    """The unit with the units inside it appended, in document order (cited as the unit)."""
    inside = [c for c in by_doc.get(chunk.doc_id, ()) if outline.is_within(c.article, chunk.article)]
    if not inside:
        return chunk
    text = "\n".join(c.text for c in (chunk, *inside))
    return Chunk(chunk.doc_id, chunk.article, text, chunk.chapter, chunk.title, chunk.order)


_POINTS_TO_ANNEX = re.compile(r"(?:见|详见|参见|列入|列明于)\s*(附件|附表)\s*(\d*)")


def _annex_pointed(unit: Chunk, by_doc: Mapping[str, Sequence[Chunk]]) -> list[Chunk]:
    wanted = {f"{m.group(1)}{m.group(2)}" for m in _POINTS_TO_ANNEX.finditer(unit.text)}
    return [c for c in by_doc.get(unit.doc_id, ()) if c.article in wanted and c.article != unit.article]


def _heading_stating_all(q: Question, unit: Chunk, by_doc: Mapping[str, Sequence[Chunk]]) -> Chunk:
    """A question asking several facts ("标准是多少，面积封顶多少") of a rule written as the points
    of one heading ("（1）房租补贴。" over 1）补贴标准 2）补贴面积): that heading, when the point
    chosen states not every kind asked and the heading with its points does; else the unit."""
    path = outline.label_path(unit.article)
    if len(path) < 2:
        return unit
    parent = outline.render_label(path[:-1])
    heading = next((c for c in by_doc.get(unit.doc_id, ()) if c.article == parent), None)
    if heading is None or not _only_heading(heading):
        return unit
    kinds = [lexicon().kind(k).states for k in (q.kind, *q.also) if k]

    def states_all(text: str) -> bool:
        return all(states.search(text) for states in kinds)

    return heading if not states_all(unit.text) and states_all(with_inside(heading, by_doc).text) else unit


def _only_heading(chunk: Chunk) -> bool:
    """A unit whose own text is a heading alone ("九.申报审核。", "（二）支持政策")."""
    return all(is_heading(s, chunk) or len(strip_label(s.text)) <= 16 for s in split_sentences(chunk)) and (
        len(strip_label(chunk.text)) <= 20
    )


def _days_of_validity(text: str, meta: DocumentMeta, as_of: dt.date) -> str | None:
    """"还有几天到期": the days from the date asked (or today) to the end of validity; "从实施到
    到期总共几天": the days of the whole span, both ends counted. None when no days are asked."""
    lex = lexicon()
    until = meta.valid_until
    if until is None or not lex.days_asked.search(text):
        return None
    if lex.days_whole.search(text) and meta.valid_from is not None:
        days = (until - meta.valid_from).days + 1
        return (f"自{cn_date(meta.valid_from)}至{cn_date(until)}共{days}天（含首尾两日）")
    left = (until - as_of).days
    if left < 0:
        return f"已于{cn_date(until)}到期（截至{cn_date(as_of)}已过{-left}天）"
    return f"距有效期届满（{cn_date(until)}）还有{left}天（自{cn_date(as_of)}算起）"


def _status_answer(
    q: Question,
    hits: Sequence[Hit],
    documents: Mapping[str, DocumentMeta],
    by_doc: Mapping[str, Sequence[Chunk]],
    today: dt.date,
) -> Answer | None:
    """Whether and until when each named document applies: its draft mark, the unit stating
    施行/有效期, replacement, and the state on the asked (or today's) date."""
    lex = lexicon()
    doc_ids = list(q.intent.doc_ids) or ([hits[0].chunk.doc_id] if hits else [])
    parts: list[str] = []
    cited: list[Chunk] = []
    for name, meta, own in _status_subjects(q, doc_ids, documents, by_doc):
        validity = validity_unit(own)
        facts = []
        if meta.is_draft:
            facts.append(f"该文本标注为“{meta.draft_label}”，属于草案，不是正式印发的文件")
        if validity is not None:
            sentences = [
                strip_label(s.text).rstrip("。；")
                for s in split_sentences(validity)
                if lex.validity_sentence.search(s.text)
            ]
            facts.extend(sentences or [strip_label(validity.text)])
            cited.append(validity)
        elif own:
            cited.append(own[0])
        newer = documents.get(meta.superseded_by or "")
        if newer is not None:
            facts.append(f"已被《{newer.title}》替代")
        if meta.valid_until:
            as_of = q.as_of or today
            state = "仍在有效期内" if meta.valid_until >= as_of else "已过有效期，已失效"
            facts.append(f"截至{cn_date(as_of)}{state}（有效期至{cn_date(meta.valid_until)}）")
            days = _days_of_validity(q.text, meta, as_of)
            if days:
                facts.insert(0, days)
            if meta.validity_rule:
                facts.append(meta.validity_rule)
        elif not meta.is_draft:
            facts.append("文件没有规定有效期的截止日期")
        if not facts:
            continue
        where = f"{source_line(meta, cited[-1].article)}" if cited else f"《{meta.title}》"
        parts.append(f"{name}：" + "；".join(facts) + f"。\n{where}。")
    if not parts:
        return None
    return answered(q.text, "\n\n".join(parts), cited, documents, today, ())


def _status_subjects(
    q: Question, doc_ids: Sequence[str], documents: Mapping[str, DocumentMeta], by_doc: Mapping[str, Sequence[Chunk]]
) -> list[tuple[str, DocumentMeta, Sequence[Chunk]]]:
    """What a validity question is about, as (name, metadata, units): each named
    document; for a compilation, each part the question names (every part when it names
    none), with the part's own dates."""
    subjects = []
    for doc_id in doc_ids:
        meta = documents[doc_id]
        own = by_doc.get(doc_id, ())
        parts = parts_of(own)
        if not parts:
            subjects.append((f"《{meta.title}》", meta, own))
            continue
        named = [p for p in parts if (doc_id, p.label) in q.intent.parts] or list(parts)
        subjects.extend((f"《{meta.title}》{part_name(p)}", part_meta(meta, p), p.units) for p in named)
    return subjects
