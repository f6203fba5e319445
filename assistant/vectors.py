"""Where a generation's vectors live (embedded Chroma or a Chroma server) and the dense search.

An embedded generation keeps a copy of its vectors in chunk order (vectors.npy, memory-mapped).
Up to BRUTE_FORCE_MAX candidates — a small index, or the articles of the documents a question
names — are searched with numpy over those rows: a Chroma query costs ~2.4 ms of fixed overhead,
and one filtered by hundreds of documents ~20 ms at 100k articles. More candidates go to Chroma's
HNSW index (with a document filter as a `where` clause), as do the vectors on a Chroma server.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import IndexMismatch
from assistant.types import Chunk, DocumentMeta

COLLECTION = "policies"

# Up to this many candidate vectors numpy searches them.
# Measured (evals/bench.md, columns "dense numpy" / "dense HNSW", top-100): numpy 0.04 ms at 1k
# articles vs HNSW 1.0 ms; 4.1 vs 1.5 ms at 10k; 49 vs 4.2 ms at 100k. Beyond a few thousand
# HNSW wins.
BRUTE_FORCE_MAX = 5_000
# A search within named documents is numpy whenever the rows are at hand: Chroma's HNSW with a
# `where` filter on 326 documents (~5,000 articles of 100k) took 190 ms and on thousands 480 ms;
# numpy gathering those mapped rows 12–16 ms (20,000 rows 15–35 ms), and beyond that many the
# product with every row (13 ms at 100k) then picking the named ones.
GATHER_MAX = 20_000
QUERY_CACHE = 2048
MATRIX_FILE = "vectors.npy"  # query vectors kept per process (a vector is 2 KB)


@dataclass(frozen=True)
class VectorLocation:
    """Recorded in the manifest: an index opened against the wrong store is an error."""

    server: bool  # True: a Chroma server (ASSISTANT_CHROMA_URL); False: chroma/ in the generation
    collection: str
    url: str | None = None  # the server the ingest wrote to (informative; workers may use another name)

    def to_json(self) -> dict[str, Any]:
        return {"engine": "chroma", "server": self.server, "collection": self.collection, "url": self.url}

    @classmethod
    def from_manifest(cls, manifest: Mapping[str, Any]) -> VectorLocation:
        recorded = manifest.get("vectors")
        if isinstance(recorded, dict):
            return cls(bool(recorded["server"]), str(recorded["collection"]), recorded.get("url"))
        # Generations written before the location was recorded: a server collection was
        # always named after its generation, the embedded one never.
        name = str(manifest["collection"])
        return cls(name != COLLECTION, name)

    def check(self, chroma_url: str | None, index_dir: Path) -> None:
        if self.server and not chroma_url:
            raise IndexMismatch(
                f"索引 {index_dir} 的向量在 Chroma 服务器上（collection {self.collection}"
                f"{', ' + self.url if self.url else ''}）: set ASSISTANT_CHROMA_URL to that server, "
                "or run `assistant ingest` without it to build an embedded index"
            )
        if not self.server and chroma_url:
            raise IndexMismatch(
                f"索引 {index_dir} 的向量保存在本地（embedded Chroma），但设置了 ASSISTANT_CHROMA_URL={chroma_url}: "
                "unset it, or run `assistant ingest` with it to build the index on that server"
            )


def chroma_settings() -> Any:
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    from chromadb.config import Settings

    return Settings(anonymized_telemetry=False, allow_reset=False)


def make_chroma_client(path: Path, chroma_url: str | None = None) -> Any:
    import chromadb

    if chroma_url:
        from urllib.parse import urlparse

        url = urlparse(chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or 8000,
            ssl=url.scheme == "https",
            settings=chroma_settings(),
        )
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings())


def open_collection(
    path: Path, location: VectorLocation, chroma_url: str | None, client: Any = None
) -> Any:
    """The generation's existing collection; never creates one (an empty new collection would
    answer every question with BM25 alone and say nothing). `client`: one the caller closes."""
    if not location.server and not (path / "chroma.sqlite3").exists():
        raise IndexMismatch(f"索引的向量不见了（{path} is missing）: run `assistant ingest` to rebuild")
    client = client or make_chroma_client(path, chroma_url)
    try:
        return client.get_collection(name=location.collection, embedding_function=None)
    except Exception as exc:  # chromadb raises NotFoundError / ValueError by version
        where = chroma_url if location.server else str(path)
        raise IndexMismatch(
            f"向量集合 {location.collection} 不在 {where}（{type(exc).__name__}: {exc}）: "
            "point ASSISTANT_CHROMA_URL at the server the index was built on, or run `assistant ingest`"
        ) from exc


def open_vectorstore(client: Any, collection: str, embeddings: Any) -> Any:
    from langchain_chroma import Chroma

    return Chroma(
        collection_name=collection,
        embedding_function=embeddings,
        client=client,
        collection_metadata={"hnsw:space": "cosine"},
    )


def chunk_metadata(chunk: Chunk, meta: DocumentMeta, today: dt.date) -> dict[str, Any]:
    return {
        "doc_id": chunk.doc_id,
        "article": chunk.article,
        "chapter": chunk.chapter,
        "title": chunk.title,
        "order": chunk.order,
        "status": meta.status(today),
    }


def write_vectors(
    chunks: list[Chunk],
    metas: dict[str, DocumentMeta],
    gen_dir: Path,
    generation: str,
    old_gen: Path | None,
    old: dict[str, Any] | None,
    embeddings: Any,
    today: dt.date,
    chroma_url: str | None,
) -> None:
    """Fill a fresh collection: vectors of unchanged chunks copied, new text embedded."""
    collection = f"{COLLECTION}-{generation}" if chroma_url else COLLECTION
    # Both clients are closed when done: an open one keeps SQLite and HNSW handles alive.
    with make_chroma_client(gen_dir / "chroma", chroma_url) as client:
        store = _fill(client, chunks, metas, collection, old_gen, old, embeddings, today, chroma_url)
        if not chroma_url:
            _write_matrix(store._collection, chunks, gen_dir)


def _fill(
    client: Any,
    chunks: list[Chunk],
    metas: dict[str, DocumentMeta],
    collection: str,
    old_gen: Path | None,
    old: dict[str, Any] | None,
    embeddings: Any,
    today: dt.date,
    chroma_url: str | None,
) -> Any:
    store = open_vectorstore(client, collection, embeddings)
    wanted = {c.chunk_id: c for c in chunks}
    reused: set[str] = set()
    if old_gen is not None and old is not None:
        with make_chroma_client(old_gen / "chroma", chroma_url) as old_client:
            reused = _copy_vectors(
                open_vectorstore(old_client, old["collection"], embeddings), store, wanted, metas, today
            )
    fresh = [c for i, c in wanted.items() if i not in reused]
    for start in range(0, len(fresh), 256):
        batch_chunks = fresh[start : start + 256]
        store.add_texts(
            texts=[_embed_text(c) for c in batch_chunks],
            metadatas=[chunk_metadata(c, metas[c.doc_id], today) for c in batch_chunks],
            ids=[c.chunk_id for c in batch_chunks],
        )
    return store


def _copy_vectors(
    old_store: Any, store: Any, wanted: dict[str, Chunk], metas: dict[str, DocumentMeta], today: dt.date
) -> set[str]:
    """Copy the vectors of chunks the old generation already holds; their ids."""
    reused: set[str] = set()
    ids = list(wanted)
    for start in range(0, len(ids), 1000):
        batch = old_store._collection.get(ids=ids[start : start + 1000], include=["embeddings"])
        if not batch["ids"]:
            continue
        found = [wanted[i] for i in batch["ids"]]
        store._collection.add(
            ids=batch["ids"],
            embeddings=batch["embeddings"],
            documents=[_embed_text(c) for c in found],
            metadatas=[chunk_metadata(c, metas[c.doc_id], today) for c in found],
        )
        reused.update(batch["ids"])
    return reused


def _write_matrix(collection: Any, chunks: list[Chunk], gen_dir: Path) -> None:
    """A copy in chunk order for numpy search; read-only like the rest of the generation."""
    positions = {c.chunk_id: i for i, c in enumerate(chunks)}
    np.save(gen_dir / MATRIX_FILE, read_matrix(collection, positions, len(chunks)))


def read_matrix(collection: Any, positions: Mapping[str, int], size: int, batch: int = 5000) -> np.ndarray:
    """The collection's vectors in chunk order, read a batch at a time (100k vectors as Python
    lists of floats would take gigabytes at once)."""
    ids = sorted(positions, key=positions.__getitem__)
    matrix: np.ndarray | None = None
    for start in range(0, len(ids), batch):
        data = collection.get(ids=ids[start : start + batch], include=["embeddings"])
        vectors = np.asarray(data["embeddings"], dtype=np.float32)
        if matrix is None:
            matrix = np.zeros((size, vectors.shape[1] if vectors.size else 1), dtype=np.float32)
        for row, chunk_id in zip(vectors, data["ids"], strict=True):
            matrix[positions[chunk_id]] = row
    return matrix if matrix is not None else np.zeros((size, 1), dtype=np.float32)


def _embed_text(chunk: Chunk) -> str:
    return f"{chunk.title} {chunk.article} {chunk.text}"


class VectorSearch:
    """Cosine top-k over one generation's vectors, returning positions in the chunk list."""

    def __init__(
        self,
        collection: Callable[[], Any],
        embedder: Any,
        positions: Mapping[str, int],
        size: int,
        matrix: np.ndarray | None = None,
    ) -> None:
        from assistant.embed import one_blas_thread

        one_blas_thread()  # the matrix products below, on whichever thread asks
        self._open = collection
        self.embedder = embedder
        self.positions = positions
        self.brute_force_max = BRUTE_FORCE_MAX  # unfiltered searches; filtered ones always use rows
        # Every chunk has a vector, so `size` is the collection's count (count() itself took
        # 1.4 s at 100k articles). An index without vectors.npy reads a small matrix here.
        if matrix is None and size <= self.brute_force_max:
            matrix = read_matrix(self.collection, positions, size)
        self.matrix = matrix
        self._cached = lru_cache(maxsize=QUERY_CACHE)(self._embed)
        self.query_vector: Callable[[str], np.ndarray] = self._cached

    @cached_property
    def collection(self) -> Any:
        """Opened only when needed: an embedded index small enough for numpy keeps its matrix
        in the generation (vectors.npy), so answering never imports chromadb (~1 s)."""
        return self._open()

    def close(self) -> None:
        """Let go of the memory-mapped matrix now: the query cache refers back to this object,
        so without this the generation's vectors.npy stays open until a garbage collection."""
        self._cached.cache_clear()
        embedder = self.embedder  # still usable, with nothing pointing back here
        self.query_vector = lambda text: embedder.encode([text])[0]
        del self._cached
        self.matrix = None
        self.__dict__.pop("collection", None)

    def _embed(self, text: str) -> np.ndarray:
        vector: np.ndarray = self.embedder.encode([text])[0]
        vector.setflags(write=False)  # shared by every later question with the same text
        return vector

    def search(
        self, text: str, k: int, positions: np.ndarray | None = None, doc_ids: Sequence[str] = ()
    ) -> tuple[np.ndarray, np.ndarray]:
        """(positions, cosine similarities) of the k nearest chunks, among `positions` if given
        (the chunks of `doc_ids`)."""
        vector = self.query_vector(text)
        if self.matrix is not None and (positions is not None or len(self.matrix) <= self.brute_force_max):
            if positions is None:
                sims = self.matrix @ vector
            elif positions.size <= GATHER_MAX:
                sims = self.matrix[positions] @ vector
            else:  # no copy of most of the matrix
                sims = (self.matrix @ vector)[positions]
            k = min(k, sims.size)
            top = np.argpartition(-sims, k - 1)[:k] if k < sims.size else np.arange(sims.size)
            found = top if positions is None else positions[top]
            return found, sims[top].astype(np.float64)
        where: dict[str, Any] | None = None
        if len(doc_ids) == 1:
            where = {"doc_id": doc_ids[0]}
        elif doc_ids:
            where = {"doc_id": {"$in": list(doc_ids)}}
        result = self.collection.query(
            query_embeddings=[vector.tolist()], n_results=k, where=where, include=["distances"]
        )
        pairs = [
            (self.positions[i], 1.0 - float(d))
            for i, d in zip(result["ids"][0], result["distances"][0], strict=True)
            if i in self.positions
        ]
        return (
            np.array([p for p, _ in pairs], dtype=np.int64),
            np.array([s for _, s in pairs], dtype=np.float64),
        )
