"""Exact article lookup first, then hybrid BM25 + dense retrieval with weighted fusion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever

from assistant import outline
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
        for strict in (True, False) if loose_ok else (True,):
            matched = [c for chunks in by_doc.values() for c in _named(ref, chunks, strict)]
            if matched:
                found.extend(c for c in matched if c not in found)
                break
    return found


def _named(ref: ArticleRef, chunks: Sequence[Chunk], strict: bool) -> list[Chunk]:
    if ref.kind == "chapter":
        return [c for c in chunks if _in_chapter(c, ref)] if strict else []
    labels = set(outline.resolve(ref.ref, [c.article for c in chunks], strict))
    return [c for c in chunks if c.article in labels]


def _in_chapter(chunk: Chunk, ref: ArticleRef) -> bool:
    wanted = ref.ref.steps[0]
    return any(step == wanted for step in outline.label_path(chunk.chapter.replace(" ", "")))


def exact_lookup(intent: Intent, candidates: Sequence[Chunk]) -> list[Chunk]:
    return resolve_refs(intent.articles, candidates, named=bool(intent.doc_ids))


class Retriever:
    def __init__(self, index: Index, weights: FusionWeights = DEFAULT_WEIGHTS) -> None:
        self.index = index
        self.weights = weights

    def candidates(self, intent: Intent) -> list[Chunk]:
        if intent.doc_ids:
            return [c for d in intent.doc_ids for c in self.index.by_doc.get(d, [])]
        return list(self.index.chunks)

    def bm25_scores(self, question: str, chunks: Sequence[Chunk]) -> np.ndarray:
        tokens = tokenize(question)
        if not tokens or not chunks:
            return np.zeros(len(chunks))
        all_scores = self.index.bm25_article_scores(tokens)
        return np.array([all_scores[self.index.position(c)] for c in chunks])

    def dense_scores(self, question: str, chunks: Sequence[Chunk], doc_ids: Sequence[str]) -> np.ndarray:
        if self.weights.dense <= 0 or not chunks:
            return np.zeros(len(chunks))
        store = self.index.vectorstore
        where: dict[str, Any] | None = None
        if len(doc_ids) == 1:
            where = {"doc_id": doc_ids[0]}
        elif doc_ids:
            where = {"doc_id": {"$in": list(doc_ids)}}
        k = min(len(chunks), 100)
        results = store.similarity_search_with_score(question, k=k, filter=where)
        # Cosine distance → similarity; chunks outside the top k score 0.
        by_key = {
            (doc.metadata["doc_id"], doc.metadata["article"]): 1.0 - float(dist)
            for doc, dist in results
        }
        return np.array([by_key.get((c.doc_id, c.article), 0.0) for c in chunks])

    def retrieve(self, question: str, k: int = 5, intent: Intent | None = None) -> list[Hit]:
        intent = intent or route(question, self.index.documents)
        chunks = self.candidates(intent)
        if not chunks:
            return []
        query = intent.topic or intent.question
        exact = exact_lookup(intent, chunks)
        bm25 = self.bm25_scores(query, chunks)
        # A named article is found without the dense model; skipping the query embedding
        # (most of a question's latency) costs only the order of the hits after it.
        dense = np.zeros(len(chunks)) if exact else self.dense_scores(query, chunks, intent.doc_ids)
        fused = fuse(bm25, dense, self.weights)
        if intent.hinted and not intent.doc_ids:
            boost = np.array([self.weights.hint_boost if c.doc_id in intent.hinted else 0.0 for c in chunks])
            fused = fused + boost
        order = sorted(range(len(chunks)), key=lambda i: (-fused[i], chunks[i].order))

        exact_ids = {c.chunk_id for c in exact}
        position = {c.chunk_id: i for i, c in enumerate(chunks)}
        hits = [
            Hit(c, round(1.0 + float(fused[position[c.chunk_id]]), 4), "exact")
            for c in sorted(exact, key=lambda c: -fused[position[c.chunk_id]])
        ]
        for i in order:
            if chunks[i].chunk_id in exact_ids or fused[i] <= 0:
                continue
            hits.append(Hit(chunks[i], round(float(fused[i]), 4), _via(bm25[i], dense[i])))
        if len(intent.doc_ids) > 1:
            # the units a reference names lead; then the best of each named document
            hits = hits[: len(exact)] + _each_document_first(hits[len(exact) :], intent.doc_ids)
        return hits[:k]


def _via(bm25: float, dense: float) -> Via:
    if bm25 > 0 and dense > 0:
        return "fused"
    return "bm25" if bm25 > 0 else "dense"


def _each_document_first(hits: list[Hit], doc_ids: Sequence[str]) -> list[Hit]:
    """For a question naming several documents, the best hit of each leads the list."""
    leaders: list[Hit] = []
    for doc_id in doc_ids:
        best = next((h for h in hits if h.chunk.doc_id == doc_id), None)
        if best is not None:
            leaders.append(best)
    return leaders + [h for h in hits if h not in leaders]


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
