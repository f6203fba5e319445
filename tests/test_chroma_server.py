"""A real Chroma server (`chroma run`, shipped with the chromadb package) holding the vectors:
ingest through it, answer through it, two app workers answering alike, and a clear error when
an index is opened against the wrong vector store."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.errors import IndexMismatch
from tests.conftest import CORPUS, TODAY
from tests.test_server import free_port, server_env, start, stop, wait_for

pytestmark = pytest.mark.slow  # real subprocesses: app servers, a Chroma server

QUESTIONS = [
    "柳州园区企业主营业务收入6亿元，经济贡献奖励最多多少？",
    "聊城核心区建筑面积最低要求是多少",
    "自治区级产业园多久评估一次？",
    "入驻机构有什么租金补贴",
    "火星上的产业园有什么补贴？",
]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma, "the chromadb package ships the `chroma` command"
    root = tmp_path_factory.mktemp("chroma-server")
    port = free_port()
    log = root / "chroma.log"
    process = start([chroma, "run", "--path", str(root / "data"), "--host", "127.0.0.1", "--port", str(port)], dict(os.environ), log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/api/v2/heartbeat", process, log)
        yield url
    finally:
        stop(process)


@pytest.fixture(scope="module")
def server_index(chroma_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from assistant.ingest import ingest_paths

    index_dir = tmp_path_factory.mktemp("server-index")
    report = ingest_paths([CORPUS], index_dir, "hash", today=TODAY, chroma_url=chroma_url)
    assert not report.failed and report.embedded == report.chunks > 0
    return index_dir


def test_manifest_says_the_vectors_live_on_the_server(server_index: Path, chroma_url: str) -> None:
    manifest = json.loads((server_index / "manifest.json").read_text(encoding="utf-8"))
    vectors = manifest["vectors"]
    assert vectors["server"] is True and vectors["url"] == chroma_url
    assert vectors["collection"].endswith(manifest["generation"])
    assert not (server_index / manifest["generation"] / "chroma").exists()


def test_answers_through_the_server(server_index: Path, chroma_url: str) -> None:
    from assistant.chain import AnswerChain
    from assistant.index import Index

    index = Index(server_index, "hash", chroma_url=chroma_url)
    assert index.vectors.collection.count() == len(index.chunks)
    found = index.vectors.search("核心区建筑面积", 3)
    assert len(found[0]) == 3 and (found[1] > 0).all()
    answer = AnswerChain(index, TODAY).ask(QUESTIONS[1])
    assert answer.answered and "4000平方米" in answer.answer


def test_server_index_without_the_url_is_an_error_not_bm25_only(server_index: Path) -> None:
    from assistant.index import Index

    with pytest.raises(IndexMismatch, match="ASSISTANT_CHROMA_URL"):
        Index(server_index, "hash")
    assert not any(server_index.glob("gen-*/chroma")), "no empty embedded store is written"


def test_embedded_index_with_a_url_is_an_error(hash_index: Path, chroma_url: str) -> None:
    from assistant.index import Index

    with pytest.raises(IndexMismatch, match="embedded"):
        Index(hash_index, "hash", chroma_url=chroma_url)


def test_a_collection_missing_from_the_server_is_an_error(server_index: Path, chroma_url: str) -> None:
    from assistant.index import Index

    copy = server_index.parent / "renamed-index"
    shutil.copytree(server_index, copy)
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["vectors"]["collection"] = "policies-gen-never-built"
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    index = Index(copy, "hash", chroma_url=chroma_url)
    with pytest.raises(IndexMismatch, match="policies-gen-never-built"):
        index.vectors  # noqa: B018


def test_two_workers_answer_identically(server_index: Path, chroma_url: str, tmp_path: Path) -> None:
    """Two stateless app processes over one generation and one Chroma server."""
    import httpx

    workers = []
    try:
        for n in range(2):
            port = free_port()
            env = server_env(server_index, port, ASSISTANT_CHROMA_URL=chroma_url)
            command = [sys.executable, "-m", "uvicorn", "assistant.web.server:create_app", "--factory",
                       "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
            workers.append((start(command, env, tmp_path / f"worker{n}.log"), f"http://127.0.0.1:{port}", n))
        for process, url, n in workers:
            wait_for(f"{url}/api/health", process, tmp_path / f"worker{n}.log")
        health = [httpx.get(f"{url}/api/health", timeout=10).json() for _, url, _ in workers]
        assert {h["vectors"] for h in health} == {"server"}
        assert health[0]["generation"] == health[1]["generation"] and health[0]["pid"] != health[1]["pid"]
        answers = []
        for _, url, _ in workers:
            replies = [httpx.post(f"{url}/api/ask", json={"question": q}, timeout=60).json() for q in QUESTIONS]
            for reply in replies:
                reply.pop("latency_ms")
            answers.append(replies)
        assert answers[0] == answers[1]
        assert sum(a["answered"] for a in answers[0]) == len(QUESTIONS) - 1  # Mars is declined
    finally:
        for process, _, _ in workers:
            stop(process)
