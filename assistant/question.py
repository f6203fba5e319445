"""Understand: a routed question read into a typed `Question` that the later stages share.

Routing (`assistant.route`) finds what the question names — documents, units, places; this
module adds what it asks for — the kind of fact, a list, the extreme of a table, a whole unit,
which article, validity — all from the general vocabulary in `lexicon.yaml`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from assistant.lexicon import lexicon
from assistant.route import Intent

if TYPE_CHECKING:
    from assistant.calc.numbers import Quantity


@dataclass(frozen=True)
class Question:
    intent: Intent
    kind: str | None  # who | frequency | duration | amount | area | count | percent … (lexicon order)
    also: tuple[str, ...]  # kinds asked in the question's other parts ("多久评一次？奖多少")
    extreme: str | None  # "max" | "min": the top or bottom of a table of tiers
    wants_list: bool  # every item of a list
    wants_whole: bool  # the whole unit, not one fact from it
    which_article: bool  # "which article says …"
    about_validity: bool
    about_draft: bool
    as_of: dt.date | None  # the day a validity question asks about

    @property
    def text(self) -> str:
        return self.intent.question

    @property
    def topic(self) -> str:
        """What to search and select by: the question without document and unit names."""
        return self.intent.topic or self.intent.question

    @cached_property
    def subject(self) -> tuple[str, ...]:
        """Content words of the topic: what the question is about."""
        return tuple(content_words(self.intent.topic or self.intent.question))

    @cached_property
    def figures(self) -> tuple[Quantity, ...]:
        """Numbers with units the question gives (revenue, area, dates …); none when unreadable
        (the calculator reports a bad figure itself)."""
        from assistant.calc.quantities_in_text import extract_quantities
        from assistant.errors import CalcError

        try:
            return tuple(extract_quantities(self.intent.question))
        except CalcError:
            return ()


def understand(intent: Intent) -> Question:
    lex = lexicon()
    asked = intent.topic or intent.question
    extreme = lex.extreme.search(asked)
    return Question(
        intent=intent,
        kind=_kind(asked),
        also=_other_parts_kinds(asked),
        extreme=None if extreme is None else ("max" if extreme.group(1) else "min"),
        wants_list=bool(lex.wants_list.search(intent.question)),
        wants_whole=bool(lex.whole.search(intent.question)),
        which_article=bool(lex.which_article.search(intent.question)),
        # asked of the topic: "…实施方案" is a title, not a question about 实施
        about_validity=bool(lex.validity.search(asked)),
        about_draft=bool(lex.draft.search(asked) or (lex.draft_mark.search(asked) and lex.yes_no.search(asked))),
        as_of=date_in(intent.question),
    )


def _parts(text: str) -> list[str]:
    return [p for p in re.split(r"[？?；;]", text) if p.strip()]


def _kind(text: str) -> str | None:
    """What is asked: the last part's kind when it names one — a follow-up made
    self-contained ends with the turn actually asked ("…面积要求多少；那机构数量要多少家呢") —
    else the first kind the question names."""
    parts = _parts(text)
    return (asked_kind(parts[-1]) if parts else None) or asked_kind(text)


def _other_parts_kinds(text: str) -> tuple[str, ...]:
    """When a question asks two things (parts ended by ？ or ；, or clauses each with a question
    word), the kinds its other parts ask for beyond the main one."""
    parts = _parts(text)
    if len(parts) < 2:
        # "多久评估一次，县里自评啥时候报上去": two clauses, each with its own question word
        parts = [c for c in re.split(r"[，,]", text) if lexicon().asking.search(c)]
    if len(parts) < 2:
        return ()
    main = _kind(text)
    kinds = [asked_kind(p) for p in parts]
    return tuple(dict.fromkeys(k for k in kinds if k and k != main))


def asked_kind(text: str) -> str | None:
    return next((k.name for k in lexicon().kinds if k.asks.search(text)), None)


def content_words(text: str) -> list[str]:
    """Subject words of a question: nouns, verbs and the like, not question vocabulary,
    function words or numbers."""
    from assistant.warmstart import posseg_module

    posseg = posseg_module()  # the tag table from the start-up cache, not dict.txt

    lex = lexicon()
    words = []
    # HMM off: only dictionary words; HMM "new words" are mostly mis-cuts of colloquial text
    for token in (t for piece in _around_figures(text) for t in posseg.lcut(piece, HMM=False)):
        word = token.word.strip().lower()
        # a code such as "5A" is a subject; bare numbers and single letters are not
        is_code = bool(re.fullmatch(r"(?=.*\d)(?=.*[a-z])[\da-z]{2,}", word))
        if not is_code and (len(word) < 2 or word in lex.question_words or re.fullmatch(r"[\W\d_.%a-z]+", word)):
            continue
        if any(kind.asks.fullmatch(word) for kind in lex.kinds) or any(
            cue.fullmatch(word) for cue in (lex.whole, lex.wants_list, lex.which_article, lex.extreme)
        ):
            continue  # it says what kind of answer is asked (数量, 期限, 原文), not what about
        if token.flag != "eng" and token.flag.startswith(lex.function_tags):
            continue
        words.append(word)
    return list(dict.fromkeys(words))


def _around_figures(text: str) -> list[str]:
    """The text cut at its figures, so that no word runs across a figure's end: "6000万能拿多少"
    is 6000万 / 能拿多少, not a word 万能."""
    from assistant.calc.quantities_in_text import extract_quantities
    from assistant.errors import CalcError

    try:
        spans = [q.span for q in extract_quantities(text)]
    except CalcError:
        return [text]
    pieces, at = [], 0
    for start, end in sorted(spans):
        if start >= at:
            pieces.append(text[at:start])
            at = end
    return [p for p in (*pieces, text[at:]) if p]


def date_in(question: str) -> dt.date | None:
    """The day a question asks about: "2027年3月的时候还有效吗" → 2027-03-01; 年底 → 12-31.
    A year inside a named title (《…（2025—2027年）》) names the document, not a day."""
    question = re.sub(r"《[^》]*》", " ", question)
    m = re.search(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})[日号])?", question)
    if not m:
        m = re.search(r"(\d{4})年(底|末|初)?", question)
        if not m:
            return None
        year = int(m.group(1))
        return dt.date(year, 12, 31) if m.group(2) in ("底", "末") else dt.date(year, 1, 1)
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return None
