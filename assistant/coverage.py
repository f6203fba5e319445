"""Whether the corpus covers a question at all, and if not, why — said plainly.

A question is declined when it names a document or place the corpus lacks, or when most of its
subject occurs nowhere in the documents and no unit supports it lexically."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from assistant import outline
from assistant.index import tokenize
from assistant.lexicon import lexicon
from assistant.question import Question, content_words
from assistant.route import ArticleRef
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
    # a verb of receiving (拿到, 领取) asks for an amount, whatever word the documents use for it
    unknown = [
        w for w in words
        if w not in lexicon().benefit_verbs and not _known_as_any(w, vocab, q.intent.doc_ids)
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
    if earlier := _earlier_version_asked(intent.question, intent.doc_ids, documents):
        return earlier
    if not intent.doc_ids:
        for title in named_titles(intent.question):
            if not any(_same_title(title, meta) for meta in documents.values()):
                return f"资料中没有《{title}》这份文件的全文。"
    if any(h.via == "exact" for h in hits):
        return None
    if absent := absent_units(q, documents, by_doc or {}):
        return absent
    # a place no document belongs to, unless some document's text names it (a 临港分园 of a city)
    foreign = [p for p in intent.foreign_places if not vocab.known(p)]
    if foreign and not intent.doc_ids:
        return f"资料中没有{'、'.join(foreign)}的政策文件。"
    if not hits:
        return "没有检索到相关条款。"
    texts = _texts(q, hits, by_doc or {})
    # the documents asked of, when the question names them: "《…》没有关于“个税”的规定"
    where = "".join(f"《{documents[d].title}》" for d in intent.doc_ids if d in documents) or "资料中"
    share, unknown = unknown_share(q, vocab, texts)
    if share >= UNKNOWN_SHARE_LIMIT and support < SUPPORT_LIMIT:
        return f"{where}没有关于“{'、'.join(unknown)}”的规定。"
    missing = unknown_asked(q, vocab, texts)
    if missing:
        return f"{where}没有关于“{'、'.join(missing)}”的规定。"
    return unlisted(q, documents, by_doc or {})


def unlisted(q: Question, documents: Mapping[str, DocumentMeta], by_doc: Mapping[str, Sequence[Chunk]]) -> str | None:
    """"要带哪些材料" of documents that name the thing ("提交申报材料") but list it nowhere: no
    unit introduces it with its items (材料如下：, 包括…), no heading of it has points under it,
    and no annex is titled by it. Said plainly instead of quoting a sentence that only names it."""
    asked = lexicon().listed_asked.search(q.intent.question)
    if asked is None or not q.intent.doc_ids:
        return None
    noun = asked.group(1)
    introduces = re.compile(
        rf"{noun}[^。；\n]{{0,12}}?(?:：|:|包括|如下|清单|目录)"
        # a run-in heading of its own ("（二）申报材料。设立…报告；…情况")
        rf"|^\s*[（(]?[一二三四五六七八九十\d]+[）)、.．]\s*[^。，；\n]{{0,8}}{noun}。",
        re.MULTILINE,
    )
    for doc_id in q.intent.doc_ids:
        units = by_doc.get(doc_id, ())
        for unit in units:
            heading = unit.text.split("\n", 1)[0]
            if introduces.search(unit.text) or (noun in unit.chapter and len(unit.chapter) <= 20) or (
                noun in heading and len(strip_heading(heading)) <= 20
                and any(outline.is_within(u.article, unit.article) for u in units)
            ):
                return None  # listed: under a heading of its own ("四、申报材料" over its points)
    where = "".join(f"《{documents[d].title}》" for d in q.intent.doc_ids if d in documents)
    return f"{where}没有列出需要提交的具体{noun}。"


def strip_heading(line: str) -> str:
    """A heading line without its outline label ("四、申报材料" → "申报材料")."""
    return re.sub(r"^[\s（(]*[一二三四五六七八九十百零〇\d]+[）)、.．\s]*", "", line)


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
    tokens = posseg.lcut(part, HMM=False)
    for token in tokens:
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
    missing.extend(run for run in _single_character_runs(tokens) if not _abbreviates(run, vocab, q.intent.doc_ids, texts))
    return missing, known


# Tags a character of a run may carry: noun, measure (个税), direction (规上) — what a short
# name is cut into; verbs (报到市), pronouns, particles and numerals end a run.
_RUN_TAGS = ("n", "j", "l", "q", "f", "g", "b", "s")
# Tags after which a measure starts a quantity, not a name ("多少天内": 天 is a day)
_QUANTITY_TAGS = ("m",)


def _single_character_runs(tokens: Sequence[Any]) -> list[str]:
    """Short forms jieba does not know, cut into single characters ("个税" as 个/税, "规上入统"
    as 规/上/入/统): runs of two or more one-character tokens, at least one of them a noun. A
    noun tested character by character would never be missing: every character occurs
    somewhere in the documents."""
    lex = lexicon()
    runs: list[list[Any]] = []
    current: list[Any] = []
    previous = None
    for token in (*tokens, None):
        word = token.word.strip() if token is not None else ""
        measure = (
            token is not None and not current and token.flag.startswith("q")
            and previous is not None and previous.flag.startswith(_QUANTITY_TAGS)
        )
        if (
            token is not None
            and len(word) == 1
            and token.flag.startswith(_RUN_TAGS)
            and not measure
            and not lex.asking.search(word)
            and word not in lex.question_words
        ):
            current.append(token)
            previous = token
            continue
        previous = token
        if len(current) >= 2 and any(t.flag.startswith(lex.noun_tags) for t in current):
            runs.append(current)
        current = []
    return ["".join(t.word for t in run) for run in runs]


_ABBREVIATION_GAP = 3  # characters of the full form a short form may skip between two of its own


def _sounds_in(word: str, texts: Sequence[str]) -> bool:
    """Whether the texts have `word` typed with a homophone (木溪 for 沐溪): a name a pinyin
    input method got wrong is still the name."""
    from pypinyin import lazy_pinyin

    sound = lazy_pinyin(list(word))
    size = len(sound)
    for text in texts:
        spoken = lazy_pinyin(list(text))
        if any(spoken[i : i + size] == sound for i in range(len(spoken) - size + 1)):
            return True
    return False


def _abbreviates(run: str, vocab: Vocabulary, doc_ids: Sequence[str], texts: Sequence[str]) -> bool:
    """Whether the documents have what a run of characters says: the run read as one or more
    short forms of two or more characters ("高管个税" as 高管 + 个税), each a word they have or
    a full form it shortens — its characters in order with a few between (房补 in 房租补贴,
    个税 in 个人所得税)."""

    def known(short: str) -> bool:
        if _word_known(short, vocab, doc_ids) or any(short in t for t in texts):
            return True
        spread = re.compile(f".{{0,{_ABBREVIATION_GAP}}}".join(map(re.escape, short)))
        return any(spread.search(t) for t in texts) or _sounds_in(short, texts)

    readable = [True] + [False] * len(run)  # readable[i]: run[:i] splits into known short forms
    for end in range(2, len(run) + 1):
        readable[end] = any(readable[start] and known(run[start:end]) for start in range(end - 1))
    return readable[-1]


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


_EARLIER = r"(?:原来|原先|之前|以前|修改前|旧|老|原)"
_POLICY_NOUNS = "办法|措施|规定|细则|方案|意见|条例|规则|规划|通知|决定|指南|清单|问答|汇编"
_POLICY_NOUN = re.compile(rf"({_POLICY_NOUNS})(?:（[^）]*）)?$")


def _earlier_version_asked(question: str, doc_ids: Sequence[str], documents: Mapping[str, DocumentMeta]) -> str | None:
    """The question asks about the version a named document replaced ("墨垣2024年版清单") or
    amends ("枫渚原来那个扶持办法第三条"), and the library does not hold it: say so and name the
    document that stands in its place, rather than quote the newer text as if it were the old."""
    for doc_id in doc_ids:
        meta = documents[doc_id]
        amended = re.findall(r"修改《([^》]+)》", meta.title)
        replaced = [t for t in meta.supersedes if _POLICY_NOUN.search(t)]
        numbers = [_bare(t) for t in meta.supersedes if not _POLICY_NOUN.search(t) and re.search(r"\d+号$", t)]
        for title in (*replaced, *amended):
            held = any(m.superseded_by == doc_id or m.title == title for m in documents.values() if m.doc_id != doc_id)
            if held or not (_names_earlier(question, title, meta) or any(n in _bare(question) for n in numbers)):
                continue
            how = "修改" if title in amended else "替代"
            return f"资料中没有《{title}》的全文，只有{how}它的《{meta.title}》（{meta.doc_number or meta.doc_id}）。"
        if later := _later_version_asked(question, meta, documents):
            return later
    return None


def _bare(text: str) -> str:
    """A 文号 without its brackets' shape: 〔2021〕, [2021], （2021） and 【2021】 read alike."""
    return re.sub(r"[〔〕\[\]（）()【】\s]", "", text)


def _names_earlier(question: str, title: str, meta: DocumentMeta) -> bool:
    """By a year only its title has ("2024年版"), or by "原来/旧" and its kind of document —
    written with the words of the old title's end the newer one lacks ("原来那个暂行办法" of a
    暂行办法 replaced by an 实施办法)."""
    own_years = set(re.findall(r"(?:19|20)\d{2}", meta.title))
    noun = m.group(1) if (m := _POLICY_NOUN.search(title)) else "办法"
    for year in set(re.findall(r"(?:19|20)\d{2}", title)) - own_years:
        if re.search(rf"{year}\s*年?\s*(?:版|的?[^，。？?\d]{{0,4}}{noun})", question):
            return True
    said = re.search(rf"{_EARLIER}[^，。？?\d]{{0,6}}{noun}", question)
    if said is None:
        return False
    ending = title[: len(title) - len(noun)][-2:] + noun  # 暂行办法
    return not meta.title.endswith(noun) or (ending in said.group(0) and not meta.title.endswith(ending))


def _later_version_asked(question: str, meta: DocumentMeta, documents: Mapping[str, DocumentMeta]) -> str | None:
    """The question asks for a version of a named document issued after it ("2027年的新通知"
    of a 2025 通知) and the library holds none: say what it does hold, not quote the old text
    as the new one."""
    if meta.superseded_by and meta.superseded_by in documents:
        return None
    noun = m.group(1) if (m := _POLICY_NOUN.search(meta.title)) else None
    if noun is None:
        return None
    own = " ".join(filter(None, (meta.title, meta.doc_number, str(meta.valid_from or ""))))
    newest = max((int(y) for y in re.findall(r"(?:19|20)\d{2}", own)), default=None)
    if newest is None:
        return None
    for m in re.finditer(rf"((?:19|20)\d{{2}})\s*年?\s*(?:的|版)?\s*新[^，。？?\d]{{0,3}}{noun}", question):
        if int(m.group(1)) > newest:
            until = f"，有效期至{meta.valid_until.year}年{meta.valid_until.month}月{meta.valid_until.day}日" if meta.valid_until else ""
            return (
                f"资料中没有{m.group(1)}年的新{noun}；库中只有《{meta.title}》"
                f"（{meta.doc_number or meta.doc_id}）{until}。"
            )
    return None


def _same_title(title: str, meta: DocumentMeta) -> bool:
    from rapidfuzz import fuzz

    if title in meta.title or meta.title in title or fuzz.ratio(title, meta.title) >= 85:
        return True
    # "聊城市级产业园管理办法": a shortened title that still names the document's place
    return any(place in title for place in meta.places)


def absent_units(q: Question, documents: Mapping[str, DocumentMeta], by_doc: Mapping[str, Sequence[Chunk]]) -> str | None:
    """A unit the question names by its number (第三十条, 第三篇, 附件3, 二（九）) that no named
    document has: said plainly, with what the document has there — never a neighbour quoted
    in its place. Only when every numbered reference of the question names nothing."""
    from assistant.parts import part_name, parts_of
    from assistant.retrieve import resolve_refs

    intent = q.intent
    refs = [r for r in intent.articles if _numbered(r)]
    if not intent.doc_ids or not refs or len(refs) < len(intent.articles):
        return None
    pool = [c for d in intent.doc_ids for c in by_doc.get(d, ())]
    if not pool or resolve_refs(refs, pool, named=True):
        return None
    said = []
    for doc_id in intent.doc_ids:
        units = by_doc.get(doc_id, ())
        if not units:
            continue
        parts = {p.step: p for p in parts_of(units)}
        ref = refs[0]
        within, present = outline.present_instead(ref.ref.steps, [u.article for u in units])
        where = "该文件"
        if within:
            part = parts.get(within[0]) if len(within) == 1 else None
            where = part_name(part) if part else outline.render_label(within)
        names = [outline.render_label(p) for p in present]
        if present and all(p[0] in parts for p in present):
            names = [part_name(parts[p[0]]) for p in present]
        has = f"{where}只有{_span(names)}" if names else ""
        asked = ref.ref.steps[-1][0]
        if asked in outline.ANNEXES and not any(p[0][0] in outline.ANNEXES for p in present):
            has = f"{where}没有附件"  # not "只有第一条…": the annexes asked for are none at all
        said.append(f"《{documents[doc_id].title}》没有{ref.label}" + (f"，{has}" if has else "") + "。")
    return "".join(said) or None


def _numbered(ref: ArticleRef) -> bool:
    """A reference by number written out as one (第十二条, 第三篇, 附件3, 二（九）, 问3) — not a
    position (序言, 最后一段), a lone bracketed number or a decimal that may be a figure."""
    steps = ref.ref.steps
    if not steps or ref.kind == "last" or steps[0][0] == "section" or all(k == "kuan" for k, _ in steps):
        return False  # a 款 alone is a paragraph of some article the question does not name
    text = ref.ref.text or ref.label
    if steps[0][0] == "dec":
        return "第" in text  # 1.2.3, but 79.5 is as likely a figure
    return len(steps) > 1 or "第" in text or text.startswith(outline.ANNEXES) or steps[0][0].startswith("pre:")


def _span(names: Sequence[str]) -> str:
    """第一条至第九条 for a run of three or more; else the names, 、-separated."""
    if len(names) >= 3 and _consecutive(names):
        return f"{names[0]}至{names[-1]}（共{len(names)}个）"
    shown = names[:8]
    return "、".join(shown) + ("等" if len(names) > len(shown) else "")


def _consecutive(names: Sequence[str]) -> bool:
    paths = [outline.label_path(n) for n in names]
    if any(not p for p in paths):
        return False
    kinds = {p[-1][0] for p in paths}
    numbers = [p[-1][1] for p in paths]
    return len(kinds) == 1 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


_SHORTEST_TITLE = re.compile(rf".{{8,}}?(?:{_POLICY_NOUNS})")


def absent_title(
    question: str, documents: Mapping[str, DocumentMeta], by_doc: Mapping[str, Sequence[Chunk]]
) -> str | None:
    """A title the question names, and asks the contents of, whose place the library has but not
    that kind of document ("汭阳市…实施办法里…" where 汭阳 has only a 申报指南): said plainly, with what the library holds
    for that place — never the place's other document quoted as if it were the one named."""
    from assistant.parts import parts_of

    for named in named_titles(question):
        # the title ends at its first kind-of-document word ("…实施办法" of "…实施办法里…怎么规定")
        title = shortest.group(0) if (shortest := _SHORTEST_TITLE.match(named)) else named
        kind = _POLICY_NOUN.search(title)
        local = [m for m in documents.values() if any(p in title for p in m.places)]
        if kind is None or not local:
            continue
        if any(title in m.title or m.title in title for m in documents.values()):
            continue
        titles = [t for m in local for t in (m.title, *(p.title for p in parts_of(by_doc.get(m.doc_id, ()))))]
        if any(kind.group(1) in t for t in titles):
            continue
        place = next(p for p in local[0].places if p in title)
        title = title[title.find(place):]
        lex = lexicon()
        if lex.asking.search(title) or any(w in title for w in lex.demonstratives):
            continue  # words of the question ("那个十二条征求意见", "各是怎么规定"), not a title
        if not lex.inside_document.match(question[question.find(title) + len(title):]):
            continue  # not asked what it says ("符合…激励办法的还能拿奖励吗": the place's own text is)
        holds = "、".join(f"《{m.title}》" + (f"（{m.doc_number}）" if m.doc_number else "") for m in local)
        return f"资料中没有《{title}》这份文件；{place}的文件只有{holds}。"
    return None
