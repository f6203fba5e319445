"""Shared fixtures: real corpus, real Chroma/bm25s/jieba in temp dirs, the network blocked."""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from assistant.chain import AnswerChain
    from assistant.types import Answer

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
TODAY = dt.date(2026, 11, 24)

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only loopback and unix sockets: a test that reaches out fails loudly."""
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: object) -> object:
        if self.family == socket.AF_UNIX:
            return real_connect(self, address)  # type: ignore[arg-type]
        host = address[0] if isinstance(address, tuple) else str(address)
        if host not in ("127.0.0.1", "::1", "localhost"):
            raise RuntimeError(f"network access blocked in tests: {address}")
        return real_connect(self, address)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session", autouse=True)
def _start_up_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One cache of library tables (assistant.warmstart) for the session, not the project's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ASSISTANT_CACHE_DIR", str(tmp_path_factory.mktemp("warmstart")))
        yield


@pytest.fixture(autouse=True)
def _fresh_settings(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from assistant import service, settings

    monkeypatch.setenv("ASSISTANT_TODAY", TODAY.isoformat())
    settings.get_settings.cache_clear()
    service.reset()
    yield
    settings.get_settings.cache_clear()
    service.reset()


@pytest.fixture(scope="session")
def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.txt"))


@pytest.fixture(scope="session")
def hash_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus indexed once with the hash embedder (real Chroma, real bm25s)."""
    from assistant.ingest import ingest_paths

    index_dir = tmp_path_factory.mktemp("index")
    report = ingest_paths([CORPUS], index_dir, "hash", today=TODAY)
    assert not report.failed, report.failed
    return index_dir


@pytest.fixture(scope="session")
def use_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus indexed with the default multilingual USE embedder."""
    from assistant.ingest import ingest_paths

    index_dir = tmp_path_factory.mktemp("index-use")
    ingest_paths([CORPUS], index_dir, "use-m3", today=TODAY)
    return index_dir


@pytest.fixture
def use_hash_index(hash_index: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from assistant import settings

    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(hash_index))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    settings.get_settings.cache_clear()
    return hash_index


def chain_over(folder: Path, texts: Mapping[str, str]) -> AnswerChain:
    """An answer chain over policies written in a test (doc id → text), indexed in `folder`."""
    from assistant.chain import AnswerChain
    from assistant.index import Index
    from assistant.ingest import ingest_paths

    paths = []
    for doc_id, text in texts.items():
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        paths.append(folder / f"{doc_id}.txt")
    report = ingest_paths(paths, folder / "index", "hash", today=TODAY)
    assert not report.failed, report.failed
    return AnswerChain(Index(folder / "index", "hash"), today=TODAY)


def talk(chain: AnswerChain, *turns: str) -> tuple[Answer, list[list[str]]]:
    """A conversation whose history carries the assistant's own answers."""
    history: list[list[str]] = []
    answer = None
    for turn in turns:
        answer = chain.ask(turn, history)
        history.append([turn, answer.answer])
    assert answer is not None
    return answer, history
