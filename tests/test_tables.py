"""Tables stored with the index (assistant/tables.py): round trip, stale or missing tables, and
the same answers whether a process reads them or builds them."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant import tables as tables_module
from assistant.build import write_json
from assistant.chain import AnswerChain
from assistant.errors import IndexMismatch
from assistant.index import Index, read_manifest
from assistant.ingest import ingest_paths
from assistant.retrieve import Retriever
from assistant.route import build_routing
from assistant.tables import Columns, Tables, stale_reason
from assistant.vocabulary import Vocabulary
from evals.synth import write_corpus

from .conftest import CORPUS, TODAY

QUESTIONS = (
    "柳州园区企业营收6亿元，经济贡献奖励最多多少？",
    "聊城核心区面积要求",
    "聊成的产业园认定条件是什么",  # a homophone of a place
    "自治区级产业园要入驻多少家机构",
    "第五条讲什么",
    "申报需要哪些材料",
    "场地租金补贴怎么算",
    "这个政策什么时候到期",
    "北京的园区有什么补贴",  # a place no document belongs to
    "桂人社规〔2021〕1号第十条",
)


@pytest.fixture(scope="module")
def synth_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few hundred articles in ~20 documents: other places, supersession, shared labels."""
    root = tmp_path_factory.mktemp("tables")
    write_corpus(root / "corpus", 300, CORPUS)
    for path in CORPUS.glob("*.txt"):  # the seed documents too, so seed questions route
        shutil.copy(path, root / "corpus" / path.name)
    report = ingest_paths([root / "corpus"], root / "index", "hash", today=TODAY)
    assert not report.failed and report.chunks > 300
    return root / "index"


def _copy(index_dir: Path, target: Path) -> Path:
    shutil.copytree(index_dir, target)
    return target


def _without_tables(index_dir: Path) -> None:
    """Make the index look built before tables were stored."""
    manifest = read_manifest(index_dir)
    assert manifest is not None
    manifest.pop("tables")
    gen_dir = index_dir / manifest["generation"]
    shutil.rmtree(gen_dir / tables_module.FOLDER)
    write_json(gen_dir / "manifest.json", manifest)
    write_json(index_dir / "manifest.json", manifest)


def _answers(index_dir: Path) -> list[tuple[object, ...]]:
    index = Index(index_dir)
    chain = AnswerChain(index, TODAY, retriever=Retriever(index))
    out = []
    for question in QUESTIONS:
        answer = chain.ask(question)
        hits = chain.retriever.retrieve(question, k=8)
        out.append((
            answer.answer,
            answer.answered,
            [(c.doc_id, c.article) for c in answer.citations],
            [(h.chunk.doc_id, h.chunk.article, h.score, h.via) for h in hits],
        ))
    index.close()
    return out


def test_stored_tables_equal_tables_built_from_the_articles(synth_index: Path) -> None:
    manifest = read_manifest(synth_index)
    assert manifest is not None
    gen_dir = synth_index / manifest["generation"]
    assert stale_reason(gen_dir, manifest) is None
    assert manifest["tables"]["chunks"] == manifest["counts"]["chunks"]

    stored = Tables(gen_dir, manifest)
    lines = (gen_dir / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
    from assistant.types import Chunk

    parsed = [Chunk.from_json(json.loads(line)) for line in lines]
    assert list(stored.chunks) == parsed
    assert stored.chunks[-1] == parsed[-1] and stored.chunks[3:5] == parsed[3:5]

    built = Columns.build(parsed)
    for name in ("docs", "labels", "chapters"):
        a, b = stored.columns.positions(name), built.positions(name)
        assert list(a) == list(b)  # same keys, same order of first appearance
        assert all(np.array_equal(a[k], b[k]) for k in a)
    assert stored.columns.chunk_ids == [c.chunk_id for c in parsed]

    vocab, fresh = stored.vocabulary, Vocabulary.build(parsed)
    assert list(vocab.tokens) == list(fresh.tokens) and vocab.total == fresh.total
    assert np.array_equal(vocab.df, fresh.df)
    doc = parsed[0].doc_id
    own = set(vocab.tokens[i] for i in vocab.doc_tokens[vocab.doc_ptr[0] : vocab.doc_ptr[1]])
    assert vocab.doc_ids[0] == doc and own
    for token in list(own)[:50]:
        assert vocab.known(token, [doc]) and vocab.idf(token) == fresh.idf(token)
    foreign = next(t for t in vocab.tokens if t not in own)
    assert vocab.known(foreign) and not vocab.known(foreign, [doc])

    index = Index(synth_index)
    assert index.documents.routing == build_routing(index.documents)
    assert index.documents.routing.sounds  # the places' pinyin, read back


def test_index_without_tables_opens_says_so_and_answers_the_same(
    synth_index: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    expected = _answers(synth_index)
    old = _copy(synth_index, tmp_path / "old")
    _without_tables(old)
    with caplog.at_level(logging.WARNING, logger="assistant.tables"):
        assert _answers(old) == expected
    assert "run `assistant ingest`" in caplog.text and "built before tables" in caplog.text

    # the next ingest stores them without embedding anything again
    report = ingest_paths([synth_index.parent / "corpus"], old, "hash", today=TODAY)
    assert report.embedded == 0 and not report.changed
    manifest = read_manifest(old)
    assert manifest is not None and stale_reason(old / manifest["generation"], manifest) is None
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="assistant.tables"):
        assert _answers(old) == expected
    assert not caplog.text


def test_tables_of_another_version_are_rebuilt_not_used(
    synth_index: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _answers(synth_index)
    old = _copy(synth_index, tmp_path / "old")
    manifest = read_manifest(old)
    assert manifest is not None
    gen_dir = old / manifest["generation"]
    # a wrong table on disk: were it used, answers would change
    (gen_dir / tables_module.FOLDER / "routing.json").write_text(
        json.dumps({"names": [], "aliases": [], "words": [], "places": [], "sounds": {}}), encoding="utf-8"
    )
    monkeypatch.setattr(tables_module, "TABLES_VERSION", tables_module.TABLES_VERSION + 1)
    assert "version" in (stale_reason(gen_dir, manifest) or "")
    with caplog.at_level(logging.WARNING, logger="assistant.tables"):
        assert _answers(old) == expected
    assert "another version" in caplog.text


def test_tables_that_do_not_match_the_articles_are_an_error(synth_index: Path, tmp_path: Path) -> None:
    old = _copy(synth_index, tmp_path / "old")
    manifest = read_manifest(old)
    assert manifest is not None
    folder = old / manifest["generation"] / tables_module.FOLDER
    offsets = np.load(folder / "chunks.offsets.npy")
    np.save(folder / "chunks.offsets.npy", offsets[:-1])
    with pytest.raises(IndexMismatch, match="assistant ingest"):
        _ = Index(old).chunks

    (folder / "vocab.df.npy").unlink()
    assert "vocab.df.npy" in (stale_reason(folder.parent, manifest) or "")
