"""Building the index: one ingest at a time (a lock), a new generation beside the live one
(vectors of unchanged chunks reused, new text embedded), the manifest swapped last, old
generations dropped. Reading the index is assistant.index."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.errors import BadDocument, IndexBusy
from assistant.index import FORMAT_VERSION, _bm25s, read_manifest, scoring_units, tokenize
from assistant.provenance import seed_provenance
from assistant.structure import CHUNKER_VERSION, chunk_document, shape_of
from assistant.tables import manifest_documents, store_missing_tables, write_tables
from assistant.types import Chunk, Document, DocumentMeta
from assistant.vectors import COLLECTION, VectorLocation, make_chroma_client, write_vectors

KEEP_GENERATIONS = 2


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


def write_json(path: Path, data: Any) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def load_chunks(gen_dir: Path) -> list[Chunk]:
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
        old_chunks = load_chunks(old_gen) if old_gen else []

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


