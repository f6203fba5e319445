"""What a question asks: which document(s) it names, which article, and what else it mentions.

Routing reads only the question and the documents' own metadata (titles, 文号, places); no
question wording is special-cased.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from assistant import outline
from assistant.types import DocumentMeta

_DOC_NUMBER_REF = re.compile(
    r"([\u4e00-\u9fff]{2,8}?)\s*[〔\[(（【]?\s*(\d{4})?\s*[〕\])）】]?\s*第?\s*(\d{1,4})\s*号"
)
_LEVEL_DOCUMENT = re.compile(
    r"(国家级|自治区级|省级|市级|县级)的?(那个|这个|那份|这份|那项|这项)?"
    r"(办法|措施|规定|方案|文件|通知|意见|细则|规划|条例|政策)"
)
_LEVEL = re.compile(r"(国家级|自治区级|省级|市级|县级)")
# Words jieba tags as places that name no jurisdiction.
_NOT_PLACES = frozenset({"园区", "全国", "国家", "本市", "我市", "我区", "当地", "本地", "湾区", "东盟", "中国"})


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
        elif ref.steps[0][0] in outline.CONTAINERS:
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
    levels = tuple(m.group(1) for m in _LEVEL.finditer(meta.title))
    number = None
    if meta.doc_number and (m := _DOC_NUMBER_REF.search(meta.doc_number)):
        number = (m.group(1), m.group(2) or "", m.group(3))
        aliases.add(meta.doc_number)
    return _DocNames(meta.doc_id, tuple(a for a in aliases if len(a) >= 2), levels, number)


@dataclass(frozen=True)
class _Corpus:
    """What questions are matched against, built once per set of documents (not per question):
    every document's names, the words to strip longest first, and places in pinyin."""

    names: tuple[_DocNames, ...]
    aliases: tuple[str, ...]  # longest first
    words: tuple[str, ...]  # aliases and level words, longest first
    places: frozenset[str]  # every place some document belongs to
    documents: Mapping[str, DocumentMeta] = field(compare=False, repr=False)

    @cached_property
    def sounds(self) -> Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]]:
        """Pinyin of every place, by its first syllable: (doc_id, the place's syllables). Built
        when a question names no document (pypinyin's import costs ~0.15 s of a cold answer)."""
        from pypinyin import lazy_pinyin

        return _by_first_syllable(
            (m.doc_id, tuple(lazy_pinyin(p))) for m in self.documents.values() for p in m.places
        )


_CORPORA: dict[int, tuple[Mapping[str, DocumentMeta], _Corpus]] = {}


def _corpus(documents: Mapping[str, DocumentMeta]) -> _Corpus:
    """Cached by the mapping's identity (an index's documents never change once loaded); the
    mapping is held so its id cannot be reused by another."""
    cached = _CORPORA.get(id(documents))
    if cached is not None and cached[0] is documents:
        return cached[1]
    names = tuple(_doc_names(meta) for _, meta in sorted(documents.items()))
    corpus = _Corpus(
        names=names,
        aliases=tuple(sorted({a for e in names for a in e.aliases}, key=len, reverse=True)),
        words=tuple(sorted({a for e in names for a in (*e.aliases, *e.levels)}, key=len, reverse=True)),
        places=frozenset(p for m in documents.values() for p in m.places),
        documents=documents,
    )
    if len(_CORPORA) >= 8:
        _CORPORA.pop(next(iter(_CORPORA)))
    _CORPORA[id(documents)] = (documents, corpus)
    return corpus


def _by_first_syllable(
    pairs: Iterable[tuple[str, tuple[str, ...]]],
) -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    grouped: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for doc_id, syllables in pairs:
        if syllables:
            grouped.setdefault(syllables[0], []).append((doc_id, syllables))
    return {head: tuple(group) for head, group in grouped.items()}


def _names(documents: Mapping[str, DocumentMeta]) -> tuple[_DocNames, ...]:
    return _corpus(documents).names


def named_documents(question: str, documents: Mapping[str, DocumentMeta]) -> tuple[str, ...]:
    """Documents the question names, by place, level, title or 文号, in order of mention."""
    names = _names(documents)
    found: dict[str, int] = {}
    for m in _DOC_NUMBER_REF.finditer(question):
        prefix, year, serial = m.group(1), m.group(2) or "", m.group(3)
        for entry in names:
            if entry.number is None:
                continue
            p, y, s = entry.number
            if prefix.endswith(p) and serial == s and (not year or not y or year == y):
                found.setdefault(entry.doc_id, m.start())
    for entry in names:
        positions = [question.find(alias) for alias in entry.aliases if alias in question]
        if positions:
            found.setdefault(entry.doc_id, min(positions))
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
    for doc_id in named:
        meta = documents[doc_id]
        if meta.superseded_by in named and not _names_itself(meta, question):
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
    for alias in corpus.aliases:
        if alias in question:
            question = question.replace(alias, " ")
    return tuple(e.doc_id for e in corpus.names if any(level in question for level in e.levels))


def places_in(question: str) -> tuple[str, ...]:
    from assistant.warmstart import posseg_module

    return tuple(
        dict.fromkeys(
            tok.word
            for tok in posseg_module().lcut(question)
            if tok.flag == "ns" and len(tok.word) >= 2 and tok.word not in _NOT_PLACES
        )
    )


# Everyday words for the statutory ones the documents use; applied to the search text only.
SYNONYMS = (
    ("营业额", "营业收入"),
    ("营收", "营业收入"),
    ("平米", "平方米"),
    ("人社局", "人力资源和社会保障局"),
    ("人社厅", "人力资源社会保障厅"),
    ("人社部门", "人力资源社会保障部门"),
    ("啥时候", "什么时候"),
    ("摘牌", "取消授牌"),
    ("施行", "施行 实施"),  # the documents use both for coming into force
)


def topic_of(question: str, documents: Mapping[str, DocumentMeta]) -> str:
    """Strip document names, 文号, levels and article references: they pick documents and
    articles, and as search words they only favour articles that repeat the title."""
    words = _corpus(documents).words
    text = _DOC_NUMBER_REF.sub(" ", question)
    for ref in outline.find_references(text):
        text = text.replace(ref.text, " ")
    for word in words:
        if word in text:
            text = text.replace(word, " ")
    text = re.sub(r"[《》]", " ", text)
    for everyday, statutory in SYNONYMS:
        text = text.replace(everyday, statutory)
    return re.sub(r"\s+", " ", text).strip()


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
        # "自治区级和聊城市级…": a level word beside a name names a second document.
        named = named + tuple(d for d in hinted if d not in named)
    elif len(hinted) == 1 and _LEVEL_DOCUMENT.search(text):
        # "自治区级的那个办法": a level word with a document noun right after it names the one
        # document of that level ("国家级人力资源服务产业园管理办法" is some other title).
        named = hinted
    return Intent(
        question=text,
        topic=topic_of(text, documents),
        doc_ids=named,
        hinted=hinted,
        articles=parse_article_refs(text),
        places=places,
        foreign_places=foreign,
    )
