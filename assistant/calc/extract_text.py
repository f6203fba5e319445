"""Text helpers of the rule extractor (assistant.calc.extract and its siblings): the general
policy words of `extract_lexicon.yaml`, clause bounds, subject-word trimming, figures as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assistant import outline
from assistant.calc.extract_types import Figure
from assistant.calc.numbers import BOUNDARY_WORDS, Quantity
from assistant.calc.quantities_in_text import extract_quantities
from assistant.errors import CalcError

__all__ = ["as_figure", "clause_end", "clause_start", "lexicon", "parent_of", "quantities", "trim"]

_LEXICON = Path(__file__).with_name("extract_lexicon.yaml")


@cache
def lexicon() -> dict[str, Any]:
    data = yaml.safe_load(_LEXICON.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def ops() -> dict[str, str]:
    return {w: op for w, (op, _) in BOUNDARY_WORDS.items()} | dict(lexicon()["extra_boundaries"])


# ---------------------------------------------------------------- text helpers

CLAUSE_END = "，,；;。：:\n"
SENTENCE_END = "；;。\n"
# An item's own marker at the start of its text: 第五条, （一）, 1., ①, 一、
LEADING_MARK = re.compile(
    r"^(?:第[一二三四五六七八九十百零\d]+条\s*|[（(][一二三四五六七八九十\d]+[)）]|\d+(?:[.．]\d+)+\s+|\d+[.．、]|[①-⑳]|[●•]|——"
    r"|[一二三四五六七八九十]+、)\s*"
)
NUM = r"[\d.]+|[一二两三四五六七八九十百]+"


def clause_start(text: str, pos: int, stops: str = CLAUSE_END) -> int:
    i = pos
    while i > 0 and text[i - 1] not in stops:
        i -= 1
    return i


def clause_end(text: str, pos: int, stops: str = CLAUSE_END) -> int:
    i = pos
    while i < len(text) and text[i] not in stops:
        i += 1
    return i


def trim(words: str) -> str:
    """Subject words: outline markers, connectives and boundary words off both ends."""
    lex = lexicon()
    words = LEADING_MARK.sub("", words.strip())
    lead = sorted(lex["lead_words"], key=len, reverse=True)
    tail = sorted([*lex["tail_words"], *ops()], key=len, reverse=True)
    changed = True
    while changed and words:
        changed = False
        for w in lead:
            if words.startswith(w) and len(words) > len(w):
                words, changed = words[len(w):], True
                break
        for w in tail:
            if words.endswith(w) and len(words) > len(w):
                words, changed = words[: -len(w)], True
                break
    return words.strip("“”\"' ")


def prefix_op(text: str, start: int) -> tuple[str, str] | None:
    """The boundary word written right before a figure, with its operator."""
    before = text[max(0, start - 6):start]
    for word in sorted(ops(), key=len, reverse=True):
        if before.endswith(word):
            return word, ops()[word]
    # "每家机构每年最多补贴20人", "最多支持3个驿站": a ceiling word, then the verb of what is capped
    for verb in lexicon()["cap_verbs"]:
        if before.endswith(verb):
            head = before[:-len(verb)]
            for word in sorted(ops(), key=len, reverse=True):
                if head.endswith(word) and ops()[word] == "<=":
                    return word + verb, "<="
    return None


def as_figure(q: Quantity, text: str = "") -> Figure:
    """`text` is the unit's text: "2000家次", "5000人次" are counted in 家次/人次, not 家/人."""
    if text and q.kind == "count" and text[q.span[1]:q.span[1] + 1] == "次":
        return Figure(q.number, f"{q.unit}次", f"{q.text}次")
    return Figure(q.number, q.unit, q.text)


def quantities(text: str) -> list[Quantity]:
    try:
        found = extract_quantities(text)
    except CalcError:
        # One odd figure must not hide the rest of the unit: read it clause by clause.
        found = []
        pos = 0
        for part in re.split(f"([{CLAUSE_END}])", text):
            try:
                found += [replace(q, span=(q.span[0] + pos, q.span[1] + pos)) for q in extract_quantities(part)]
            except CalcError:
                pass
            pos += len(part)
    return [q for q in found if q.kind != "date" and not q.years]



def parent_of(label: str) -> tuple[Any, ...] | None:
    try:
        path = outline.label_path(label)
    except Exception:  # noqa: BLE001 - a label the grammar cannot read has no siblings
        return None
    return tuple(path[:-1]) if len(path) > 1 else None

