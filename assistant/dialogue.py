"""Follow-ups: a conversation's state, and a follow-up made self-contained from it.

The state after each turn is what a listener keeps: the documents in focus (named by the
question, or else cited by the assistant's own answer), the subject, the figures. Each earlier
turn is itself read in its conversation first, so "那聊城呢" after "那1.2亿呢" after a 柳州
question still carries the 柳州 subject with 1.2亿.

Transitions (tests/test_dialogue.py, tests/test_dialogue_state.py, tests/test_dialogue_rule.py):
- names another document, nothing else of its own ("那聊城呢", "榆泽的呢") → that document, the
  subject kept;
- names a unit only ("第二十一条呢", "第二款呢") → that unit in the documents in focus;
- gives new figures ("如果是8亿呢", "第三年呢") → the previous question with the figure of the
  same role replaced (role = kind of figure and the noun said with it; ordinals by measure);
- gives figures of a role the previous question lacked ("注册资本800万呢") → added to it;
- figures in words of their own ("介绍了80个…能拿多少") → reckoned under the subject in focus;
- asks another kind of fact ("那分几年给") → the subject's question, without figures added since;
- a subject inside the unit just quoted ("省级产业园要建到几家" after a list of goals) → that part;
- another fact of the rule in focus, nothing named ("上限呢", "这个什么时候截止申请", "一年最多补
  几场") → the unit of that rule stating it: the one quoted (for its bound) or the item beside it;
- a thing named and nothing asked ("营收奖励呢" after "纳税奖励最高多少") → the previous question
  asked of it, the phrase with the same head word replaced;
- a subject of its own without a document ("那机构数量要多少家") → asked of the documents in focus;
- nothing of its own ("能拿多少") → appended to the previous question;
- figures and no question ("我们公司主营业务收入4500万元。") with nothing in focus → remembered and
  acknowledged; what the asker says of themselves is used by a later calculation question.
A question naming its own document, or asking across documents, starts afresh. Only the last
MAX_HISTORY_TURNS turns count, each cut to MAX_QUESTION_CHARS before anything tokenises.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from assistant import outline
from assistant.index import Index
from assistant.lexicon import lexicon
from assistant.question import asked_kind, content_words
from assistant.route import route
from assistant.types import Chunk

if TYPE_CHECKING:
    from assistant.calc.numbers import Quantity

MAX_QUESTION_CHARS = 2000
# A follow-up needs the last few turns; a client may send any history, and every character of
# it could reach jieba (100k characters cost 72 s of CPU). Cut before anything tokenises.
MAX_HISTORY_TURNS = 6

_CITED_TITLE = re.compile(r"依据《([^》]+)》")
# the unit an answer quotes first: 依据《title》（文号）label：“… / 《title》label规定：; the
# document's own 文号 is taken off what follows the title, as a label may be bracketed too (（四）)
_CITED_UNIT = re.compile(r"《([^》]+)》([^\s：:“《》，。]{1,60}?)(?:规定)?[：:]")
# steps that only exist inside a unit (项, 款, 点, (一), (1), ①): read in the unit in focus
_INNER_STEPS = frozenset({"xiang", "kuan", "item", "（cn）", "（ar）", "circ"})


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
    read_as: str = ""  # how the last turn was read (a transition; see READINGS)
    narrowed: tuple[str, str] | None = None  # the unit a turn narrowed to, inside the last answer's


# How a turn was read, said plainly on the answer ("按上文理解：…").
READINGS = {
    "fresh": "新的问题",
    "document": "换一份文件，问同一件事",
    "unit": "上文文件中的条款",
    "item": "上文所引条款中的一项",
    "figures": "同一问题，换成新的数字",
    "added": "同一问题，加上新的数字",
    "subject": "上文文件中的另一件事",
    "narrowed": "上文所引条款中的一项",
    "rule": "上文所引规定的另一项内容",
    "other": "同一问题，问另一项",
    "carried": "接着上文的问题",
    "statement": "记下所说的情况",
}


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


def _relative_to(label: str, kind: str) -> str:
    """Where an inner reference after a quoted unit points: "第三项" after 第二十二条 is that
    article's third item, "第2点" after （四） a point of it; "第3点" after 二（二）2 is its
    sibling 二（二）3 (a point after a point)."""
    path = outline.label_path(label)
    last = path[-1][0] if path else ""
    # a point is inside a heading-level unit (（四）, 二) or an article, beside a point or an item
    heading = ("tiao", "bufen", "zhang", "jie", "cn", "（cn）")
    if path and last not in heading[:4] and (kind == last or (kind == "item" and last not in heading)):
        return outline.render_label(path[:-1])
    return label


def _cited_units(answer: str, index: Index) -> tuple[tuple[str, str], ...]:
    by_title = {meta.title: doc_id for doc_id, meta in index.documents.items()}
    units = []
    for title, after in _CITED_UNIT.findall(answer):
        doc_id = by_title.get(title)
        number = index.documents[doc_id].doc_number if doc_id else None
        label = after.removeprefix(f"（{number}）") if number else after
        own = index.doc_positions.get(doc_id or "")
        if own is None or label not in index.label_positions:
            continue
        if doc_id and set(index.label_positions[label].tolist()) & set(own.tolist()):
            units.append((doc_id, label))
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
    figures = _figures(question)
    # what the asker says of themselves, with the words it was said in ("主营业务收入4500万元")
    own = tuple(_clause(question, text) for _, text in figures) if lexicon().self_reference.search(question) else ()
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
    effective, read_as, narrowed = _read(question, state, index)
    if read_as in ("fresh", "subject"):
        effective = _with_own_figures(effective, state, figures)
    subject = state.subject or state.question
    if read_as not in ("added", "carried", "figures", "rule"):
        subject = effective
    elif read_as == "figures":
        subject = _replace_figures(subject, question) or subject
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


def _read(question: str, state: DialogueState, index: Index) -> tuple[str, str, tuple[str, str] | None]:
    """The turn made self-contained, how it was read, and the unit it narrowed to (if any)."""
    intent = route(question, index.documents)
    previous = state.question
    if intent.articles:
        if intent.doc_ids:
            return question, "fresh", None
        ref = intent.articles[0].ref
        if state.unit and ref.steps and ref.steps[0][0] in _INNER_STEPS:
            doc_id, label = state.unit
            title = index.documents[doc_id].title
            parts = _parts_of(state.unit, index, direct=True)
            if len(ref.steps) == 1 and 0 < ref.steps[0][1] <= len(parts):
                # "第2点呢" after a unit quoted with its points ①②③: the second of them
                part = parts[ref.steps[0][1] - 1]
                return f"《{title}》{part}{question.replace(ref.text, '')}", "item", (doc_id, part)
            return f"《{title}》{_relative_to(label, ref.steps[0][0])}{question}", "item", None
        # "第3点呢" / "第十条呢": a unit of the document the conversation is about
        return _in_documents(state.documents, question, index), "unit", None
    own_subject = content_words(intent.topic)
    if not intent.doc_ids and not _gives_figures(intent.question):
        narrowed = _narrowed_unit(own_subject, intent.question, state, index)
        if narrowed is not None:  # a part of the unit just quoted ("其中市级产业园那条呢")
            doc_id, label = narrowed
            return _in_unit(narrowed, intent.question, index), "narrowed", narrowed
        stating = _rule_unit_stating(own_subject, intent.question, state, index)
        if stating is not None:  # "上限呢" / "这个什么时候截止申请": another fact of the rule in focus
            subject = "".join(content_words(route(state.subject or previous, index.documents).topic))
            return _in_unit(stating, f"{subject}；{intent.question}", index), "rule", stating
    elliptical = (
        bool(lexicon().follow_up.match(intent.question))
        or (not intent.doc_ids and len(own_subject) <= 1)
        # "榆泽呢" / "在砚北新区呢": a document named and nothing asked of it
        or (bool(intent.doc_ids) and not own_subject and not _gives_figures(intent.question) and not asked_kind(intent.topic))
        or bool(lexicon().anaphora.search(intent.question))
    )
    if intent.doc_ids:
        if not elliptical:
            return question, "fresh", None  # a question of its own about a document it names
        # "那聊城呢？": the new document, the previous subject (figures and all)
        return f"{_own_words(intent.question)} {_carried_topic(previous, index)}", "document", None
    if lexicon().across_documents.search(intent.question) and not lexicon().anaphora.search(intent.question):
        # "哪些文件有…" asks across documents; "它替代的是哪个文件" asks of the one in focus
        return question, "fresh", None
    if elliptical:
        merged = _replace_figures(previous, intent.question)
        if merged is not None:
            return merged, "figures", None
        if not own_subject or _gives_figures(intent.question) or _pronoun_or_contrast(intent.question):
            # "能拿多少" / "注册资本800万呢" / "那多个园区的核心园区呢" / "它的补助多少":
            # the previous question, with this added to it; a turn asking something other than
            # a calculation leaves the figures added since the subject behind ("那分几年给")
            base = previous
            if not _gives_figures(intent.question) and _asks_other_than_figures(intent.question, previous):
                base = state.subject or previous
            if _gives_figures(intent.question):  # "那营收正好5000万呢" adds 营收正好5000万
                return f"{base}；{_own_words(intent.question)}", "added", None
            return f"{base}；{intent.question}", "carried", None
    same = _same_question_of(intent.question, state.subject or previous, index)
    if same is not None:  # "地方财政贡献奖励呢" after "…营收奖励什么时候申报": asked of the new thing
        return _in_documents(state.documents, same, index), "other", None
    # a subject of its own ("那机构数量要多少家？"), in the documents of the conversation
    merged = _replace_figures(previous, intent.question, strict=True)
    if merged is not None:  # "营业收入8000万元呢" after "营业收入6000万元能奖多少"
        return merged, "figures", None
    if _gives_figures(intent.question) and not _asks_other_than_figures(intent.question, previous):
        # figures to reckon with, in words of their own ("介绍了80个脱贫人口就业能拿多少"): a
        # calculation under the subject in focus, so that subject is kept beside them
        topic = route(state.subject or previous, index.documents).topic
        return _in_documents(state.documents, f"{topic}；{intent.question}", index), "added", None
    return _in_documents(state.documents, intent.question, index), "subject", None


def _same_question_of(turn: str, previous: str, index: Index) -> str | None:
    """"地方财政贡献奖励呢" after "柘泉营收奖励什么时候申报": a thing named and nothing asked of
    it asks what was asked of the thing before — the previous question with the phrase ending in
    the same head word (奖励; or a word meaning the same) in place of it: "地方财政贡献奖励什么时候
    申报". None when the turn asks something itself, or the head is not in the previous question."""
    lex = lexicon()
    phrase = _own_words(turn)
    asks = lex.turn_asking.search(phrase) or asked_kind(phrase) or lex.extreme.search(phrase)
    words = content_words(phrase)
    if not words or asks or _gives_figures(phrase) or not turn.rstrip("？?。 ").endswith("呢"):
        return None
    from assistant.warmstart import posseg_module

    topic = _carried_topic(previous, index)
    tokens = [t.word for t in posseg_module().lcut(topic, HMM=False)]
    subject = set(content_words(topic))
    heads = (words[-1], *lex.equivalents.get(words[-1], ()))
    at = next((i for i, w in enumerate(tokens) if w in heads), None)
    if at is None:
        return None
    start = at
    while start > 0 and tokens[start - 1] in subject:
        start -= 1  # the words before the head that say which one: 营收 of 营收奖励
    if start == at:
        # nothing said which one before ("只设一个园区的…" → "设多个园区的呢"): the contrast is
        # elsewhere in the question, and the turn is carried on as it is
        return None
    return "".join([*tokens[:start], phrase, *tokens[at + 1 :]])


def _carried_topic(previous: str, index: Index) -> str:
    """What the previous question asked, without its documents, the words of an earlier switch
    ("那 呢 园区企业营业收入…" → "园区企业营业收入…"; "桐崖的市级…" → "市级…") and the kind of
    document it was named by ("柳州措施里营收…" → "营收…")."""
    lex = lexicon()
    topic = route(previous, index.documents).topic
    while True:
        bare = lex.follow_up.sub("", topic.lstrip(" 呢？?，,的")).lstrip(" 呢？?，,的")
        bare = lex.named_by_kind.sub("", bare, count=1) if lex.named_by_kind.match(bare) else bare
        if bare == topic:
            return topic
        topic = bare


def _own_words(turn: str) -> str:
    """What a follow-up says of its own, without the words that only make it a follow-up:
    "那如果是在甄湄呢" → "在甄湄", "榆泽的呢？" → "榆泽", "那营收正好5000万呢" → "营收正好5000万";
    those words read as a condition ("如果是…") would bend the carried question."""
    lex = lexicon()
    words = turn.strip()
    while True:
        bare = lex.follow_up.sub("", words).lstrip("是 ，,").rstrip(" 呢？?。！!的")
        if bare == words:
            return words or turn
        words = bare


def is_statement(question: str) -> bool:
    """A turn stating facts with figures and asking nothing ("我们公司主营业务收入4500万元。"): a
    sentence, or the asker speaking of themselves. A bare phrase with a figure ("营收6000万 奖励
    标准") is a search typed without a question word, and is answered."""
    lex = lexicon()
    text = question.strip()
    asks = lex.turn_asking.search(text) or lex.yes_no.search(text) or asked_kind(text)
    said = text.endswith(("。", "！", "!", "．")) or lex.self_reference.search(text)
    return bool(_figures(text)) and not asks and not lex.follow_up.match(text) and bool(said)


def _figures(question: str) -> tuple[tuple[str, str], ...]:
    """(role, figure) a turn states: the role is the kind of figure and the noun written before it."""
    try:
        found = _quantities(question)
    except Exception:  # a bad figure: not a usable condition
        return ()
    return tuple((f"{q.kind}:{_noun_before(question, q.span[0])}", q.text) for q in found)


def _quantities(text: str) -> list[Quantity]:
    """The figures a turn gives, without one period said before a bound — "一年最多补几场" asks
    per year, it does not say a year has passed ("入驻一年了" does)."""
    from assistant.calc.numbers import extract_quantities

    bound = lexicon().extreme
    return [
        q for q in extract_quantities(text)
        if not (q.kind == "duration" and q.value == 1 and bound.match(text, q.span[1]))
    ]


def _noun_before(text: str, start: int) -> str:
    """The content word right before a figure ("主营业务收入4500万元" → 主营业务收入), or ""."""
    words = content_words(re.split(r"[，,。；;：:、？?]", text[max(0, start - 12) : start])[-1])
    return words[-1] if words else ""


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


def _asks_other_than_figures(question: str, previous: str) -> bool:
    """Whether a turn asks a kind of fact the figures added before do not bear on: a period
    ("分几年给"), a body, a deadline — not an amount, a verdict or nothing named. A turn giving
    figures and asking whether they suffice ("我们在山区，建筑面积6000平方米够不够") asks a
    verdict on them, whatever kind the noun of its figure names (面积 here)."""
    if _gives_figures(question) and lexicon().reckon.search(question):
        return False
    kind = asked_kind(question)
    return kind is not None and kind not in ("amount", "benefit") and kind != asked_kind(previous)


def _narrowed_unit(
    subject: Sequence[str], question: str, state: DialogueState, index: Index
) -> tuple[str, str] | None:
    """"省级产业园要建到几家" after an answer quoting a list: the one part of the quoted unit
    that speaks of the turn's subject, when exactly one does."""
    if not state.unit or not subject:
        return None
    doc_id, _ = state.unit
    by_label = {c.article: c for c in index.by_doc.get(doc_id, [])}
    parts = [by_label[label] for label in _parts_of(state.unit, index)]
    scored = sorted(((sum(w in c.text for w in subject), c.article) for c in parts), reverse=True)
    # "其中…那条" says a part is meant: one word of it is enough; else two (or all it has)
    needed = 1 if lexicon().narrowing.search(question) else min(2, len(subject))
    if not scored or scored[0][0] < needed or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return doc_id, scored[0][1]


def _rule_unit_stating(
    subject: Sequence[str], question: str, state: DialogueState, index: Index
) -> tuple[str, str] | None:
    """A turn with no subject of its own asking one more fact of the rule just quoted — its cap
    ("上限呢"), its deadline ("这个什么时候截止申请"), a count ("一年最多补几场"): the unit of that
    rule stating it. The unit quoted, when it states that bound; else the one unit beside it that does (a
    rule's cap or deadline is often its next item), looked for under its parent first, then one
    level up; None when none or several do, or when the turn names a subject of its own."""
    lex = lexicon()
    if not state.unit:
        return None
    leans = not subject or bool(lex.anaphora.search(question))  # "那营收奖励呢" has a subject
    extreme = lex.extreme.search(question)
    kind = asked_kind(question)
    if not leans or not (extreme or kind):
        return None
    states = (lex.bound_high if extreme.group(1) else lex.bound_low) if extreme else lex.kind(kind or "").states
    doc_id, label = state.unit
    units = {c.article: c.text for c in index.by_doc.get(doc_id, [])}
    if label not in units:
        return None
    if states.search(units[label]):
        # its bound, said in the unit quoted ("一年最多补几场"); any other fact it states is
        # the question carried on as before ("它每人给多少钱")
        return state.unit if extreme else None
    path = outline.label_path(label)
    for up in (1, 2):
        if len(path) - up < 1:
            return None
        ancestor = path[: len(path) - up]
        found = [
            other for other, text in units.items()
            if other != label and outline.label_path(other)[: len(ancestor)] == ancestor and states.search(text)
        ]
        if found:
            # the turn's own words ("申请") choose among several; one left, or none is said
            best = max(sum(w in units[f] for w in subject) for f in found)
            found = [f for f in found if sum(w in units[f] for w in subject) == best]
            return (doc_id, found[0]) if len(found) == 1 else None
    return None


def _parts_of(unit: tuple[str, str], index: Index, direct: bool = False) -> list[str]:
    """Labels of the units inside `unit` (its points ①②③, items, …), in document order;
    `direct`: only those one step down."""
    doc_id, label = unit
    path = outline.label_path(label)
    if not path:
        return []
    inside = []
    for chunk in sorted(index.by_doc.get(doc_id, []), key=lambda c: c.order):
        own = outline.label_path(chunk.article)
        if len(own) > len(path) and own[: len(path)] == path and (not direct or len(own) == len(path) + 1):
            inside.append(chunk.article)
    return inside


def uncovered_subject(state: DialogueState, cited: Sequence[Chunk], index: Index) -> str | None:
    """After "那聊城呢": the subject carried over when the document switched to has no unit for
    it — no unit where a benefit the subject names (奖励, 补贴 …) stands with the word saying what
    it is for — and the answer cites none either; else None. A subject naming no benefit is not
    judged here."""
    if state.read_as != "document":
        return None
    return subject_missing_from(state.question, cited, index)


def subject_missing_from(question: str, cited: Sequence[Chunk], index: Index, compound: bool = False) -> str | None:
    """The one document a question names has no unit where a benefit the question names (奖励,
    补贴 …) stands with the word saying what it is for (营业收入奖励 in a guide that rewards only
    tax paid), and the answer cites none either: what to say instead of quoting the nearest text.
    With `compound`, only a word written right before the benefit counts as saying what it is for."""
    intent = route(question, index.documents)
    topic = intent.topic
    benefits = [b for b in lexicon().benefit_nouns if b in topic]
    if not benefits or len(intent.doc_ids) != 1:
        return None
    doc_id = intent.doc_ids[0]
    units = [c.text for c in index.by_doc.get(doc_id, [])]
    if not units:
        return None
    # the words saying what the benefit is for, not those in most of the document's units
    # (园区, 机构): "营业收入" in "园区企业营业收入6亿元，奖励多少"
    words = [w for w in content_words(topic) if not any(b in w for b in benefits)]
    vocabulary = index.tables.vocabulary
    specific = [
        w
        for w in words
        # idf 2: held by at most about one article in seven of the whole index (入驻, 机构 are not)
        if vocabulary.idf(w) >= 2.0 and sum(w in u for u in units) <= len(units) * 0.3
    ]
    if compound:
        # asked in one breath ("营收奖励", "装修补贴"): a word saying what the benefit is for
        # right before it, not words elsewhere in the question ("骗补有啥后果", "补贴政策找谁")
        specific = [
            w for w in specific if w not in lexicon().benefit_verbs and any(topic.find(w + b) >= 0 for b in benefits)
        ]
    if not specific:
        return None
    # said together in one sentence, not merely somewhere in a long unit
    sentences = [x for u in units for x in re.split(r"[。；;\n]", u)]
    granting = lexicon().benefit_nouns  # 安家补助 answers 博士补贴: any benefit word will do
    if any(any(b in x for b in granting) and any(w in x for w in specific) for x in sentences):
        return None
    if any(c.doc_id == doc_id and any(b in c.text for b in benefits) for c in cited):
        return None  # a rule of that document answered it in its own words
    return f"《{index.documents[doc_id].title}》没有关于{_named(topic, specific, benefits[0])}的规定。"


def _named(topic: str, words: Sequence[str], benefit: str) -> str:
    """The benefit with the words before it that say what it is for, as the asker wrote them
    ("营业收入" + "奖励"): the run of those words nearest before it."""
    at = topic.find(benefit)
    spans = sorted((topic.find(w), topic.find(w) + len(w)) for w in words if 0 <= topic.find(w) < at)
    if not spans:
        return f"{words[0]}{benefit}"
    start, end = spans[-1]
    for s, e in reversed(spans[:-1]):
        if e != start:
            break
        start = s
    return f"{topic[start:end]}{benefit}"


def describe(state: DialogueState, index: Index) -> str:
    """How a turn was understood, in plain words for the answer and the chat ("按上文理解：…")."""
    lex = lexicon()
    named = route(state.question, index.documents).doc_ids or state.documents
    parts = [READINGS.get(state.read_as, state.read_as)]
    titles = "".join(f"《{index.documents[d].title}》" for d in named if d in index.documents)
    if state.narrowed:
        titles += state.narrowed[1]
    if titles:
        parts.append(f"文件：{titles}")
    noun = next((k.noun for k in lex.kinds if k.name == state.kind and k.noun), "")
    if noun:
        parts.append(f"问：{noun}")
    shown = [f"{role.split(':', 1)[1]}{text}" for role, text in state.figures if text in state.question]
    shown += [said for said in state.own_figures if said in state.question and not any(s in said for s in shown)]
    if shown:
        parts.append(f"数字：{'、'.join(shown)}")
    return "按上文理解：" + "；".join(parts)


def acknowledgement(state: DialogueState) -> str:
    """The reply to a turn that only states facts: what was noted, and what to ask next."""
    said = "；".join(dict.fromkeys(_clause(state.question, text) for _, text in state.figures if text in state.question))
    return f"好的，已记下：{said}。接下来可以问按这些情况能享受哪些扶持，例如“能拿多少奖励？”“够不够申报条件？”。"


def _clause(text: str, figure: str) -> str:
    """The clause of `text` a figure was said in ("去年营收正好4000万")."""
    return next((c.strip() for c in re.split(r"[，,。；;！!？?]", text) if figure in c), figure)


def _in_unit(unit: tuple[str, str], question: str, index: Index) -> str:
    """The question asked of one unit, written so that the unit is read as named: a bare
    heading numeral takes its 、 ("五、"), else "五招聘会" reads as words."""
    doc_id, label = unit
    path = outline.label_path(label)
    mark = "、" if len(path) == 1 and path[0][0] == "cn" else ""
    return f"《{index.documents[doc_id].title}》{label}{mark}{question}"


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
        return bool(_quantities(question))
    except Exception:  # a bad figure: not a usable condition
        return False


def _replace_figures(previous: str, follow_up: str, strict: bool = False) -> str | None:
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
