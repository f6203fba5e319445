"""The on-disk index: a Chroma collection, a bm25s index over jieba tokens, and a manifest.

Layout of an index directory:

    manifest.json        points at the live generation; replaced atomically (os.replace)
    gen-<stamp>/         chunks.jsonl, documents.json, bm25/, chroma/, manifest.json
    .lock                held by the one ingest that may write

An ingest builds a new generation beside the live one (reusing the vectors of unchanged
chunks, embedding only new text) and swaps the manifest last, so a crash at any point leaves
the previous generation answering.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from assistant.errors import IndexMismatch, IndexMissing
from assistant.structure import CHUNKER_VERSION
from assistant.tables import ChunksByDoc, IndexedDocuments, manifest_documents
from assistant.types import Chunk, DocumentMeta, Status
from assistant.vectors import (  # noqa: F401  (re-exported: evals.baseline imports chroma_settings)
    MATRIX_FILE,
    VectorLocation,
    VectorSearch,
    chroma_settings,
    make_chroma_client,
    open_collection,
    open_vectorstore,
)

FORMAT_VERSION = 1

_STOPWORDS = frozenset(
    "的 了 和 与 及 或 是 在 对 为 有 吗 呢 吧 啊 么 什么 多少 哪些 哪个 哪里 怎么 怎样 如何 "
    "请问 一下 是否 可以 能 要 需要 这个 那个 我们 我 你 规定 规定了 讲 说 内容".split()
)
_TOKEN_OK = re.compile(r"[\w\u3400-\u9fff%]")


@lru_cache(maxsize=1)
def _jieba() -> Any:
    from assistant.warmstart import jieba_module

    return jieba_module()


def _bm25s() -> Any:
    # bm25s imports tqdm for progress bars (~20 ms of a cold answer) unless told there are none;
    # every call here passes show_progress=False.
    os.environ.setdefault("DISABLE_TQDM", "1")
    import bm25s

    return bm25s


def tokenize(text: str) -> list[str]:
    """jieba search-mode tokens, lower-cased, without punctuation and question filler."""
    jieba = _jieba()
    return [
        tok.lower()
        for tok in jieba.lcut_for_search(text)
        if tok.strip() and _TOKEN_OK.search(tok) and tok not in _STOPWORDS
    ]


def scoring_units(chunk: Chunk) -> list[str]:
    """What BM25 scores for one article: the article as a whole and each of its paragraphs
    (an item （四） with the article's lead sentence). An article scores as its best unit, so a
    long article is found by the one item that answers, not drowned by its length."""
    head = f"{chunk.title} {chunk.chapter}"
    paragraphs = chunk.text.split("\n")
    units = [f"{head} {chunk.text}"]
    if len(paragraphs) > 1:
        units.extend(f"{head} {paragraphs[0]} {p}" for p in paragraphs[1:])
    return units


def supersession_links(documents: dict[str, DocumentMeta]) -> dict[str, str]:
    """Replaced doc_id → replacing doc_id, for replacements named by 文号 or title.

    Names are looked up in a table, not compared pairwise: 6,522 documents made 42 million
    comparisons, most of a 100k-article index's open time."""
    from assistant.metadata import normalise_title

    owners: dict[str, list[str]] = {}
    for older in documents.values():
        for name in {older.doc_number, normalise_title(older.title)} - {None}:
            owners.setdefault(name, []).append(older.doc_id)  # type: ignore[arg-type]
    links: dict[str, str] = {}
    for newer in documents.values():
        for name in {normalise_title(n) for n in newer.supersedes}:
            for older_id in owners.get(name, ()):
                if older_id != newer.doc_id:
                    links.setdefault(older_id, newer.doc_id)
    return links


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    path = index_dir / "manifest.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if not (index_dir / data.get("generation", "\0")).is_dir():
        return None
    return data


class Index:
    """A read-only view of the live generation; heavy parts load on first use.

    Besides the chunks it keeps the tables a question needs so that no question loops over
    every chunk in Python: document → positions, label → positions, chapter → positions, and
    each chunk's BM25 units as contiguous runs (built once per process, vectorised)."""

    def __init__(
        self,
        index_dir: Path,
        embedder_name: str | None = None,
        chroma_url: str | None = None,
        read_only: bool = False,
    ):
        manifest = read_manifest(index_dir)
        if manifest is None:
            raise IndexMissing(index_dir)
        if manifest.get("chunker_version") != CHUNKER_VERSION or manifest.get("format") != FORMAT_VERSION:
            raise IndexMismatch(
                f"索引版本过旧（index {index_dir} uses chunker {manifest.get('chunker_version')}, "
                f"this program {CHUNKER_VERSION}）: run `assistant ingest` to rebuild it"
            )
        if embedder_name and manifest["embedder"] != embedder_name:
            raise IndexMismatch(
                f"索引用 {manifest['embedder']} 构建，当前设置为 {embedder_name}: run `assistant ingest` "
                f"to rebuild with {embedder_name}, or set ASSISTANT_EMBEDDER={manifest['embedder']}"
            )
        self.location = VectorLocation.from_manifest(manifest)
        self.location.check(chroma_url, index_dir)
        self.index_dir = index_dir
        self.manifest = manifest
        self.gen_dir = index_dir / manifest["generation"]
        self.chroma_url = chroma_url
        # Chroma's embedded client writes to chroma.sqlite3 on every open (it has no read-only
        # mode, chroma-core/chroma#1438): a read-only user opens a private copy instead.
        self.read_only = read_only
        self._client: Any = None
        self._scratch: Path | None = None
        from assistant.tables import Tables

        # What questions need about the whole index, stored with the generation at ingest
        # (rebuilt here, with a warning, for an index built before that).
        self.tables = Tables(self.gen_dir, manifest)
        entries = manifest["documents"]
        links = self.tables.links(lambda: manifest_documents(entries))
        self.documents = IndexedDocuments(
            {
                doc_id: DocumentMeta.from_json({**entry["meta"], "superseded_by": links.get(doc_id)})
                for doc_id, entry in entries.items()
            },
            self.tables,
        )

    @property
    def embedder_name(self) -> str:
        return str(self.manifest["embedder"])

    @cached_property
    def chunks(self) -> Sequence[Chunk]:
        """Every article, in index order, each read from disk when asked for."""
        return self.tables.chunks

    @cached_property
    def by_doc(self) -> Mapping[str, list[Chunk]]:
        return ChunksByDoc(self.chunks, self.doc_positions)

    @cached_property
    def doc_positions(self) -> dict[str, Any]:
        """doc_id → positions of its chunks in `self.chunks` (an int array)."""
        return self.tables.columns.positions("docs")

    @cached_property
    def label_positions(self) -> dict[str, Any]:
        """Article label → positions; exact lookups scan the distinct labels, not the chunks."""
        return self.tables.columns.positions("labels")

    @cached_property
    def chapter_positions(self) -> dict[str, Any]:
        return self.tables.columns.positions("chapters")

    @cached_property
    def doc_code(self) -> dict[str, int]:
        """doc_id → its small int in `doc_codes`."""
        return {doc_id: code for code, doc_id in enumerate(self.doc_positions)}

    @cached_property
    def doc_codes(self) -> Any:
        """Each chunk's document as a small int (the order of `doc_positions`), for masks."""
        import numpy as np

        codes = np.zeros(len(self.chunks), dtype=np.int32)
        for code, positions in enumerate(self.doc_positions.values()):
            codes[positions] = code
        return codes

    @cached_property
    def orders(self) -> Any:
        return self.tables.columns.orders

    @cached_property
    def bm25(self) -> Any:
        # Memory-mapped: a worker opens a large index without reading it whole, and workers
        # serving the same generation share its pages.
        return _bm25s().BM25.load(str(self.gen_dir / "bm25"), mmap=True)

    @cached_property
    def bm25_unit_starts(self) -> Any:
        """Where each chunk's run of scoring units starts (units are written chunk by chunk)."""
        import numpy as np

        owner = np.load(self.gen_dir / "bm25" / "unit_owner.npy")
        wanted = np.arange(len(self.chunks))
        starts = np.searchsorted(owner, wanted)
        if starts.size and (starts.max() >= len(owner) or not np.array_equal(owner[starts], wanted)):
            raise IndexMismatch(f"索引 {self.gen_dir} 的 BM25 文件不完整: run `assistant ingest` to rebuild")
        return starts

    def bm25_article_scores(self, tokens: list[str]) -> Any:
        """BM25 score of every chunk (aligned with self.chunks): its best scoring unit."""
        import numpy as np

        if not tokens or not self.chunks:
            return np.zeros(len(self.chunks))
        unit_scores = self.bm25.get_scores(tokens)
        return np.maximum.reduceat(unit_scores, self.bm25_unit_starts).astype(np.float64)

    @cached_property
    def vectorstore(self) -> Any:
        """The collection as a LangChain vector store (for chains and tests; questions use
        `vectors`)."""
        from assistant.embed import get_embedder
        from assistant.lc_embeddings import LangChainEmbeddings

        self.vectors  # noqa: B018  (fails clearly if the collection is not where the manifest says)
        embeddings = LangChainEmbeddings(get_embedder(self.embedder_name))
        client = self._chroma_client()
        return open_vectorstore(client, self.location.collection, embeddings)

    def _chroma_path(self) -> Path:
        """The generation's Chroma folder, or for a read-only user a private copy of it: Chroma's
        embedded client writes to chroma.sqlite3 on every open (it has no read-only mode,
        chroma-core/chroma#1438)."""
        path = self.gen_dir / "chroma"
        if self.read_only and not self.chroma_url and self._scratch is None and path.exists():
            import tempfile

            self._scratch = Path(tempfile.mkdtemp(prefix="assistant-chroma-"))
            shutil.copytree(path, self._scratch / "chroma")
        return self._scratch / "chroma" if self._scratch is not None else path

    def _chroma_client(self) -> Any:
        if self._client is None:
            self._client = make_chroma_client(self._chroma_path(), self.chroma_url)
        return self._client

    def _open_collection(self) -> Any:
        return open_collection(self._chroma_path(), self.location, self.chroma_url, self._chroma_client())

    def close(self) -> None:
        """Release the Chroma client (SQLite connection, HNSW files) and any private copy, or
        every reload leaks the handles of a generation that may already be deleted — the
        memory-mapped BM25 arrays included, which hold their files open."""
        if "vectors" in self.__dict__:
            self.__dict__["vectors"].close()
        for name, value in vars(type(self)).items():
            if isinstance(value, cached_property):
                self.__dict__.pop(name, None)
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None
        self.tables.close()

    @cached_property
    def vectors(self) -> VectorSearch:
        import numpy as np

        from assistant.embed import get_embedder

        local = self.gen_dir / MATRIX_FILE
        # Memory-mapped like the BM25 arrays: read-only, and shared by the workers.
        matrix = np.load(local, mmap_mode="r") if not self.location.server and local.exists() else None
        return VectorSearch(
            self._open_collection,
            get_embedder(self.embedder_name),
            self._positions,
            len(self.chunks),
            matrix,
        )

    def position(self, chunk: Chunk) -> int:
        return self._positions[chunk.chunk_id]

    def superseded_by(self, doc_id: str) -> str | None:
        """The indexed document that declares `doc_id` replaced (by its 文号 or title), if any."""
        return self.documents[doc_id].superseded_by

    def status(self, doc_id: str, today: dt.date) -> Status:
        """现行 / 草案 / 已失效 / 已被替代 of one indexed document on `today`."""
        return self.documents[doc_id].status(today)

    @cached_property
    def _positions(self) -> dict[str, int]:
        return {chunk_id: i for i, chunk_id in enumerate(self.tables.columns.chunk_ids)}
