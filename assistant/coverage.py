"""Whether the corpus covers a question at all, and if not, why — said plainly.

A question is declined when it names a document or place the corpus lacks, or when most of its
subject occurs nowhere in the documents and no unit supports it lexically."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from assistant.index import tokenize
from assistant.lexicon import lexicon
from assistant.question import Question, content_words
from assistant.types import Chunk, DocumentMeta, Hit
from assistant.vocabulary import Vocabulary

# Calibrated on evals/dev.jsonl (sweep in evals/README.md): a question is out of corpus when
# most of its subject is unknown AND no article matches it strongly (raw BM25 of the best
# article): strong lexical support means the unknown words are phrasing, not the subject.
UNKNOWN_SHARE_LIMIT = 0.55
SUPPORT_LIMIT = 3.5


def unknown_share(q: Question, vocab: Vocabulary, texts: Sequence[str] = ()) -> tuple[float, list[str]]:
    """How much of the question's subject occurs nowhere in the (named) documents: the
    idf-weighted share of its content words that are unknown, so that words every article
    uses (产业园, 人力资源) count for little and a missing subject (公积金, 上市) for much. With
    `texts`, a word they have as text, or a word jieba cut across a boundary they have
    ("每月租金" as 每/月租金 where they say 租金补贴), is known."""
    words = list(q.subject)
    if not words:
        return 0.0, []
    topic = q.topic.lower()
    unknown = [
        w for w in words
        if not _known_as_any(w, vocab, q.intent.doc_ids)
        and not (texts and (any(w in t for t in texts) or _miscut_in(topic, w, vocab, q.intent.doc_ids)))
    ]
    weight = {w: vocab.idf(w) for w in words}
    return sum(weight[w] for w in unknown) / sum(weight.values()), unknown


def _known_as_any(word: str, vocab: Vocabulary, doc_ids: Sequence[str]) -> bool:
    """Known as itself or as a word meaning the same (员工 where the documents say 从业人员)."""
    return any(_word_known(w, vocab, doc_ids) for w in (word, *lexicon().equivalents.get(word, ())))


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
    by_doc: Mapping[str, Sequence[Chunk]] | None = None,
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
    texts = _texts(q, hits, by_doc or {})
    share, unknown = unknown_share(q, vocab, texts)
    if share >= UNKNOWN_SHARE_LIMIT and support < SUPPORT_LIMIT:
        return f"资料中没有关于“{'、'.join(unknown)}”的规定。"
    missing = unknown_asked(q, vocab, texts)
    if missing:
        return f"资料中没有关于“{'、'.join(missing)}”的规定。"
    return None


def asked_parts(text: str) -> list[str]:
    """The clauses of a question that ask (人才公寓租金打几折); a question with no asking clause
    ("帮我写个…") is all asked part. Clauses that only set the scene ("输送普通工人，…各奖多少")
    describe the asker, whose words the documents need not use."""
    clauses = [c for c in re.split(r"[，,。？?！!；;：:\s]+", text) if c]
    asking = [c for c in clauses if lexicon().asking.search(c)]
    return asking or ["，".join(clauses)]


def unknown_asked(q: Question, vocab: Vocabulary, texts: Sequence[str]) -> list[str]:
    """Nouns the (named) documents never use — not as words, not as text (a word jieba cut
    across a boundary, 家规 in "50家规上企业", is text they have), not as a homophone — in every
    asking clause of the question. A question whose asked thing the documents never mention
    is one they cannot answer, however well its other words match; one with an answerable
    clause beside it ("要准备哪些材料，纸质版交几份") is answered. Questions about a document
    itself (validity, draft, which article, a whole unit, a unit by its label) are not about a
    noun."""
    if q.about_validity or q.about_draft or q.which_article or q.wants_whole or q.intent.articles:
        return []
    missing: list[str] = []
    for part in asked_parts(q.topic):
        unknown, known = _nouns(part, q, vocab, texts)
        if known and not unknown:
            return []  # this clause asks about something the documents have
        missing.extend(unknown)
    return list(dict.fromkeys(missing))


def _nouns(part: str, q: Question, vocab: Vocabulary, texts: Sequence[str]) -> tuple[list[str], int]:
    """The nouns of one clause the documents never use, and how many they do use (a clause with
    none of either, "每平米补多少", says nothing about coverage)."""
    from assistant.warmstart import posseg_module

    posseg = posseg_module()  # the tag table from the start-up cache, not dict.txt

    lex = lexicon()
    content = set(content_words(part))
    missing = []
    known = 0
    at = 0
    for token in posseg.lcut(part, HMM=False):
        start, at = at, at + len(token.word)
        word = token.word.strip().lower()
        if (
            word not in content
            or len(set(word)) == 1  # 啊啊啊, 哈哈: noise, not a thing asked about
            or word.startswith("每")  # 每平方米, 每人: a measure, not a thing
            or not token.flag.startswith(lex.noun_tags)
            or lex.asking.search(word)
            or lex.yes_no.search(word)
        ):
            continue
        if any(
            _word_known(w, vocab, q.intent.doc_ids) or any(w in t for t in texts)
            for w in (word, *lex.equivalents.get(word, ()))
        ) or _miscut(part, start, at, vocab, q.intent.doc_ids):
            known += 1
        else:
            missing.append(word)
    return missing, known


def _miscut(text: str, start: int, end: int, vocab: Vocabulary, doc_ids: Sequence[str]) -> bool:
    """Whether the word text[start:end] is a cut across a boundary the documents have: its first
    character belongs to the word before and the rest with what follows ("多少家规上企业" cut as
    家规 where the documents have the word 规上; "多大面积" as 多/大面积 where they have 面积), or its
    last character to the word after. Only a word of the documents counts, not any two
    characters of their text ("企业上市" is not 企业上规)."""
    # the rest of the word alone: when its first character ends a question word (多|大面积), or
    # is a one-character modifier of a word the documents use (月租金 is a 租金)
    question_word = start > 0 and lexicon().asking.fullmatch(text[start - 1 : start + 1])
    alone = (0,) if question_word or end - start >= 3 else ()
    pieces = [text[start + 1 : end + k] for k in (*alone, 1, 2)] + [
        text[start - k : end - 1] for k in (1, 2) if start - k >= 0
    ]
    return any(len(p) >= 2 and p != text[start:end] and vocab.known(p, doc_ids) for p in pieces)


def _miscut_in(text: str, word: str, vocab: Vocabulary, doc_ids: Sequence[str]) -> bool:
    at = text.find(word)
    return at >= 0 and _miscut(text, at, at + len(word), vocab, doc_ids)


def _texts(q: Question, hits: Sequence[Hit], by_doc: Mapping[str, Sequence[Chunk]]) -> list[str]:
    """Where an unknown word may still occur as text: the retrieved units and every unit of
    the named documents, with the headings above them (三、申报程序)."""
    texts = [h.chunk.text + h.chunk.chapter for h in hits]
    for doc_id in q.intent.doc_ids:
        texts.extend(c.text + c.chapter for c in by_doc.get(doc_id, ()))
    return texts


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
