"""Whether the corpus covers a question at all, and if not, why — said plainly.

A question is declined when it names a document or place the corpus lacks, or when most of its
subject occurs nowhere in the documents and no unit supports it lexically."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from assistant.index import tokenize
from assistant.lexicon import lexicon
from assistant.question import Question
from assistant.types import DocumentMeta, Hit
from assistant.vocabulary import Vocabulary

# Calibrated on evals/dev.jsonl (sweep in evals/README.md): a question is out of corpus when
# most of its subject is unknown AND no article matches it strongly (raw BM25 of the best
# article): strong lexical support means the unknown words are phrasing, not the subject.
UNKNOWN_SHARE_LIMIT = 0.55
SUPPORT_LIMIT = 3.5


def unknown_share(q: Question, vocab: Vocabulary) -> tuple[float, list[str]]:
    """How much of the question's subject occurs nowhere in the (named) documents: the
    idf-weighted share of its content words that are unknown, so that words every article
    uses (产业园, 人力资源) count for little and a missing subject (公积金, 上市) for much."""
    words = list(q.subject)
    if not words:
        return 0.0, []
    unknown = [w for w in words if not _word_known(w, vocab, q.intent.doc_ids)]
    weight = {w: vocab.idf(w) for w in words}
    return sum(weight[w] for w in unknown) / sum(weight.values()), unknown


def _word_known(word: str, vocab: Vocabulary, doc_ids: Sequence[str]) -> bool:
    if vocab.known(word, doc_ids):
        return True
    # A compound the index split differently ("专项资金" ↔ "专项"+"资金") is known if its parts are.
    parts = [t for t in tokenize(word) if t != word]
    if parts and all(vocab.known(p, doc_ids) for p in parts):
        return True
    # typed with a homophone of a word the documents use (人设局 → 人社局)
    return any(vocab.known(w, doc_ids) for w in vocab.homophones(word))


def refusal_reason(
    q: Question,
    hits: Sequence[Hit],
    documents: Mapping[str, DocumentMeta],
    vocab: Vocabulary,
    support: float = 0.0,
) -> str | None:
    """Why the corpus cannot answer this question, or None when it can."""
    intent = q.intent
    if not intent.doc_ids:
        for title in named_titles(intent.question):
            if not any(_same_title(title, meta) for meta in documents.values()):
                return f"资料中没有《{title}》这份文件的全文。"
    if any(h.via == "exact" for h in hits):
        return None
    if intent.foreign_places and not intent.doc_ids:
        return f"资料中没有{'、'.join(intent.foreign_places)}的政策文件。"
    if not hits:
        return "没有检索到相关条款。"
    share, unknown = unknown_share(q, vocab)
    if share >= UNKNOWN_SHARE_LIMIT and support < SUPPORT_LIMIT:
        return f"资料中没有关于“{'、'.join(unknown)}”的规定。"
    return None


def named_titles(question: str) -> list[str]:
    """Document titles the question names: in 《》, or long enough to be a title without them
    ("国家级人力资源服务产业园管理办法（试行）第十条")."""
    titles = re.findall(r"《([^》]+)》", question)
    if not titles:
        titles = [m.group(0) for m in lexicon().title_without_quotes.finditer(question)]
    return titles


def _same_title(title: str, meta: DocumentMeta) -> bool:
    from rapidfuzz import fuzz

    if title in meta.title or meta.title in title or fuzz.ratio(title, meta.title) >= 85:
        return True
    # "聊城市级产业园管理办法": a shortened title that still names the document's place
    return any(place in title for place in meta.places)
