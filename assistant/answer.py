"""The offline composer: extractive, sentence-level, cited, and honest about what it lacks.

Every sentence it shows comes verbatim from a cited article or from a calculator result; it
never writes a number of its own. When the corpus does not cover a question it declines and
says what the corpus does cover.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant import outline
from assistant.addressed import addressed_to_reader
from assistant.index import tokenize
from assistant.route import Intent
from assistant.types import Answer, Chunk, Citation, DocumentMeta, Hit, Status, ToolCall
from assistant.vocabulary import Vocabulary

# Words that shape a question but name no subject: they never decide coverage or sentences.
QUESTION_WORDS = frozenset(
    "多少 多久 多长 几 几年 几天 几个 什么 哪些 哪个 哪里 哪 怎么 怎么样 如何 是否 有没有 能不能 "
    "可以 能 要求 规定 条件 标准 门槛 最低 最高 最多 最少 分别 各 各是 讲 说 内容 好处 需要 还 吗 "
    "呢 啥 么 拿 给 算 才能 时候 什么时候 情况 问题 相关 具体 的话 要 多 少 差 还差 够 不够 够不够 "
    "达标 符合 满足 哪天 哪一天 以后 之前 之后 开始 结束 一共 总共 正好 整 现在 今年 明年 我们 公司 "
    "企业 单位 那个 这个 办法 措施 文件 写 定义 意思 谁 是 有 会 想 做 交 准备 都 里 前 时 "
    "一下 请问 告诉 知道 了解 这 那 哪项 哪条 哪一条 第几条 条款 规定了".split()
)
_SENTENCE_END = re.compile(r"(?<=[。；！？])")

_ASKS = {
    "who": (re.compile(r"谁|哪个部门|哪个单位|哪家单位|哪一级|哪级|什么部门|什么单位|牵头"),
            re.compile(r"牵头单位|责任单位|负责|部门|人民政府|局|厅")),
    "duration": (re.compile(r"多久|多长时间|多长|几天|几日|多少天|几年|多少年|期限|周期|什么时候|何时|哪天|几月|时限"),
                 re.compile(r"\d+\s*(日|天|年|个月|月|个工作日)|[一二三两]年|每年|季度|月底")),
    "amount": (re.compile(r"多少钱|多少万|金额|资金|奖励多少|补贴多少|奖多少|给多少|经费"),
               re.compile(r"\d+(\.\d+)?\s*(万元|亿元|元)")),
    "area": (re.compile(r"面积|平方米|平米"), re.compile(r"\d+\s*平方米")),
    "count": (re.compile(r"几家|多少家|几个|多少个|多少人|几人|数量|几名"),
              re.compile(r"\d+\s*(家|个|人|名)")),
    "percent": (re.compile(r"比例|占比|百分|%"), re.compile(r"\d+\s*%")),
}
_WHICH_ARTICLE = re.compile(r"哪一条|哪条|第几条|哪个条款|哪一项|哪项规定|哪个规定|出自")
_VALIDITY = re.compile(
    r"有效期|有效吗|还有效|失效|过期|施行|实施|生效|什么时候开始|截止|到期|还能用|还管用|还算数|作废|废止|还在用"
)
_DRAFT_Q = re.compile(r"草稿|草案|正式|征求意见|定稿|第几稿|几稿")
_WHOLE = re.compile(r"讲的?是?什么|讲了什么|讲啥|说了?什么|说的什么|是什么内容|什么内容|规定了?什么|规定了啥|内容是|全文|原文|怎么说的?|写的?什么|条文")


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: str
    position: int


def split_sentences(chunk: Chunk) -> list[Sentence]:
    out: list[Sentence] = []
    for paragraph in chunk.text.split("\n"):
        for piece in _SENTENCE_END.split(paragraph):
            if piece.strip():
                out.append(Sentence(piece.strip(), paragraph, len(out)))
    return out


_VOCABULARIES: dict[int, tuple[Sequence[Chunk], Vocabulary]] = {}


def vocabulary_for(chunks: Sequence[Chunk]) -> Vocabulary:
    """An index's articles carry the vocabulary stored with them (`vocabulary`); any other
    list gets one built once, cached by its identity (and held, so the id is not reused):
    hashing every article on every question cost 8.7 ms at 10k articles."""
    stored = getattr(chunks, "vocabulary", None)
    if isinstance(stored, Vocabulary):
        return stored
    cached = _VOCABULARIES.get(id(chunks))
    if cached is not None and cached[0] is chunks:
        return cached[1]
    vocab = Vocabulary.build(chunks)
    if len(_VOCABULARIES) >= 4:
        _VOCABULARIES.pop(next(iter(_VOCABULARIES)))
    _VOCABULARIES[id(chunks)] = (chunks, vocab)
    return vocab


# jieba part-of-speech tags that never carry a question's subject: pronouns (那些, 这边),
# conjunctions (如果, 要是), adverbs (最多), numerals and measure words, particles, time and
# direction words, interjections.
_FUNCTION_TAGS = ("r", "c", "d", "m", "q", "u", "p", "t", "f", "y", "e", "o", "x", "z")


def content_words(text: str) -> list[str]:
    """Subject words of a question: nouns, verbs and the like, not question vocabulary,
    function words or numbers."""
    import jieba.posseg

    words = []
    # HMM off: only dictionary words; HMM "new words" are mostly mis-cuts of colloquial text
    for token in jieba.posseg.lcut(text, HMM=False):
        word = token.word.strip().lower()
        # a code such as "5A" is a subject; bare numbers and single letters are not
        is_code = bool(re.fullmatch(r"(?=.*\d)(?=.*[a-z])[\da-z]{2,}", word))
        if not is_code and (len(word) < 2 or word in QUESTION_WORDS or re.fullmatch(r"[\W\d_.%a-z]+", word)):
            continue
        if token.flag != "eng" and token.flag.startswith(_FUNCTION_TAGS):
            continue
        words.append(word)
    return list(dict.fromkeys(words))


def unknown_share(intent: Intent, vocab: Vocabulary) -> tuple[float, list[str]]:
    """How much of the question's subject occurs nowhere in the (named) documents: the
    idf-weighted share of its content words that are unknown, so that words every article
    uses (产业园, 人力资源) count for little and a missing subject (公积金, 上市) for much."""
    words = content_words(intent.topic or intent.question)
    if not words:
        return 0.0, []
    unknown = [w for w in words if not _word_known(w, vocab, intent.doc_ids)]
    weight = {w: vocab.idf(w) for w in words}
    return sum(weight[w] for w in unknown) / sum(weight.values()), unknown


def _word_known(word: str, vocab: Vocabulary, doc_ids: Sequence[str]) -> bool:
    if vocab.known(word, doc_ids):
        return True
    # A compound the index split differently ("专项资金" ↔ "专项"+"资金") is known if its parts are.
    parts = [t for t in tokenize(word) if t != word]
    return bool(parts) and all(vocab.known(p, doc_ids) for p in parts)


# Calibrated on evals/dev.jsonl (sweep in evals/README.md): a question is out of corpus when
# most of its subject is unknown AND no article matches it strongly (raw BM25 of the best
# article): strong lexical support means the unknown words are phrasing, not the subject.
UNKNOWN_SHARE_LIMIT = 0.55
SUPPORT_LIMIT = 3.5


def asked_kind(question: str) -> str | None:
    for kind, (ask, _) in _ASKS.items():
        if ask.search(question):
            return kind
    return None


def score_sentence(sentence: Sentence, tokens: Sequence[str], vocab: Vocabulary, kind: str | None) -> float:
    score = sum(vocab.idf(t) for t in tokens if t in sentence.text)
    if kind and _ASKS[kind][1].search(sentence.text):
        score *= 1.5
        score += 1.0
    return score


def best_sentences(question: str, chunk: Chunk, vocab: Vocabulary, limit: int = 2) -> list[Sentence]:
    """The sentence(s) of `chunk` that answer `question`, in document order."""
    sentences = split_sentences(chunk)
    if not sentences:
        return []
    tokens = [t for t in dict.fromkeys(tokenize(question)) if t not in QUESTION_WORDS]
    kind = asked_kind(question)
    scored = sorted(
        ((score_sentence(s, tokens, vocab, kind), s) for s in sentences),
        key=lambda pair: (-pair[0], pair[1].position),
    )
    if kind:
        # the question asks for a period, amount, area …: a sentence that states one wins
        states = [pair for pair in scored if pair[0] > 0 and _ASKS[kind][1].search(pair[1].text)]
        scored = states + [pair for pair in scored if pair not in states]
    top_score = scored[0][0]
    chosen = [s for score, s in scored[:limit] if score >= 0.75 * top_score and score > 0]
    if not chosen:
        chosen = [scored[0][1]]
    return sorted(chosen, key=lambda s: s.position)


def direct_answer(question: str, sentences: Sequence[Sentence], vocab: Vocabulary) -> str:
    """The clauses of the chosen sentences that carry the answer, verbatim and in order:
    "…自收到申请之日起45日内，组织对产业园进行评估。" rather than the whole item."""
    tokens = [t for t in dict.fromkeys(tokenize(question)) if t not in QUESTION_WORDS]
    kind = asked_kind(question)
    clauses = [c for s in sentences for c in _clauses(strip_label(s.text))]
    if len(clauses) <= 2:
        return ""
    scored = [(score_sentence(Sentence(c, "", i), tokens, vocab, kind), i) for i, c in enumerate(clauses)]
    best = sorted(scored, key=lambda pair: (-pair[0], pair[1]))[:2]
    picked = sorted(i for _, i in best)
    chosen = clauses[picked[0]] + ("" if picked[-1] == picked[0] + 1 or len(picked) == 1 else "……") + (
        clauses[picked[-1]] if len(picked) > 1 else ""
    )
    return re.sub(r"[，；：、]$", "", chosen.strip()).rstrip("。") + "。"


def _clauses(text: str) -> list[str]:
    """Split at ，；。 outside brackets: "（牵头单位：市人社局，责任单位：…）" stays whole."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += ch in "（(《“"
        depth -= ch in "）)》”"
        if depth <= 0 and ch in "，；。":
            out.append(text[start : i + 1])
            start, depth = i + 1, 0
    out.append(text[start:])
    return [c for c in out if c.strip()]


def strip_label(text: str) -> str:
    marker = outline.match_marker(text)
    return (marker.rest if marker else text).strip()


def citation_for(chunk: Chunk, meta: DocumentMeta, today: dt.date) -> Citation:
    return Citation(
        doc_id=chunk.doc_id,
        title=meta.title,
        article=chunk.article,
        text=chunk.text,
        status=meta.status(today),
        doc_number=meta.doc_number,
        valid_from=meta.valid_from.isoformat() if meta.valid_from else None,
        valid_until=meta.valid_until.isoformat() if meta.valid_until else None,
    )


def source_line(meta: DocumentMeta, article: str) -> str:
    number = f"（{meta.doc_number}）" if meta.doc_number else ""
    return f"依据《{meta.title}》{number}{article}"


STATUS_WORDS: dict[Status, str] = {"draft": "草案", "in_force": "现行", "expired": "已失效", "superseded": "已被替代"}


def status_warnings(
    metas: Sequence[DocumentMeta], today: dt.date, documents: Mapping[str, DocumentMeta] | None = None
) -> list[str]:
    warnings = []
    for meta in dict.fromkeys(metas):
        newer = (documents or {}).get(meta.superseded_by or "")
        if newer is not None:
            number = f"（{newer.doc_number}）" if newer.doc_number else ""
            warnings.append(f"注意：《{meta.title}》已被《{newer.title}》{number}替代，请以新文件为准。")
        if meta.is_draft:
            warnings.append(
                f"注意：《{meta.title}》标注为{meta.draft_label or '草案'}，是草案而非正式发布文本，"
                "内容以正式印发版本为准。"
            )
        if meta.valid_until and meta.valid_until < today:
            warnings.append(f"注意：《{meta.title}》有效期至{_cn_date(meta.valid_until)}，已失效。")
        elif meta.valid_until and meta.expiring(today):
            warnings.append(f"注意：《{meta.title}》将于{_cn_date(meta.valid_until)}到期。")
        elif meta.valid_from and meta.valid_from > today:
            warnings.append(f"注意：《{meta.title}》自{_cn_date(meta.valid_from)}起施行，尚未生效。")
    return warnings


def _date_in(question: str) -> dt.date | None:
    """The day a validity question asks about: "2027年3月的时候还有效吗" → 2027-03-01."""
    m = re.search(r"(\d{4})年(\d{1,2})月(?:(\d{1,2})[日号])?", question)
    if not m:
        m = re.search(r"(\d{4})年(底|末|初)?", question)
        if not m:
            return None
        year = int(m.group(1))
        return dt.date(year, 12, 31) if m.group(2) in ("底", "末") else dt.date(year, 1, 1)
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return None


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def describe_corpus(documents: Mapping[str, DocumentMeta]) -> str:
    names = "；".join(
        f"《{m.title}》" + (f"（{m.doc_number}）" if m.doc_number else "") for m in documents.values()
    )
    return f"现有资料只包含：{names}。"


def refusal(question: str, reason: str, documents: Mapping[str, DocumentMeta]) -> Answer:
    return Answer(
        question=question,
        answer=f"未找到相关规定：{reason}{describe_corpus(documents)}请换个问法，或咨询当地人力资源社会保障部门。",
        answered=False,
        notes={"refusal": reason},
    )


def refusal_reason(
    intent: Intent,
    hits: Sequence[Hit],
    documents: Mapping[str, DocumentMeta],
    vocab: Vocabulary,
    support: float = 0.0,
) -> str | None:
    """Why the corpus cannot answer this question, or None when it can."""
    if not intent.doc_ids:
        for title in _named_titles(intent.question):
            if not any(_same_title(title, meta) for meta in documents.values()):
                return f"资料中没有《{title}》这份文件的全文。"
    if any(h.via == "exact" for h in hits):
        return None
    if intent.foreign_places and not intent.doc_ids:
        return f"资料中没有{'、'.join(intent.foreign_places)}的政策文件。"
    if not hits:
        return "没有检索到相关条款。"
    share, unknown = unknown_share(intent, vocab)
    if share >= UNKNOWN_SHARE_LIMIT and support < SUPPORT_LIMIT:
        return f"资料中没有关于“{'、'.join(unknown)}”的规定。"
    return None


_BARE_TITLE = re.compile(r"[\u4e00-\u9fff]{8,}(?:办法|条例|规定|细则|意见)(?:[（(]试行[)）])?")


def _named_titles(question: str) -> list[str]:
    """Document titles the question names: in 《》, or long enough to be a title without them
    ("国家级人力资源服务产业园管理办法（试行）第十条")."""
    titles = re.findall(r"《([^》]+)》", question)
    if not titles:
        titles = [m.group(0) for m in _BARE_TITLE.finditer(question)]
    return titles


def _same_title(title: str, meta: DocumentMeta) -> bool:
    from rapidfuzz import fuzz

    if title in meta.title or meta.title in title or fuzz.ratio(title, meta.title) >= 85:
        return True
    # "聊城市级产业园管理办法": a shortened title that still names the document's place
    return any(place in title for place in meta.places)


def compose(
    intent: Intent,
    hits: Sequence[Hit],
    documents: Mapping[str, DocumentMeta],
    chunks: Sequence[Chunk],
    today: dt.date,
    tools: Sequence[ToolCall] = (),
    tool_text: str = "",
    tool_chunks: Sequence[Chunk] = (),
    support: float = 0.0,
) -> Answer:
    """The extractive answer for a routed question and its retrieved articles.

    `support` is the raw BM25 score of the best article for the question's subject."""
    vocab = vocabulary_for(chunks)
    question = intent.question
    if tool_text:
        cited = list(dict.fromkeys(tool_chunks))
        return _answer(intent, tool_text, cited, documents, today, tools)
    # Evidence is policy text: a passage speaking to its reader (orders, pay-this-number) is
    # quoted only when the question asks for that very article.
    hits = [h for h in hits if h.via == "exact" or not addressed_to_reader(h.chunk.text)]
    exact = [h.chunk for h in hits if h.via == "exact"]
    # asked of the question without its document names: "…实施方案" is a title, not a question about 实施
    asked = intent.topic or question
    if intent.doc_ids and (_DRAFT_Q.search(asked) or (_VALIDITY.search(asked) and not exact)):
        status = _status_answer(intent, hits, documents, chunks, today)
        if status:
            return status
    reason = refusal_reason(intent, hits, documents, vocab, support)
    if reason:
        return refusal(question, reason, documents)
    if exact:
        return _lookup_answer(intent, exact, documents, vocab, today)
    targets = _targets(intent, hits, vocab)
    parts = []
    for chunk in targets:
        meta = documents[chunk.doc_id]
        sentences = best_sentences(intent.topic or question, chunk, vocab)
        quote = _complete(sentences, chunk, question)
        extreme = extreme_entry(intent.topic or question, chunk)
        lead = direct_answer(intent.topic or question, sentences, vocab) if len(targets) == 1 else ""
        if extreme:
            lead = extreme if len(targets) == 1 else f"《{meta.title}》：{extreme}"
        where = f"{source_line(meta, chunk.article)}：“{quote}”"
        if _WHICH_ARTICLE.search(question):
            where = f"相关规定在《{meta.title}》{chunk.article}：“{quote}”"
        parts.append(f"{lead}\n\n{where}" if lead else where)
    return _answer(intent, "\n\n".join(parts), targets, documents, today, tools)


_EXTREME_Q = re.compile(r"(最高|最多|最大|上限|顶格|封顶)|(最低|最少|最小|起步|门槛|起点|下限)")


def extreme_entry(question: str, chunk: Chunk) -> str | None:
    """For 最高/最多 (or 最低/起步) asked of a table of tiers — entries separated by ；, each with
    its amount — the entry at that end: "主营业务收入在30亿元及以上的，一次性奖励100万元"."""
    asked = _EXTREME_Q.search(question)
    if not asked:
        return None
    from assistant.calc.numbers import extract_quantities
    from assistant.errors import CalcError

    entries: list[tuple[tuple[Any, Any], str]] = []
    for segment in re.split(r"[；;。\n]", chunk.text):
        try:
            amounts = [q.value for q in extract_quantities(segment) if q.kind == "amount"]
        except CalcError:
            continue
        if amounts:
            # (bound, reward) order: the top tier has the highest bound and, of equal bounds,
            # the highest reward ("…至1亿元" and "1亿元及以上" share 1亿)
            low, high = min(amounts), max(amounts)
            entries.append(((high, low) if asked.group(1) else (low, high), strip_label(segment)))
    if len(entries) < 3:  # not a table of tiers
        return None
    pick = max if asked.group(1) else min
    return pick(entries, key=lambda e: e[0])[1].strip("，, ") + "。"


_LIST_Q = re.compile(r"哪些|哪几|包括什么|包括哪|有什么|什么材料|几个方面|分别是什么|指哪")


def _complete(sentences: Sequence[Sentence], chunk: Chunk, question: str) -> str:
    """The quote: the chosen sentences, grown to the whole item when the question asks for a
    list or the sentence introduces one ("提交如下申报材料：" + 1．… 5．…)."""
    if not sentences:
        return ""
    paragraphs = chunk.text.split("\n")
    if _LIST_Q.search(question):
        chosen = list(dict.fromkeys(s.paragraph for s in sentences))
        text = "\n".join(chosen)
    else:
        text = "".join(s.text for s in sentences)
    last = sentences[-1]
    if last.text.endswith("：") or (_LIST_Q.search(question) and last.paragraph.endswith("：")):
        start = paragraphs.index(last.paragraph) + 1
        items = []
        for para in paragraphs[start:]:
            if outline.match_marker(para) is None:  # the list's items, whatever their numbering
                break
            items.append(para)
        if items:
            text += "\n" + "\n".join(items)
    return text


RERANK_DEPTH = 3


def _targets(intent: Intent, hits: Sequence[Hit], vocab: Vocabulary) -> list[Chunk]:
    """The article(s) to answer from: the best one, or the best per named document.

    Among the first few hits (of each document), the article whose best sentence answers the
    question best wins; retrieval rank breaks ties. Retrieval finds the neighbourhood, the
    sentence decides."""
    if not hits:
        return []
    groups = [[h for h in hits if h.chunk.doc_id == d] for d in intent.doc_ids] if len(intent.doc_ids) > 1 else [list(hits)]
    return [_rerank(group[:RERANK_DEPTH], intent, vocab) for group in groups if group]


def _rerank(hits: Sequence[Hit], intent: Intent, vocab: Vocabulary) -> Chunk:
    question = intent.topic or intent.question
    tokens = [t for t in dict.fromkeys(tokenize(question)) if t not in QUESTION_WORDS]
    kind = asked_kind(question)
    sentence_scores = [
        max((score_sentence(s, tokens, vocab, kind) for s in split_sentences(h.chunk)), default=0.0) for h in hits
    ]
    top_sentence = max(sentence_scores) or 1.0
    top_hit = max(h.score for h in hits) or 1.0
    combined = [0.5 * s / top_sentence + 0.5 * h.score / top_hit for s, h in zip(sentence_scores, hits, strict=True)]
    return hits[max(range(len(hits)), key=lambda i: (combined[i], -i))].chunk


def _lookup_answer(
    intent: Intent, exact: Sequence[Chunk], documents: Mapping[str, DocumentMeta], vocab: Vocabulary, today: dt.date
) -> Answer:
    parts = []
    specific = not _WHOLE.search(intent.question) and content_words(intent.topic)
    for chunk in exact[:3]:
        meta = documents[chunk.doc_id]
        lead = ""
        if specific:
            sentences = best_sentences(intent.topic, chunk, vocab)
            lead = (direct_answer(intent.topic, sentences, vocab) or strip_label("".join(s.text for s in sentences))) + "\n\n"
        parts.append(f"{lead}《{meta.title}》{chunk.article}规定：\n{chunk.text}")
    if len({c.doc_id for c in exact}) > 1 and not intent.doc_ids:
        parts.insert(0, "多份文件都有这一条，分别是：")
    return _answer(intent, "\n\n".join(parts), list(exact[:3]), documents, today, ())


def _status_answer(
    intent: Intent, hits: Sequence[Hit], documents: Mapping[str, DocumentMeta], chunks: Sequence[Chunk], today: dt.date
) -> Answer | None:
    doc_ids = list(intent.doc_ids) or ([hits[0].chunk.doc_id] if hits else [])
    parts: list[str] = []
    cited: list[Chunk] = []
    for doc_id in doc_ids:
        meta = documents[doc_id]
        own = [c for c in chunks if c.doc_id == doc_id]
        validity = next((c for c in reversed(own) if re.search(r"有效期|施行|实施之日|起实施", c.text)), None)
        facts = []
        if meta.is_draft:
            facts.append(f"该文本标注为“{meta.draft_label}”，属于草案，不是正式印发的文件")
        if validity is not None:
            sentences = [
                strip_label(s.text).rstrip("。；")
                for s in split_sentences(validity)
                if re.search(r"有效期|施行|实施|停止执行|废止", s.text)
            ]
            facts.extend(sentences or [strip_label(validity.text)])
            cited.append(validity)
        elif own:
            cited.append(own[0])
        newer = documents.get(meta.superseded_by or "")
        if newer is not None:
            facts.append(f"已被《{newer.title}》替代")
        if meta.valid_until:
            as_of = _date_in(intent.question) or today
            state = "仍在有效期内" if meta.valid_until >= as_of else "已过有效期，已失效"
            facts.append(f"截至{_cn_date(as_of)}{state}（有效期至{_cn_date(meta.valid_until)}）")
            if meta.validity_rule:
                facts.append(meta.validity_rule)
        elif not meta.is_draft:
            facts.append("文件没有规定有效期的截止日期")
        if not facts:
            continue
        where = f"{source_line(meta, cited[-1].article)}" if cited else f"《{meta.title}》"
        parts.append(f"《{meta.title}》：" + "；".join(facts) + f"。\n{where}。")
    if not parts:
        return None
    return _answer(intent, "\n\n".join(parts), cited, documents, today, ())


def _answer(
    intent: Intent,
    text: str,
    cited: Sequence[Chunk],
    documents: Mapping[str, DocumentMeta],
    today: dt.date,
    tools: Sequence[ToolCall],
) -> Answer:
    metas = [documents[c.doc_id] for c in cited]
    warnings = status_warnings(metas, today, documents)
    body = text + ("\n\n" + "\n".join(warnings) if warnings else "")
    return Answer(
        question=intent.question,
        answer=body.strip(),
        answered=True,
        citations=tuple(citation_for(c, documents[c.doc_id], today) for c in dict.fromkeys(cited)),
        tools=tuple(tools),
        warnings=tuple(warnings),
    )
