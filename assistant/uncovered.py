"""A subject the one document a question names has nothing on ("《…》没有关于…的规定"), said
instead of quoting the nearest text — also for a subject carried over to another document."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.dialogue import DialogueState
from assistant.index import Index
from assistant.lexicon import lexicon
from assistant.question import content_words
from assistant.route import route
from assistant.types import Chunk


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
