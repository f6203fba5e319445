from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant import build as build_module
from assistant.build import index_lock
from assistant.errors import IndexBusy, IndexMismatch, IndexMissing
from assistant.index import Index, read_manifest
from assistant.ingest import ingest_paths
from assistant.retrieve import Retriever

from .conftest import CORPUS, TODAY


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    target.mkdir()
    for path in CORPUS.glob("*.txt"):
        shutil.copy(path, target / path.name)
    return target


def test_manifest_records_hashes_embedder_chunker_counts(hash_index: Path) -> None:
    manifest = read_manifest(hash_index)
    assert manifest is not None
    assert manifest["embedder"] == "hash"
    assert manifest["counts"] == {"documents": 3, "chunks": 46}
    entry = manifest["documents"]["guangxi-2021-regional-park"]
    assert len(entry["sha256"]) == 64 and entry["chunks"] == 16
    assert entry["meta"]["doc_number"] == "桂人社规〔2021〕1号"


def test_reingest_unchanged_embeds_nothing_and_keeps_generation(corpus_copy: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    first = ingest_paths([corpus_copy], idx, "hash", today=TODAY)
    assert first.embedded == 46 and len(first.added) == 3
    second = ingest_paths([corpus_copy], idx, "hash", today=TODAY)
    assert second.embedded == 0 and not second.changed
    assert sorted(second.unchanged) == sorted(first.added)
    assert second.generation == first.generation


def test_changed_file_replaces_its_chunks_only(corpus_copy: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    ingest_paths([corpus_copy], idx, "hash", today=TODAY)
    path = corpus_copy / "liaocheng-city-park.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("不少于 15 家", "不少于 18 家"), encoding="utf-8")
    report = ingest_paths([corpus_copy], idx, "hash", today=TODAY)
    assert report.updated == ["liaocheng-city-park"]
    # only the liaocheng articles whose text or order changed are embedded again
    assert 0 < report.embedded <= 17
    index = Index(idx)
    sixth = next(c for c in index.by_doc["liaocheng-city-park"] if c.article == "第六条")
    assert "不少于18家" in sixth.text
    assert len(index.chunks) == 46
    stored = index.vectorstore._collection.get(where={"doc_id": "liaocheng-city-park"})
    assert len(stored["ids"]) == 17  # the old version's vectors are gone


def test_deleted_file_is_removed_from_index(corpus_copy: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    ingest_paths([corpus_copy], idx, "hash", today=TODAY)
    (corpus_copy / "liuzhou-2024-park-measures.txt").unlink()
    report = ingest_paths([corpus_copy], idx, "hash", today=TODAY)
    assert report.removed == ["liuzhou-2024-park-measures"]
    assert set(Index(idx).documents) == {"guangxi-2021-regional-park", "liaocheng-city-park"}


def test_persistence_reopen_and_query(hash_index: Path) -> None:
    reopened = Index(hash_index)
    hits = Retriever(reopened).retrieve("聊城核心区建筑面积不低于多少平方米", k=3)
    assert hits[0].chunk.doc_id == "liaocheng-city-park"
    dense = reopened.vectorstore.similarity_search_with_score("核心区建筑面积", k=2)
    assert len(dense) == 2 and {"doc_id", "article"} <= set(dense[0][0].metadata)


def test_crash_mid_build_leaves_previous_index_answering(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    idx = tmp_path / "idx"
    ingest_paths([corpus_copy], idx, "hash", today=TODAY)
    before = json.loads((idx / "manifest.json").read_text())
    path = corpus_copy / "guangxi-2021-regional-park.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\n第十七条 新增条款。\n", encoding="utf-8")

    def crash(*_: object) -> None:
        raise KeyboardInterrupt("killed mid-ingest")

    monkeypatch.setattr(build_module, "_write_bm25", crash)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths([corpus_copy], idx, "hash", today=TODAY)
    assert json.loads((idx / "manifest.json").read_text()) == before
    hits = Retriever(Index(idx)).retrieve("广西第五条", k=1)
    assert hits[0].chunk.article == "第五条" and hits[0].via == "exact"


def test_missing_index_and_embedder_mismatch_say_what_to_do(hash_index: Path, tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="assistant ingest"):
        Index(tmp_path / "nothing")
    with pytest.raises(IndexMismatch, match="assistant ingest"):
        Index(hash_index, embedder_name="use-m3")


def test_second_writer_gets_a_clear_busy_message(tmp_path: Path) -> None:
    with index_lock(tmp_path):
        with pytest.raises(IndexBusy, match="another ingest"):
            with index_lock(tmp_path, wait_seconds=0.3):
                pass


def test_duplicate_content_under_another_name_is_reported(corpus_copy: Path, tmp_path: Path) -> None:
    shutil.copy(corpus_copy / "liaocheng-city-park.txt", corpus_copy / "liaocheng-copy.txt")
    report = ingest_paths([corpus_copy], tmp_path / "idx", "hash", today=TODAY)
    assert [f.path.name for f in report.failed] == ["liaocheng-copy.txt"]
    assert "duplicate of liaocheng-city-park" in report.failed[0].reason
