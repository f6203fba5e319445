"""Exact article lookup first, then hybrid BM25 + dense retrieval with weighted fusion."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from assistant import outline
from assistant.index import Index, tokenize
from assistant.lexicon import lexicon
from assistant.route import ArticleRef, Intent, route
from assistant.types import Chunk, Hit, Via


@dataclass(frozen=True)
class FusionWeights:
    """Tuned on evals/dev.jsonl (sweep in evals/README.md): dense 0.0 → 0.4 lifts recall@5
    from 0.963 to 0.991 and recall@1 from 0.822 to 0.850; above 0.5 both fall (dense alone:
    0.607 / 0.897). BM25 stays the backbone for this language and corpus."""

    bm25: float = 0.6
    dense: float = 0.4
    hint_boost: float = 0.3  # for documents named only by a level word (自治区级 …)


DEFAULT_WEIGHTS = FusionWeights()


def fuse(
    bm25_scores: np.ndarray, dense_scores: np.ndarray, weights: FusionWeights
) -> np.ndarray:
    """Weighted sum of max-normalised scores; both arrays align with the candidate list."""
    return weights.bm25 * _max_normalise(bm25_scores) + weights.dense * _max_normalise(dense_scores)


def _max_normalise(scores: np.ndarray) -> np.ndarray:
    scores = np.clip(np.asarray(scores, dtype=np.float64), 0.0, None)
    top = float(scores.max()) if scores.size else 0.0
    return scores / top if top > 0 else np.zeros_like(scores)


def matches_ref(chunk: Chunk, ref: ArticleRef) -> bool:
    """Does this one unit answer the reference by itself (no sibling context needed)?"""
    return chunk in resolve_refs((ref,), [chunk])


def resolve_refs(
    refs: Sequence[ArticleRef], candidates: Sequence[Chunk], named: bool = True
) -> list[Chunk]:
    """The units the references name, per document, by the outline grammar on real labels.

    The loose reading (第3条 for a "3." item) applies only where no document has the unit
    the reference names strictly, and only within a named document or under a named parent
    ("（二）下面第3条"): "第五条" or "第7项" alone means the units numbered so."""
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in candidates:
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    found: list[Chunk] = []
    for ref in refs:
        loose_ok = named or len(ref.ref.steps) > 1
        matched = [c for chunks in by_doc.values() for c in _named(ref, chunks, True)]
        if not matched and named:
            matched = [c for chunks in by_doc.values() for c in _quoting(ref, chunks)]
        if not matched and loose_ok:
            matched = [c for chunks in by_doc.values() for c in _named(ref, chunks, False)]
        found.extend(c for c in matched if c not in found)
    return found


def _quoting(ref: ArticleRef, chunks: Sequence[Chunk]) -> list[Chunk]:
    """第十二条 of a document with no articles of its own (a 修改决定 that writes "增加一条作为
    第十二条", a 解读 of another text): the units that write that article, before any loose
    reading of its number."""
    steps = ref.ref.steps
    if len(steps) != 1 or steps[0][0] != "tiao" or any(
            [kind for kind, _ in outline.label_path(c.article)[-1:]] == ["tiao"] for c in chunks):
        return []
    n = steps[0][1]
    written = re.compile(rf"第(?:{outline.to_cn(n)}|{n})条(?![\d{outline.CN_DIGITS}])")
    return [c for c in chunks if written.search(c.text)]


def _named(ref: ArticleRef, chunks: Sequence[Chunk], strict: bool) -> list[Chunk]:
    if ref.kind == "chapter":
        return [c for c in chunks if _in_chapter(c, ref)] if strict else []
    labels = set(outline.resolve(ref.ref, [c.article for c in chunks], strict))
    return [c for c in chunks if c.article in labels]


def _in_chapter(chunk: Chunk, ref: ArticleRef) -> bool:
    wanted = ref.ref.steps[0]
    return any(step == wanted for step in outline.label_path(chunk.chapter.replace(" ", "")))


def exact_positions(intent: Intent, index: Index, candidates: np.ndarray | None) -> list[int]:
    """Positions of the units the question names, in candidate order, read by the grammar.

    Within named documents each reference resolves against that document's labels (so
    "最后一段", "第1段" of an outline and a heading's sub-units work); with no document named it
    resolves against the distinct labels and chapters of the index, never its chunks."""
    if not intent.articles:
        return []
    if intent.doc_ids:
        pool = [c for d in intent.doc_ids for c in index.by_doc.get(d, [])]
        found = [index.position(c) for c in resolve_refs(intent.articles, pool, named=True)]
    else:
        # "第五条" with no document named is the 第五条 of every document: thousands of
        # positions at scale, so duplicates are dropped by a set, not a scan of the list.
        found = list(dict.fromkeys(p for ref in intent.articles for p in _unnamed_positions(ref, index)))
    if candidates is None:
        return found
    rank = {int(p): i for i, p in enumerate(candidates)}
    return sorted((p for p in found if p in rank), key=rank.__getitem__)


def _reference_counts(intent: Intent, index: Index) -> dict[int, int]:
    """How many of the question's references name each unit of the named documents."""
    pool = [c for d in intent.doc_ids for c in index.by_doc.get(d, [])]
    counts: dict[int, int] = {}
    for ref in intent.articles:
        for chunk in resolve_refs((ref,), pool, named=True):
            counts[index.position(chunk)] = counts.get(index.position(chunk), 0) + 1
    return counts


def _unnamed_positions(ref: ArticleRef, index: Index) -> list[int]:
    empty = np.zeros(0, dtype=np.int64)
    if ref.kind == "last":
        return []  # the last unit of which document?
    if ref.kind == "chapter":
        wanted = ref.ref.steps[0]
        groups = [
            p for chapter, p in index.chapter_positions.items()
            if wanted in outline.label_path(chapter.replace(" ", ""))
        ]
    elif ref.ref.steps and ref.ref.steps[0][0] == "para":
        groups = [index.label_positions.get(ref.label, empty)]
    else:
        labels = list(index.label_positions)
        loose = (True, False) if len(ref.ref.steps) > 1 else (True,)
        chosen: list[str] = []
        for strict in loose:
            chosen = outline.resolve(ref.ref, labels, strict)
            if chosen:
                break
        groups = [index.label_positions[label] for label in chosen]
    return sorted({int(p) for group in groups for p in group})


class Retrieval(NamedTuple):
    hits: list[Hit]
    support: float  # the best BM25 score among the candidates: how much the corpus says
    dense: bool  # whether the query was embedded


class Retriever:
    def __init__(self, index: Index, weights: FusionWeights = DEFAULT_WEIGHTS) -> None:
        self.index = index
        self.weights = weights

    def candidates(self, intent: Intent) -> list[Chunk]:
        positions = self.candidate_positions(intent)
        chunks = self.index.chunks
        return list(chunks) if positions is None else [chunks[int(p)] for p in positions]

    def candidate_positions(self, intent: Intent) -> np.ndarray | None:
        """Positions of the chunks of the documents the question names; None: every chunk."""
        if not intent.doc_ids:
            return None
        groups = [self._named_positions(d, intent) for d in intent.doc_ids if d in self.index.doc_positions]
        return np.concatenate(groups) if groups else np.zeros(0, dtype=np.int64)

    def _named_positions(self, doc_id: str, intent: Intent) -> np.ndarray:
        """A named document's positions; only its named parts' when the question names parts of
        a compilation by their own titles (入驻扶持办法 of a 政策汇编)."""
        positions = self.index.doc_positions[doc_id]
        if not any(d == doc_id for d, _ in intent.parts):
            return np.asarray(positions)
        from assistant.parts import part_units

        units = self.index.by_doc.get(doc_id, ())
        inside = part_units(doc_id, intent.parts, units)
        return np.asarray(sorted(self.index.position(u) for u in inside), dtype=np.int64)

    def retrieve(self, question: str, k: int = 5, intent: Intent | None = None) -> list[Hit]:
        return self.search(question, k, intent).hits

    def search(self, question: str, k: int = 5, intent: Intent | None = None) -> Retrieval:
        """Exact lookup first, then BM25 + dense fused over the candidates; only the top k
        become `Hit`s."""
        index = self.index
        if intent is None:
            from assistant.parts import within_parts

            intent = within_parts(route(question, index.documents), index.by_doc)
        positions = self.candidate_positions(intent)
        size = len(index.chunks) if positions is None else positions.size
        if size == 0:
            return Retrieval([], 0.0, False)
        query = intent.topic or intent.question
        exact = exact_positions(intent, index, positions)
        bm25 = index.bm25_article_scores(tokenize(query))
        if positions is not None:
            bm25 = bm25[positions]
        support = float(bm25.max(initial=0.0))
        dense = np.zeros(size)
        # A named article is found without the dense model, and so is a top hit no dense score
        # could overtake; skipping the query embedding saves most of a question's latency.
        boosted = bool(intent.hinted and not intent.doc_ids)
        embed = not exact and self.weights.dense > 0 and (boosted or not _lexically_decided(bm25, self.weights))
        if embed:
            found, sims = index.vectors.search(query, min(size, 100), positions, intent.doc_ids)
            local = found if positions is None else _local(found, positions)
            dense[local] = sims
        fused = fuse(bm25, dense, self.weights)
        codes = index.doc_codes if positions is None else index.doc_codes[positions]
        if boosted:
            hinted = [index.doc_code[d] for d in intent.hinted if d in index.doc_code]
            fused = fused + self.weights.hint_boost * np.isin(codes, hinted)
        orders = index.orders if positions is None else index.orders[positions]
        local_exact = exact if positions is None else list(_local(np.asarray(exact, dtype=np.int64), positions))

        def hit(i: int) -> Hit:
            chunk = index.chunks[int(i) if positions is None else int(positions[i])]
            if i in exact_set:
                return Hit(chunk, round(1.0 + float(fused[i]), 4), "exact")
            return Hit(chunk, round(float(fused[i]), 4), _via(bm25[i], dense[i]))

        exact_set = set(local_exact)
        # a unit several references name ("第一项，把第六条改成啥了") before one only one names
        named_by = _reference_counts(intent, index) if len(intent.articles) > 1 and intent.doc_ids else {}
        ranked = sorted(local_exact, key=lambda i: (
            -named_by.get(int(i) if positions is None else int(positions[i]), 1), -fused[i]))
        eligible = fused > 0
        eligible[local_exact] = False
        ranked += _top(fused, orders, eligible, k)
        if len(intent.doc_ids) > 1:
            # the units a reference names lead; then the best of each named document
            leaders: list[int] = []
            best_of = _best_per_code(fused, orders, eligible, codes)
            for doc_id in intent.doc_ids:
                code = index.doc_code.get(doc_id, -1)
                own = [i for i in ranked if codes[i] == code and i not in exact_set]
                leaders += own[:1] or best_of.get(code, [])
            lead = ranked[: len(local_exact)] + leaders
            ranked = lead + [i for i in ranked if i not in lead]
        hits = [hit(i) for i in ranked[:k]]
        if intent.doc_ids and not exact and lexicon().validity.search(query):
            hits = _status_first(hits, _validity_units(intent, index), k)
        elif not exact and len({h.chunk.doc_id for h in hits[:1]} | set(intent.doc_ids)) == 1:
            hits = _fitting_first(hits, intent, index)
        return Retrieval(hits, support, embed)


def validity_unit(units: Sequence[Chunk]) -> Chunk | None:
    """The unit of a document stating when it applies (施行/有效期), the last such one."""
    pattern = lexicon().validity_unit
    return next((c for c in reversed(units) if pattern.search(c.text)), None)


def _validity_units(intent: Intent, index: Index) -> list[Chunk]:
    """The units stating when the first named document applies: one per part of a compilation
    (each part states its own), those of the parts the question names when it names some."""
    from assistant.parts import part_units, parts_of

    doc_id = intent.doc_ids[0]
    units = index.by_doc.get(doc_id, ())
    parts = parts_of(units)
    if not parts:
        unit = validity_unit(units)
        return [unit] if unit is not None else []
    named = part_units(doc_id, intent.parts, units)
    found = [validity_unit(p.units) for p in parts if any(u in named for u in p.units)]
    return [u for u in found if u is not None]


def _status_first(hits: list[Hit], units: Sequence[Chunk], k: int) -> list[Hit]:
    """Asked whether a named document applies (有效期/施行/废止), the units stating it rank
    first — they are what the answer cites — wherever the words put them."""
    if not units:
        return hits
    top = max((h.score for h in hits), default=1.0)
    return [*(Hit(u, top, "fused") for u in units), *(h for h in hits if h.chunk not in units)][:k]


FIT_SHARE = 0.8


def _fitting_first(hits: list[Hit], intent: Intent, index: Index) -> list[Hit]:
    """A question giving its own figures about one document: of the hits, the units whose rule
    the figures fit (the tier the revenue falls in) lead, as the calculator will cite them —
    sibling items sharing the question's words otherwise tie by wording alone."""
    from assistant.calc.fit import fitting_units
    from assistant.settings import get_settings

    top = max((h.score for h in hits), default=1.0)
    # only among hits the words nearly tie on: the figures pick a sibling, not another subject
    near = [h for h in hits if h.score >= FIT_SHARE * top]
    if len(near) < 2:
        return hits
    units = fitting_units(intent.question, intent.doc_ids, hits, index, get_settings().today_or_now())
    rank = {unit: i for i, unit in enumerate(units)}
    first = sorted((h for h in near if (h.chunk.doc_id, h.chunk.article) in rank),
                   key=lambda h: rank[(h.chunk.doc_id, h.chunk.article)])
    return [Hit(h.chunk, top, h.via) for h in first] + [h for h in hits if h not in first]


def _top(fused: np.ndarray, orders: np.ndarray, eligible: np.ndarray, k: int) -> list[int]:
    """The k best eligible candidates by (-score, order in the document, candidate order),
    sorting only those that can make the cut (ties at the cut included)."""
    pool = np.flatnonzero(eligible)
    if pool.size > k:
        cut = np.partition(fused[pool], pool.size - k)[pool.size - k]
        pool = pool[fused[pool] >= cut]
    ordered = pool[np.lexsort((pool, orders[pool], -fused[pool]))]
    return [int(i) for i in ordered[:k]]


def _best_per_code(fused: np.ndarray, orders: np.ndarray, eligible: np.ndarray, codes: np.ndarray) -> dict[int, list[int]]:
    """Each document's best eligible candidate, ordered as `_top` orders them, in one sort: a
    place can name hundreds of documents, and a `_top` per document scanned every candidate."""
    pool = np.flatnonzero(eligible)
    ordered = pool[np.lexsort((pool, orders[pool], -fused[pool], codes[pool]))]
    first = np.ones(ordered.size, dtype=bool)
    first[1:] = codes[ordered[1:]] != codes[ordered[:-1]]
    return {int(codes[i]): [int(i)] for i in ordered[first]}


def _local(found: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Global chunk positions → indexes into `positions` (those not among them dropped)."""
    order = np.argsort(positions, kind="stable")
    at = np.searchsorted(positions, found, sorter=order)
    at = np.clip(at, 0, positions.size - 1)
    keep = positions[order[at]] == found
    return np.asarray(order[at[keep]])


def _lexically_decided(bm25: np.ndarray, weights: FusionWeights) -> bool:
    """True when no dense score can change the best hit: with max-normalised scores the BM25
    leader scores ≥ `weights.bm25`, and a rival at most `weights.bm25 · r + weights.dense`
    (r its share of the leader's BM25 score)."""
    if bm25.size < 2:
        return bm25.size == 1
    top2 = np.partition(bm25, bm25.size - 2)[-2:]
    leader, second = float(top2[1]), float(top2[0])
    if leader <= 0:
        return False
    return weights.bm25 * (1.0 - second / leader) > weights.dense


def _via(bm25: float, dense: float) -> Via:
    if bm25 > 0 and dense > 0:
        return "fused"
    return "bm25" if bm25 > 0 else "dense"


def __getattr__(name: str) -> Any:
    # PolicyRetriever is built on first use: langchain_core costs ~0.5 s to import, and a
    # question answered by the CLI or the JSON API never needs it.
    if name == "PolicyRetriever":
        return _policy_retriever()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.lru_cache(maxsize=1)
def _policy_retriever() -> type:
    from langchain_core.callbacks import CallbackManagerForRetrieverRun
    from langchain_core.documents import Document as LCDocument
    from langchain_core.retrievers import BaseRetriever

    class PolicyRetriever(BaseRetriever):
        """The same retrieval as a LangChain retriever, for use inside LCEL chains."""

        retriever: Retriever
        k: int = 5

        model_config = {"arbitrary_types_allowed": True}

        def _get_relevant_documents(
            self, query: str, *, run_manager: CallbackManagerForRetrieverRun
        ) -> list[LCDocument]:
            return [
                LCDocument(
                    page_content=hit.chunk.text,
                    metadata={**hit.chunk.to_json(), "score": hit.score, "via": hit.via},
                )
                for hit in self.retriever.retrieve(query, k=self.k)
            ]

    PolicyRetriever.__module__ = __name__
    return PolicyRetriever
