"""Exact article lookup first, then hybrid BM25 + dense retrieval with weighted fusion."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from assistant.index import Index, tokenize
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
    if ref.kind == "chapter":
        return chunk.chapter.startswith(ref.label)
    if ref.kind == "section":
        return chunk.article == ref.label or (ref.label == "附则" and "附则" in chunk.chapter)
    if ref.kind == "outline" and ref.label.startswith("（"):
        # "（二）3" without its top level: any 一（二）3, 二（二）3 …
        return chunk.article[1:].startswith(ref.label) or ref.label in chunk.article
    return chunk.article == ref.label


def exact_positions(intent: Intent, index: Index, candidates: np.ndarray | None) -> list[int]:
    """Positions of the chunks the question names (`matches_ref`), in candidate order.

    Scans the distinct labels and chapters of the index, never its chunks."""
    rank = None if candidates is None else {int(p): i for i, p in enumerate(candidates)}
    found: dict[int, None] = {}
    for ref in intent.articles:
        matched = _ref_positions(ref, index)
        if not matched.size and ref.kind == "outline":
            # a heading with no text of its own ("二、工作措施"): its items
            matched = _labels_where(index, functools.partial(_heads, ref.label + "（"))
        chosen = [int(p) for p in matched if rank is None or int(p) in rank]
        chosen.sort(key=lambda p: p if rank is None else rank[p])
        found.update(dict.fromkeys(chosen))
    return list(found)


def _ref_positions(ref: ArticleRef, index: Index) -> np.ndarray:
    empty = np.zeros(0, dtype=np.int64)
    if ref.kind == "chapter":
        groups = [p for chapter, p in index.chapter_positions.items() if chapter.startswith(ref.label)]
        return np.concatenate(groups) if groups else empty
    if ref.kind == "section":
        groups = [index.label_positions.get(ref.label, empty)]
        if ref.label == "附则":
            groups += [p for chapter, p in index.chapter_positions.items() if "附则" in chapter]
        return np.unique(np.concatenate(groups))
    if ref.kind == "outline" and ref.label.startswith("（"):
        return _labels_where(index, lambda label: label[1:].startswith(ref.label) or ref.label in label)
    return index.label_positions.get(ref.label, empty)


def _heads(prefix: str, label: str) -> bool:
    return label.startswith(prefix)


def _labels_where(index: Index, test: Callable[[str], bool]) -> np.ndarray:
    groups = [p for label, p in index.label_positions.items() if test(label)]
    return np.sort(np.concatenate(groups)) if groups else np.zeros(0, dtype=np.int64)


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
        groups = [self.index.doc_positions[d] for d in intent.doc_ids if d in self.index.doc_positions]
        return np.concatenate(groups) if groups else np.zeros(0, dtype=np.int64)

    def retrieve(self, question: str, k: int = 5, intent: Intent | None = None) -> list[Hit]:
        return self.search(question, k, intent).hits

    def search(self, question: str, k: int = 5, intent: Intent | None = None) -> Retrieval:
        """Exact lookup first, then BM25 + dense fused over the candidates; only the top k
        become `Hit`s."""
        index = self.index
        intent = intent or route(question, index.documents)
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
        ranked = sorted(local_exact, key=lambda i: -fused[i])
        eligible = fused > 0
        eligible[local_exact] = False
        ranked += _top(fused, orders, eligible, k)
        if len(intent.doc_ids) > 1:
            leaders: list[int] = []
            for doc_id in intent.doc_ids:
                code = index.doc_code.get(doc_id, -1)
                own = [i for i in ranked if codes[i] == code]
                best = own[:1] or _top(fused, orders, eligible & (codes == code), 1)
                leaders += best
            ranked = leaders + [i for i in ranked if i not in leaders]
        return Retrieval([hit(i) for i in ranked[:k]], support, embed)


def _top(fused: np.ndarray, orders: np.ndarray, eligible: np.ndarray, k: int) -> list[int]:
    """The k best eligible candidates by (-score, order in the document, candidate order),
    sorting only those that can make the cut (ties at the cut included)."""
    pool = np.flatnonzero(eligible)
    if pool.size > k:
        cut = np.partition(fused[pool], pool.size - k)[pool.size - k]
        pool = pool[fused[pool] >= cut]
    ordered = pool[np.lexsort((pool, orders[pool], -fused[pool]))]
    return [int(i) for i in ordered[:k]]


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
