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
import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from assistant.errors import BadDocument, IndexBusy, IndexMismatch, IndexMissing
from assistant.provenance import seed_provenance
from assistant.structure import CHUNKER_VERSION, chunk_document, shape_of
from assistant.tables import (
    ChunksByDoc,
    IndexedDocuments,
    manifest_documents,
    store_missing_tables,
    write_tables,
)
from assistant.types import Chunk, Document, DocumentMeta, Status
from assistant.vectors import (  # noqa: F401  (re-exported: evals.baseline imports chroma_settings)
    COLLECTION,
    MATRIX_FILE,
    VectorLocation,
    VectorSearch,
    chroma_settings,
    make_chroma_client,
    open_collection,
    open_vectorstore,
    write_vectors,
)

FORMAT_VERSION = 1
KEEP_GENERATIONS = 2

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


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[BadDocument] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # ingested, but worth a look
    embedded: int = 0
    chunks: int = 0
    generation: str | None = None
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


@contextmanager
def index_lock(index_dir: Path, wait_seconds: float = 30.0) -> Iterator[None]:
    """One writer at a time; a second ingest waits, then gives up with a clear message."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "a+") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise IndexBusy(
                        f"另一个导入正在写入索引 {index_dir}（another ingest holds the lock）: "
                        "wait for it to finish, then run the command again"
                    ) from None
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    path = index_dir / "manifest.json"
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if not (index_dir / data.get("generation", "\0")).is_dir():
        return None
    return data


def write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _load_chunks(gen_dir: Path) -> list[Chunk]:
    with open(gen_dir / "chunks.jsonl", encoding="utf-8") as handle:
        return [Chunk.from_json(json.loads(line)) for line in handle if line.strip()]


def build_index(
    documents: Sequence[Document],
    index_dir: Path,
    embedder_name: str,
    *,
    failed: Sequence[BadDocument] = (),
    remove: Sequence[str] = (),
    today: dt.date | None = None,
    chroma_url: str | None = None,
    progress: Callable[[str], None] = lambda _: None,
    provenance: Mapping[str, Mapping[str, Any]] | None = None,
    rules_dir: Path | None = None,
) -> IngestReport:
    """Bring the index up to date with `documents` (added or replaced) and `remove` (doc ids).

    `provenance` (doc id → origin, by, at, reviewed) is recorded with each added or replaced
    document; a document without one is a seed placed by whoever runs the ingest. Every document's
    rules are found in its text and stored beside the chunks (reviewed ones in `rules_dir`,
    default corpus/rules, win for their documents); see assistant.calc.stored."""
    from assistant.calc.stored import RULES_FILE, build_rules, read_rules_file, write_rules
    from assistant.embed import get_embedder
    from assistant.lc_embeddings import LangChainEmbeddings
    from assistant.warmstart import prepare

    started = time.monotonic()
    prepare(embedder_name)  # the first question after an ingest starts without rebuilding them
    today = today or dt.date.today()
    report = IngestReport(failed=list(failed))
    with index_lock(index_dir):
        old = read_manifest(index_dir)
        compatible = bool(
            old
            and old.get("format") == FORMAT_VERSION
            and old.get("embedder") == embedder_name
            and old.get("chunker_version") == CHUNKER_VERSION
            # vectors move between embedded and a server only by a rebuild
            and VectorLocation.from_manifest(old).server == bool(chroma_url)
        )
        if old and not compatible:
            progress(
                f"index was built with embedder={old.get('embedder')} "
                f"chunker={old.get('chunker_version')} "
                f"vectors={'server' if VectorLocation.from_manifest(old).server else 'embedded'}; "
                "rebuilding every document"
            )
        old_docs: dict[str, dict[str, Any]] = dict(old["documents"]) if old and compatible else {}
        old_gen = index_dir / old["generation"] if old and compatible else None
        old_chunks = _load_chunks(old_gen) if old_gen else []

        new_docs = dict(old_docs)
        provenance = provenance or {}
        chunks_by_doc: dict[str, list[Chunk]] = {}
        for chunk in old_chunks:
            chunks_by_doc.setdefault(chunk.doc_id, []).append(chunk)
        metas = {d: DocumentMeta.from_json(v["meta"]) for d, v in old_docs.items()}

        for doc_id in remove:
            if doc_id in new_docs:
                del new_docs[doc_id]
                chunks_by_doc.pop(doc_id, None)
                report.removed.append(doc_id)

        hashes = {v["sha256"]: d for d, v in new_docs.items()}
        for doc in documents:
            doc_id = doc.meta.doc_id
            previous = new_docs.get(doc_id)
            if previous and previous["sha256"] == doc.sha256:
                report.unchanged.append(doc_id)
                progress(f"  = {doc_id}: unchanged")
                continue
            twin = hashes.get(doc.sha256)
            if twin and twin != doc_id:
                report.failed.append(
                    BadDocument(doc.source, f"与已收录的 {twin} 内容相同（duplicate of {twin}）: not added")
                )
                continue
            chunks = chunk_document(doc)
            if not chunks:
                report.failed.append(
                    BadDocument(doc.source, "没有识别出条款结构（no articles found）: check the text")
                )
                continue
            (report.updated if previous else report.added).append(doc_id)
            if shape_of(doc) == "paragraphs":
                report.notes.append(
                    f"{doc_id}: 未识别出条款或编号结构，已按自然段（第N段）切分 "
                    "(no outline found; indexed as paragraphs)"
                )
            chunks_by_doc[doc_id] = chunks
            metas[doc_id] = doc.meta
            hashes[doc.sha256] = doc_id
            new_docs[doc_id] = {
                "source": doc.source,
                "sha256": doc.sha256,
                "chunks": len(chunks),
                "meta": doc.meta.to_json(),
                "provenance": dict(provenance.get(doc_id) or seed_provenance()),
            }
            progress(f"  {'~' if previous else '+'} {doc_id}: {len(chunks)} articles")

        all_chunks = [c for d in sorted(chunks_by_doc) for c in chunks_by_doc[d]]
        report.chunks = len(all_chunks)
        rules, rule_sources = build_rules(
            chunks_by_doc, read_rules_file(old_gen), {*report.added, *report.updated}, rules_dir
        )
        rules_changed = bool(old) and (old or {}).get("rules", {}).get("sources") != rule_sources
        if not report.changed and not rules_changed and old and compatible:
            report.generation = old["generation"]
            store_missing_tables(index_dir, old, progress)
            report.seconds = time.monotonic() - started
            return report

        generation = f"gen-{dt.datetime.now():%Y%m%d-%H%M%S-%f}"
        gen_dir = index_dir / generation
        gen_dir.mkdir(parents=True)
        embeddings = LangChainEmbeddings(get_embedder(embedder_name))
        write_vectors(
            all_chunks, metas, gen_dir, generation, old_gen, old, embeddings, today, chroma_url
        )
        report.embedded = embeddings.calls
        _write_bm25(all_chunks, gen_dir)
        write_rules(gen_dir, rules)
        with open(gen_dir / "chunks.jsonl", "w", encoding="utf-8") as handle:
            for chunk in all_chunks:
                handle.write(json.dumps(chunk.to_json(), ensure_ascii=False) + "\n")
        tables = write_tables(gen_dir, all_chunks, manifest_documents(new_docs))
        location = VectorLocation(
            server=bool(chroma_url),
            collection=f"{COLLECTION}-{generation}" if chroma_url else COLLECTION,
            url=chroma_url,
        )
        manifest = {
            "format": FORMAT_VERSION,
            "generation": generation,
            "collection": location.collection,
            "vectors": location.to_json(),
            "embedder": embedder_name,
            "chunker_version": CHUNKER_VERSION,
            "built_at": dt.datetime.now().isoformat(timespec="seconds"),
            "counts": {"documents": len(new_docs), "chunks": len(all_chunks)},
            "tables": tables,
            "documents": new_docs,
            "rules": {"file": RULES_FILE, "sources": rule_sources},
        }
        write_json(gen_dir / "manifest.json", manifest)
        write_json(index_dir / "manifest.json", manifest)  # the swap
        report.generation = generation
        _drop_old_generations(index_dir, chroma_url)
    report.seconds = time.monotonic() - started
    return report


def _write_bm25(chunks: list[Chunk], gen_dir: Path) -> None:
    import numpy as np

    retriever = _bm25s().BM25()
    corpus: list[list[str]] = []
    owner: list[int] = []
    for position, chunk in enumerate(chunks):
        for unit in scoring_units(chunk):
            corpus.append(tokenize(unit) or ["∅"])
            owner.append(position)
    if corpus:
        retriever.index(corpus, show_progress=False)
        retriever.save(str(gen_dir / "bm25"))
        np.save(gen_dir / "bm25" / "unit_owner.npy", np.asarray(owner, dtype=np.int32))


def _drop_old_generations(index_dir: Path, chroma_url: str | None) -> None:
    """Keep the newest complete generations; drop older ones and any an ingest left half-built
    (killed before it wrote the generation's own manifest). Runs under the lock, after the swap."""
    gens = sorted(p for p in index_dir.glob("gen-*") if p.is_dir())
    complete = [g for g in gens if (g / "manifest.json").exists()]
    partial = [g for g in gens if g not in complete]
    for stale in partial + complete[:-KEEP_GENERATIONS]:
        shutil.rmtree(stale, ignore_errors=True)
        if chroma_url:
            try:
                with make_chroma_client(stale, chroma_url) as client:
                    client.delete_collection(f"{COLLECTION}-{stale.name}")
            except Exception:  # already gone on the server: nothing to clean
                pass


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
