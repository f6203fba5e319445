"""`python -m evals.bench` — what the assistant costs: latency, cold start, ingest, memory, growth.

1. Ingest the seed corpus into a temp index with the configured embedder.
2. Cold start: a new `assistant` process per question, a few runs.
3. Warm latency in-process: `retrieve` and `ask` over --queries questions (the dev set, cycled).
4. Cost growth: synthetic corpora (evals/synth.py) of 1k, 10k and 100k articles, each ingested
   with the real `ingest_paths` into a temp index in its own process (so its peak RSS is its
   own), then queried. Up to 10k always runs; a larger size whose projected time does not fit
   the rest of the budget is skipped, saying so.

Prints a table and writes evals/bench.md. It reports numbers and asserts nothing about time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evals.run import DEFAULT_SET, ROOT, assistant_command, child_env, load_questions, percentile

DEFAULT_QUERIES = 1000
DEFAULT_BUDGET_S = 600.0
GROWTH_SIZES = (1_000, 10_000, 100_000)
GROWTH_ALWAYS = 10_000  # sizes up to this run even past the budget (about 30 s together)
# Growth is measured with the hash embedder: with the default model, embedding alone would take
# hours at 100k articles on this machine, and it grows linearly; its cost is measured separately
# (articles/s) and added as a projection.
GROWTH_EMBEDDER = "hash"
GROWTH_QUERIES = 100
# Wall time grows faster than the corpus: 10k → 100k articles took ~25× longer here (ingest and
# per-query work both grow), so a projection scales the last size's wall time by ratio**1.3.
GROWTH_EXPONENT = 1.3
COLD_RUNS = 3
COLD_QUESTION = "柳州园区企业营收30亿 经济贡献奖励是多少"
# Each warm phase may use this share of the budget (1000 queries fit at ≤ 0.27 s a query);
# then it stops, after at least MIN_WARM queries, and says so. Growth gets what is left.
WARM_SHARE = 0.45
MIN_WARM = 100


@dataclass
class Report:
    started: float = field(default_factory=time.monotonic)
    budget_s: float = DEFAULT_BUDGET_S
    rows: list[tuple[str, str, str]] = field(default_factory=list)  # (what, value, note)
    growth: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    load_start: str = field(default_factory=lambda: " ".join(f"{x:.1f}" for x in os.getloadavg()))

    def add(self, what: str, value: str, note: str = "") -> None:
        self.rows.append((what, value, note))
        print(f"  {what}: {value}" + (f"  ({note})" if note else ""), flush=True)

    def say(self, note: str) -> None:
        self.notes.append(note)
        print(f"  ! {note}", flush=True)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def left(self) -> float:
        return self.budget_s - self.elapsed


def _ms(values: Sequence[float]) -> str:
    p50, p95, p99 = (percentile(values, p) or 0.0 for p in (50, 95, 99))
    digits = 1 if p99 < 100 else 0
    return f"p50 {p50:.{digits}f} · p95 {p95:.{digits}f} · p99 {p99:.{digits}f} ms"


def _mb(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:.0f} MB"


def peak_rss_bytes() -> int:
    """This process's peak RSS. VmHWM where there is /proc: ru_maxrss survives exec, so a child
    started from a big parent would report the parent's size."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


# Runs one command and reports its wall time and peak RSS. The wrapper is a small fresh process,
# so the command's ru_maxrss is its own and not the bench process's inherited size.
_TIMED = """
import json, resource, subprocess, sys, time
t0 = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
wall = time.perf_counter() - t0
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
rss = usage.ru_maxrss * 1024
print(json.dumps({"code": code, "wall_s": wall, "rss": rss, "cpu_s": usage.ru_utime + usage.ru_stime}))
"""


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# ---------------------------------------------------------------- phases


def ingest_seed(report: Report, index_dir: Path, embedder: str) -> None:
    from assistant.ingest import ingest_paths
    from assistant.settings import get_settings

    corpus = get_settings().corpus_dir
    t0 = time.perf_counter()
    result = ingest_paths([corpus], index_dir, embedder)
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = ingest_paths([corpus], index_dir, embedder)
    second = time.perf_counter() - t0
    report.add(
        "ingest seed corpus → temp index",
        f"{first:.1f} s",
        f"{len(result.added)} documents, {result.chunks} articles, embedder {embedder}, model load included",
    )
    report.add("re-ingest, nothing changed", f"{second:.2f} s", f"{again.embedded} texts re-embedded")
    report.add("seed index on disk", _mb(dir_bytes(index_dir)), "both generations' files, Chroma + bm25s")


def embedder_speed(report: Report, embedder_name: str) -> float:
    """Articles per second the embedder encodes in batches, and one query's encode time."""
    from assistant.embed import get_embedder
    from assistant.ingest import load_document
    from assistant.settings import get_settings
    from assistant.structure import chunk_document

    embedder = get_embedder(embedder_name)
    texts = [
        f"{c.title} {c.article} {c.text}"
        for path in sorted(get_settings().corpus_dir.glob("*.txt"))
        for c in chunk_document(load_document(path))
    ]
    embedder.encode(texts[:2])
    t0 = time.perf_counter()
    embedder.encode(texts)
    rate = len(texts) / (time.perf_counter() - t0)
    questions = [q.question for q in load_questions(DEFAULT_SET)][:30]
    single = []
    for q in questions:
        t0 = time.perf_counter()
        embedder.encode([q])
        single.append((time.perf_counter() - t0) * 1000)
    report.add(f"{embedder_name}: embed articles (batch)", f"{rate:.0f} articles/s", f"{len(texts)} seed articles")
    report.add(f"{embedder_name}: embed one query", _ms(single), f"{len(single)} dev questions")
    if os.environ.get("OPENBLAS_CORETYPE"):
        blas_comparison(report, embedder_name, questions)
    return rate


_ENCODE_ONE = """
import json, sys, time
from assistant.embed import get_embedder
try:
    from threadpoolctl import threadpool_info
except ImportError:
    threadpool_info = list
e = get_embedder(sys.argv[1]); e.encode(["x"])
out = []
for q in json.loads(sys.argv[2]):
    t0 = time.perf_counter(); e.encode([q]); out.append((time.perf_counter() - t0) * 1000)
arch = next((i.get("architecture") for i in threadpool_info() if i.get("internal_api") == "openblas"), "?")
print(json.dumps({"ms": out, "kernel": arch}))
"""


def blas_comparison(report: Report, embedder_name: str, questions: list[str]) -> None:
    """The same query encodes with this machine's OPENBLAS_* overrides unset, in a child process
    only: the overrides guard old OpenBLAS builds and are kept everywhere else."""
    env = {k: v for k, v in child_env(None).items() if not k.startswith("OPENBLAS_")}
    cmd = [sys.executable, "-c", _ENCODE_ONE, embedder_name, json.dumps(questions, ensure_ascii=False)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=300)
    if proc.returncode != 0 or not proc.stdout.strip():
        report.say(f"OPENBLAS comparison failed: {proc.stderr.strip()[-200:]}")
        return
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    report.add(
        f"{embedder_name}: embed one query, OPENBLAS_* unset",
        _ms(data["ms"]),
        f"OpenBLAS kernel {data['kernel']} instead of {os.environ['OPENBLAS_CORETYPE']}; child process only",
    )


def cold_start(report: Report, index_dir: Path, embedder: str, ask_available: bool) -> None:
    env = child_env(index_dir)
    env["ASSISTANT_EMBEDDER"] = embedder
    base = assistant_command()
    commands = [("assistant --help", [*base, "--help"])]
    commands.append(("retrieve a question (new process)", [*base, "retrieve", "--json", COLD_QUESTION]))
    if ask_available:
        commands.append(("ask a question (new process)", [*base, "ask", "--json", COLD_QUESTION]))
    for label, cmd in commands:
        walls, peaks, cpus = [], [], []
        for _ in range(COLD_RUNS):
            proc = subprocess.run(
                [sys.executable, "-c", _TIMED, *cmd], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
            )
            result = json.loads(proc.stdout.strip().splitlines()[-1])
            walls.append(result["wall_s"])
            peaks.append(result["rss"])
            cpus.append(result.get("cpu_s", 0.0))
            if result["code"] != 0:
                report.say(f"`{shlex.join(cmd[1:3])}` exited {result['code']}: {proc.stderr.strip()[-200:]}")
                break
        report.add(
            f"cold start: {label}",
            f"{statistics.median(walls):.2f} s",
            f"median of {len(walls)}, min {min(walls):.2f}, max {max(walls):.2f}; CPU time "
            f"{statistics.median(cpus):.2f} s (wall time on shared cores is CPU time plus waiting); "
            f"peak RSS {_mb(max(peaks))}",
        )


def warm(report: Report, label: str, call: Callable[[str], Any], questions: list[str], wanted: int, share_s: float) -> None:
    """`call` over `wanted` questions, or until this phase's share of the budget runs out
    (after at least MIN_WARM queries)."""
    for q in questions[:3]:
        call(q)  # warm-up: models, indexes and caches loaded
    timings: list[float] = []
    started = time.perf_counter()
    for i in range(wanted):
        if i >= MIN_WARM and time.perf_counter() - started > share_s:
            report.say(
                f"{label}: stopped after {i} of {wanted} queries, when this phase's {share_s:.0f} s "
                f"of the budget ran out (raise --budget for all {wanted})"
            )
            break
        q = questions[i % len(questions)]
        t0 = time.perf_counter()
        call(q)
        timings.append((time.perf_counter() - t0) * 1000)
    total = time.perf_counter() - started
    report.add(f"warm {label}", _ms(timings), f"{len(timings)} queries in-process, {len(timings) / total:.1f}/s")


def growth_one(size: int, embedder: str, queries: int) -> dict[str, Any]:
    """One size: generate and ingest in this process, then open and query in a fresh one (so
    the serving RSS is a worker's, not the ingest's). Returns the measurements."""
    from assistant.ingest import ingest_paths
    from assistant.settings import get_settings
    from evals.synth import write_corpus

    with tempfile.TemporaryDirectory(prefix=f"bench-{size}-", ignore_cleanup_errors=True) as tmp:
        t0 = time.perf_counter()
        corpus = write_corpus(Path(tmp) / "corpus", size, get_settings().corpus_dir)
        generate_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = ingest_paths([Path(tmp) / "corpus"], Path(tmp) / "index", embedder)
        ingest_s = time.perf_counter() - t0
        cmd = [sys.executable, "-m", "evals.bench", "--growth-serve", str(Path(tmp) / "index"),
               "--growth-embedder", embedder, "--growth-queries", str(queries)]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=child_env(None), timeout=3600)
        lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
        if proc.returncode != 0 or not lines:
            raise RuntimeError(f"serving {size:,} failed: {proc.stderr[-500:]}")
        return {
            **json.loads(lines[-1]),
            "size": size,
            "articles": result.chunks,
            "documents": len(result.added),
            "failed": len(result.failed),
            "corpus_bytes": corpus.bytes,
            "generate_s": generate_s,
            "ingest_s": ingest_s,
            "index_bytes": dir_bytes(Path(tmp) / "index"),
            "ingest_peak_rss_bytes": peak_rss_bytes(),
        }


def growth_serve(index_dir: Path, embedder: str, queries: int) -> dict[str, Any]:
    """Open an index as a worker does, then retrieve and answer `queries` dev questions."""
    from assistant.chain import AnswerChain
    from assistant.index import Index
    from assistant.retrieve import Retriever
    from evals.bench_serve import dense_search_costs

    questions = [q.question for q in load_questions(DEFAULT_SET)]
    t0 = time.perf_counter()
    retriever = Retriever(Index(index_dir, embedder_name=embedder))
    retriever.retrieve(questions[0])
    open_s = time.perf_counter() - t0
    timings = []
    for i in range(queries):
        t0 = time.perf_counter()
        retriever.retrieve(questions[i % len(questions)])
        timings.append((time.perf_counter() - t0) * 1000)
    chain = AnswerChain(retriever.index, dt.date.today(), retriever=retriever)
    t0 = time.perf_counter()
    chain.ask(questions[1])
    first_answer_s = time.perf_counter() - t0
    answers = []
    for i in range(queries):
        t0 = time.perf_counter()
        chain.ask(questions[i % len(questions)])
        answers.append((time.perf_counter() - t0) * 1000)
    rss = peak_rss_bytes()  # before the dense comparison loads a second matrix
    from evals.bench_serve import warm_stages

    stages = {row[0].split("`")[1]: row[1] for row in warm_stages(chain, questions, min(queries, 50))}
    return {
        **dense_search_costs(retriever.index, questions, min(queries, 50)),
        "open_s": open_s,
        "query_p50_ms": percentile(timings, 50),
        "query_p95_ms": percentile(timings, 95),
        "first_answer_s": first_answer_s,
        "ask_p50_ms": percentile(answers, 50),
        "ask_p95_ms": percentile(answers, 95),
        "stages": stages,
        "queries": queries,
        "peak_rss_bytes": rss,
    }


def growth(report: Report, sizes: Sequence[int], embedder: str, queries: int, embed_rate: float | None,
           force: bool = False) -> None:
    last: dict[str, Any] | None = None
    last_wall = 0.0
    for size in sizes:
        if last is not None and size > GROWTH_ALWAYS and not force:
            projected = last_wall * (size / last["size"]) ** GROWTH_EXPONENT
            if projected > report.left:
                report.say(
                    f"growth {size:,} articles skipped: projected ~{projected:.0f} s from the "
                    f"{last['size']:,} run, {max(0, report.left):.0f} s of the budget left"
                )
                continue
        cmd = [sys.executable, "-m", "evals.bench", "--growth-one", str(size),
               "--growth-embedder", embedder, "--growth-queries", str(queries)]
        print(f"growth: {size:,} articles…", flush=True)
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, cwd=ROOT, env=child_env(None),
                timeout=max(300.0, report.left + 60),
            )
        except subprocess.TimeoutExpired:
            report.say(f"growth {size:,} articles stopped: over the budget")
            break
        wall = time.perf_counter() - t0
        lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
        if proc.returncode != 0 or not lines:
            report.say(f"growth {size:,} articles failed ({proc.returncode}): {proc.stderr.strip()[-300:]}")
            break
        row = json.loads(lines[-1])
        row["wall_s"] = wall
        if embed_rate:
            row["projected_ingest_s"] = row["ingest_s"] + row["articles"] / embed_rate
        report.growth.append(row)
        report.say(f"{row['articles']:,} articles, warm answer by stage: "
                   + "; ".join(f"{k} {v}" for k, v in row.get("stages", {}).items()))
        last, last_wall = row, wall
        print(
            f"  {row['articles']:,} articles: ingest {row['ingest_s']:.1f} s, index {_mb(row['index_bytes'])}, "
            f"query p95 {row['query_p95_ms']:.0f} ms, peak RSS {_mb(row['peak_rss_bytes'])}",
            flush=True,
        )


# ---------------------------------------------------------------- output


def growth_table(rows: list[dict[str, Any]], embedder: str, model: str) -> str:
    head = (
        f"| articles | documents | corpus | ingest ({embedder}) | articles/s | index on disk | open index | "
        f"retrieve p50 | retrieve p95 | first answer | answer p50 | answer p95 | dense numpy | dense HNSW | "
        f"worker peak RSS | ingest peak RSS | ingest with {model} (projected) |"
    )
    lines = [head, "|" + "---:|" * 17]
    for r in rows:
        projected = r.get("projected_ingest_s")
        lines.append(
            f"| {r['articles']:,} | {r['documents']:,} | {_mb(r['corpus_bytes'])} | {r['ingest_s']:.1f} s | "
            f"{r['articles'] / r['ingest_s']:.0f} | {_mb(r['index_bytes'])} | {r['open_s']:.1f} s | "
            f"{r['query_p50_ms']:.1f} ms | {r['query_p95_ms']:.1f} ms | {r['first_answer_s']:.1f} s | "
            f"{r['ask_p50_ms']:.1f} ms | {r['ask_p95_ms']:.1f} ms | {r['dense_numpy_p50_ms']:.2f} ms | "
            f"{r['dense_hnsw_p50_ms']:.2f} ms | {_mb(r['peak_rss_bytes'])} | {_mb(r['ingest_peak_rss_bytes'])} | "
            + (f"{projected / 60:.0f} min |" if projected else "— |")
        )
    return "\n".join(lines)


def render(report: Report, args: argparse.Namespace, embedder: str) -> str:
    blas = {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS_")}
    out = [
        "# Benchmarks",
        "",
        f"{dt.datetime.now():%Y-%m-%d %H:%M} · `python -m evals.bench` · {os.cpu_count()} cores · "
        f"Python {platform.python_version()} · embedder `{embedder}` · "
        f"{' '.join(f'{k}={v}' for k, v in sorted(blas.items())) or 'no OPENBLAS_* settings'} · "
        f"budget {args.budget:.0f} s, took {report.elapsed:.0f} s · load average at start "
        f"{report.load_start}, at the end {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
        "(others' processes share these cores: compare runs, not single numbers)",
        "",
        "| what | value | note |",
        "|---|---|---|",
        *[f"| {w} | {v} | {n} |" for w, v, n in report.rows],
        "",
        "## Cost growth (synthetic corpus from the seed documents: other places, shuffled articles, "
        "perturbed figures)",
        "",
        f"Ingested with the real `ingest_paths`, one process per size; queried {args.growth_queries} times "
        f"with the `{args.growth_embedder}` embedder, so query times leave out the query embedding "
        f"(see `embed one query` above) and the projection adds {embedder} embedding at the measured rate.",
        "",
        growth_table(report.growth, args.growth_embedder, embedder) if report.growth else "No size ran.",
        "",
    ]
    if report.notes:
        out += ["## Notes", "", *[f"- {n}" for n in report.notes], ""]
    if report.growth:
        out += ["## What limits the next 10×", "", *next_ten_x(report.growth), ""]
    return "\n".join(out)


def next_ten_x(rows: list[dict[str, Any]]) -> list[str]:
    """Straight-line projections from the largest size measured to ten times it."""
    big = max(rows, key=lambda r: r["articles"])
    n, ten = big["articles"], big["articles"] * 10
    lines = [
        f"- Worker memory: {_mb(big['peak_rss_bytes'])} at {n:,} articles "
        f"(~{big['peak_rss_bytes'] / n / 1024:.1f} KB per article: the HNSW index Chroma loads, mapped "
        f"BM25, vector and table pages, the routing tables as Python objects); "
        f"~{_mb(big['peak_rss_bytes'] * 10)} per worker at {ten:,}.",
        f"- Index on disk: {_mb(big['index_bytes'])} → ~{_mb(big['index_bytes'] * 10)}; ingest "
        f"{big['ingest_s']:.0f} s → ~{big['ingest_s'] * 10 / 60:.0f} min single-threaded (jieba and embedding).",
        f"- Answer p95 {big['ask_p95_ms']:.0f} ms vs retrieve p95 {big['query_p95_ms']:.0f} ms at {n:,}: "
        "the difference is question understanding and composing, which still loop over every document "
        "or article per question (see the stage lines in the notes).",
        f"- Open {big['open_s']:.1f} s and first answer {big['first_answer_s']:.1f} s with the tables stored "
        "in the generation (tables/): what is left is per process, not per article — jieba's dictionary "
        "and POS tagger, imports, Chroma's HNSW load on the first dense search.",
        "- Vectors: dense search here is HNSW above the numpy threshold; a Chroma server moves that memory "
        "out of each worker (the side-by-side rows above).",
    ]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=DEFAULT_QUERIES, help="warm queries per command")
    parser.add_argument("--budget", type=float, default=DEFAULT_BUDGET_S, help="seconds for the whole bench")
    parser.add_argument("--sizes", default=",".join(map(str, GROWTH_SIZES)), help="growth sizes (articles)")
    parser.add_argument("--all-sizes", action="store_true", help="run every size, whatever the projection")
    parser.add_argument("--growth-embedder", default=GROWTH_EMBEDDER)
    parser.add_argument("--growth-queries", type=int, default=GROWTH_QUERIES)
    parser.add_argument("--out", type=Path, default=ROOT / "evals" / "bench.md")
    parser.add_argument("--growth-one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--growth-serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--clients", type=int, default=20, help="concurrent HTTP clients")
    parser.add_argument("--seconds", type=float, default=60.0, help="seconds of HTTP load per run")
    parser.add_argument("--workers", default="1,2", help="uvicorn worker counts for the JSON API load")
    parser.add_argument("--chroma-size", type=int, default=10_000, help="articles for embedded vs server Chroma")
    parser.add_argument("--no-serve", action="store_true", help="skip the HTTP load and the Chroma comparison")
    args = parser.parse_args(argv)
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

    if args.growth_serve:
        print(json.dumps(growth_serve(args.growth_serve, args.growth_embedder, args.growth_queries)))
        return 0
    if args.growth_one:
        print(json.dumps(growth_one(args.growth_one, args.growth_embedder, args.growth_queries)))
        return 0

    from assistant.settings import get_settings

    embedder = get_settings().embedder
    report = Report(budget_s=args.budget)
    questions = [q.question for q in load_questions(DEFAULT_SET)]
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    with tempfile.TemporaryDirectory(prefix="bench-seed-", ignore_cleanup_errors=True) as tmp:
        index_dir = Path(tmp) / "index"
        print("seed corpus…", flush=True)
        ingest_seed(report, index_dir, embedder)
        embed_rate = embedder_speed(report, embedder)
        try:
            from assistant.service import get_chain
        except ImportError:
            get_chain = None  # type: ignore[assignment]
            report.say("`ask` is not available (assistant.service.get_chain missing): ask not measured")
        print("cold start…", flush=True)
        cold_start(report, index_dir, embedder, ask_available=get_chain is not None)

        from assistant.service import get_retriever

        share = args.budget * WARM_SHARE
        print(f"warm retrieve ({args.queries} queries)…", flush=True)
        retriever = get_retriever(index_dir)
        warm(report, "retrieve", lambda q: retriever.retrieve(q, k=5), questions, args.queries, share)
        if get_chain is not None:
            print(f"warm ask ({args.queries} queries)…", flush=True)
            chain = get_chain(index_dir)
            warm(report, "ask", chain.ask, questions, args.queries, share)
            from evals.bench_serve import warm_stages

            for row in warm_stages(chain, questions, min(args.queries, 500)):
                report.add(*row)
        report.add("peak RSS of this process (warm retrieve + ask)", _mb(peak_rss_bytes()))
        if not args.no_serve:
            from evals.bench_serve import serve_load

            workers = [int(w) for w in args.workers.split(",") if w.strip()]
            for row in serve_load(index_dir, args.clients, args.seconds, workers):
                report.add(*row)
    if not args.no_serve and args.chroma_size:
        from evals.bench_serve import chroma_side_by_side

        print(f"embedded vs server Chroma, {args.chroma_size:,} articles…", flush=True)
        for r in chroma_side_by_side(args.chroma_size, args.growth_embedder, args.growth_queries):
            report.add(
                f"Chroma {r['where']}, {r['articles']:,} articles ({args.growth_embedder})",
                f"retrieve p50 {r['p50']:.1f} · p95 {r['p95']:.1f} ms",
                f"ingest {r['ingest_s']:.0f} s, open + first query {r['open_s']:.1f} s, dense search by "
                f"{r['search']} on {r['dense_share']:.0%} of questions",
            )
    growth(report, sizes, args.growth_embedder, args.growth_queries,
           embed_rate if embedder != args.growth_embedder else None, force=args.all_sizes)

    print()
    print("\n".join(["| what | value | note |", "|---|---|---|", *[f"| {w} | {v} | {n} |" for w, v, n in report.rows]]))
    if report.growth:
        print()
        print(growth_table(report.growth, args.growth_embedder, embedder))
    args.out.write_text(render(report, args, embedder), encoding="utf-8")
    print(f"\nwrote {args.out} ({report.elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
