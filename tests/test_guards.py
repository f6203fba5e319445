"""The guards on their own: per-client rate limit (POSTs), bounded memory, Host names."""

from __future__ import annotations

from typing import Any

from assistant.settings import Settings
from assistant.web.guards import TokenBuckets, allowed_hosts, install, is_loopback


def _app(per_minute: int) -> Any:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    app = FastAPI()

    @app.post("/gradio_api/call/ask")
    def ask() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/")
    def page() -> dict[str, bool]:
        return {"ok": True}

    install(app, Settings(rate_limit_per_minute=per_minute, admin_password=None))
    return TestClient(app, base_url="http://127.0.0.1")


def test_posts_beyond_the_rate_are_refused_with_retry_after() -> None:
    client = _app(per_minute=5)
    codes = [client.post("/gradio_api/call/ask").status_code for _ in range(8)]
    assert codes == [200] * 5 + [429] * 3
    refused = client.post("/gradio_api/call/ask")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "请求过于频繁" in refused.json()["error"]
    assert all(client.get("/").status_code == 200 for _ in range(20))  # pages and assets are free


def test_buckets_refill_per_client_and_forget_the_oldest() -> None:
    now = [0.0]
    buckets = TokenBuckets(per_minute=2, max_keys=3, clock=lambda: now[0])
    assert [buckets.take("a") for _ in range(3)] == [0.0, 0.0, 30.0]
    assert buckets.take("b") == 0.0  # another client has its own bucket
    now[0] = 30.0
    assert buckets.take("a") == 0.0  # one request refilled after half a minute
    for key in "cdefg":
        buckets.take(key)
    assert len(buckets._buckets) == 3


def test_allowed_hosts_and_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.20") and not is_loopback("park.example")
    hosts = allowed_hosts(Settings(host="0.0.0.0", allowed_hosts="policy.park.example, intranet"))
    assert "0.0.0.0" not in hosts and {"policy.park.example", "intranet", "127.0.0.1"} <= set(hosts)
    assert "192.168.1.20" in allowed_hosts(Settings(host="192.168.1.20"))
