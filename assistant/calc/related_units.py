"""The units of a document a rule found at ingest relies on beside its own (assistant.calc.choose):
its sibling items, the articles that give an annex force ("按照附表2规定的标准给予…奖励"), and a
unit elsewhere saying how a higher tier is topped up after a lower one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from assistant.calc.extract_text import lexicon
from assistant.calc.extract_types import Rule, Tiers
from assistant.types import Chunk


def _parent(label: str) -> tuple[Any, ...] | None:
    from assistant.calc.extract_text import parent_of as parent

    return parent(label)


def related_texts(rule: Rule, doc_chunks: Sequence[Chunk]) -> dict[str, str]:
    """The rule's unit and its sibling items (same parent), and the articles that refer to it
    when it is an annex ("按照附表2规定的标准给予…奖励"), label → text."""
    parent = _parent(rule.unit)
    found = {c.article: c.text for c in doc_chunks
             if c.article == rule.unit or (parent is not None and _parent(c.article) == parent)
             or c.article in referring(rule, doc_chunks)}
    if isinstance(rule, Tiers):
        found |= _top_up_units(rule, doc_chunks)
    return found


def _top_up_units(rule: Tiers, doc_chunks: Sequence[Chunk]) -> dict[str, str]:
    """A unit elsewhere in the document saying how a higher tier is paid after a lower one
    ("营业收入首次跨入更高档次的，按照…与已获奖励的差额给予补足"; a Q&A answers it apart): one naming
    a top-up word and the measure the table's unit names."""
    from assistant.calc.applied import _measures

    top = lexicon()["question"]["top_up"]
    own = next((c.text for c in doc_chunks if c.article == rule.unit), "")
    measure = _measures(own)
    return {c.article: c.text for c in doc_chunks if c.article != rule.unit and any(w in c.text for w in top)
            and measure & _measures(c.text) and own not in c.text}  # not a chapter holding the table


_ANNEX = re.compile(r"^(?:附件|附表|附录)[\d一二三四五六七八九十]*$")


def referring(rule: Rule, doc_chunks: Sequence[Chunk]) -> list[str]:
    """The units whose text names the annex a rule is in ("按照附件2规定的标准"); none for a rule
    outside an annex. A unit containing others (a chapter) does not count, its article does."""
    if not _ANNEX.match(rule.unit):
        return []
    name = re.compile(rf"{re.escape(rule.unit)}(?![\d一二三四五六七八九十])")
    found = [c for c in doc_chunks if c.article != rule.unit and name.search(c.text)]
    return [c.article for c in found if not any(o is not c and o.article.startswith(c.article) for o in found)]
