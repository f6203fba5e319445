"""Select, the passage quoted: the chosen sentences grown to what they need to be read right —
the list a sentence introduces, a table's rows under their header, the point holding a tier, the
units under a heading the question names — and the quote without a label said beside it.

Rules (tested on synthetic units in tests/test_select.py):
- a list question gets every item of the list; a sentence introducing a list brings its items;
- a short annex (one table and its notes) is quoted whole;
- the whole text asked of a heading named by its words quotes every unit under it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from assistant import outline
from assistant.question import Question
from assistant.select import RERANK_DEPTH, Sentence, split_sentences, strip_label
from assistant.types import Chunk, Hit


def unquoted_label(quote: str, chunk: Chunk) -> str:
    """The quote without its leading marker when that marker is the cited label's own
    ("第十五条 …" cited as 第十五条): the label is already said beside it."""
    first, newline, after = quote.partition("\n")  # a quote may go on with a list's items
    marker = outline.match_marker(first)
    if marker and chunk.article.endswith(marker.token):
        return marker.rest.strip() + newline + after
    return quote


def holding(sentences: Sequence[Sentence], entry: str, chunk: Chunk) -> list[Sentence]:
    """The chosen sentences with the one stating `entry` (a tier) in place of the others when
    none of them states it — after the first, when that one introduces the table ("…给予一次性
    奖励：")."""
    core = entry.rstrip("。")
    if any(core in s.text for s in sentences):
        return list(sentences)
    own = [s for s in split_sentences(chunk) if core in s.text]
    if not own:
        return list(sentences)
    intro = [s for s in sentences[:1] if s.text.rstrip().endswith(("：", ":"))]
    return sorted({*intro, own[0]}, key=lambda s: s.position)


SHORT_ANNEX = 400  # characters: an annex this short is one table, quoted whole


def complete(q: Question, sentences: Sequence[Sentence], chunk: Chunk) -> str:
    """The quote: the chosen sentences, grown to the whole list when the question asks for a
    list or the sentence introduces one ("提交如下申报材料：" + 1．… 5．…)."""
    if not sentences:
        return ""
    if q.wants_whole:
        return chunk.text  # 原文 / 全文 / 讲了什么: the unit as written
    rows = [s for s in sentences if s.header]
    if not rows and len(chunk.text) <= SHORT_ANNEX and outline.match_annex(chunk.text.split("\n")[0]):
        return chunk.text  # a short annex (a table of figures and its notes) reads as a whole
    if rows:
        # table rows are quoted under their header, one per line, so each cell can be read
        lines: list[str] = []
        for s in sentences:  # in document order, each row's header before it once
            if s.header and s.header not in lines:
                lines.append(s.header)
            if s.text not in lines:
                lines.append(s.text)
        return "\n".join(lines)
    paragraphs = chunk.text.split("\n")
    if q.wants_list:
        for intro, items in _lists(paragraphs):
            if any(s.paragraph in (intro, *items) for s in sentences):
                return "\n".join((intro, *items))
        chosen = list(dict.fromkeys(s.paragraph for s in sentences))
        text = "\n".join(chosen)
    else:
        # a sentence introducing a list brings its items, wherever it stands among the chosen
        # ("按照以下标准给予租金补贴：" + 第一年… 第三年…, then "补贴面积…不超过400平方米")
        pieces: list[str] = []
        brought: set[str] = set()  # item paragraphs already quoted under their list's intro
        for s in sentences:
            if s.paragraph in brought:
                continue
            pieces.append(s.text)
            if s is not sentences[-1] and s.text.endswith("：") and s.paragraph in paragraphs:
                items = _items_after(paragraphs, paragraphs.index(s.paragraph))
                brought.update(items)
                pieces.extend(("\n", "\n".join(items), "\n") if items else ())
        text = "".join(pieces).rstrip("\n")
    last = sentences[-1]
    if last.text.endswith("：") or (q.wants_list and last.paragraph.endswith("：")):
        items = _items_after(paragraphs, paragraphs.index(last.paragraph))
        if items:
            text += "\n" + "\n".join(items)
    return text


def _items_after(paragraphs: Sequence[str], intro: int) -> list[str]:
    items = []
    for para in paragraphs[intro + 1 :]:
        if outline.match_marker(para) is None:  # the list's items, whatever their numbering
            break
        items.append(para)
    return items


def _lists(paragraphs: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Each list in a unit: a paragraph ending in ： and the numbered paragraphs after it."""
    out = []
    for i, para in enumerate(paragraphs):
        if para.rstrip().endswith(("：", ":")) and (items := _items_after(paragraphs, i)):
            out.append((para, items))
    return out


def under_named_heading(q: Question, hits: Sequence[Hit], by_doc: Mapping[str, Sequence[Chunk]]) -> list[Chunk]:
    """The units under a heading the question names by its words ("档次标准那段原文" of points ①
    … ④ under "（1）档次标准"), in document order — the deepest heading named, over the first
    hits' headings; [] when none is named."""
    text = q.text + q.topic
    named: list[tuple[int, str, str]] = []  # (depth, doc_id, heading path)
    for hit in hits[:RERANK_DEPTH]:
        path = [p.strip() for p in hit.chunk.chapter.split(" / ")] if hit.chunk.chapter else []
        for depth in range(len(path), 0, -1):
            name = strip_label(path[depth - 1]).rstrip("。．.：:")
            if 2 <= len(name) <= 12 and name in text:
                named.append((depth, hit.chunk.doc_id, " / ".join(path[:depth])))
                break
    if not named:
        return []
    _, doc_id, prefix = max(named, key=lambda n: n[0])
    return [u for u in by_doc.get(doc_id, ()) if u.chapter == prefix or u.chapter.startswith(prefix + " / ")]
