"""The FastAPI app: the JSON API beside the Gradio page, started the way users start it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, TODAY

pytestmark = pytest.mark.slow  # real subprocesses: app servers, a Chroma server

QUESTION = "柳州园区企业主营业务收入6亿元，经济贡献奖励最多多少？"
LZ = "liuzhou-2024-park-measures"
STARTUP_SECONDS = 180


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    import httpx

    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text(encoding='utf-8', errors='replace')[-3000:]}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not start: {log.read_text(encoding='utf-8', errors='replace')[-3000:]}")


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = open(log, "wb")  # noqa: SIM115  (closed with the process)
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def server_env(index_dir: Path, port: int, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "ASSISTANT_INDEX_DIR": str(index_dir),
        "ASSISTANT_EMBEDDER": "hash",
        "ASSISTANT_TODAY": TODAY.isoformat(),
        "ASSISTANT_HOST": "127.0.0.1",
        "ASSISTANT_PORT": str(port),
        "GRADIO_ANALYTICS_ENABLED": "False",
    }
    env.pop("ASSISTANT_CHROMA_URL", None)
    return {**env, **extra}


@pytest.fixture(scope="module")
def app_url(hash_index: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python app.py` in its own process on a free loopback port."""
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "app.log"
    process = start([sys.executable, str(ROOT / "app.py")], server_env(hash_index, port), log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{url}/api/health", process, log)
        yield url
    finally:
        stop(process)


def test_json_ask_returns_the_answer_object(app_url: str) -> None:
    import httpx

    reply = httpx.post(f"{app_url}/api/ask", json={"id": "q1", "question": QUESTION}, timeout=60)
    assert reply.status_code == 200
    answer = reply.json()
    assert answer["id"] == "q1" and answer["answered"] is True
    assert "50万元" in answer["answer"]
    assert {c["doc_id"] for c in answer["citations"]} == {LZ}
    assert answer["latency_ms"] > 0


def test_json_ask_follows_the_history(app_url: str) -> None:
    import httpx

    body = {"question": "那1.2亿呢？", "history": [[QUESTION, "不超过50万元"]]}
    answer = httpx.post(f"{app_url}/api/ask", json=body, timeout=60).json()
    assert answer["answered"] is True
    assert "1.2亿" in answer["notes"]["understood_as"]


def test_json_retrieve_and_health(app_url: str) -> None:
    import httpx

    found = httpx.post(f"{app_url}/api/retrieve", json={"question": "广西第五条", "k": 2}, timeout=60).json()
    assert len(found["hits"]) == 2
    assert (found["hits"][0]["article"], found["hits"][0]["via"]) == ("第五条", "exact")
    health = httpx.get(f"{app_url}/api/health", timeout=10).json()
    assert health["status"] == "ok" and health["documents"] == 3 and health["vectors"] == "embedded"


def test_bad_question_is_one_clear_error(app_url: str) -> None:
    import httpx

    reply = httpx.post(f"{app_url}/api/ask", json={"question": "？？？"}, timeout=30)
    assert reply.status_code == 400
    assert "问题里没有文字" in reply.json()["error"]
    assert httpx.post(f"{app_url}/api/retrieve", json={"question": "x", "k": 0}, timeout=30).status_code == 422


def test_gradio_page_and_its_ask_api_stay(app_url: str) -> None:
    import httpx
    from gradio_client import Client

    assert "园区政策助手" in httpx.get(f"{app_url}/", timeout=30).text
    answer: dict[str, Any] = Client(f"{app_url}/", verbose=False).predict(QUESTION, [], api_name="/ask")
    assert answer["answered"] is True and "50万元" in answer["answer"]


def test_other_routers_are_included_before_gradio(use_hash_index: Path) -> None:
    from fastapi import APIRouter
    from fastapi.testclient import TestClient

    from assistant.web.backend import Backend
    from assistant.web.server import ROUTERS, create_app

    def extra(backend: Backend) -> APIRouter:
        router = APIRouter()

        @router.get("/v1/extra")
        def models() -> dict[str, Any]:
            return {"data": [{"id": backend.index.embedder_name}]}

        return router

    # the trusted-host guard serves loopback names only
    client = TestClient(create_app(Backend(), routers=[*ROUTERS, extra]), base_url="http://127.0.0.1")
    assert client.get("/v1/extra").json() == {"data": [{"id": "hash"}]}
    assert client.get("/api/health").json()["status"] == "ok"


def test_gradio_rest_calls_answer_in_one_session_each(app_url: str) -> None:
    """The REST form of Gradio's queue that evals/load_ask.py --client rest drives."""
    from evals.load_ask import run_http

    outcome = run_http(f"{app_url}/", clients=2, seconds=60, calls=4)
    assert outcome["errors"] == [] and len(outcome["latencies"]) == 8


def test_gradio_queue_keeps_no_analytics_for_its_disabled_dashboard(use_hash_index: Path) -> None:
    """Gradio's queue summarises its event log (pandas, up to 10,000 events) after every event
    for a monitoring dashboard this app does not serve: the app keeps one record, summarised
    never, whatever the number of answers."""
    from fastapi.testclient import TestClient

    from assistant.web.backend import Backend
    from assistant.web.server import create_app

    app = create_app(Backend(), routers=[])
    blocks = next(r.app.get_blocks() for r in app.routes if hasattr(getattr(r, "app", None), "get_blocks"))
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for question in (QUESTION, "广西第五条", "聊城核心区面积要求"):
            queued = client.post("/gradio_api/call/ask", json={"data": [question, []], "session_hash": "s1"})
            with client.stream("GET", f"/gradio_api/call/ask/{queued.json()['event_id']}") as events:
                assert "event: complete" in "".join(events.iter_text())
    queue = blocks._queue
    assert queue.events_recorded == 3
    assert len(queue.event_analytics) <= 1 and queue.event_count_at_last_cache == 0
