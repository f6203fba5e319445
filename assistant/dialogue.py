"""Follow-ups: a conversation's state, and a follow-up made self-contained from it.

The state after each turn is what a listener keeps: the documents in focus (named by the
question, or else cited by the assistant's own answer), the subject, the figures. Each earlier
turn is itself read in its conversation first, so "那聊城呢" after "那1.2亿呢" after a 柳州
question still carries the 柳州 subject with 1.2亿.

Transitions (tests/test_dialogue.py):
- names another document, nothing else of its own ("那聊城呢") → that document, the subject kept;
- names a unit only ("第二十一条呢", "第二款呢") → that unit in the documents in focus;
- gives new figures ("如果是8亿呢") → the previous question with its figures replaced;
- gives figures of a kind the previous question lacked ("注册资本800万呢") → added to it;
- a subject of its own without a document ("那机构数量要多少家") → asked of the documents in focus;
- nothing of its own ("能拿多少") → appended to the previous question.
A question naming its own document, or asking across documents, starts afresh.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from assistant import outline
from assistant.index import Index
from assistant.lexicon import lexicon
from assistant.question import content_words
from assistant.route import route

MAX_QUESTION_CHARS = 2000
# A follow-up needs the last few turns; a client may send any history, and every character of
# it could reach jieba (100k characters cost 72 s of CPU). Cut before anything tokenises.
MAX_HISTORY_TURNS = 6

_CITED_TITLE = re.compile(r"依据《([^》]+)》")
# the unit an answer quotes first: 依据《title》（文号）label：“… / 《title》label规定：
_CITED_UNIT = re.compile(r"《([^》]+)》(?:（[^）]*）)?([^\s：:“《》，。]{1,30}?)(?:规定)?[：:]")
# steps that only exist inside a unit (项, 款, 点, (一), (1), ①): read in the unit in focus
_INNER_STEPS = frozenset({"xiang", "kuan", "item", "（cn）", "（ar）", "circ"})


@dataclass(frozen=True)
class DialogueState:
    question: str  # the last turn, made self-contained
    documents: tuple[str, ...]  # the documents in focus
    unit: tuple[str, str] | None = None  # (doc_id, label) the last answer quoted first


def state_after(history: Sequence[Sequence[str]], index: Index) -> DialogueState | None:
    """The conversation's state after its last turn; None when there is no earlier question."""
    turns = [(str(q)[:MAX_QUESTION_CHARS], str(a)) for q, a, *_ in history[-MAX_HISTORY_TURNS:] if str(q).strip()]
    state: DialogueState | None = None
    for asked, answered in turns:
        question = contextualise_from(asked, state, index)
        named = route(question, index.documents).doc_ids
        focus = named or _cited_documents(answered, index) or (state.documents if state else ())
        state = DialogueState(question, focus, _cited_unit(answered, index))
    return state


def _cited_documents(answer: str, index: Index) -> tuple[str, ...]:
    """Documents the assistant's answer rests on (its 依据《title》 lines); a refusal rests on none."""
    by_title = {meta.title: doc_id for doc_id, meta in index.documents.items()}
    cited = [by_title[t] for t in _CITED_TITLE.findall(answer) if t in by_title]
    return tuple(dict.fromkeys(cited))


def _relative_to(label: str, kind: str) -> str:
    """Where an inner reference after a quoted unit points: "第三项" after 第二十二条 is that
    article's third item; "第3点" after 二（二）2 is its sibling 二（二）3 (a point after a point)."""
    path = outline.label_path(label)
    last = path[-1][0] if path else ""
    if path and last not in ("tiao", "bufen", "zhang", "jie") and (kind == last or kind == "item"):
        return outline.render_label(path[:-1])
    return label


def _cited_unit(answer: str, index: Index) -> tuple[str, str] | None:
    by_title = {meta.title: doc_id for doc_id, meta in index.documents.items()}
    for title, label in _CITED_UNIT.findall(answer):
        doc_id = by_title.get(title)
        own = index.doc_positions.get(doc_id or "")
        if own is None or label not in index.label_positions:
            continue
        if doc_id and set(index.label_positions[label].tolist()) & set(own.tolist()):
            return doc_id, label
    return None


def contextualise(question: str, history: Sequence[Sequence[str]], index: Index) -> str:
    """Make a follow-up ("那1.2亿呢？") self-contained from the conversation so far."""
    if not history:
        return question
    return contextualise_from(question, state_after(history, index), index)


def contextualise_from(question: str, state: DialogueState | None, index: Index) -> str:
    if state is None:
        return question
    intent = route(question, index.documents)
    previous = state.question
    if intent.articles:
        if intent.doc_ids:
            return question
        ref = intent.articles[0].ref
        if state.unit and ref.steps and ref.steps[0][0] in _INNER_STEPS:
            doc_id, label = state.unit
            return f"《{index.documents[doc_id].title}》{_relative_to(label, ref.steps[0][0])}{question}"
        # "第3点呢" / "第十条呢": a unit of the document the conversation is about
        return _in_documents(state.documents, question, index)
    own_subject = content_words(intent.topic)
    elliptical = (
        bool(lexicon().follow_up.match(intent.question))
        or (not intent.doc_ids and len(own_subject) <= 1)
        or bool(lexicon().anaphora.search(intent.question))
    )
    if intent.doc_ids:
        if not elliptical:
            return question  # a question of its own about a document it names
        # "那聊城呢？": the new document, the previous subject
        return f"{intent.question} {route(previous, index.documents).topic}"
    if lexicon().across_documents.search(intent.question):
        return question
    if elliptical:
        merged = _replace_figures(previous, intent.question)
        if merged is not None:
            return merged
        if not own_subject or _gives_figures(intent.question) or _pronoun_or_contrast(intent.question):
            # "能拿多少" / "注册资本800万呢" / "那多个园区的核心园区呢" / "它的补助多少":
            # the previous question, with this added to it
            return f"{previous}；{intent.question}"
    # a subject of its own ("那机构数量要多少家？"), in the documents of the conversation
    return _in_documents(state.documents, intent.question, index)


def _in_documents(doc_ids: Sequence[str], question: str, index: Index) -> str:
    """The question, prefixed with the titles of the documents in focus."""
    titles = "".join(f"《{index.documents[d].title}》" for d in doc_ids if d in index.documents)
    return f"{titles}{question}" if titles else question


def _pronoun_or_contrast(question: str) -> bool:
    """A turn leaning on the previous subject: a pronoun for it ("它认定后的补助是多少"), or
    "那…呢" asking nothing of its own ("那设多个园区的核心园区呢": the same thing of another)."""
    lex = lexicon()
    if lex.anaphora.search(question):
        return True
    return question.startswith("那") and question.rstrip("？?。 ").endswith("呢")


def _gives_figures(question: str) -> bool:
    """Whether a turn states figures of its own ("注册资本800万呢"): a condition added to the
    question before it, not a new subject."""
    try:
        from assistant.calc.numbers import extract_quantities

        return bool(extract_quantities(question))
    except Exception:  # a bad figure: not a usable condition
        return False


def _replace_figures(previous: str, follow_up: str) -> str | None:
    try:
        from assistant.calc.numbers import extract_quantities

        old, new = extract_quantities(previous), extract_quantities(follow_up)
    except Exception:  # a bad figure in either turn: fall back to plain concatenation
        return None
    if not new:
        return None
    text = previous
    replaced = False
    for figure in new:
        same = [q for q in old if q.kind == figure.kind]
        if not same:
            continue
        target = same[0]
        text = text[: target.span[0]] + figure.text + text[target.span[1] :]
        replaced = True
        shift = len(figure.text) - (target.span[1] - target.span[0])
        old = [
            q if q.span[0] < target.span[0] else replace(q, span=(q.span[0] + shift, q.span[1] + shift))
            for q in old
            if q is not target
        ]
    return text if replaced else None
