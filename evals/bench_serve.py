"""The web app under load, and embedded vs server Chroma — the serving half of `evals.bench`.

    python -m evals.bench_serve --index DIR              # JSON API and Gradio /ask, 20 clients × 60 s

Every server here is started by this module on a free loopback port and stopped by its pid.
Load comes from this process (asyncio + httpx for the JSON API; gradio_client threads for /ask,
as in evals/load_ask.py), which shares the machine's cores with the server: what it costs is
printed beside the numbers.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evals.load_ask import QUESTIONS, free_port  # the same questions and ports as the Gradio load
from evals.run import ROOT, child_env, percentile


def wait_http(url: str, process: subprocess.Popen[bytes], seconds: float = 240) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def start_app(index_dir: Path, port: int, workers: int = 1, **env_extra: str) -> subprocess.Popen[bytes]:
    env = {**child_env(index_dir), "ASSISTANT_HOST": "127.0.0.1", "ASSISTANT_PORT": str(port),
           "GRADIO_ANALYTICS_ENABLED": "False",
           # the load generator is one client address: lift the per-client limit for it
           "ASSISTANT_RATE_LIMIT_PER_MINUTE": "1000000", **env_extra}
    command = [sys.executable, "-m", "uvicorn", "assistant.web.server:create_app", "--factory",
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    wait_http(f"http://127.0.0.1:{port}/api/health", process)
    if workers > 1:  # the master answers health before every worker has loaded its index
        time.sleep(5)
    return process


def stop(process: subprocess.Popen[bytes]) -> None:
    import signal

    try:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: the uvicorn master and its workers
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        process.kill()
        process.wait()


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (uvicorn workers), in MB."""
    total = 0
    try:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
        for p in [str(pid), *children]:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    except OSError:
        pass
    return total / 2**20


def cpu_seconds() -> float:
    usage = os.times()
    return usage.user + usage.system


async def _json_clients(url: str, clients: int, seconds: float) -> dict[str, Any]:
    import httpx

    latencies: list[float] = []
    errors: list[str] = []
    stop_at = time.monotonic() + seconds

    async def client(offset: int, http: httpx.AsyncClient) -> None:
        turn = offset
        while time.monotonic() < stop_at:
            question, history = QUESTIONS[turn % len(QUESTIONS)]
            turn += 1
            started = time.perf_counter()
            try:
                reply = await http.post(f"{url}/api/ask", json={"question": question, "history": history})
                if reply.status_code != 200 or "answered" not in reply.json():
                    raise ValueError(f"HTTP {reply.status_code}: {reply.text[:200]}")
            except Exception as exc:  # every failure is counted, none stops the run
                errors.append(f"{type(exc).__name__}: {exc}")
                continue
            latencies.append((time.perf_counter() - started) * 1000)

    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as http:
        started = time.monotonic()
        await asyncio.gather(*(client(i, http) for i in range(clients)))
        elapsed = time.monotonic() - started
    return {"latencies": latencies, "errors": errors, "elapsed": elapsed}


def json_load(url: str, clients: int, seconds: float) -> dict[str, Any]:
    return asyncio.run(_json_clients(url, clients, seconds))


def gradio_load(url: str, clients: int, seconds: float) -> dict[str, Any]:
    from evals.load_ask import run

    return run(f"{url}/", clients, seconds)


def gradio_rest_load(url: str, clients: int, seconds: float) -> dict[str, Any]:
    from evals.load_ask import run_http

    return run_http(f"{url}/", clients, seconds)


def summary(label: str, outcome: dict[str, Any], rss_mb: float, client_cpu_s: float) -> tuple[str, str, str]:
    lat = outcome["latencies"]
    rate = len(lat) / outcome["elapsed"] if outcome["elapsed"] else 0.0
    value = (f"{rate:.1f} answers/s · p50 {percentile(lat, 50) or 0:.0f} · p95 {percentile(lat, 95) or 0:.0f} · "
             f"p99 {percentile(lat, 99) or 0:.0f} ms · {len(outcome['errors'])} errors")
    note = (f"{len(lat)} answers in {outcome['elapsed']:.0f} s; server RSS {rss_mb:.0f} MB; "
            f"load generator used {client_cpu_s:.0f} s CPU of these cores")
    if outcome["errors"]:
        note += f"; first error: {outcome['errors'][0][:120]}"
    return label, value, note


def serve_load(index_dir: Path, clients: int, seconds: float, workers: Sequence[int]) -> list[tuple[str, str, str]]:
    rows = []
    for count in workers:
        port = free_port()
        print(f"JSON API: {count} worker(s), {clients} clients × {seconds:.0f} s…", flush=True)
        process = start_app(index_dir, port, count)
        try:
            url = f"http://127.0.0.1:{port}"
            # Warm: each question once per worker first. Lazily loaded parts (the pinyin table,
            # the holiday calendar, the vocabulary) would otherwise be built by many request
            # threads at once on the first burst; that start-up herd is not the steady state.
            json_load(url, count, 3 * count)
            cpu = cpu_seconds()
            outcome = json_load(url, clients, seconds)
            rows.append(summary(f"JSON `POST /api/ask`, {clients} clients, {count} uvicorn worker(s)",
                                outcome, tree_rss_mb(process.pid), cpu_seconds() - cpu))
            if count == 1:
                # Two clients of the same queue: gradio_client (one shared TLS context, see
                # evals/load_ask.run) and its REST form, a few ms of client CPU per answer.
                for label, load in (("gradio_client", gradio_load), ("REST /gradio_api/call/ask", gradio_rest_load)):
                    print(f"Gradio /ask ({label}): {clients} clients × {seconds:.0f} s…", flush=True)
                    cpu = cpu_seconds()
                    outcome = load(url, clients, seconds)
                    rows.append(summary(f"Gradio `/ask` ({label}), {clients} clients, 1 worker",
                                        outcome, tree_rss_mb(process.pid), cpu_seconds() - cpu))
        finally:
            stop(process)
        print(f"  {rows[-1][1]}", flush=True)
    return rows


def start_chroma(path: Path, port: int) -> subprocess.Popen[bytes]:
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent)) or "chroma"
    process = subprocess.Popen([chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    wait_http(f"http://127.0.0.1:{port}/api/v2/heartbeat", process)
    return process


def chroma_side_by_side(size: int, embedder: str, queries: int) -> list[dict[str, Any]]:
    """One synthetic corpus ingested twice — embedded and through a Chroma server — then opened
    and queried the same way."""
    from assistant.index import Index
    from assistant.ingest import ingest_paths
    from assistant.retrieve import Retriever
    from assistant.settings import get_settings
    from evals.run import DEFAULT_SET, load_questions
    from evals.synth import write_corpus

    questions = [q.question for q in load_questions(DEFAULT_SET)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-chroma-", ignore_cleanup_errors=True) as tmp:
        root = Path(tmp)
        write_corpus(root / "corpus", size, get_settings().corpus_dir)
        port = free_port()
        server = start_chroma(root / "server-data", port)
        try:
            for where, url in (("embedded", None), ("server", f"http://127.0.0.1:{port}")):
                t0 = time.perf_counter()
                result = ingest_paths([root / "corpus"], root / where, embedder, chroma_url=url)
                ingest_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                retriever = Retriever(Index(root / where, embedder, chroma_url=url))
                retriever.retrieve(questions[0])
                open_s = time.perf_counter() - t0
                timings, dense = [], 0
                for i in range(queries):
                    t0 = time.perf_counter()
                    found = retriever.search(questions[i % len(questions)])
                    timings.append((time.perf_counter() - t0) * 1000)
                    dense += found.dense
                rows.append({"where": where, "articles": result.chunks, "ingest_s": ingest_s, "open_s": open_s,
                             "p50": percentile(timings, 50), "p95": percentile(timings, 95),
                             "dense_share": dense / queries,
                             "search": "numpy" if retriever.index.vectors.matrix is not None else "HNSW"})
        finally:
            stop(server)
    return rows


def warm_stages(chain: Any, questions: Sequence[str], count: int) -> list[tuple[str, str, str]]:
    """Per-stage latency of warm answers: each stage of `chain.stages` timed in place."""
    from evals.bench import _ms

    timings: dict[str, list[float]] = {}

    def timed(stage: Any) -> Any:
        name = stage.__name__.lstrip("_")

        def run(state: Any) -> Any:
            t0 = time.perf_counter()
            out = stage(state)
            timings.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
            return out

        return run

    original = chain.stages
    chain.stages = tuple(timed(s) for s in original)
    try:
        for i in range(count):
            chain.ask(questions[i % len(questions)])
    finally:
        chain.stages = original
    return [(f"warm ask, stage `{name}`", _ms(values), f"{len(values)} answers") for name, values in timings.items()]


def dense_search_costs(index: Any, questions: Sequence[str], queries: int) -> dict[str, float]:
    """The same dense top-100 by numpy over the whole matrix and by Chroma's HNSW, query vectors
    cached: the cost of the search alone, for choosing BRUTE_FORCE_MAX."""
    import numpy as np

    from assistant.vectors import VectorSearch

    search = index.vectors
    hnsw = VectorSearch(lambda: search.collection, search.embedder, search.positions, len(index.chunks), None)
    hnsw.matrix = None
    if search.matrix is None:
        data = search.collection.get(include=["embeddings"])
        brute = VectorSearch(lambda: search.collection, search.embedder, search.positions, len(index.chunks),
                             np.zeros((1, 1), dtype=np.float32))
        brute.matrix = np.zeros((len(index.chunks), len(data["embeddings"][0])), dtype=np.float32)
        for chunk_id, row in zip(data["ids"], data["embeddings"], strict=True):
            brute.matrix[search.positions[chunk_id]] = row
    else:
        brute = VectorSearch(lambda: search.collection, search.embedder, search.positions, len(index.chunks),
                             search.matrix)
    brute.brute_force_max = len(index.chunks)  # numpy over every row, whatever the size
    out: dict[str, float] = {}
    for label, engine in (("numpy", brute), ("hnsw", hnsw)):
        times = []
        for i in range(queries):
            q = questions[i % len(questions)]
            engine.query_vector(q)
            t0 = time.perf_counter()
            engine.search(q, 100)
            times.append((time.perf_counter() - t0) * 1000)
        out[f"dense_{label}_p50_ms"] = percentile(times, 50) or 0.0
    return out
