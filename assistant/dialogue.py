"""The conversation's state, updated turn by turn.

The state after each turn is what a listener keeps: the documents in focus (named by the
question, or else cited by the assistant's own answer), the subject, the figures. Each earlier
turn is itself read in its conversation first, so "那聊城呢" after "那1.2亿呢" after a 柳州
question still carries the 柳州 subject with 1.2亿. How a follow-up is read against the state
(the transitions) is `assistant.followup`; the figures a turn gives, `assistant.turn_figures`.

A turn with figures and no question ("我们公司主营业务收入4500万元。") and nothing in focus is
remembered and acknowledged; what the asker says of themselves is used by a later calculation
question. Only the last MAX_HISTORY_TURNS turns count, each cut to MAX_QUESTION_CHARS before
anything tokenises.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant import outline
from assistant.followup import read_follow_up
from assistant.index import Index
from assistant.lexicon import lexicon
from assistant.question import asked_kind
from assistant.route import route
from assistant.turn_figures import clause_of, figures_of, is_statement, replace_figures

MAX_QUESTION_CHARS = 2000
# A follow-up needs the last few turns; a client may send any history, and every character of
# it could reach jieba (100k characters cost 72 s of CPU). Cut before anything tokenises.
MAX_HISTORY_TURNS = 6

_CITED_TITLE = re.compile(r"依据《([^》]+)》")
# the unit an answer quotes first: 依据《title》（文号）label：“… / 《title》label规定：; the
# document's own 文号 is taken off what follows the title, as a label may be bracketed too (（四）)
_CITED_UNIT = re.compile(r"《([^》]+)》([^\s：:“《》，。]{1,60}?)(?:规定)?[：:]")


@dataclass(frozen=True)
class DialogueState:
    question: str  # the last turn, made self-contained
    documents: tuple[str, ...]  # the documents in focus
    unit: tuple[str, str] | None = None  # (doc_id, label) the last answer quoted first
    units: tuple[tuple[str, str], ...] = ()  # every unit the last answer cited
    # the self-contained question that set the subject, without turns that only added figures:
    # a later turn asking something else ("那分几年给") is read against it, not the figures
    subject: str = ""
    kind: str | None = None  # what the last turn asked (amount, duration …)
    figures: tuple[tuple[str, str], ...] = ()  # (role, figure as written), the latest per role
    own_figures: tuple[str, ...] = ()  # what the asker said of themselves: kept across subjects
    read_as: str = ""  # how the last turn was read (a transition; see understood.READINGS)
    narrowed: tuple[str, str] | None = None  # the unit a turn narrowed to, inside the last answer's


def state_after(history: Sequence[Sequence[str]], index: Index) -> DialogueState | None:
    """The conversation's state after its last turn; None when there is no earlier question."""
    turns = [(str(q)[:MAX_QUESTION_CHARS], str(a)[:MAX_QUESTION_CHARS]) for q, a, *_ in history[-MAX_HISTORY_TURNS:] if str(q).strip()]
    state: DialogueState | None = None
    for asked, answered in turns:
        state = after_answer(read_turn(asked, state, index), answered, index)
    return state


def after_answer(state: DialogueState, answered: str, index: Index) -> DialogueState:
    """The state once the assistant has answered the turn: the documents and units it cited."""
    named = route(state.question, index.documents).doc_ids
    focus = named or _cited_documents(answered, index) or state.documents
    units = _cited_units(answered, index)
    return replace(state, documents=focus, unit=units[0] if units else None, units=units)


def _cited_documents(answer: str, index: Index) -> tuple[str, ...]:
    """Documents the assistant's answer rests on (its 依据《title》 lines); a refusal rests on none."""
    by_title = {meta.title: doc_id for doc_id, meta in index.documents.items()}
    cited = [by_title[t] for t in _CITED_TITLE.findall(answer) if t in by_title]
    return tuple(dict.fromkeys(cited))


def _cited_units(answer: str, index: Index) -> tuple[tuple[str, str], ...]:
    by_title = {meta.title: doc_id for doc_id, meta in index.documents.items()}
    units = []
    for title, after in _CITED_UNIT.findall(answer):
        doc_id = by_title.get(title)
        number = index.documents[doc_id].doc_number if doc_id else None
        label = after.removeprefix(f"（{number}）") if number else after
        own = index.doc_positions.get(doc_id or "")
        if own is None or not doc_id:
            continue
        if label in index.label_positions and set(index.label_positions[label].tolist()) & set(own.tolist()):
            units.append((doc_id, label))
        elif outline.is_label(label) and any(outline.is_within(c.article, label) for c in index.by_doc.get(doc_id, [])):
            units.append((doc_id, label))  # a heading quoted with its items (二 of 二4 二5 二6)
    return tuple(dict.fromkeys(units))


def contextualise(question: str, history: Sequence[Sequence[str]], index: Index) -> str:
    """Make a follow-up ("那1.2亿呢？") self-contained from the conversation so far."""
    if not history:
        return question
    return contextualise_from(question, state_after(history, index), index)


def contextualise_from(question: str, state: DialogueState | None, index: Index) -> str:
    return read_turn(question, state, index).question


def read_turn(question: str, state: DialogueState | None, index: Index) -> DialogueState:
    """The state once `question` is read in its conversation (before it is answered)."""
    figures = figures_of(question)
    # what the asker says of themselves, with the words it was said in ("主营业务收入4500万元")
    own = tuple(clause_of(question, text) for _, text in figures) if lexicon().self_reference.search(question) else ()
    if is_statement(question) and (state is None or not state.documents or state.read_as == "statement"):
        # nothing in focus to apply the figures to: remember them and say so; with a subject in
        # focus ("租了350平方米") they are added to its question below and answered
        kept = state or DialogueState("", ())
        return replace(
            kept,
            question=question,
            figures=_merge_figures(kept.figures, figures),
            own_figures=_merge_own(kept.own_figures, own),
            read_as="statement",
        )
    if state is None:
        return DialogueState(question, (), subject=question, kind=asked_kind(question), figures=figures, own_figures=own, read_as="fresh")
    effective, read_as, narrowed = read_follow_up(question, state, index)
    if read_as in ("fresh", "subject"):
        effective = _with_own_figures(effective, state, figures)
    subject = state.subject or state.question
    if read_as not in ("added", "carried", "figures", "rule"):
        subject = effective
    elif read_as == "figures":
        subject = replace_figures(subject, question) or subject
    return DialogueState(
        question=effective,
        documents=state.documents,
        unit=state.unit,
        units=state.units,
        subject=subject,
        # new figures ask what was asked before, whatever noun they are said with ("如果面积是800平呢")
        kind=state.kind if read_as == "figures" else asked_kind(question) if read_as == "rule" else asked_kind(question) or state.kind,
        figures=_merge_figures(() if read_as == "fresh" else state.figures, figures),
        own_figures=_merge_own(state.own_figures, own),
        read_as=read_as,
        narrowed=narrowed,
    )


def _merge_figures(old: tuple[tuple[str, str], ...], new: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """A new figure replaces the figure of the same role; the others stay available."""
    roles = {role for role, _ in new}
    return (*(f for f in old if f[0] not in roles), *new)


def _merge_own(old: tuple[str, ...], new: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*old, *new)))[-MAX_HISTORY_TURNS:]


def _with_own_figures(question: str, state: DialogueState, figures: tuple[tuple[str, str], ...]) -> str:
    """A new subject asking for a calculation without figures of its own uses what the asker
    said of themselves earlier ("我们公司主营业务收入4500万元。" … "柳州的奖励能拿多少")."""
    reckons = asked_kind(question) == "amount" or lexicon().reckon.search(question)
    if figures or not state.own_figures or not reckons:
        return question
    stated = "，".join(t for t in state.own_figures if t not in question)
    if not stated:
        return question
    return f"{stated}；{question}"
