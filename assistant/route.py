"""What a question asks: which document(s) it names, which article, and what else it mentions.

Routing reads only the question and the documents' own metadata (titles, 文号, places); no
question wording is special-cased.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from assistant import outline
from assistant.lexicon import lexicon
from assistant.types import DocumentMeta

_DOC_NUMBER_REF = re.compile(
    r"([\u4e00-\u9fff]{2,8}?)\s*[〔\[(（【]?\s*(\d{4})?\s*[〕\])）】年]?\s*第?\s*(\d{1,4})\s*号"
)


@dataclass(frozen=True)
class ArticleRef:
    """A structural reference in a question, read by the outline grammar."""

    label: str  # 第五条 | 二（二）5 | （二）5 (top level unknown) | 附件2 | 第3段 | 序言 | 最后
    kind: str  # unit | chapter | section | last
    ref: outline.Reference = field(default_factory=lambda: outline.Reference(""), compare=False)

    def __post_init__(self) -> None:
        # Built from a label alone (ArticleRef("第五条（三）", …)): the grammar reads the label.
        if not self.ref.steps and not self.ref.position:
            if self.kind == "section":
                ref = outline.Reference(self.label, outline.label_path(self.label), self.label)
            elif self.kind == "last":
                ref = outline.Reference(self.label, (), "last")
            else:
                ref = outline.Reference(self.label, outline.label_path(self.label))
            object.__setattr__(self, "ref", ref)


@dataclass(frozen=True)
class Intent:
    question: str  # normalised
    topic: str  # the question without the names of documents and articles: what to search for
    doc_ids: tuple[str, ...]  # documents the question names, in order of mention
    hinted: tuple[str, ...]  # documents whose level word it uses (自治区级 …)
    articles: tuple[ArticleRef, ...]
    places: tuple[str, ...]  # every place named
    foreign_places: tuple[str, ...]  # places named that no document belongs to
    # parts of a compilation the question names by their own title: (doc_id, 第一篇), see `parts`
    parts: tuple[tuple[str, str], ...] = ()


_T2S = None


def normalise_question(text: str) -> str:
    """Traditional → simplified, full-width digits/letters → ASCII, blanks folded."""
    global _T2S
    text = "".join(
        unicodedata.normalize("NFKC", ch) if ch.isalnum() and ord(ch) > 0xFF00 else ch for ch in text
    )
    text = re.sub(r"\s+", " ", text.replace("\u3000", " ")).strip()
    if _T2S is None:
        import opencc

        _T2S = opencc.OpenCC("t2s")
    return str(_T2S.convert(text))


def parse_article_refs(question: str) -> tuple[ArticleRef, ...]:
    refs: list[ArticleRef] = []
    for ref in outline.find_references(question):
        if ref.position == "last":
            refs.append(ArticleRef("最后", "last", ref))
        elif ref.position:
            refs.append(ArticleRef(ref.position, "section", ref))
        elif ref.steps[0][0] in outline.CONTAINERS and not (ref.steps[0][0] == "pian" and len(ref.steps) > 1):
            # 第二章 names a chapter; 第二篇第三条 an article of a compilation's second policy
            refs.append(ArticleRef(outline.render_label(ref.steps[:1]), "chapter", ref))
        else:
            refs.append(ArticleRef(outline.render_label(ref.steps), "unit", ref))
    return tuple(dict.fromkeys(refs))


@dataclass(frozen=True)
class _DocNames:
    doc_id: str
    aliases: tuple[str, ...]
    levels: tuple[str, ...]  # 自治区级 / 市级 …: a hint, weaker than a name
    number: tuple[str, str, str] | None  # (prefix, year, serial) of its 文号


def _doc_names(meta: DocumentMeta) -> _DocNames:
    aliases = {meta.doc_id, meta.title, *meta.places}
    core = re.sub(r"^(关于)?(印发)?", "", meta.title)
    core = re.sub(r"(的通知)$", "", core)
    aliases.add(core)
    levels = tuple(m.group(1) for m in lexicon().level.finditer(meta.title))
    number = None
    if meta.doc_number and (m := _DOC_NUMBER_REF.search(meta.doc_number)):
        number = (m.group(1), m.group(2) or "", m.group(3))
        aliases.add(meta.doc_number)
    return _DocNames(meta.doc_id, tuple(sorted(a for a in aliases if len(a) >= 2)), levels, number)


@dataclass(frozen=True)
class _Corpus:
    """What questions are matched against, built once per set of documents (not per question):
    every document's names, the words to strip longest first, and places in pinyin."""

    names: tuple[_DocNames, ...]
    aliases: tuple[str, ...]  # longest first
    words: tuple[str, ...]  # aliases and level words, longest first
    places: frozenset[str]  # every place some document belongs to
    documents: Mapping[str, DocumentMeta] | None = field(default=None, compare=False, repr=False)
    # as stored with an index's tables; else derived from `documents` on first use
    stored_sounds: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]] | None = field(
        default=None, compare=False, repr=False
    )

    @cached_property
    def sounds(self) -> Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]]:
        """Pinyin of every place, by its first syllable: (doc_id, the place's syllables). Built
        when a question names no document (pypinyin's import costs ~0.15 s of a cold answer)."""
        if self.stored_sounds is not None:
            return self.stored_sounds
        from pypinyin import lazy_pinyin

        return _by_first_syllable(
            (m.doc_id, tuple(lazy_pinyin(p))) for m in (self.documents or {}).values() for p in m.places
        )

    # Lookups derived on first use (not stored): which of thousands of names a question can
    # contain is found from its character pairs, not by testing every name against it.
    @cached_property
    def alias_heads(self) -> _Heads:
        return _Heads(self.aliases)

    @cached_property
    def word_heads(self) -> _Heads:
        return _Heads(self.words)

    @cached_property
    def alias_owners(self) -> dict[str, list[int]]:
        """alias → the positions in `names` of the documents it names (a place names many)."""
        owners: dict[str, list[int]] = {}
        for at, entry in enumerate(self.names):
            for alias in entry.aliases:
                owners.setdefault(alias, []).append(at)
        return owners

    @cached_property
    def by_level(self) -> dict[str, list[int]]:
        grouped: dict[str, list[int]] = {}
        for at, entry in enumerate(self.names):
            for level in entry.levels:
                grouped.setdefault(level, []).append(at)
        return grouped

    @cached_property
    def by_serial(self) -> dict[str, list[int]]:
        """The serial of a 文号 (…1号) → the positions in `names` of the documents with it."""
        grouped: dict[str, list[int]] = {}
        for at, entry in enumerate(self.names):
            if entry.number is not None:
                grouped.setdefault(entry.number[2], []).append(at)
        return grouped


class _Heads:
    """Words (in their given order) by their first two characters."""

    def __init__(self, words: tuple[str, ...]) -> None:
        self.words = words
        self.heads: dict[str, list[int]] = {}
        # A word with a blank can appear once another is cut out of a text ("A B" after
        # "A…B" loses its middle); such words (and one-character ones) are always tried.
        self.always: list[int] = []
        for rank, word in enumerate(words):
            if len(word) < 2 or any(ch.isspace() for ch in word):
                self.always.append(rank)
            else:
                self.heads.setdefault(word[:2], []).append(rank)

    def within(self, text: str) -> list[str]:
        """The words that may occur in `text`, in their order: every word that does occur, and
        every word that would once others are replaced by blanks (which joins no characters)."""
        ranks = set(self.always)
        for i in range(len(text) - 1):
            ranks.update(self.heads.get(text[i : i + 2], ()))
        return [self.words[r] for r in sorted(ranks)]


# Bump when what the tables hold changes (how names, aliases or sounds are derived): an index
# that stored older tables then rebuilds them instead of routing with a wrong table.
ROUTING_VERSION = 2

_CORPORA: dict[int, tuple[Mapping[str, DocumentMeta], _Corpus]] = {}


def _corpus(documents: Mapping[str, DocumentMeta]) -> _Corpus:
    """An index's documents carry the tables stored with it (`routing`); any other mapping is
    cached by its identity (its documents never change once loaded), held so that its id
    cannot be reused by another."""
    stored = getattr(documents, "routing", None)
    if isinstance(stored, _Corpus):
        return stored
    cached = _CORPORA.get(id(documents))
    if cached is not None and cached[0] is documents:
        return cached[1]
    corpus = build_routing(documents)
    if len(_CORPORA) >= 8:
        _CORPORA.pop(next(iter(_CORPORA)))
    _CORPORA[id(documents)] = (documents, corpus)
    return corpus


def build_routing(documents: Mapping[str, DocumentMeta]) -> _Corpus:
    """Every document's names, the words to strip longest first, and places in pinyin (the
    costly part: 6,522 documents' places take seconds). Ties in length sort by the text, so a
    table built in any process strips words in the same order."""
    names = tuple(_doc_names(meta) for _, meta in sorted(documents.items()))
    return _Corpus(
        names=names,
        aliases=_longest_first({a for e in names for a in e.aliases}),
        words=_longest_first({a for e in names for a in (*e.aliases, *e.levels)}),
        places=frozenset(p for m in documents.values() for p in m.places),
        documents=documents,
    )


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def routing_to_json(corpus: _Corpus) -> dict[str, Any]:
    return {
        "names": [[e.doc_id, list(e.aliases), list(e.levels), e.number] for e in corpus.names],
        "aliases": list(corpus.aliases),
        "words": list(corpus.words),
        "places": sorted(corpus.places),
        "sounds": {head: [[d, list(s)] for d, s in group] for head, group in corpus.sounds.items()},
    }


def routing_from_json(data: Mapping[str, Any]) -> _Corpus:
    return _Corpus(
        names=tuple(
            _DocNames(d, tuple(aliases), tuple(levels), tuple(number) if number else None)
            for d, aliases, levels, number in data["names"]
        ),
        aliases=tuple(data["aliases"]),
        words=tuple(data["words"]),
        places=frozenset(data["places"]),
        stored_sounds={head: tuple((d, tuple(s)) for d, s in group) for head, group in data["sounds"].items()},
    )


def _by_first_syllable(
    pairs: Iterable[tuple[str, tuple[str, ...]]],
) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    grouped: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for doc_id, syllables in pairs:
        if syllables:
            grouped.setdefault(syllables[0], []).append((doc_id, syllables))
    return {head: tuple(group) for head, group in grouped.items()}


def _announcer(prefix: str) -> str:
    """公告 / 令 / 通告 ending a 文号's prefix: "柘泉市人社局公告2026年第11号" names the number
    "柘泉市人力资源和社会保障局公告2026年第11号" by its kind, year and serial."""
    m = re.search(r"(公告|通告|令)$", prefix)
    return m.group(1) if m else ""


def named_documents(question: str, documents: Mapping[str, DocumentMeta]) -> tuple[str, ...]:
    """Documents the question names, by place, level, title or 文号, in order of mention."""
    corpus = _corpus(documents)
    names = corpus.names
    found: dict[str, int] = {}
    for m in _DOC_NUMBER_REF.finditer(question):
        prefix, year, serial = m.group(1), m.group(2) or "", m.group(3)
        for at in corpus.by_serial.get(serial, ()):
            p, y, _ = names[at].number  # type: ignore[misc]
            if (prefix.endswith(p) and (not year or not y or year == y)) \
                    or (year and year == y and _announcer(prefix) and _announcer(prefix) == _announcer(p)):
                found.setdefault(names[at].doc_id, m.start())
    first: dict[int, int] = {}  # position in `names` → where its earliest alias starts
    for alias in corpus.alias_heads.within(question):
        start = question.find(alias)
        if start >= 0:
            for at in corpus.alias_owners[alias]:
                first[at] = min(first.get(at, start), start)
    for at in sorted(first):
        found.setdefault(names[at].doc_id, first[at])
    if not found:
        found = _homophone_places(question, documents)
    return tuple(sorted(found, key=lambda d: found[d]))


def _homophone_places(question: str, documents: Mapping[str, DocumentMeta]) -> dict[str, int]:
    """A place typed with the wrong character of the same sound (聊成 for 聊城) — the commonest
    typo with a pinyin input method — still names its document."""
    from pypinyin import lazy_pinyin

    sounds = lazy_pinyin(question)
    found: dict[str, int] = {}
    by_head = _corpus(documents).sounds
    for start, sound in enumerate(sounds):
        for doc_id, target in by_head.get(sound, ()):
            if tuple(sounds[start : start + len(target)]) == target:
                found.setdefault(doc_id, start)
    return found


def _current_versions(
    named: tuple[str, ...], question: str, documents: Mapping[str, DocumentMeta]
) -> tuple[str, ...]:
    """A place names every version of a policy; the replaced one counts only when the question
    names it by its own title or 文号 (or asks about 试行/旧/原 versions)."""
    keep = []
    among = set(named)  # a province names hundreds of documents
    for doc_id in named:
        meta = documents[doc_id]
        if meta.superseded_by in among and not _names_itself(meta, question):
            continue
        keep.append(doc_id)
    return tuple(keep)


def _names_itself(meta: DocumentMeta, question: str) -> bool:
    own = {meta.title, meta.doc_number or meta.title, meta.doc_id}
    return any(name in question for name in own) or bool(re.search(r"试行|旧|原来|之前|老", question))


def hinted_documents(question: str, documents: Mapping[str, DocumentMeta]) -> tuple[str, ...]:
    """Documents whose level word (自治区级, 市级 …) the question uses: a ranking hint only,
    since a level word also names other parks ("申请设立国家级产业园")."""
    corpus = _corpus(documents)
    # Words inside a full name (聊城市市级…) are not a separate hint.
    for alias in corpus.alias_heads.within(question):
        if alias in question:
            question = question.replace(alias, " ")
    hinted = {at for level, owners in corpus.by_level.items() if level in question for at in owners}
    return tuple(corpus.names[at].doc_id for at in sorted(hinted))


@lru_cache(maxsize=4096)
def places_in(question: str) -> tuple[str, ...]:
    """Place names jieba tags in a question (HMM on: invented names too). Cached: a question is
    routed more than once on its way (contextualise, dialogue, answer), and the tagger's Viterbi
    pass is the dearest step of routing."""
    from assistant.warmstart import posseg_module

    not_places = lexicon().not_places
    return tuple(
        dict.fromkeys(
            tok.word
            for tok in posseg_module().lcut(question)
            if tok.flag == "ns" and len(tok.word) >= 2 and tok.word not in not_places
        )
    )


def topic_of(question: str, documents: Mapping[str, DocumentMeta], named: Sequence[str] = ()) -> str:
    """Strip document names, 文号, levels and article references: they pick documents and
    articles, and as search words they only favour articles that repeat the title. A level
    word that is no named document's own ("云岫规划里省级产业园要建到几家") is the subject."""
    text = _DOC_NUMBER_REF.sub(" ", question)
    for ref in outline.find_references(text):
        text = text.replace(ref.text, " ")
    corpus = _corpus(documents)
    own_levels = {lv for entry in corpus.names if entry.doc_id in named for lv in entry.levels}
    for word in corpus.word_heads.within(text):
        if word in corpus.by_level and named and word not in own_levels:
            continue
        if word in text:
            text = text.replace(word, " ")
    for doc_id in named:
        if doc_id in documents:
            text = _without_title_part(text, documents[doc_id].title)
    text = re.sub(r"[《》]", " ", text)
    for everyday, statutory in lexicon().synonyms:
        if everyday in text:
            text = _replace_words(text, everyday, statutory)
    return re.sub(r"\s+", " ", text).strip()


def _replace_words(text: str, everyday: str, statutory: str) -> str:
    """`everyday` replaced where it is written as itself, not where it is part of a word across
    its edge: 房补 in "房补退不退" but not in "购房补贴" (购房/补贴)."""
    from assistant.warmstart import jieba_module

    spans, at = [], 0
    for token in jieba_module().lcut(text, HMM=False):
        spans.append((at, at + len(token)))
        at += len(token)
    out, start = [], 0
    for m in re.finditer(re.escape(everyday), text):
        # a word running across one edge of it (购房|补贴 across 房补), not one holding it (各县区)
        if any(a < m.start() < b < m.end() or m.start() < a < m.end() < b for a, b in spans):
            continue
        out.append(text[start : m.start()] + statutory)
        start = m.end()
    return "".join(out) + text[start:]


def _without_title_part(text: str, title: str) -> str:
    """A named document's own kind written with a part of its title ("那个实施办法" of a
    "…扶持资金管理实施办法") names that document: it is no subject, and its 实施 asks nothing
    about validity. The longest run of the title ending in a document noun is cut, with a
    demonstrative before it."""
    lex = lexicon()
    for m in list(lex.document_noun.finditer(text)):
        start = m.start()
        while start > 0 and text[start - 1 : m.end()] in title:
            start -= 1
        if start == m.start():
            continue  # the noun alone ("办法") is a question word already
        for word in lex.demonstratives:
            if text[:start].endswith(word):
                start -= len(word)
                break
        text = text[:start] + " " * (m.end() - start) + text[m.end():]
    return text


def route(question: str, documents: Mapping[str, DocumentMeta]) -> Intent:
    text = normalise_question(question)
    places = places_in(text)
    known = _corpus(documents).places
    foreign = tuple(
        p for p in places if not any(p in k or k in p for k in known)
    )
    named = _current_versions(named_documents(text, documents), text, documents)
    hinted = hinted_documents(text, documents)
    if named:
        # "自治区级和聊城市级…分别": a level word beside a name names a second document — in a
        # question comparing documents; "申报霁川省级园要先当几年市级园" names only 霁川.
        if lexicon().comparison.search(text):
            named = named + tuple(d for d in hinted if d not in named)
    elif len(hinted) == 1 and lexicon().level_document.search(text):
        # "自治区级的那个办法": a level word with a document noun right after it names the one
        # document of that level ("国家级人力资源服务产业园管理办法" is some other title).
        named = hinted
    return Intent(
        question=text,
        topic=topic_of(text, documents, named),
        doc_ids=named,
        hinted=hinted,
        # a 文号's serial is no unit: "枫政发（2026）9号的附表" names 附表, not a point 9
        articles=parse_article_refs(_DOC_NUMBER_REF.sub(lambda m: " " * len(m.group(0)), text)),
        places=places,
        foreign_places=foreign,
    )
