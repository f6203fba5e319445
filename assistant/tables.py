"""Tables about the whole index that questions need, built at ingest and stored in the generation.

A worker used to derive them from every article when it opened an index: at 100,004 articles
opening took 90 s and the first answer 47 s more (the pinyin of every document's places, the idf
vocabulary over every article, position maps, each article parsed into a Python object). The
ingest now writes them to `gen-…/tables/` and records their fingerprint in the manifest:

    chunks.offsets.npy   where each line of chunks.jsonl starts (articles are read on demand)
    columns.json/.npy    each article's document, label, chapter (codes) and order; chunk ids
    vocab.*              the vocabulary (assistant/vocabulary.py)
    routing.json         the routing tables (assistant/route.py: names, aliases, places' pinyin)

Arrays are memory-mapped, so workers serving one generation share their pages. Tables that are
missing (an index built before them) or carry another fingerprint (a newer program, another
jieba) are never used: the process rebuilds them from chunks.jsonl, says so once, and
`assistant ingest` stores fresh ones.
"""

from __future__ import annotations

import hashlib
import json
import logging
import mmap
import shutil
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any, overload

import numpy as np

from assistant.types import Chunk, DocumentMeta

log = logging.getLogger(__name__)

# Bump when a table's content or layout changes.
TABLES_VERSION = 1
FOLDER = "tables"
_OFFSETS = "chunks.offsets.npy"
_COLUMNS = "columns.npy"  # per article: document code, label code, chapter code, order
_KEYS = "columns.json"  # the distinct documents, labels and chapters
_IDS = "chunk_ids.json"  # every chunk id, in order (read when a dense search needs them)
_ROUTING = "routing.json"
_LINKS = "links.json"  # replaced doc_id → replacing doc_id (assistant.index.supersession_links)


def fingerprint() -> dict[str, Any]:
    """What the tables depend on besides the articles: this module's layout, the routing
    derivation, the tokeniser (jieba's version and the stop words) and pypinyin's version."""
    from importlib.metadata import version

    from assistant.index import _STOPWORDS
    from assistant.route import ROUTING_VERSION

    stopwords = hashlib.sha256(" ".join(sorted(_STOPWORDS)).encode()).hexdigest()[:16]
    return {
        "version": TABLES_VERSION,
        "routing": ROUTING_VERSION,
        "jieba": version("jieba"),
        "pypinyin": version("pypinyin"),
        "stopwords": stopwords,
    }


def line_offsets(path: Path) -> np.ndarray:
    """Byte offsets of each line's start, plus the file's end (n + 1 values). JSON lines hold
    no raw newline (json.dumps escapes it), so every newline ends an article."""
    data = np.fromfile(path, dtype=np.uint8)
    ends = np.flatnonzero(data == 0x0A) + 1
    starts = np.concatenate([np.zeros(1, dtype=np.int64), ends.astype(np.int64)])
    if starts[-1] != data.size:  # a last line without its newline
        starts = np.append(starts, data.size)
    return starts


class ChunkList(Sequence[Chunk]):
    """The generation's articles, each parsed from chunks.jsonl when asked for: a question
    touches dozens of 100k articles, and 100k `Chunk` objects cost ~1 KB of memory each in
    every worker. The file is memory-mapped, so its pages are shared between workers."""

    def __init__(self, path: Path, offsets: np.ndarray, vocabulary: Callable[[], Any] | None = None) -> None:
        self.path = path
        self.offsets = offsets
        self._vocabulary = vocabulary
        self._handle: Any = None
        self._map: mmap.mmap | None = None
        self._lock = threading.Lock()  # server threads share one index

    def _data(self) -> mmap.mmap:
        with self._lock:
            if self._map is None:
                self._handle = open(self.path, "rb")
                self._map = mmap.mmap(self._handle.fileno(), 0, access=mmap.ACCESS_READ)
            return self._map

    @cached_property
    def vocabulary(self) -> Any:
        """The articles' vocabulary (assistant.select.vocabulary_for reads it)."""
        return self._vocabulary() if self._vocabulary else None

    def __len__(self) -> int:
        return max(0, len(self.offsets) - 1)

    @overload
    def __getitem__(self, i: int) -> Chunk: ...

    @overload
    def __getitem__(self, i: slice) -> list[Chunk]: ...

    def __getitem__(self, i: int | slice) -> Chunk | list[Chunk]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self)
        if not -n <= i < n:
            raise IndexError(i)
        i %= n
        start, end = int(self.offsets[i]), int(self.offsets[i + 1])
        return Chunk.from_json(json.loads(self._data()[start:end]))

    def __iter__(self) -> Iterator[Chunk]:
        for i in range(len(self)):
            yield self[i]

    def close(self) -> None:
        with self._lock:
            if self._map is not None:
                self._map.close()
                self._handle.close()
                self._map = self._handle = None


class Columns:
    """Each article's document, label and chapter as small codes, and its order: the position
    maps (document → articles, label → articles) without reading the articles."""

    def __init__(self, codes: np.ndarray, docs: list[str], labels: list[str], chapters: list[str],
                 chunk_ids: list[str] | Path) -> None:
        self.codes = codes
        self.keys = {"docs": docs, "labels": labels, "chapters": chapters}
        self._chunk_ids = chunk_ids

    @classmethod
    def build(cls, chunks: Sequence[Chunk]) -> Columns:
        seen: dict[str, dict[str, int]] = {"docs": {}, "labels": {}, "chapters": {}}
        codes = np.zeros((len(chunks), 4), dtype=np.int64)
        ids = []
        for row, chunk in enumerate(chunks):
            for col, (name, key) in enumerate(
                (("docs", chunk.doc_id), ("labels", chunk.article), ("chapters", chunk.chapter))
            ):
                codes[row, col] = seen[name].setdefault(key, len(seen[name]))
            codes[row, 3] = chunk.order
            ids.append(chunk.chunk_id)
        return cls(codes, list(seen["docs"]), list(seen["labels"]), list(seen["chapters"]), ids)

    def save(self, folder: Path) -> None:
        np.save(folder / _COLUMNS, self.codes)
        (folder / _KEYS).write_text(json.dumps(self.keys, ensure_ascii=False), encoding="utf-8")
        (folder / _IDS).write_text(json.dumps(self.chunk_ids, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> Columns:
        keys = json.loads((folder / _KEYS).read_text(encoding="utf-8"))
        return cls(np.load(folder / _COLUMNS, mmap_mode="r"), keys["docs"], keys["labels"], keys["chapters"],
                   folder / _IDS)

    @cached_property
    def chunk_ids(self) -> list[str]:
        if isinstance(self._chunk_ids, Path):
            ids: list[str] = json.loads(self._chunk_ids.read_text(encoding="utf-8"))
            if len(ids) != len(self.codes):
                raise _mismatch(self._chunk_ids.parent.parent, _IDS)
            return ids
        return self._chunk_ids

    def positions(self, name: str) -> dict[str, np.ndarray]:
        """key → positions of its articles, keys in order of first appearance."""
        col = ("docs", "labels", "chapters").index(name)
        codes = np.asarray(self.codes[:, col])
        keys = self.keys[name]
        order = np.argsort(codes, kind="stable")
        bounds = np.searchsorted(codes[order], np.arange(len(keys) + 1))
        return {key: order[bounds[c] : bounds[c + 1]].astype(np.int64) for c, key in enumerate(keys)}

    @property
    def orders(self) -> np.ndarray:
        return np.asarray(self.codes[:, 3], dtype=np.int64)


def write_tables(gen_dir: Path, chunks: Sequence[Chunk], documents: Mapping[str, DocumentMeta]) -> dict[str, Any]:
    """Build every table for `chunks` (as written to gen_dir/chunks.jsonl) and `documents`;
    returns the manifest entry that vouches for them. Written aside, then renamed into place."""
    from assistant.index import supersession_links
    from assistant.route import build_routing, routing_to_json
    from assistant.vocabulary import Vocabulary

    folder = gen_dir / FOLDER
    aside = gen_dir / f"{FOLDER}.tmp"
    shutil.rmtree(aside, ignore_errors=True)
    aside.mkdir()
    offsets = line_offsets(gen_dir / "chunks.jsonl")
    if len(offsets) - 1 != len(chunks):
        raise ValueError(f"chunks.jsonl has {len(offsets) - 1} lines for {len(chunks)} articles")
    np.save(aside / _OFFSETS, offsets)
    Columns.build(chunks).save(aside)
    Vocabulary.build(chunks).save(aside)
    routing = routing_to_json(build_routing(documents))
    (aside / _ROUTING).write_text(json.dumps(routing, ensure_ascii=False), encoding="utf-8")
    (aside / _LINKS).write_text(json.dumps(supersession_links(dict(documents)), ensure_ascii=False), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    aside.rename(folder)
    return {**fingerprint(), "chunks": len(chunks), "documents": len(documents)}


def manifest_documents(entries: Mapping[str, Mapping[str, Any]]) -> dict[str, DocumentMeta]:
    """The documents as a worker reads them from the manifest (what routing tables describe)."""
    return {doc_id: DocumentMeta.from_json(entry["meta"]) for doc_id, entry in entries.items()}


def store_missing_tables(index_dir: Path, manifest: dict[str, Any], progress: Callable[[str], None]) -> None:
    """An index built before its tables were stored (or by a program whose tables differ) gets
    them on the next ingest, without re-embedding: new files in the live generation, then the
    manifest rewritten. Runs under the lock; readers keep what they opened."""
    from assistant.build import load_chunks, write_json

    gen_dir = index_dir / manifest["generation"]
    reason = stale_reason(gen_dir, manifest)
    if reason is None:
        return
    progress(f"storing the index's tables ({reason})")
    chunks = load_chunks(gen_dir)
    updated = {**manifest, "tables": write_tables(gen_dir, chunks, manifest_documents(manifest["documents"]))}
    write_json(gen_dir / "manifest.json", updated)
    write_json(index_dir / "manifest.json", updated)


def stale_reason(gen_dir: Path, manifest: Mapping[str, Any]) -> str | None:
    """Why the stored tables cannot be used (None: they can)."""
    entry = manifest.get("tables")
    if not isinstance(entry, dict):
        return "built before tables were stored with the index"
    expected = fingerprint()
    changed = [k for k, v in expected.items() if entry.get(k) != v]
    if changed:
        return "built by another version (" + ", ".join(f"{k} {entry.get(k)} → {expected[k]}" for k in changed) + ")"
    counts = manifest.get("counts", {})
    if entry.get("chunks") != counts.get("chunks") or entry.get("documents") != counts.get("documents"):
        return "built for other articles than the manifest lists"
    from assistant.vocabulary import FILES

    missing = [n for n in (_OFFSETS, _COLUMNS, _KEYS, _IDS, _ROUTING, _LINKS, *FILES) if not (gen_dir / FOLDER / n).exists()]
    if missing:
        return f"files missing: {', '.join(missing)}"
    return None


class Tables:
    """One generation's tables: stored ones when their fingerprint matches, else built here."""

    def __init__(self, gen_dir: Path, manifest: Mapping[str, Any]) -> None:
        self.gen_dir = gen_dir
        self.folder = gen_dir / FOLDER
        self.stale = stale_reason(gen_dir, manifest)
        if self.stale:
            log.warning(
                "索引 %s 的预计算表不可用（tables %s）: building them in this process, which is slow "
                "for a large index; run `assistant ingest` to store them with the index",
                gen_dir.parent, self.stale,
            )

    @cached_property
    def chunks(self) -> ChunkList:
        path = self.gen_dir / "chunks.jsonl"
        offsets = line_offsets(path) if self.stale else np.load(self.folder / _OFFSETS, mmap_mode="r")
        chunks = ChunkList(path, offsets, lambda: self.vocabulary)
        if not self.stale and (offsets.size == 0 or int(offsets[-1]) != path.stat().st_size):
            raise _mismatch(self.gen_dir, "chunks.jsonl")
        return chunks

    @cached_property
    def columns(self) -> Columns:
        columns = Columns.build(self.chunks) if self.stale else Columns.load(self.folder)
        if len(columns.codes) != len(self.chunks):
            raise _mismatch(self.gen_dir, _COLUMNS)
        return columns

    @cached_property
    def vocabulary(self) -> Any:
        from assistant.vocabulary import Vocabulary

        vocab = Vocabulary.build(self.chunks) if self.stale else Vocabulary.load(self.folder)
        if vocab.total != max(1, len(self.chunks)):
            raise _mismatch(self.gen_dir, "vocab")
        return vocab

    def routing(self, documents: Mapping[str, DocumentMeta]) -> Any:
        from assistant.route import build_routing, routing_from_json

        if self.stale:
            return build_routing(documents)
        data = json.loads((self.folder / _ROUTING).read_text(encoding="utf-8"))
        if len(data["names"]) != len(documents):
            raise _mismatch(self.gen_dir, _ROUTING)
        return routing_from_json(data)

    def links(self, documents: Callable[[], dict[str, DocumentMeta]]) -> dict[str, str]:
        """Which document replaces which; `documents` is called only to build them here."""
        from assistant.index import supersession_links

        if self.stale:
            return supersession_links(documents())
        links: dict[str, str] = json.loads((self.folder / _LINKS).read_text(encoding="utf-8"))
        return links

    def close(self) -> None:
        """Release the memory-mapped files (a generation an ingest deletes stays open while
        anything maps it); they are mapped again if asked for."""
        if "chunks" in self.__dict__:
            self.chunks.close()
        for name in ("chunks", "columns", "vocabulary"):
            self.__dict__.pop(name, None)


class IndexedDocuments(dict[str, DocumentMeta]):
    """An index's documents, carrying the routing tables stored with them (`assistant.route`
    reads `routing`; any other mapping of documents gets tables built for it)."""

    def __init__(self, documents: Mapping[str, DocumentMeta], tables: Any) -> None:
        super().__init__(documents)
        self._tables = tables

    @cached_property
    def routing(self) -> Any:
        return self._tables.routing(self)


class ChunksByDoc(Mapping[str, list[Chunk]]):
    """doc_id → its articles, read when a question needs that document."""

    _KEEP = 1024  # documents' article lists kept parsed

    def __init__(self, chunks: Sequence[Chunk], positions: Mapping[str, Any]) -> None:
        self._chunks = chunks
        self._positions = positions
        self._parsed: dict[str, list[Chunk]] = {}

    def __getitem__(self, doc_id: str) -> list[Chunk]:
        found = self._parsed.get(doc_id)
        if found is None:
            found = [self._chunks[int(p)] for p in self._positions[doc_id]]
            if len(self._parsed) >= self._KEEP:
                self._parsed.pop(next(iter(self._parsed), ""), None)  # another thread may evict too
            self._parsed[doc_id] = found
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._positions)

    def __len__(self) -> int:
        return len(self._positions)


def _mismatch(gen_dir: Path, what: str) -> Exception:
    from assistant.errors import IndexMismatch

    return IndexMismatch(f"索引 {gen_dir} 的表 {what} 与条文不一致（tables do not match the articles）: "
                         "run `assistant ingest` to rebuild")
