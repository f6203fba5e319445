"""`POST /api/verify` on a FastAPI app that mounts the router, as the app's server will."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.index import Index
from assistant.web.verify_api import make_router, router
from tests.conftest import TODAY
from tests.verify_support import EXPECTED, SIX_CITATIONS, build_index


@pytest.fixture(scope="module")
def verify_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory.mktemp("api-index"))


@pytest.fixture
def client(verify_index: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    """The module-level router, reading the index from the settings like the real server."""
    from assistant import settings

    monkeypatch.setenv("ASSISTANT_INDEX_DIR", str(verify_index))
    monkeypatch.setenv("ASSISTANT_EMBEDDER", "hash")
    settings.get_settings.cache_clear()
    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


def test_six_citations_through_the_api(client: TestClient) -> None:
    response = client.post("/api/verify", json={"text": SIX_CITATIONS})
    assert response.status_code == 200
    data = response.json()
    assert data["date"] == TODAY.isoformat()
    assert [c["verdict"] for c in data["citations"]] == [v for v, _ in EXPECTED]
    number = data["citations"][2]
    assert [(d["quoted"], d["actual"]) for d in number["quote"]["differences"] if d["number"]] == [("70%", "60%")]
    assert data["citations"][3]["unit"] == "not_found"
    replaced = data["citations"][4]["status"]
    assert (replaced["word"], replaced["superseded_by"]["doc_id"]) == ("已被替代", "shifan-2024-park-measures")
    assert data["citations"][5]["document"] == "not_in_corpus"
    assert data["failed"] is True and "6 处引用" in data["text"]


def test_date_changes_the_status(client: TestClient) -> None:
    text = "《柳州措施》二（二）5规定“一次性奖励不超过50万元”"
    before = client.post("/api/verify", json={"text": text, "date": "2026-11-24"}).json()
    after = client.post("/api/verify", json={"text": text, "date": "2027-01-05"}).json()
    assert before["citations"][0]["status"]["word"] == "草案"
    assert after["citations"][0]["status"]["word"] == "已失效"
    assert after["failed"] is True


def test_bounds_and_errors(verify_index: Path, tmp_path: Path) -> None:
    app = FastAPI()
    app.include_router(make_router(index=lambda: Index(verify_index)))
    client = TestClient(app)
    assert client.post("/api/verify", json={"text": "字" * 20_001}).status_code == 422
    assert client.post("/api/verify", json={"text": ""}).status_code == 422
    assert client.post("/api/verify", json={"text": "x", "date": "2026-13-40"}).status_code == 422
    missing = FastAPI()
    missing.include_router(make_router(index=lambda: Index(tmp_path / "none")))
    response = TestClient(missing).post("/api/verify", json={"text": "《甲办法》第一条"})
    assert response.status_code == 503
    assert "run `assistant ingest` first" in response.json()["detail"]
