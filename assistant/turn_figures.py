"""The figures a turn gives: their roles, whether a turn only states them, and the previous
question with them in place of those of the same role."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.lexicon import lexicon
from assistant.question import asked_kind, content_words

if TYPE_CHECKING:
    from assistant.calc.numbers import Quantity


def is_statement(question: str) -> bool:
    """A turn stating facts with figures and asking nothing ("我们公司主营业务收入4500万元。"): a
    sentence, or the asker speaking of themselves. A bare phrase with a figure ("营收6000万 奖励
    标准") is a search typed without a question word, and is answered."""
    lex = lexicon()
    text = question.strip()
    asks = lex.turn_asking.search(text) or lex.yes_no.search(text) or asked_kind(text)
    said = text.endswith(("。", "！", "!", "．")) or lex.self_reference.search(text)
    return bool(figures_of(text)) and not asks and not lex.follow_up.match(text) and bool(said)


def figures_of(question: str) -> tuple[tuple[str, str], ...]:
    """(role, figure) a turn states: the role is the kind of figure and the noun written before it."""
    try:
        found = _quantities(question)
    except Exception:  # a bad figure: not a usable condition
        return ()
    return tuple((f"{q.kind}:{_noun_before(question, q.span[0])}", q.text) for q in found)


def _quantities(text: str) -> list[Quantity]:
    """The figures a turn gives, without one period said before a bound — "一年最多补几场" asks
    per year, it does not say a year has passed ("入驻一年了" does)."""
    from assistant.calc.quantities_in_text import extract_quantities

    bound = lexicon().extreme
    return [
        q for q in extract_quantities(text)
        if not (q.kind == "duration" and q.value == 1 and bound.match(text, q.span[1]))
    ]


def _noun_before(text: str, start: int) -> str:
    """The content word right before a figure ("主营业务收入4500万元" → 主营业务收入), or ""."""
    clause = re.split(r"[，,。；;：:、？?]", text[max(0, start - 12) : start])[-1]
    # "改成7000万呢": the words that open a follow-up name no figure
    words = [w for w in content_words(clause) if not lexicon().follow_up.fullmatch(w)]
    return words[-1] if words else ""


def clause_of(text: str, figure: str) -> str:
    """The clause of `text` a figure was said in ("去年营收正好4000万")."""
    return next((c.strip() for c in re.split(r"[，,。；;！!？?]", text) if figure in c), figure)


def gives_figures(question: str) -> bool:
    """Whether a turn states figures of its own ("注册资本800万呢"): a condition added to the
    question before it, not a new subject."""
    try:
        return bool(_quantities(question))
    except Exception:  # a bad figure: not a usable condition
        return False


def replace_figures(previous: str, follow_up: str, strict: bool = False) -> str | None:
    """The previous question with the follow-up's figures in place of those of the same role
    ("如果是8亿呢"; "第三年呢" after "第一年是多少"); a figure of a role it lacks joins it as the
    follow-up says it. None when nothing is replaced. `strict`: a turn with words of its own
    replaces only a figure said with the same noun."""
    try:
        old = [(q.span, f"{q.kind}:{_noun_before(previous, q.span[0])}") for q in _quantities(previous)]
        new = [(q.text, f"{q.kind}:{_noun_before(follow_up, q.span[0])}") for q in _quantities(follow_up)]
    except Exception:  # a bad figure in either turn: fall back to plain concatenation
        return None
    ordinal = lexicon().ordinal
    old += [(m.span(), f"ordinal:{m.group(1)}") for m in ordinal.finditer(previous)]
    new += [(m.group(0), f"ordinal:{m.group(1)}") for m in ordinal.finditer(follow_up)]
    if not new:
        return None
    text = previous
    placed = 0
    added = []  # figures of roles the previous question lacks, each with its noun ("员工60人")
    for figure, role in new:
        same = [o for o in old if _same_role(o[1], role) and (not strict or role.split(":", 1)[1] == o[1].split(":", 1)[1] != "")]
        if not same:
            noun = role.split(":", 1)[1]
            added.append(figure if noun in figure else f"{noun}{figure}")
            continue
        (start, end), _ = same[0]
        text = text[:start] + figure + text[end:]
        placed += 1
        shift = len(figure) - (end - start)
        old = [(span if span[0] < start else (span[0] + shift, span[1] + shift), r) for span, r in old if span != (start, end)]
    if not placed:
        return None
    # the other figures join as conditions, not the turn's words around them: "如果面积是800平、
    # 员工60人呢" adds 员工60人, and its 面积 must not pull the question to another rule
    return text if not added else f"{text}；{'，'.join(added)}"


def _same_role(old: str, new: str) -> bool:
    """Roles are kind:noun; a figure said without a noun ("如果是8亿呢") takes the role of the
    first figure of its kind, one with a noun only the figure said with that noun."""
    old_kind, old_noun = old.split(":", 1)
    new_kind, new_noun = new.split(":", 1)
    return old_kind == new_kind and (not new_noun or not old_noun or new_noun == old_noun)
