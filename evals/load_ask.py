"""Load benchmark for the web app's `/ask` API (a benchmark, not a test).

    .venv/bin/python -m evals.load_ask                      # starts `python app.py` on a free port
    .venv/bin/python -m evals.load_ask --url http://127.0.0.1:7860/ --clients 20 --seconds 30
    .venv/bin/python -m evals.load_ask --client rest        # Gradio's REST form of the queue

N clients ask questions back to back for the given time on loopback (a mix of calculations,
article lookups, follow-ups with history and refusals): gradio_client sessions, each in its own
thread, or (--client rest) asyncio tasks posting to /gradio_api/call/ask, a session each.
Prints every error, then requests, throughput and p50/p95/max latency as seen by the client.
On a 2-core machine the load generator shares the cores with the server: see evals/bench.md
for what each client costs.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS: tuple[tuple[str, list[list[str]]], ...] = (
    ("柳州园区企业主营业务收入6亿元，经济贡献奖励最多多少？", []),
    ("那1.2亿呢？", [["柳州园区企业主营业务收入6亿元，经济贡献奖励最多多少？", "不超过50万元"]]),
    ("广西自治区级产业园申报条件第五条是什么？", []),
    ("聊城市级产业园核心区建筑面积最低要求是多少？", []),
    ("柳州措施的有效期到什么时候？", []),
    ("火星上的产业园有什么补贴？", []),
    ("聊城产业园评估不合格会怎样？", []),
    ("自治区级产业园多久评估一次？", []),
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_app(port: int) -> subprocess.Popen[bytes]:
    # Every client here shares one address: the per-client rate limit would measure itself.
    env = {**os.environ, "ASSISTANT_HOST": "127.0.0.1", "ASSISTANT_PORT": str(port),
           "GRADIO_ANALYTICS_ENABLED": "False", "ASSISTANT_RATE_LIMIT_PER_MINUTE": "1000000"}
    process = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    import httpx

    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"app.py exited: {process.stderr.read().decode()[-2000:] if process.stderr else ''}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("app.py did not start within 180 s")


def worker(url: str, offset: int, stop_at: float, latencies: list[float], errors: list[str],
           lock: threading.Lock, tls: Any = None) -> None:
    from gradio_client import Client

    try:
        # gradio_client hands `ssl_verify` to httpx as `verify`, which takes a context as well
        client = Client(url, verbose=False, ssl_verify=tls if tls is not None else True)
    except Exception as exc:  # a client that cannot connect is an error, not a crash
        with lock:
            errors.append(f"connect: {type(exc).__name__}: {exc}")
        return
    turn = offset
    while time.monotonic() < stop_at:
        question, history = QUESTIONS[turn % len(QUESTIONS)]
        turn += 1
        started = time.perf_counter()
        try:
            result = client.predict(question, history, api_name="/ask")
            if not isinstance(result, dict) or "answered" not in result:
                raise ValueError(f"not an answer object: {str(result)[:200]}")
        except Exception as exc:
            with lock:
                errors.append(f"{question}: {type(exc).__name__}: {exc}")
            continue
        with lock:
            latencies.append((time.perf_counter() - started) * 1000)
    client.close()


class Throttled(Exception):
    """The server's rate limit answered 429; `wait` is its Retry-After in seconds."""

    def __init__(self, wait: float, text: str) -> None:
        super().__init__(f"HTTP 429: {text}")
        self.wait = wait


async def _http_clients(url: str, clients: int, seconds: float, calls: int | None = None) -> dict[str, Any]:
    """The same questions through Gradio's REST form of the queue (what gradio_client does
    underneath, without its per-call threads): `POST /gradio_api/call/ask` queues an answer
    and returns its event id; `GET /gradio_api/call/ask/<id>` streams the events until
    `complete`. A few ms of client CPU per answer instead of gradio_client's ~60 ms, so on a
    2-core machine it measures the server rather than itself. `calls` stops each client after
    that many answers (a time window alone makes the count depend on the machine's speed). A
    429 is counted once as an error and the client waits its Retry-After, as a polite client
    would, instead of spinning on refusals."""
    import asyncio
    import json

    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    stop_at = time.monotonic() + seconds
    base = url.rstrip("/") + "/gradio_api/call/ask"

    async def one(http: httpx.AsyncClient, session: str, question: str, history: list[list[str]]) -> None:
        queued = await http.post(base, json={"data": [question, history], "session_hash": session})
        if queued.status_code == 429:
            raise Throttled(float(queued.headers.get("retry-after", "1")), queued.text[:200])
        if queued.status_code != 200:
            raise ValueError(f"HTTP {queued.status_code}: {queued.text[:200]}")
        event, data = "", ""
        async with http.stream("GET", f"{base}/{queued.json()['event_id']}") as stream:
            async for line in stream.aiter_lines():
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:") and event in ("complete", "error"):
                    data = line[5:].strip()
                    break
        if event != "complete":
            raise ValueError(f"{event or 'no event'}: {data[:200]}")
        result = json.loads(data)
        if not isinstance(result, list) or not isinstance(result[0], dict) or "answered" not in result[0]:
            raise ValueError(f"not an answer object: {data[:200]}")

    async def client(offset: int, http: httpx.AsyncClient) -> None:
        # One session per client, as gradio_client and the browser keep: a call without one
        # is a new session, for which Gradio copies every component's config of the page.
        session = uuid.uuid4().hex
        turn = offset
        while time.monotonic() < stop_at and (calls is None or turn - offset < calls):
            question, history = QUESTIONS[turn % len(QUESTIONS)]
            turn += 1
            started = time.perf_counter()
            try:
                await one(http, session, question, history)
            except Throttled as exc:
                errors.append(f"{question}: {exc}")
                await asyncio.sleep(min(exc.wait, max(0.0, stop_at - time.monotonic())))
                continue
            except Exception as exc:  # every failure is counted, none stops the run
                errors.append(f"{question}: {type(exc).__name__}: {exc}")
                continue
            latencies.append((time.perf_counter() - started) * 1000)

    limits = httpx.Limits(max_connections=2 * clients, max_keepalive_connections=2 * clients)
    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        started = time.monotonic()
        await asyncio.gather(*(client(i, http) for i in range(clients)))
        elapsed = time.monotonic() - started
    return {"latencies": latencies, "errors": errors, "elapsed": elapsed}


def run_http(url: str, clients: int, seconds: float, calls: int | None = None) -> dict[str, Any]:
    import asyncio

    return asyncio.run(_http_clients(url, clients, seconds, calls))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def run(url: str, clients: int, seconds: float, shared_tls: bool = True) -> dict[str, Any]:
    """`clients` gradio_client sessions, one thread each. gradio_client opens a new httpx
    client for each of its calls (a predict is two: join the queue, read its events), and each
    builds a TLS context from the CA bundle: ~70 % of this process's CPU in a profile, although
    loopback is plain HTTP, and on 2 cores the load generator became the limit. `shared_tls`
    hands every call one context built the same way instead (verification unchanged)."""
    import ssl

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    import certifi

    tls = ssl.create_default_context(cafile=certifi.where()) if shared_tls else None  # httpx's default
    threads = [
        threading.Thread(target=worker, args=(url, i, stop_at, latencies, errors, lock, tls), daemon=True)
        for i in range(clients)
    ]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    elapsed = time.monotonic() - started
    return {"latencies": latencies, "errors": errors, "elapsed": elapsed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running app; default: start app.py on a free loopback port")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--client", choices=("gradio", "rest"), default="gradio")
    parser.add_argument("--tls-per-call", action="store_true",
                        help="gradio_client as shipped: a new TLS context for every call")
    args = parser.parse_args()

    process = None
    url = args.url
    if not url:
        port = free_port()
        print(f"starting app.py on 127.0.0.1:{port} …", flush=True)
        process = start_app(port)
        url = f"http://127.0.0.1:{port}/"
    try:
        print(f"{args.clients} clients × {args.seconds:.0f} s against {url.rstrip('/')}/ask", flush=True)
        if args.client == "rest":
            outcome = run_http(url, args.clients, args.seconds)
        else:
            outcome = run(url, args.clients, args.seconds, shared_tls=not args.tls_per_call)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)

    latencies, errors = outcome["latencies"], outcome["errors"]
    for kind, count in Counter(e.split(":", 1)[0] for e in errors).most_common():
        print(f"error ×{count}: {kind}")
    for line in errors[:10]:
        print(f"  {line}")
    print(f"requests: {len(latencies)} ok, {len(errors)} errors in {outcome['elapsed']:.1f} s "
          f"({len(latencies) / outcome['elapsed']:.1f} answers/s)")
    if latencies:
        print(f"latency ms: p50 {percentile(latencies, 0.50):.0f} · p95 {percentile(latencies, 0.95):.0f} · "
              f"max {max(latencies):.0f} · mean {statistics.fmean(latencies):.0f}")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
