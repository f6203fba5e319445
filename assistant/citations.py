"""Find the policy citations in a piece of text: which document, which unit, which quote.

A citation is a document named by its title in 《》 or by its 文号, the units named after it
in the same sentence (第五条, 第5条, 二（二）5, 第五条第（三）项, 第五条第二款, 附件1), and a
quoted passage (“…”) that follows a unit. Quotes are found first, so a title or a 文号 inside
a quoted passage is part of the quote, not a new citation.

Unit references are read by `assistant.route.parse_article_refs`; only the finer forms it does
not read yet (款, 项 after a 条, 附件) are normalised here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant import outline
from assistant.route import ArticleRef

# Quote pairs clerks use; ASCII double quotes are ambiguous (open = close) and are left out.
_QUOTES = {"“": "”", "「": "」", "『": "』"}
_TITLE = re.compile(r"《([^《》]{1,120})》")
# 文号: 桂人社规〔2021〕1号, 人社部发[2019]86号, 国务院令第700号.
_DOC_NUMBER = re.compile(
    r"[\u4e00-\u9fff]{2,10}\s*[〔\[【(（]\s*\d{4}\s*[〕\]】)）]\s*第?\s*\d{1,4}\s*号"
    r"|[\u4e00-\u9fff]{2,8}令\s*第\s*\d{1,4}\s*号"
)
# Words a bare 文号 is often glued to ("依据桂人社规〔2021〕1号"): general language, not names.
_LEAD_WORDS = ("根据", "依据", "按照", "依照", "参照", "参见", "详见", "是", "按", "据", "和", "及", "与", "、")
_SENTENCE_END = "。！？!?\n"
# How far a quote may start after its unit: "第五条规定：“", "第6条明确，“".
_QUOTE_REACH = 12
# How far after its document (or the previous quote) a unit is looked for: a list such as
# "第五条、第六条、第九条和第十二条规定" fits many times over.
_UNIT_REACH = 160

@dataclass(frozen=True)
class UnitRef:
    """A unit as cited: `label` in the index's form (第五条, 二（二）5, 第五条（三）,
    第十三条第二款, 附件1), `parent` the unit it lies in when it is a 款 or 项."""

    written: str
    label: str
    kind: str  # article | outline | section | chapter | item | paragraph | annex
    parent: ArticleRef | None = None
    part: str = ""  # （三） for a 项, the 款 number for a 款


@dataclass(frozen=True)
class Mention:
    """One document as named in the text: a title in 《》 (with the 文号 bracketed after it), or a
    bare 文号."""

    written: str  # 《…》（文号） as written
    title: str | None
    doc_number: str | None
    start: int
    end: int


@dataclass(frozen=True)
class FoundCitation:
    mention: Mention
    unit: UnitRef | None
    quote: str | None
    start: int
    end: int

    @property
    def written(self) -> str:
        parts = [self.mention.written, self.unit.written if self.unit else ""]
        return "".join(parts) + (f"“{self.quote}”" if self.quote else "")


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each outermost quoted passage, marks included; one pass with a stack (at
    most one open mark of each kind), so a text of unbalanced marks costs no more than any other."""
    closers = set(_QUOTES.values())
    stack: list[int] = []
    closed: list[tuple[int, int]] = []
    for pos, ch in enumerate(text):
        if ch in _QUOTES:
            # the same mark does not nest in Chinese (“…‘…’…”): an earlier one still open
            # was never closed
            stack = [p for p in stack if text[p] != ch]
            stack.append(pos)
        elif ch in closers:
            # close the innermost open mark of this kind; marks opened after it stay unclosed
            for depth in range(len(stack) - 1, -1, -1):
                if _QUOTES[text[stack[depth]]] == ch:
                    closed.append((stack[depth], pos + 1))
                    del stack[depth:]
                    break
    outermost: list[tuple[int, int]] = []
    for start, end in sorted(closed, key=lambda span: (span[0], -span[1])):
        if not outermost or start >= outermost[-1][1]:
            outermost.append((start, end))
    return outermost


class _Quoted:
    """Whether a position lies inside a quote, in constant time."""

    def __init__(self, text: str, spans: list[tuple[int, int]]) -> None:
        self.mask = bytearray(len(text) + 1)
        for start, end in spans:
            self.mask[start:end] = b"\x01" * (end - start)

    def __contains__(self, pos: int) -> bool:
        return bool(self.mask[pos])


def _strip_lead(number: str) -> str:
    """Cut a bare 文号 after the last lead word glued to it ("三是按照桂人社规…" → "桂人社规…")."""
    bracket = next((i for i, ch in enumerate(number) if ch in "〔[【(（令"), len(number))
    cut = max((number.rfind(w, 0, bracket) + len(w) for w in _LEAD_WORDS if w in number[:bracket]),
              default=0)
    return number[cut:] if bracket - cut >= 2 else number


def find_mentions(text: str, quotes: list[tuple[int, int]] | None = None) -> list[Mention]:
    """Titles in 《》 (with a 文号 in brackets right after them) and bare 文号, outside quotes."""
    quotes = _quote_spans(text) if quotes is None else quotes
    quoted = _Quoted(text, quotes)
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for m in _TITLE.finditer(text):
        if m.start() in quoted:
            continue
        end, number = m.end(), None
        after = re.match(r"\s*[（(]\s*([^（()）]{4,30}?)\s*[)）]", text[end:])
        if after and (inner := _DOC_NUMBER.fullmatch(after.group(1).strip())):
            number, end = inner.group(0), end + after.end()
        mentions.append(Mention(text[m.start():end], m.group(1).strip(), number, m.start(), end))
        taken.append((m.start(), end))
    for m in _DOC_NUMBER.finditer(text):
        if m.start() in quoted or any(s <= m.start() < e for s, e in taken):
            continue
        number = _strip_lead(m.group(0))
        start = m.end() - len(number)
        mentions.append(Mention(number, None, number, start, m.end()))
    return sorted(mentions, key=lambda x: x.start)


def parse_units(phrase: str) -> list[tuple[int, UnitRef]]:
    """The units a phrase names (read by the outline grammar), each with where its wording ends."""
    units: list[tuple[int, UnitRef]] = []
    for ref in outline.find_references(phrase):
        if ref.position == "last":
            continue  # "最后一段" in a letter is not a citation of a unit
        units.append((ref.end, _unit(ref)))
    return sorted(units, key=lambda x: x[0])


def _unit(ref: outline.Reference) -> UnitRef:
    """A reference as a cited unit: an article, its 款 or 项 (with the article or 款 it lies
    in), an outline path, an annex, a chapter or a named section."""
    steps, written = ref.steps, ref.text
    if ref.position:
        return UnitRef(written, ref.position, "section")
    label = outline.render_label(steps)
    head = steps[0][0]
    if head in outline.ANNEXES:
        return UnitRef(written, label, "annex")
    if head in outline.CONTAINERS:
        return UnitRef(written, label, "chapter")
    if head != "tiao":
        return UnitRef(written, label, "outline")
    if len(steps) == 1:
        return UnitRef(written, label, "article")
    article = ArticleRef(outline.render_label(steps[:1]), "article")
    kuan = next((n for kind, n in steps[1:] if kind == "kuan"), None)
    item = next((step for step in steps[1:] if step[0] != "kuan"), None)
    if item is None:
        return UnitRef(written, label, "paragraph", article, str(kuan))
    parent = ArticleRef(outline.render_label(steps[:2]), "paragraph") if kuan else article
    return UnitRef(written, label, "item", parent, outline.render_label([item]))


def find_citations(text: str) -> list[FoundCitation]:
    quotes = _quote_spans(text)
    quoted = _Quoted(text, quotes)
    mentions = find_mentions(text, quotes)
    citations: list[FoundCitation] = []
    for i, mention in enumerate(mentions):
        stop = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        stop = _sentence_end(text, mention.end, stop, quoted)
        cursor = mention.end
        found_any = False
        last_unit: UnitRef | None = None
        # the region alternates: phrase, quote, phrase, quote …
        region_quotes = [q for q in quotes if mention.end <= q[0] < stop]
        for q_start, q_end in [*region_quotes, (stop, stop)]:
            # units follow their document closely; the cap also bounds the work on hostile text
            phrase = text[cursor:min(q_start, cursor + _UNIT_REACH)]
            units = [(cursor + e, u) for e, u in parse_units(phrase)]
            quote = text[q_start + 1:q_end - 1] if q_end > q_start else None
            for n, (end, unit) in enumerate(units):
                last = n == len(units) - 1
                attach = last and quote is not None and q_start - end <= _QUOTE_REACH
                written_start = end - len(unit.written)
                citations.append(FoundCitation(mention, unit, quote if attach else None,
                                               written_start if found_any else mention.start,
                                               q_end if attach else end))
                found_any = True
                last_unit = unit
            if not units and quote is not None and q_start - cursor <= _QUOTE_REACH:
                # "第六条规定“…”，园区营收“…”": a second quote of the same unit;
                # "《办法》规定“…”": a quote of the document, unit not named
                start = q_start if last_unit else mention.start
                citations.append(FoundCitation(mention, last_unit, quote, start, q_end))
                found_any = True
            cursor = q_end
        if not found_any:
            citations.append(FoundCitation(mention, None, None, mention.start, mention.end))
    return citations


def _sentence_end(text: str, start: int, stop: int, quoted: _Quoted) -> int:
    for pos in range(start, stop):
        if text[pos] in _SENTENCE_END and pos not in quoted:
            return pos
    return stop
