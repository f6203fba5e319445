"""How a follow-up is read against the conversation's state: the turn made self-contained.

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
- nothing of its own ("能拿多少") → appended to the previous question.
A question naming its own document, or asking across documents, starts afresh; a turn stating
figures and asking nothing is kept by the state itself (`assistant.dialogue`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from assistant import outline
from assistant.index import Index
from assistant.lexicon import lexicon
from assistant.question import asked_kind, content_words
from assistant.route import route
from assistant.turn_figures import gives_figures, replace_figures

if TYPE_CHECKING:
    from assistant.dialogue import DialogueState

# steps that only exist inside a unit (项, 款, 点, (一), (1), ①): read in the unit in focus
_INNER_STEPS = frozenset({"xiang", "kuan", "item", "（cn）", "（ar）", "circ"})


def read_follow_up(question: str, state: DialogueState, index: Index) -> tuple[str, str, tuple[str, str] | None]:
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
            parent = _relative_to(label, ref.steps[0][0])
            siblings = _parts_of((doc_id, parent), index, direct=True) if parent != label else []
            if len(ref.steps) == 1 and 0 < ref.steps[0][1] <= len(siblings):
                # "第2点呢" after the point 二（5）: the second point beside it, 二（2）
                part = siblings[ref.steps[0][1] - 1]
                return f"《{title}》{part}{question.replace(ref.text, '')}", "item", (doc_id, part)
            return f"《{title}》{parent}{question}", "item", None
        # "第3点呢" / "第十条呢": a unit of the document the conversation is about
        return _in_documents(state.documents, question, index), "unit", None
    own_subject = content_words(intent.topic)
    if not intent.doc_ids and not gives_figures(intent.question):
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
        or (bool(intent.doc_ids) and not own_subject and not gives_figures(intent.question) and not asked_kind(intent.topic))
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
        merged = replace_figures(previous, intent.question)
        if merged is not None:
            return merged, "figures", None
        if not own_subject or gives_figures(intent.question) or _pronoun_or_contrast(intent.question):
            # "能拿多少" / "注册资本800万呢" / "那多个园区的核心园区呢" / "它的补助多少":
            # the previous question, with this added to it; a turn asking something other than
            # a calculation leaves the figures added since the subject behind ("那分几年给")
            base = previous
            if not gives_figures(intent.question) and _asks_other_than_figures(intent.question, previous):
                base = state.subject or previous
            if gives_figures(intent.question):  # "那营收正好5000万呢" adds 营收正好5000万
                return f"{base}；{_own_words(intent.question)}", "added", None
            return f"{base}；{intent.question}", "carried", None
    same = _same_question_of(intent.question, state.subject or previous, index)
    if same is not None:  # "地方财政贡献奖励呢" after "…营收奖励什么时候申报": asked of the new thing
        return _in_documents(state.documents, same, index), "other", None
    # a subject of its own ("那机构数量要多少家？"), in the documents of the conversation
    merged = replace_figures(previous, intent.question, strict=True)
    if merged is not None:  # "营业收入8000万元呢" after "营业收入6000万元能奖多少"
        return merged, "figures", None
    if gives_figures(intent.question) and not _asks_other_than_figures(intent.question, previous):
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
    if not words or asks or gives_figures(phrase) or not turn.rstrip("？?。 ").endswith("呢"):
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


def _asks_other_than_figures(question: str, previous: str) -> bool:
    """Whether a turn asks a kind of fact the figures added before do not bear on: a period
    ("分几年给"), a body, a deadline — not an amount, a verdict or nothing named. A turn giving
    figures and asking whether they suffice ("我们在山区，建筑面积6000平方米够不够") asks a
    verdict on them, whatever kind the noun of its figure names (面积 here)."""
    if gives_figures(question) and lexicon().reckon.search(question):
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
