"""A quoted passage against the text of the unit it cites: exact, or the differences, with a
changed figure called out ("87%" quoted where the text says "85%").

Width (６０％), blanks, ASCII punctuation and an ellipsis ("……" between quoted pieces) are not
differences; everything else is.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from assistant.types import Chunk

_QUOTE_SIMILAR = 70  # rapidfuzz partial ratio below which the quote is not in the unit at all
_NUMBER_CHARS = set("0123456789.%％〇零一二三四五六七八九十百千万亿两")
_ASCII_PUNCT = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "?": "？", "!": "！"})

QuoteResult = Literal["exact", "differs", "not_found"]


@dataclass(frozen=True)
class Difference:
    quoted: str
    actual: str
    number: bool  # a figure changed (87% quoted where the text says 85%)

    def to_json(self) -> dict[str, Any]:
        return {"quoted": self.quoted, "actual": self.actual, "number": self.number}

    def render(self) -> str:
        if self.number:
            return f"数字不符：引文“{self.quoted}”，原文“{self.actual}”"
        if not self.actual:
            return f"原文没有“{self.quoted}”"
        if not self.quoted:
            return f"引文漏了“{self.actual}”"
        return f"引文“{self.quoted}”，原文“{self.actual}”"


@dataclass(frozen=True)
class QuoteCheck:
    quote: str
    result: QuoteResult
    similarity: float  # 0–100, of the quote against the closest passage of the unit
    passage: str = ""  # that passage of the unit text
    differences: tuple[Difference, ...] = ()
    found_in: str | None = None  # another unit of the document that holds the quote
    alternatives: tuple[str, ...] = ()  # other passages exactly as close as `passage`

    def to_json(self) -> dict[str, Any]:
        return {"quote": self.quote, "result": self.result, "similarity": round(self.similarity, 1),
                "passage": self.passage, "differences": [d.to_json() for d in self.differences],
                "alternatives": list(self.alternatives), "found_in": self.found_in}

    def alternative_figures(self) -> tuple[str, ...]:
        """The figures the equally close passages have where the quote has its own."""
        return tuple(dict.fromkeys(d.actual for p in self.alternatives
                                   for d in _differences("".join(_pieces(_norm_quote(self.quote))), p)
                                   if d.number and d.actual))


def _norm_quote(text: str) -> str:
    text = "".join(unicodedata.normalize("NFKC", ch) if 0xFF00 < ord(ch) < 0xFF5F and (ch.isalnum() or ch == "％")
                   else ch for ch in text)
    return re.sub(r"\s+", "", text).translate(_ASCII_PUNCT)


def _pieces(quote: str) -> list[str]:
    """A quote with an ellipsis ("……") is its pieces in order."""
    return [p for p in re.split(r"…+|\.{3,}", quote) if p]


def _contains_in_order(text: str, pieces: list[str]) -> bool:
    at = 0
    for piece in pieces:
        at = text.find(piece, at)
        if at < 0:
            return False
        at += len(piece)
    return True


def _expand(text: str, i: int, j: int) -> tuple[int, int]:
    while i > 0 and text[i - 1] in _NUMBER_CHARS:
        i -= 1
    while j < len(text) and text[j] in _NUMBER_CHARS:
        j += 1
    return i, j


def _differences(quote: str, passage: str) -> tuple[Difference, ...]:
    diffs: list[Difference] = []
    ops = difflib.SequenceMatcher(None, quote, passage, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in ops:
        if tag == "equal":
            continue
        if any(ch.isdigit() for ch in quote[i1:i2] + passage[j1:j2]):
            i1, i2 = _expand(quote, i1, i2)
            j1, j2 = _expand(passage, j1, j2)
            diff = Difference(quote[i1:i2], passage[j1:j2], True)
        else:
            diff = Difference(quote[i1:i2], passage[j1:j2], False)
        if not diffs or diffs[-1] != diff:
            diffs.append(diff)
    return tuple(diffs)


def closest_unit(quote: str, chunks: Sequence[Chunk]) -> Chunk:
    from rapidfuzz import fuzz

    q = "".join(_pieces(_norm_quote(quote)))
    return max(chunks, key=lambda c: fuzz.partial_ratio(q, _norm_quote(c.text)))


def _equally_close(quote: str, text: str, best: tuple[int, int], score: float, limit: int = 6) -> tuple[str, ...]:
    """Other passages as close to the quote as the best one (a tier table repeats one phrase with
    other figures: "不超过60万元" is as near to 10万 as to 50万), so none is singled out.
    Windows of the quote's length, as partial_ratio compares them."""
    from rapidfuzz import fuzz

    found: list[str] = []
    start, width = 0, len(quote)
    while start + width <= len(text) and len(found) < limit:
        overlaps = start < best[1] and start + width > best[0]
        if not overlaps and fuzz.ratio(quote, text[start:start + width]) >= score - 1e-6:
            found.append(text[start:start + width])
            start += width
        else:
            start += 1
    return tuple(found)


def check_quote(quote: str, unit_text: str, others: Sequence[Chunk] = ()) -> QuoteCheck:
    from rapidfuzz import fuzz

    q, text = _norm_quote(quote), _norm_quote(unit_text)
    pieces = _pieces(q)
    if pieces and _contains_in_order(text, pieces):
        return QuoteCheck(quote, "exact", 100.0, quote)
    joined = "".join(pieces)
    align = fuzz.partial_ratio_alignment(joined, text)
    if align is not None and align.score >= _QUOTE_SIMILAR:
        passage = text[align.dest_start:align.dest_end]
        return QuoteCheck(quote, "differs", align.score, passage, _differences(joined, passage),
                          alternatives=_equally_close(joined, text, (align.dest_start, align.dest_end),
                                                       align.score))
    found_in = next((c.article for c in others if _contains_in_order(_norm_quote(c.text), pieces)), None)
    return QuoteCheck(quote, "not_found", align.score if align else 0.0, found_in=found_in)
