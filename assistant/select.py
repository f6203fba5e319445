"""Select: from the retrieved units, the unit, sentences and clauses that state what is asked.

Rules (tested on synthetic units in tests/test_select.py):
- the unit answering is the one whose best sentence answers best among the first few hits;
- a sentence stating the asked kind (an amount, a period, an area …) wins over one that does not;
- 最高/最低 asked of a table of tiers answers with the entry at that end, condition included — from
  the points beside a unit when each tier is a point of its own; a cap asked naming only the
  recipient is the cap over every benefit;
- questions asked one after another (？) each get their sentence;
- the direct answer is the answering clauses, verbatim, never a label alone.
What is quoted around them is `assistant.passage`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant import outline
from assistant.index import tokenize
from assistant.lexicon import lexicon
from assistant.question import Question, asked_kind
from assistant.types import Chunk, Hit
from assistant.vocabulary import Vocabulary

_SENTENCE_END = re.compile(r"(?<=[。；！？])")
RERANK_DEPTH = 3


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: str
    position: int
    header: str = ""  # a table row's header row ("指标｜单一园区｜多个园区"): what its cells mean
    lead: str = ""  # a list item's introduction ("申请认定市级产业园，应当具备以下条件："): what it is about
    scope: str = ""  # what the points of a run-in list (一是…；二是…) share: "到2028年底，一是…"


# The points of a run-in list written inside one paragraph: 一是…；二是…；三是…
_RUN_IN = re.compile(r"[一二三四五六七八九十]是")


# A table row as the loaders and ingest write it: cells between ｜ or " | ".
_CELL_BREAK = re.compile(r"\s*[｜|]\s*")


def is_table_row(paragraph: str) -> bool:
    return len(_CELL_BREAK.split(paragraph.strip())) >= 2 and not _SENTENCE_END.split(paragraph.strip())[0].endswith("。")


def split_sentences(chunk: Chunk) -> list[Sentence]:
    """Sentences in document order; a table row is one sentence, read with its table's header."""
    out: list[Sentence] = []
    header = ""
    intro = ""  # the paragraph introducing the numbered items that follow it
    for paragraph in chunk.text.split("\n"):
        if is_table_row(paragraph):
            if not header:
                header = paragraph  # the first row of a table names its columns
                out.append(Sentence(paragraph.strip(), paragraph, len(out)))
            else:
                out.append(Sentence(paragraph.strip(), paragraph, len(out), header))
            continue
        header = ""
        if outline.match_marker(paragraph) is None or paragraph.rstrip().endswith(("：", ":")):
            intro = ""
        lead = strip_label(intro)
        scope = ""
        for piece in _SENTENCE_END.split(paragraph):
            if not piece.strip():
                continue
            text = piece.strip()
            first = _RUN_IN.search(text)
            if first is not None and first.start() > 0 and text[first.start()] == "一":
                scope = strip_label(text[: first.start()])  # said once, before the first point
                out.append(Sentence(text, paragraph, len(out), lead=lead))
            elif first is not None and first.start() == 0:
                out.append(Sentence(text, paragraph, len(out), lead=lead, scope=scope))
            else:
                out.append(Sentence(text, paragraph, len(out), lead=lead, scope=scope))
                # "…给予运营补助：评价为优秀的，…；评价为良好的，…": what the entries after the
                # colon share is said once, before the first
                if not scope and (colon := re.search(r"[：:]", text[:-1])):
                    scope = strip_label(text[: colon.end()])
        if paragraph.rstrip().endswith(("：", ":")):
            intro = paragraph
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


def search_tokens(text: str) -> list[str]:
    question_words = lexicon().question_words
    return [t for t in dict.fromkeys(tokenize(text)) if t not in question_words]


_FOCUS_REACH = 4  # characters after the question word ("多久拨付") where its focus stands


def question_tokens(q: Question, vocab: Vocabulary | None = None) -> list[str]:
    """The question's search words, the one right after its question word counted twice:
    in "审核公示完了多久拨付" what is asked is 拨付, the rest is context. With `vocab`, a word
    jieba cut across a boundary ("规划期是" as 规划/期是) brings the documents' word it cut (规划期)."""
    tokens = search_tokens(q.topic)
    if vocab is not None:
        tokens += [w for w in dict.fromkeys(w for t in tokens for w in _recut(q.topic, t, vocab)) if w not in tokens]
    if not q.kind:
        return tokens
    asked = lexicon().kind(q.kind).asks.search(q.topic)
    if asked is None:
        return tokens
    after = q.topic[asked.end() : asked.end() + _FOCUS_REACH]
    focus = [t for t in tokens if len(t) >= 2 and after.startswith(t)]
    return tokens + focus[:1]


def _recut(topic: str, token: str, vocab: Vocabulary) -> list[str]:
    """For a token the documents never use, the cut of the question that gives its first
    character to the word before: "规划期是哪几年" cut as 规划/期是 also reads 规划期 (and 划期). A
    sentence having one of them as text has the word jieba cut. (Not the other way: the
    last character of "哪一级" is not the start of the 级人力 of "市级人力资源".)"""
    at = topic.find(token)
    if len(token) < 2 or at < 0 or vocab.known(token):
        return []
    end = at + len(token)
    return [topic[a : end - 1] for a in (at - 2, at - 1) if a >= 0 and _is_word(topic[a : end - 1])]


def _is_word(text: str) -> bool:
    return not re.search(r"[\s，,。？?！!；;：:、]", text) and not lexicon().asking.search(text)


def score_sentence(
    sentence: Sentence, tokens: Sequence[str], vocab: Vocabulary, kind: str | None, in_context: bool = False
) -> float:
    """How well a sentence answers: the weight of the question's words it has, more when it
    states the asked kind. A row's cells mean what its header says; `in_context`, a list item
    also means what its introduction says — for choosing between units; within a unit the
    introduction is a sentence of its own and brings its items when chosen."""
    read = sentence.header + sentence.scope + (sentence.lead if in_context else "") + sentence.text
    score = sum(vocab.idf(t) for t in tokens if t in read)
    if kind and lexicon().kind(kind).states.search(sentence.text):
        score *= 1.5
        score += 1.0
    return score


def is_heading(sentence: Sentence, chunk: Chunk) -> bool:
    """A numbered heading ("5.经济贡献奖励。", "第七条 申报设立程序"): a short first sentence of a
    numbered paragraph, with no figure or clause of its own, that the unit goes on after —
    a label and a name, never an answer by itself."""
    paragraph = sentence.paragraph
    if not paragraph.startswith(sentence.text) or outline.match_marker(paragraph) is None:
        return False
    if sentence.text.endswith(("：", ":")):
        return False  # it introduces what follows ("应当提交下列材料：")
    body = strip_label(sentence.text).rstrip("。")
    if len(body) > 16 or re.search(r"[\d，,；;：:]", body):
        return False
    goes_on = len(paragraph) > len(sentence.text) or chunk.text.strip() != paragraph.strip()
    return goes_on


def best_sentences(q: Question, chunk: Chunk, vocab: Vocabulary, limit: int = 2) -> list[Sentence]:
    """The sentence(s) of `chunk` that answer `q`, in document order; a heading only when the
    unit has nothing else."""
    sentences = split_sentences(chunk)
    if not sentences:
        return []
    sentences = [s for s in sentences if not is_heading(s, chunk)] or sentences
    if (cap := overall_cap(q, chunk)) is not None:
        return [cap]
    tokens = question_tokens(q, vocab)
    scored = sorted(
        ((score_sentence(s, tokens, vocab, q.kind), s) for s in sentences),
        key=lambda pair: (-pair[0], pair[1].position),
    )
    if q.kind:
        # the question asks for a period, amount, area …: the sentences that state one answer
        states = lexicon().kind(q.kind).states
        stating = [pair for pair in scored if pair[0] > 0 and states.search(pair[1].text)]
        scored = stating or scored
    if q.extreme:
        # 最多/最少 of one unit: the sentences stating a bound in that direction answer — a
        # bound of the asked kind when one is asked ("面积…不超过300平方米", not "期限最长3年")
        bounded = [pair for pair in scored if pair[0] > 0 and bounds(pair[1].text, q.extreme, q.kind)]
        scored = bounded or scored
    top_score = scored[0][0]
    chosen = [s for score, s in scored[:limit] if score >= 0.75 * top_score and score > 0]
    if not chosen:
        chosen = [scored[0][1]]
    # a second question in the same message: the best sentence stating what it asks, read with
    # the words of its own clause ("多久评估一次，县里自评啥时候报"); then the main question too
    for kind in (*q.also, q.kind) if q.also else ():
        best = _best_for_clause(q, kind, sentences, vocab) if kind else None
        if best is not None and best not in chosen:
            chosen.append(best)
    # questions asked one after another ("入园面积要求多少？百强的分支机构呢"): each its best
    # sentence, by its own words; a part asking no kind of its own asks the one before it
    kind = q.kind
    for part in _asked_parts(q.topic) if q.kind else ():
        kind = asked_kind(part) or kind
        best = _best_stating(search_tokens(part), kind, sentences, vocab) if kind else None
        if best is not None and best not in chosen:
            chosen.append(best)
    return sorted(chosen, key=lambda s: s.position)


def _asked_parts(topic: str) -> list[str]:
    """The questions of a message asking more than one, each ended by its question mark."""
    parts = [p for p in re.split(r"[？?]", topic) if search_tokens(p)]
    return parts if len(parts) >= 2 else []


def overall_cap(q: Question, chunk: Chunk) -> Sentence | None:
    """最高/封顶 asked naming nothing the cap over every benefit does not also name ("一家机构一年
    封顶多少"): that cap ("同一入驻机构每年享受各项扶持资金合计不超过60万元") answers, not the cap
    of one benefit."""
    if q.extreme != "max" or not q.subject or lexicon().tier.search(q.topic):
        return None
    every = lexicon().every_benefit
    return next(
        (
            s
            for s in split_sentences(chunk)
            if every.search(s.text) and bounds(s.text, "max", "amount") and all(w in s.text for w in q.subject)
        ),
        None,
    )


def _best_for_clause(q: Question, kind: str, sentences: Sequence[Sentence], vocab: Vocabulary) -> Sentence | None:
    """The best sentence stating `kind`, scored by the words of the clause that asks it."""
    spec = lexicon().kind(kind)
    clause = next((c for c in re.split(r"[，,？?；;]", q.topic) if spec.asks.search(c)), "")
    return _best_stating(search_tokens(clause) or question_tokens(q, vocab), kind, sentences, vocab)


def _best_stating(tokens: Sequence[str], kind: str, sentences: Sequence[Sentence], vocab: Vocabulary) -> Sentence | None:
    """The best sentence stating `kind`, scored by `tokens`."""
    spec = lexicon().kind(kind)
    own = sorted(
        ((score_sentence(s, tokens, vocab, kind), s) for s in sentences if spec.states.search(s.text)),
        key=lambda pair: (-pair[0], pair[1].position),
    )
    return own[0][1] if own and own[0][0] > 0 else None


_BOUND_REACH = 12  # characters from a bound cue to the figure it bounds ("不超过实际缴纳租金的70%")


def bounds(text: str, direction: str, kind: str | None) -> bool:
    """Whether `text` states a bound in `direction` ("max" or "min") — on a figure of `kind`
    when a kind is asked: the cue followed closely by such a figure ("不超过300平方米",
    "最长3年"), or preceded by it ("300平方米以内")."""
    lex = lexicon()
    cue = lex.bound_high if direction == "max" else lex.bound_low
    if not kind:
        return bool(cue.search(text))
    states = lex.kind(kind).states
    for match in cue.finditer(text):
        after = text[match.end() : match.end() + _BOUND_REACH]
        before = text[max(0, match.start() - _BOUND_REACH) : match.start()]
        figure_after = states.match(after) or states.search(re.split(r"[，；。,;]", after)[0])
        figure_before = states.search(re.split(r"[，；。,;]", before)[-1])
        if figure_after or figure_before:
            return True
    return False


# Clauses between the two best ones are kept (the qualifiers that limit an answer: "只设立一个
# 园区的，……设立多个园区的，…") unless they are so many that the two belong to different points.
_MAX_GAP = 3


def direct_answer(q: Question, sentences: Sequence[Sentence], vocab: Vocabulary) -> str:
    """The clauses of the chosen sentences that carry the answer, verbatim, in order and
    contiguous: "…自收到申请之日起45日内，组织对产业园进行评估。" rather than the whole item."""
    tokens = question_tokens(q, vocab)
    clauses = [c for s in sentences for c in clauses_of(strip_label(s.text))]
    if len(clauses) <= 2:
        return ""
    scored = [(score_sentence(Sentence(c, "", i), tokens, vocab, q.kind), i) for i, c in enumerate(clauses)]
    best = sorted(scored, key=lambda pair: (-pair[0], pair[1]))[:2]
    first, last = sorted(i for _, i in best)
    if last - first - 1 > _MAX_GAP:
        first = last = best[0][1]
    # a condition right before the answering clause ("…的，") belongs to it
    while first > 0 and re.search(r"的[，,]$", clauses[first - 1].strip()):
        first -= 1
    # and a condition never ends the answer: what it is given follows it ("评价为良好的，给予50万元")
    while last + 1 < len(clauses) and re.search(r"的[，,]$", clauses[last].strip()):
        last += 1
    chosen = "".join(clauses[first : last + 1])
    return re.sub(r"[，；：、]$", "", chosen.strip()).rstrip("。") + "。"


def unstated_kind(q: Question, chunk: Chunk) -> str:
    """What the question asks for (an amount, an area …) when the unit answering it states
    none — "按规定给予一次性奖补" has no amount — so the answer can say so; "" otherwise."""
    if not q.kind or q.wants_list or q.extreme:
        return ""
    kind = lexicon().kind(q.kind)
    if not kind.noun or kind.states.search(chunk.text):
        return ""
    return kind.noun


def clauses_of(text: str) -> list[str]:
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


def extreme_entry(q: Question, chunk: Chunk) -> str | None:
    """For 最高/最多 (or 最低/起步) asked of a table of tiers — entries separated by ；, each with
    its amount — the entry at that end: "主营业务收入在30亿元及以上的，一次性奖励100万元"."""
    if q.extreme is None:
        return None
    from assistant.calc.quantities_in_text import extract_quantities
    from assistant.errors import CalcError

    top = q.extreme == "max"
    entries: list[tuple[tuple[Any, Any], str]] = []
    for segment in re.split(r"[；;。\n]", chunk.text):
        try:
            amounts = [x.value for x in extract_quantities(segment) if x.kind == "amount"]
        except CalcError:
            continue
        if amounts:
            # (bound, reward) order: the top tier has the highest bound and, of equal bounds,
            # the highest reward ("…至1亿元" and "1亿元及以上" share 1亿)
            low, high = min(amounts), max(amounts)
            entries.append(((high, low) if top else (low, high), strip_label(segment)))
    if len(entries) < 3:  # not a table of tiers
        return None
    pick = max if top else min
    return pick(entries, key=lambda e: e[0])[1].strip("，, ") + "。"


def tier_family(chunk: Chunk, by_doc: Mapping[str, Sequence[Chunk]]) -> list[Chunk]:
    """The unit with its parent and sibling points, in document order: the tiers of a table
    written as points of their own (四.营收奖励：① … ② … ③ …), each a unit."""
    path = outline.label_path(chunk.article)
    if len(path) < 2:
        return [chunk]
    parent = path[:-1]
    family = [
        u
        for u in by_doc.get(chunk.doc_id, ())
        if (p := outline.label_path(u.article)) == parent or (len(p) == len(path) and p[:-1] == parent)
    ]
    return family if chunk in family else [chunk]


def tier_answer(q: Question, chunk: Chunk, by_doc: Mapping[str, Sequence[Chunk]]) -> tuple[Chunk, str] | None:
    """最高/最低 asked, answered by a table of tiers: (the unit holding the tier at that end, the
    entry) — from the unit itself, or from the points beside it when each tier is a point of its
    own ("最高一档" finding the note under the last point finds the last point). None when the
    unit itself states a bound that answers (a cap: "每年最高不超过9万元") and no tier is asked."""
    if q.extreme is None:
        return None
    own = extreme_entry(q, chunk)
    if own is not None:
        return chunk, own
    if not lexicon().tier.search(q.topic) and bounds(chunk.text, q.extreme, q.kind):
        return None
    family = tier_family(chunk, by_doc)
    if len(family) < 2:
        return None
    first = family[0]
    joined = Chunk(first.doc_id, first.article, "\n".join(u.text for u in family), first.chapter, first.title, first.order)
    entry = extreme_entry(q, joined)
    if entry is None:
        return None
    core = entry.rstrip("。")
    holder = next((u for u in family if core in u.text), chunk)
    return holder, entry


def targets(
    q: Question, hits: Sequence[Hit], vocab: Vocabulary, by_doc: Mapping[str, Sequence[Chunk]] | None = None
) -> list[Chunk]:
    """The article(s) to answer from: the best one, or the best per named document.

    Among the first few hits (of each document), the article whose best sentence answers the
    question best wins; retrieval rank breaks ties. Retrieval finds the neighbourhood, the
    sentence decides."""
    if not hits:
        return []
    doc_ids = q.intent.doc_ids
    groups = [[h for h in hits if h.chunk.doc_id == d] for d in doc_ids] if len(doc_ids) > 1 else [list(hits)]
    return [_overall_cap_unit(q, group) or rerank(q, _candidates(q, group), vocab, by_doc or {}) for group in groups if group]


def _overall_cap_unit(q: Question, group: Sequence[Hit]) -> Chunk | None:
    return next((h.chunk for h in group if overall_cap(q, h.chunk) is not None), None)


def _candidates(q: Question, group: Sequence[Hit]) -> list[Hit]:
    """The first few hits; when none of them states the asked kind (no date among them for "每年
    啥时候报"), also the first later hit that does."""
    first = list(group[:RERANK_DEPTH])
    if not q.kind:
        return first
    states = lexicon().kind(q.kind).states
    if any(states.search(h.chunk.text) for h in first):
        return first
    return first + [h for h in group[RERANK_DEPTH:] if states.search(h.chunk.text)][:1]


def rerank(q: Question, hits: Sequence[Hit], vocab: Vocabulary, by_doc: Mapping[str, Sequence[Chunk]] | None = None) -> Chunk:
    tokens = question_tokens(q, vocab)
    sentence_scores = [
        max((score_sentence(s, tokens, vocab, q.kind, in_context=True) for s in split_sentences(h.chunk)), default=0.0)
        for h in hits
    ]
    top_sentence = max(sentence_scores) or 1.0
    top_hit = max(h.score for h in hits) or 1.0
    combined = [
        0.5 * s / top_sentence + 0.5 * h.score / top_hit + _about(q, h.chunk)
        for s, h in zip(sentence_scores, hits, strict=True)
    ]
    # 最高/最低 asked, and the best unit states no table of tiers — nor a bound, unless the tier
    # itself is asked (最高一档) — it may only point to the table ("按附件2的标准给予奖励"):
    # a table of tiers among the next answers it
    best = max(range(len(hits)), key=lambda i: (combined[i], -i))
    top = hits[best].chunk
    asks_tier = bool(lexicon().tier.search(q.topic))
    if q.extreme and extreme_entry(q, top) is None and (asks_tier or not bounds(top.text, q.extreme, q.kind)):
        tiered = [i for i, h in enumerate(hits) if tier_answer(q, h.chunk, by_doc or {}) is not None]
        if tiered:
            return hits[max(tiered, key=lambda i: (combined[i], -i))].chunk
    return hits[best].chunk


# How much a unit gains among the first hits for being about what is asked, not only
# mentioning it: its own heading is what the question names ("2.2 装修补贴。" asked
# 装修补贴咋算, beside a unit on refunds that names 装修补贴 in passing), or it is a list and
# a list is asked (a 申报材料清单 asked 要准备哪些材料, beside a unit on when to apply), or
# its heading names the things asked for.
ABOUT_PREFERENCE = 0.25


def _about(q: Question, chunk: Chunk) -> float:
    gain = 0.0
    first = next(iter(split_sentences(chunk)), None)
    if first is not None and is_heading(first, chunk):
        name = strip_label(first.text).rstrip("。．.：:")
        if len(name) >= 2 and name in q.topic:
            gain += ABOUT_PREFERENCE
    if q.wants_list and sum(outline.match_marker(p) is not None for p in chunk.text.split("\n")[1:]) >= 2:
        gain += ABOUT_PREFERENCE
    # how often something is done, stated of that very act ("多久评估一次" → "每两年评估一次")
    act = re.search(r"([\u4e00-\u9fff]{2})一次", q.topic) if q.kind == "frequency" else None
    if act and re.search(rf"{act.group(1)}一次", chunk.text):
        gain += ABOUT_PREFERENCE
    # a point under a heading of the things asked for ("另外附什么材料" of a point under 四、申报材料)
    listed = lexicon().listed_asked.search(q.topic)
    if listed and listed.group(1) in chunk.chapter and len(chunk.chapter) <= 20:
        gain += ABOUT_PREFERENCE
    return gain


def ordinal_entry(q: Question, chunk: Chunk) -> str | None:
    """For "第三档" asked of a table of tiers — entries separated by ；, each with its bound and
    its amount — that entry, counted in the order the unit lists them: "三是6000万元（含）至
    2亿元（不含）的，奖励25万元"."""
    lex = lexicon()
    asked = next((m for m in lex.ordinal.finditer(q.topic) if lex.tier.fullmatch(m.group(1))), None)
    if asked is None:
        return None
    nth = outline.to_int(asked.group(0)[1 : -len(asked.group(1))].removesuffix("个"))
    from assistant.calc.quantities_in_text import extract_quantities
    from assistant.errors import CalcError

    entries = []
    for segment in re.split(r"[；;。\n]", chunk.text):
        try:
            amounts = [x for x in extract_quantities(segment) if x.kind == "amount"]
        except CalcError:
            continue
        if len(amounts) >= 2:  # a bound and what it brings; a lead naming only the threshold is not one
            entries.append(strip_label(segment))
    if len(entries) < 3 or not nth or nth > len(entries):  # not a table of tiers, or not that many
        return None
    return entries[nth - 1].strip("，, ") + "。"
