"""What stands between the network and the app: the bind check, trusted Host names, CORS
(off unless configured), a per-client rate limit, and no file uploads outside the admin page.

`install(app, settings)` puts them on any FastAPI app that mounts the Gradio pages; plain ASGI
middleware, so they cover Gradio's own routes (`/gradio_api/queue/join`, `/gradio_api/upload`)
as well as ours.
"""

from __future__ import annotations

import ipaddress
import json
import threading
import time
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from assistant.errors import AssistantError

if TYPE_CHECKING:
    from fastapi import FastAPI
    from starlette.types import ASGIApp, Receive, Scope, Send

    from assistant.settings import Settings

ADMIN_PATH = "/admin"
_LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


class UnsafeBind(AssistantError):
    """A non-loopback address without admin credentials."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it resolves to whatever the network says
        return False


def check_bind(settings: Settings) -> None:
    """Refuse to serve beyond this machine when nobody can be told apart from an admin."""
    if is_loopback(settings.host) or settings.admin_password:
        return
    raise UnsafeBind(
        f"拒绝在 {settings.host} 上启动：没有设置管理员密码（ASSISTANT_HOST={settings.host} is reachable "
        "from the network but ASSISTANT_ADMIN_PASSWORD is not set）: set ASSISTANT_ADMIN_PASSWORD "
        "(and put a TLS reverse proxy in front, see README), or keep ASSISTANT_HOST=127.0.0.1"
    )


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(",") if item.strip()]


def allowed_hosts(settings: Settings) -> list[str]:
    """Host header values accepted: loopback, the bound host (unless a wildcard), and the
    configured names (what a reverse proxy forwards)."""
    hosts = [*_LOOPBACK_NAMES, *_split(settings.allowed_hosts)]
    if settings.host not in ("0.0.0.0", "::", ""):
        hosts.append(settings.host)
    return list(dict.fromkeys(hosts))


def cors_origins(settings: Settings) -> list[str]:
    return _split(settings.cors_origins)


def install(app: FastAPI, settings: Settings, admin_path: str = ADMIN_PATH) -> None:
    """Add the guards to `app` (before it starts). Outermost first: Host, CORS, rate, uploads.

    A CORSMiddleware on the parent app also tells Gradio not to add its own CORS headers
    (which echo any Origin when the page is reached by a non-localhost name)."""
    from starlette.middleware.cors import CORSMiddleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware

    # add_middleware puts each new one outside the previous ones: add innermost first.
    app.add_middleware(UploadGate, admin_path=admin_path)
    app.add_middleware(RateLimit, per_minute=settings.rate_limit_per_minute)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=cors_origins(settings),
        allow_methods=["GET", "POST"],
        allow_headers=["content-type"],
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts(settings))


async def _refuse(send: Send, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"error": message}, ensure_ascii=False).encode()
    raw = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class UploadGate:
    """The public page has no file input, so Gradio's upload route takes nothing there; the
    admin page's upload route needs its login like every admin route."""

    def __init__(self, app: ASGIApp, admin_path: str = ADMIN_PATH) -> None:
        self.app = app
        self.admin_path = admin_path.rstrip("/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope.get("path", "")
            admin = path == self.admin_path or path.startswith(self.admin_path + "/")
            if path.rstrip("/").endswith("/gradio_api/upload") and not admin:
                await _refuse(send, 403, "上传只在管理页面进行（uploads are admin-only）")
                return
        await self.app(scope, receive, send)


class TokenBuckets:
    """Per-key token buckets: `per_minute` requests a minute, bursts up to the same number.
    Keeps the most recently seen keys only, so a flood of addresses cannot grow it unbounded."""

    def __init__(self, per_minute: int, max_keys: int = 10_000, clock: Any = time.monotonic) -> None:
        self.capacity = float(max(1, per_minute))
        self.rate = self.capacity / 60.0
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str) -> float:
        """0 if allowed, else the seconds until the next request would be."""
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(key, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - last) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[key] = (tokens - 1 if not wait else tokens, now)
            while len(self._buckets) > self.max_keys:
                self._buckets.popitem(last=False)
        return wait


class RateLimit:
    """POSTs (answers, uploads, logins) per client address; pages and assets are free.
    Behind a reverse proxy every client is the proxy: limit there too (README)."""

    def __init__(self, app: ASGIApp, per_minute: int = 60) -> None:
        self.app = app
        self.buckets = TokenBuckets(per_minute)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") == "POST":
            client = scope.get("client") or ("?", 0)
            wait = self.buckets.take(str(client[0]))
            if wait:
                seconds = max(1, round(wait))
                await _refuse(
                    send, 429, f"请求过于频繁，请 {seconds} 秒后再试（rate limit）", {"retry-after": str(seconds)}
                )
                return
        await self.app(scope, receive, send)
