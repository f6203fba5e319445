"""The served site over real HTTP on 127.0.0.1: the public page reads, the admin page needs its
login (also for a raw `/gradio_api/queue/join`), Host names are checked, CORS is off, and an
unsafe bind refuses to start."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS, ROOT, TODAY
from tests.test_web import QUESTION, free_port, manifest_generation

PASSWORD = "correct horse battery staple"
PUBLIC_NAME = "policy.park.example"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    import uvicorn

    from assistant import service, settings
    from assistant.ingest import ingest_paths
    from assistant.web.admin import build_site
    from assistant.web.backend import Backend
    from assistant.web.ui import build_app

    root = tmp_path_factory.mktemp("site")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    index_dir = root / "index"
    assert not ingest_paths([corpus], index_dir, "hash", today=TODAY).failed
    port = free_port()
    with pytest.MonkeyPatch.context() as env:
        for key, value in {
            "ASSISTANT_INDEX_DIR": str(index_dir), "ASSISTANT_CORPUS_DIR": str(corpus),
            "ASSISTANT_UPLOADS_DIR": str(root / "uploads"), "ASSISTANT_EMBEDDER": "hash",
            "ASSISTANT_TODAY": TODAY.isoformat(), "ASSISTANT_PORT": str(port),
            "ASSISTANT_ADMIN_PASSWORD": PASSWORD, "ASSISTANT_ALLOWED_HOSTS": PUBLIC_NAME,
            "ASSISTANT_RATE_LIMIT_PER_MINUTE": "1000", "GRADIO_ANALYTICS_ENABLED": "False",
        }.items():
            env.setenv(key, value)
        settings.get_settings.cache_clear()
        service.reset()
        backend = Backend()
        public = build_app(backend)
        public.queue()
        site = build_site(public, settings.get_settings())
        server = uvicorn.Server(uvicorn.Config(site, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 60
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.1)
        assert server.started
        try:
            yield {"url": f"http://127.0.0.1:{port}", "index": index_dir, "backend": backend, "app": public}
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            backend.close()
            settings.get_settings.cache_clear()
            service.reset()


def test_public_page_has_no_upload(served: dict[str, Any]) -> None:
    import httpx

    config = httpx.get(f"{served['url']}/config").json()
    kinds = {component.get("type") for component in config["components"]}
    assert "file" not in kinds and "uploadbutton" not in kinds
    refused = httpx.post(f"{served['url']}/gradio_api/upload", files={"files": ("x.txt", b"forged")})
    assert refused.status_code == 403


def test_unauthenticated_queue_join_to_the_admin_app_is_rejected(served: dict[str, Any], tmp_path: Path) -> None:
    import httpx

    before = manifest_generation(served["index"])
    admin = f"{served['url']}/admin"
    for fn_index in range(12):  # whatever the admin functions are numbered, none runs
        payload = {"data": [None, True, "liuzhou-2024-park-measures"], "fn_index": fn_index,
                   "session_hash": "attacker", "event_data": None, "trigger_id": None}
        response = httpx.post(f"{admin}/gradio_api/queue/join", json=payload)
        assert response.status_code == 401, (fn_index, response.status_code, response.text[:200])
    upload = httpx.post(f"{admin}/gradio_api/upload", files={"files": ("x.txt", b"forged")})
    assert upload.status_code == 401
    assert httpx.get(f"{admin}/config").status_code == 401
    assert manifest_generation(served["index"]) == before
    # The same requests with the admin's login get through: it is the login that refuses.
    wrong = httpx.post(f"{admin}/login", data={"username": "admin", "password": "guess"})
    assert wrong.status_code == 400
    login = httpx.post(f"{admin}/login", data={"username": "admin", "password": PASSWORD})
    assert login.status_code == 200
    cookies = {c.name: c.value for c in login.cookies.jar}
    assert httpx.get(f"{admin}/config", cookies=cookies).status_code == 200


def test_host_header_is_checked(served: dict[str, Any]) -> None:
    import httpx

    assert httpx.get(f"{served['url']}/", headers={"Host": "evil.example"}).status_code == 400
    assert httpx.get(f"{served['url']}/", headers={"Host": PUBLIC_NAME}).status_code == 200


def test_cross_origin_calls_get_no_cors_grant(served: dict[str, Any]) -> None:
    import httpx

    headers = {"Host": PUBLIC_NAME, "Origin": "http://evil.example"}
    call = httpx.post(f"{served['url']}/gradio_api/call/ask", json={"data": [QUESTION]}, headers=headers)
    assert call.status_code == 200  # same-origin tools still work; browsers get no grant
    assert "access-control-allow-origin" not in call.headers
    preflight = httpx.options(
        f"{served['url']}/gradio_api/call/ask",
        headers={**headers, "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_a_question_that_is_not_text_gets_an_error_message(served: dict[str, Any]) -> None:
    import httpx

    event = httpx.post(f"{served['url']}/gradio_api/call/ask", json={"data": [123, []]}).json()["event_id"]
    stream = httpx.get(f"{served['url']}/gradio_api/call/ask/{event}", timeout=60).text
    assert "event: error" in stream, stream[:300]
    data = json.loads(stream.split("data:", 1)[1])
    assert "问题必须是文字" in data["error"]


def test_public_blocks_sweep_their_cache(served: dict[str, Any]) -> None:
    assert served["app"].delete_cache == (3600, 3600)


def test_document_list_refreshes_on_page_load(served: dict[str, Any], tmp_path: Path) -> None:
    """An ingest from the command line (another process) shows up at the next page load."""
    from assistant.ingest import ingest_paths

    app = served["app"]
    loads = [f for f in app.fns.values() if f.name == "on_load"]  # the article browser's page load
    assert len(loads) == 1
    policy = tmp_path / "shifan-notice.txt"
    policy.write_text(
        "示范市产业园管理办法\n第一条 为规范示范市产业园管理，制定本办法。\n第二条 本办法自2025年1月1日起施行。\n",
        encoding="utf-8",
    )
    ingest_paths([policy], served["index"], "hash", today=TODAY)
    dropdown = loads[0].fn(None, None)[1]  # (tab, document list, outline …)
    assert "shifan-notice" in [value for _, value in dropdown.choices]
    assert "shifan-notice" in served["backend"].index.documents  # the backend reloaded too


@pytest.mark.parametrize("entry", [["-c", "from assistant.cli import main; main()", "serve"], [str(ROOT / "app.py")]])
def test_non_loopback_bind_without_admin_password_refuses_to_start(entry: list[str], tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update({"ASSISTANT_HOST": "0.0.0.0", "ASSISTANT_PORT": str(free_port()), "PYTHONPATH": str(ROOT),
                "ASSISTANT_INDEX_DIR": str(tmp_path / "none")})
    done = subprocess.run([sys.executable, *entry], env=env, capture_output=True, text=True, timeout=120,
                          cwd=tmp_path, check=False)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "ASSISTANT_ADMIN_PASSWORD" in done.stderr and "Traceback" not in done.stderr


def test_bind_check_passes_on_loopback_or_with_a_password() -> None:
    from pydantic import SecretStr

    from assistant.settings import Settings
    from assistant.web.guards import UnsafeBind, check_bind

    check_bind(Settings(host="127.0.0.1"))
    check_bind(Settings(host="::1"))
    check_bind(Settings(host="0.0.0.0", admin_password=SecretStr("x")))
    with pytest.raises(UnsafeBind):
        check_bind(Settings(host="192.168.1.20", admin_password=None))


