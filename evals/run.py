"""`python -m evals.run` — score the assistant on a question set, as a user would run it.

The questions go through the real JSONL batch commands in subprocesses (`assistant retrieve
--json -k 5 -` and `assistant ask --json -`), the tutorial baseline (evals/baseline.py) runs
beside them, and both are scored with the same functions. Prints the tables, writes
evals/report.md with every miss and a PNG chart, and exits non-zero when an overall score falls
below THRESHOLDS. Metric definitions: evals/README.md.

Exit codes: 0 every gate passed · 1 a score below its threshold · 2 a command could not run
(e.g. `assistant ask` missing), so its scores could not be checked.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SET = ROOT / "evals" / "dev.jsonl"
DEFAULT_OUT = ROOT / "evals" / "report.md"
TYPES = ("lookup", "fact", "calc", "cross", "refuse", "followup")
K = 5

# The gate on overall scores. Raise these as the assistant improves; never lower one to pass.
THRESHOLDS: dict[str, float] = {
    "answer": 0.95,  # answer accuracy
    "cite_p": 0.95,  # citation precision
    "cite_r": 0.95,  # citation recall
    "r5": 0.98,  # retrieval recall@5
}
ANSWER_METRICS = ("answer", "cite_p", "cite_r")

# Column key → header; the same keys index summaries, thresholds and the chart.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("n", "n"),
    ("r1", "R@1"),
    ("r5", "R@5"),
    ("mrr", "MRR"),
    ("answer", "answer"),
    ("cite_p", "cite P"),
    ("cite_r", "cite R"),
    ("refusal", "refusal"),
    ("p50", "p50 ms"),
    ("p95", "p95 ms"),
)
HEADERS = dict(COLUMNS)

Label = tuple[str, str]  # (doc_id, article)


@dataclass(frozen=True)
class Gold:
    doc: str
    article: str | None  # None: any article of the document


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    question: str
    gold: tuple[Gold, ...] = ()
    expect: tuple[str, ...] = ()
    expect_any: tuple[str, ...] = ()
    refuse: bool = False
    history: tuple[tuple[str, str], ...] = ()
    # A conversation: the earlier turns are asked first, and the assistant's own answers to them
    # become the history of the last turn, which `question` holds and the gold is about.
    turns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Retrieved:
    """One system's ranked results: per rank, the articles that result covers (one article for
    the project; every article a 300-character chunk overlaps for the baseline)."""

    ranked: tuple[frozenset[Label], ...] = ()
    error: str | None = None


@dataclass(frozen=True)
class Answered:
    answer: str = ""
    answered: bool = False
    citations: tuple[Label, ...] = ()
    latency_ms: float | None = None
    error: str | None = None


@dataclass
class Score:
    """One question's scores; None where a metric does not apply or was not measured."""

    question: Question
    retrieved: Retrieved | None = None
    answer: Answered | None = None
    r1: float | None = None
    r5: float | None = None
    rr: float | None = None
    answer_ok: bool | None = None
    cite_p: float | None = None
    cite_r: float | None = None
    refusal_ok: bool | None = None
    reasons: list[str] = field(default_factory=list)

    @property
    def missed(self) -> bool:
        return bool(self.reasons)


# ---------------------------------------------------------------- question sets


def load_questions(path: Path) -> list[Question]:
    questions: list[Question] = []
    seen: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            qid = str(data["id"])
            turns = tuple(str(t) for t in data.get("turns") or ())
            question = Question(
                id=qid,
                type=str(data.get("type", "fact")),
                question=str(data["question"]) if "question" in data else turns[-1],
                turns=turns,
                gold=tuple(Gold(str(g["doc"]), g.get("article")) for g in data.get("gold") or []),
                expect=tuple(data.get("expect") or ()),
                expect_any=tuple(data.get("expect_any") or ()),
                refuse=bool(data.get("refuse", data.get("type") == "refuse")),
                history=tuple((str(q), str(a)) for q, a in data.get("history") or []),
            )
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise SystemExit(f"{path}:{number}: not a question line ({exc})") from exc
        if qid in seen:
            raise SystemExit(f"{path}:{number}: duplicate id {qid}")
        seen.add(qid)
        questions.append(question)
    return questions


# ---------------------------------------------------------------- matching and metrics


_LABEL_NOISE = re.compile(r"[（）()、.．\s]")
_SPACE = re.compile(r"\s+")


def normalise_label(label: str) -> str:
    """`二（二）5` → `二二5`: brackets, 、 and . removed (evals/README.md)."""
    return _LABEL_NOISE.sub("", label)


def label_matches(cited: str, gold: str | None) -> bool:
    """A cited label matches a gold one when it starts with it (`第五条（三）` ⊇ `第五条`)."""
    return gold is None or normalise_label(cited).startswith(normalise_label(gold))


def matches(label: Label, gold: Gold) -> bool:
    return label[0] == gold.doc and label_matches(label[1], gold.article)


def recall_at(question: Question, ranked: Sequence[frozenset[Label]], k: int) -> float:
    """Share of the gold articles found in the top k; the denominator is capped at k so a
    two-document question can still score 1 at k=1 when its first result is gold."""
    found = sum(1 for g in question.gold if any(matches(lab, g) for r in ranked[:k] for lab in r))
    return min(1.0, found / min(k, len(question.gold)))


def reciprocal_rank(question: Question, ranked: Sequence[frozenset[Label]]) -> float:
    for rank, labels in enumerate(ranked, start=1):
        if any(matches(lab, g) for lab in labels for g in question.gold):
            return 1.0 / rank
    return 0.0


def squeeze(text: str) -> str:
    return _SPACE.sub("", text)


def judge_answer(question: Question, answer: Answered) -> list[str]:
    """Why the answer is wrong; empty when it is right."""
    wrong: list[str] = []
    if question.refuse and answer.answered:
        wrong.append("answered a question it should decline")
    if not question.refuse and not answer.answered:
        wrong.append("declined a question the corpus answers")
    text = squeeze(answer.answer)
    missing = [e for e in question.expect if squeeze(e) not in text]
    if missing:
        wrong.append("missing " + ", ".join(f"「{m}」" for m in missing))
    if question.expect_any and not any(squeeze(e) in text for e in question.expect_any):
        wrong.append("none of " + "/".join(question.expect_any))
    return wrong


def citation_scores(question: Question, citations: Iterable[Label]) -> tuple[float, float, list[str]]:
    """ALCE-style precision (cited articles that are gold) and recall (gold articles cited)."""
    cited = list(dict.fromkeys(citations))
    if question.refuse or not question.gold:
        ok = not cited
        return float(ok), float(ok), [] if ok else [f"cited {_labels(cited)} for a question it should decline"]
    if not cited:
        return 0.0, 0.0, ["cited nothing"]
    good = [c for c in cited if any(matches(c, g) for g in question.gold)]
    covered = [g for g in question.gold if any(matches(c, g) for c in cited)]
    why: list[str] = []
    if len(good) < len(cited):
        why.append(f"cited non-gold {_labels([c for c in cited if c not in good])}")
    if len(covered) < len(question.gold):
        absent = [g for g in question.gold if g not in covered]
        why.append("did not cite " + ", ".join(f"{g.doc} {g.article or '(any)'}" for g in absent))
    return len(good) / len(cited), len(covered) / len(question.gold), why


def _labels(labels: Iterable[Label]) -> str:
    return ", ".join(f"{d} {a}" for d, a in labels) or "nothing"


def score(question: Question, retrieved: Retrieved | None, answer: Answered | None) -> Score:
    s = Score(question, retrieved, answer)
    if retrieved is not None and question.gold:
        if retrieved.error is not None:
            s.r1 = s.r5 = s.rr = 0.0
            s.reasons.append(f"retrieve error: {retrieved.error}")
        else:
            s.r1 = recall_at(question, retrieved.ranked, 1)
            s.r5 = recall_at(question, retrieved.ranked, K)
            s.rr = reciprocal_rank(question, retrieved.ranked)
            if s.r5 < 1.0:
                s.reasons.append(f"retrieval: gold not in top {K}")
    if answer is None:
        return s
    if answer.error is not None:
        s.answer_ok, s.refusal_ok = False, False
        s.cite_p = s.cite_r = 0.0
        s.reasons.append(f"error: {answer.error}")
        return s
    wrong = judge_answer(question, answer)
    s.answer_ok = not wrong
    s.refusal_ok = answer.answered != question.refuse
    s.cite_p, s.cite_r, why = citation_scores(question, answer.citations)
    s.reasons.extend(f"answer: {w}" for w in wrong)
    s.reasons.extend(f"citation: {w}" for w in why)
    return s


def percentile(values: Sequence[float], pct: float) -> float | None:
    if not values:
        return None
    import numpy as np

    return float(np.percentile(np.asarray(values, dtype=float), pct))


def _mean(values: Iterable[float | bool | None]) -> float | None:
    present = [float(v) for v in values if v is not None]
    return sum(present) / len(present) if present else None


Summary = dict[str, float | None]


def summarise(scores: Sequence[Score]) -> Summary:
    latencies = [
        s.answer.latency_ms
        for s in scores
        if s.answer is not None and s.answer.error is None and s.answer.latency_ms is not None
    ]
    return {
        "n": float(len(scores)),
        "r1": _mean(s.r1 for s in scores),
        "r5": _mean(s.r5 for s in scores),
        "mrr": _mean(s.rr for s in scores),
        "answer": _mean(s.answer_ok for s in scores),
        "cite_p": _mean(s.cite_p for s in scores),
        "cite_r": _mean(s.cite_r for s in scores),
        "refusal": _mean(s.refusal_ok for s in scores),
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
    }


def summarise_by_type(scores: Sequence[Score]) -> dict[str, Summary]:
    types = [t for t in TYPES if any(s.question.type == t for s in scores)]
    types += sorted({s.question.type for s in scores} - set(TYPES))
    table = {t: summarise([s for s in scores if s.question.type == t]) for t in types}
    table["overall"] = summarise(scores)
    return table


def refusal_errors(scores: Sequence[Score]) -> tuple[int, int]:
    """(false refusals, false answers) among the questions that have an answer."""
    false_refusals = sum(
        1 for s in scores if s.answer and not s.answer.error and not s.question.refuse and not s.answer.answered
    )
    false_answers = sum(
        1 for s in scores if s.answer and not s.answer.error and s.question.refuse and s.answer.answered
    )
    return false_refusals, false_answers


def gate(overall: Mapping[str, float | None], *, answers_scored: bool) -> list[str]:
    """The failed gates, one line each."""
    failed: list[str] = []
    for key, floor in THRESHOLDS.items():
        if key in ANSWER_METRICS and not answers_scored:
            continue
        value = overall.get(key)
        if value is None or value < floor:
            shown = "n/a" if value is None else f"{value:.3f}"
            failed.append(f"{HEADERS[key]} {shown} < {floor:.2f}")
    return failed


# ---------------------------------------------------------------- driving the commands


def assistant_command() -> list[str]:
    """The `assistant` console script of this interpreter's environment."""
    beside = Path(sys.executable).parent / "assistant"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("assistant")
    return [found] if found else [sys.executable, "-c", "from assistant.cli import main; main()"]


@dataclass
class Batch:
    """What one JSONL batch command returned."""

    command: str
    lines: dict[str, dict[str, Any]]
    wall_s: float
    returncode: int | None
    failure: str | None = None  # the command produced nothing usable at all
    stderr_tail: str = ""


def run_batch(
    command: Sequence[str], questions: Sequence[Question], env: dict[str, str], timeout: float
) -> Batch:
    payload = "".join(
        json.dumps(
            {"id": q.id, "question": q.question, **({"history": [list(t) for t in q.history]} if q.history else {})},
            ensure_ascii=False,
        )
        + "\n"
        for q in questions
    )
    shown = shlex.join([Path(command[0]).name, *command[1:]])  # no machine paths in the report
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            list(command), input=payload, capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT
        )
    except FileNotFoundError as exc:
        return Batch(shown, {}, 0.0, None, f"cannot start `{shown}`: {exc.strerror}")
    except subprocess.TimeoutExpired:
        return Batch(shown, {}, timeout, None, f"`{shown}` did not finish within {timeout:.0f} s")
    wall = time.perf_counter() - started
    lines: dict[str, dict[str, Any]] = {}
    for raw in proc.stdout.splitlines():
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if isinstance(data, dict) and "id" in data:
            lines[str(data["id"])] = data
    stderr_lines = [line.strip() for line in proc.stderr.splitlines() if line.strip()]
    tail = stderr_lines[-1].rstrip(".") if stderr_lines else ""
    failure = None
    if not lines:
        failure = f"`{shown}` exited {proc.returncode} with no JSON lines" + (f": {tail}" if tail else "")
    return Batch(shown, lines, wall, proc.returncode, failure, tail)


def with_history(
    questions: Sequence[Question], ask_cmd: Sequence[str], env: dict[str, str], timeout: float
) -> list[Question]:
    """Ask each conversation's earlier turns, in rounds, so the last turn carries the
    assistant's own answers as its history (as the web chat and `ask --json -` pass it)."""
    from dataclasses import replace

    history: dict[str, list[tuple[str, str]]] = {q.id: list(q.history) for q in questions}
    rounds = max((len(q.turns) - 1 for q in questions), default=0)
    for turn in range(rounds):
        due = [
            replace(q, question=q.turns[turn], history=tuple(history[q.id]))
            for q in questions
            if len(q.turns) - 1 > turn
        ]
        answered = parse_answered(run_batch(ask_cmd, due, env, timeout), due)
        for q in due:
            history[q.id].append((q.question, answered[q.id].answer or ""))
    return [replace(q, history=tuple(history[q.id])) if q.turns else q for q in questions]


def _missing_line(batch: Batch) -> str:
    return f"no output line (command exited {batch.returncode})" + (
        f": {batch.stderr_tail}" if batch.stderr_tail else ""
    )


def parse_retrieved(batch: Batch, questions: Sequence[Question]) -> dict[str, Retrieved]:
    out: dict[str, Retrieved] = {}
    for q in questions:
        data = batch.lines.get(q.id)
        if data is None:
            out[q.id] = Retrieved(error=_missing_line(batch))
        elif "error" in data:
            out[q.id] = Retrieved(error=str(data["error"]))
        else:
            try:
                out[q.id] = Retrieved(
                    tuple(frozenset({(str(h["doc_id"]), str(h["article"]))}) for h in data["hits"])
                )
            except (KeyError, TypeError) as exc:
                out[q.id] = Retrieved(error=f"malformed retrieve line (missing {exc})")
    return out


def parse_answered(batch: Batch, questions: Sequence[Question]) -> dict[str, Answered]:
    out: dict[str, Answered] = {}
    for q in questions:
        data = batch.lines.get(q.id)
        if data is None:
            out[q.id] = Answered(error=_missing_line(batch))
        elif "error" in data:
            out[q.id] = Answered(error=str(data["error"]))
        elif not isinstance(data.get("answered"), bool) or not isinstance(data.get("answer"), str):
            out[q.id] = Answered(error="malformed answer line: needs string 'answer' and bool 'answered'")
        else:
            latency = data.get("latency_ms")
            out[q.id] = Answered(
                answer=data["answer"],
                answered=data["answered"],
                citations=tuple(
                    (str(c.get("doc_id")), str(c.get("article"))) for c in data.get("citations") or []
                ),
                latency_ms=float(latency) if isinstance(latency, int | float) else None,
            )
    return out


# ---------------------------------------------------------------- rendering


def _cell(key: str, value: float | None) -> str:
    if value is None:
        return "—"
    if key == "n":
        return str(int(value))
    if key in ("p50", "p95"):
        return f"{value:.0f}"
    return f"{value:.3f}"


def markdown_table(table: dict[str, Summary]) -> str:
    head = "| type | " + " | ".join(h for _, h in COLUMNS) + " |"
    rule = "|---|" + "---:|" * len(COLUMNS)
    rows = [
        f"| {name} | " + " | ".join(_cell(k, row.get(k)) for k, _ in COLUMNS) + " |"
        for name, row in table.items()
    ]
    return "\n".join([head, rule, *rows])


def side_by_side(project: Summary, baseline: Summary | None) -> str:
    rows = ["| metric (overall) | project | baseline | gate |", "|---|---:|---:|---|"]
    for key, header in COLUMNS[1:]:
        floor = THRESHOLDS.get(key)
        rows.append(
            f"| {header} | {_cell(key, project.get(key))} | "
            f"{_cell(key, baseline.get(key)) if baseline else '—'} | {f'≥ {floor:.2f}' if floor else ''} |"
        )
    return "\n".join(rows)


def write_chart(project: dict[str, Summary], baseline: dict[str, Summary] | None, path: Path) -> None:
    """Per-type bars of each score, project beside baseline; a missing score draws no bar."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    metrics = ["r1", "r5", "mrr", "answer", "cite_p", "cite_r", "refusal"]
    groups = list(project)
    fig, grid = plt.subplots(2, 4, figsize=(13, 6.2), sharey=True)
    axes = list(grid.flat)
    x = np.arange(len(groups))
    width = 0.4 if baseline else 0.7
    series = [("project", project, "#2b6cb0")]
    if baseline:
        series.append(("baseline: 300-char splitter + Chroma, top chunk", baseline, "#d69e2e"))
    for ax, key in zip(axes, metrics, strict=False):
        for i, (_, table, colour) in enumerate(series):
            values = [table.get(g, {}).get(key) for g in groups]
            offset = (i - (len(series) - 1) / 2) * width
            ax.bar(x + offset, [np.nan if v is None else v for v in values], width, color=colour)
        if all(project[g].get(key) is None for g in groups):
            ax.text(0.5, 0.5, "project: not scored", transform=ax.transAxes, ha="center", color="#555")
        if key in THRESHOLDS:
            ax.axhline(THRESHOLDS[key], color="#c53030", lw=0.8, ls="--")
        ax.set_title(HEADERS[key])
        ax.set_xticks(x, groups, rotation=35, ha="right", fontsize=8)
        ax.set_ylim(0, 1.05)
    legend = axes[-1]
    legend.axis("off")
    for name, _, colour in series:
        legend.bar([0], [np.nan], color=colour, label=name)
    legend.plot([], [], color="#c53030", lw=0.8, ls="--", label="gate (THRESHOLDS)")
    legend.legend(loc="center", fontsize=9, frameon=False)
    fig.suptitle("Scores per question type")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def _miss_detail(s: Score) -> str:
    q = s.question
    lines = [f"### {q.id} ({q.type}) — {q.question}", ""]
    lines += [f"- why: {'; '.join(s.reasons)}"]
    gold = ", ".join(f"{g.doc} {g.article or '(any)'}" for g in q.gold) or "none (should decline)"
    lines += [f"- gold: {gold}"]
    if q.expect or q.expect_any:
        lines += [f"- expect: {' · '.join(q.expect)}" + (f" · any of {'/'.join(q.expect_any)}" if q.expect_any else "")]
    if s.retrieved is not None:
        shown = s.retrieved.error or ", ".join("+".join(f"{d} {a}" for d, a in sorted(r)) or "(no article)" for r in s.retrieved.ranked[:K])
        lines += [f"- retrieved: {shown}"]
    if s.answer is not None:
        if s.answer.error is not None:
            lines += [f"- error: {s.answer.error}"]
        else:
            text = s.answer.answer.strip().replace("\n", " ")
            lines += [
                f"- answered: {str(s.answer.answered).lower()}",
                f"- answer: {text[:800]}{'…' if len(text) > 800 else ''}",
                f"- citations: {_labels(s.answer.citations)}",
            ]
    return "\n".join(lines) + "\n"


@dataclass
class Run:
    """Everything a report shows."""

    set_path: Path
    questions: list[Question]
    project: list[Score]
    baseline: list[Score] | None
    retrieve_batch: Batch | None
    ask_batch: Batch | None
    ask_note: str | None
    baseline_note: str | None
    failed_gates: list[str]
    embedder: str | None


def render_report(run: Run) -> str:
    project = summarise_by_type(run.project)
    baseline = summarise_by_type(run.baseline) if run.baseline is not None else None
    out = [
        "# Eval report",
        "",
        f"{dt.datetime.now():%Y-%m-%d %H:%M} · set `{_rel(run.set_path)}` ({len(run.questions)} questions) · "
        f"embedder `{run.embedder or '?'}` · written by `python -m evals.run` (definitions: evals/README.md)",
        "",
    ]
    if run.retrieve_batch is not None:
        b = run.retrieve_batch
        out.append(f"- retrieve: `{b.command}` — {b.wall_s:.1f} s wall for the batch ({_per_q(b, run)})")
    if run.ask_batch is not None:
        b = run.ask_batch
        out.append(f"- ask: `{b.command}` — {b.wall_s:.1f} s wall for the batch ({_per_q(b, run)})")
    if run.ask_note:
        out.append(f"- **answers not scored**: {run.ask_note}")
    if run.baseline_note:
        out.append(f"- baseline: {run.baseline_note}")
    out += ["", "## Gate", ""]
    out.append("PASS" if not run.failed_gates else "FAIL: " + "; ".join(run.failed_gates))
    out += ["", "## Project vs baseline", "", side_by_side(project["overall"], baseline["overall"] if baseline else None)]
    fr, fa = refusal_errors(run.project)
    if run.ask_batch is not None and not run.ask_note:
        out += ["", f"Refusals: {fr} false refusals (declined an answerable question), {fa} false answers "
                "(answered a question it should decline)."]
    out += ["", "## Project, per type", "", markdown_table(project)]
    if baseline is not None:
        out += ["", "## Baseline (RecursiveCharacterTextSplitter 300/50 + Chroma, top chunk as answer), per type",
                "", markdown_table(baseline)]
    out += ["", "![per-type scores](report.png)", ""]
    misses = [s for s in run.project if s.missed]
    out += [f"## Misses (project): {len(misses)}", ""]
    out += [_miss_detail(s) for s in misses] or ["None.", ""]
    if run.baseline is not None:
        base_misses = [s for s in run.baseline if s.missed]
        out += [f"## Misses (baseline): {len(base_misses)}", "", "<details><summary>one line each</summary>", ""]
        out += [f"- {s.question.id} ({s.question.type}): {'; '.join(s.reasons)}" for s in base_misses]
        out += ["", "</details>", ""]
    return "\n".join(out)


def _per_q(batch: Batch, run: Run) -> str:
    n = max(1, len(run.questions))
    return f"{batch.wall_s / n * 1000:.0f} ms per question including process start-up"


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- main


def write_scores(scores: Sequence[Score], path: Path) -> None:
    """Per question: its type, gold documents and scores — for splitting a set afterwards
    (by document, by turn count) without re-running it."""
    rows = [
        {
            "id": s.question.id, "type": s.question.type, "docs": sorted({g.doc for g in s.question.gold}),
            "r1": s.r1, "r5": s.r5, "answer_ok": s.answer_ok, "cite_p": s.cite_p, "cite_r": s.cite_r,
            "refusal_ok": s.refusal_ok,
        }
        for s in scores
    ]
    path.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m evals.run", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", dest="set_path", type=Path, default=DEFAULT_SET, help="question set (JSONL)")
    parser.add_argument(
        "--answerer-cmd",
        help="command that reads question JSONL on stdin and prints answer JSONL "
        "(default: `assistant ask --json -`)",
    )
    parser.add_argument(
        "--retriever-cmd", help="command for retrieval JSONL (default: `assistant retrieve --json -k 5 -`)"
    )
    parser.add_argument("--index", type=Path, help="index directory (passed as ASSISTANT_INDEX_DIR)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="markdown report; the chart goes beside it")
    parser.add_argument("--retrieval-only", action="store_true", help="score retrieval (and baseline) only")
    parser.add_argument("--no-baseline", action="store_true", help="skip the tutorial baseline")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per batch command")
    parser.add_argument("--scores-json", type=Path, help="also write every question's scores here (JSON)")
    return parser.parse_args(argv)


def child_env(index: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("ANONYMIZED_TELEMETRY", "False")
    env.setdefault("HF_HUB_OFFLINE", "1")
    env.setdefault("TRANSFORMERS_OFFLINE", "1")
    if index is not None:
        env["ASSISTANT_INDEX_DIR"] = str(index.resolve())
    return env


def index_info(index: Path | None) -> tuple[str | None, list[Path]]:
    """The embedder the index was built with and the files it holds (for the baseline)."""
    from assistant.index import read_manifest
    from assistant.settings import get_settings

    settings = get_settings()
    manifest = read_manifest(index or settings.index_dir)
    if manifest is None:
        return None, sorted(settings.corpus_dir.glob("*.txt"))
    sources = [Path(entry["source"]) for entry in manifest["documents"].values()]
    return str(manifest["embedder"]), sorted(sources)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    questions = load_questions(args.set_path)
    env = child_env(args.index)
    status = 0
    embedder, sources = index_info(args.index)
    if embedder:
        # The commands refuse an index built with another embedder than the one they are set to.
        env.setdefault("ASSISTANT_EMBEDDER", embedder)

    retrieve_cmd = shlex.split(args.retriever_cmd) if args.retriever_cmd else [
        *assistant_command(), "retrieve", "--json", "-k", str(K), "-"
    ]
    ask_cmd = shlex.split(args.answerer_cmd) if args.answerer_cmd else [*assistant_command(), "ask", "--json", "-"]
    if any(len(q.turns) > 1 for q in questions):
        print(f"follow-ups: asking the earlier turns of {sum(len(q.turns) > 1 for q in questions)} conversations…", flush=True)
        questions = with_history(questions, ask_cmd, env, args.timeout)
    print(f"retrieve: {shlex.join(retrieve_cmd)} ({len(questions)} questions)…", flush=True)
    retrieve_batch = run_batch(retrieve_cmd, questions, env, args.timeout)
    if retrieve_batch.failure:
        print(f"  ✗ {retrieve_batch.failure}", flush=True)
        status = 2
    retrieved = parse_retrieved(retrieve_batch, questions)

    ask_batch: Batch | None = None
    answers: dict[str, Answered] | None = None
    ask_note = None
    if not args.retrieval_only:
        print(f"ask: {shlex.join(ask_cmd)}…", flush=True)
        ask_batch = run_batch(ask_cmd, questions, env, args.timeout)
        if ask_batch.failure:
            ask_note = (
                f"{ask_batch.failure}. The answer command could not run, so answer, citation and "
                "refusal scores are missing; retrieval and baseline are still reported "
                "(use --retrieval-only to gate on retrieval alone)."
            )
            print(f"  ✗ {ask_note}", flush=True)
            status = 2
        else:
            answers = parse_answered(ask_batch, questions)

    project = [score(q, retrieved[q.id], answers[q.id] if answers else None) for q in questions]

    baseline_scores: list[Score] | None = None
    baseline_note = None
    if not args.no_baseline:
        from evals.baseline import run_baseline

        name = embedder or env.get("ASSISTANT_EMBEDDER", "use-m3")
        print(f"baseline: 300/50 splitter + Chroma + {name} over {len(sources)} files…", flush=True)
        result = run_baseline(questions, sources, name)
        baseline_scores = [score(q, result.retrieved[q.id], result.answers[q.id]) for q in questions]
        baseline_note = (
            f"{result.chunks} chunks from {len(sources)} files, built in {result.build_s:.1f} s; "
            f"a result covers an article when they share ≥ {result.min_overlap} characters"
        )

    if args.scores_json:
        write_scores(project, args.scores_json)
    summary = summarise_by_type(project)
    failed = gate(summary["overall"], answers_scored=answers is not None)
    if failed and status == 0:
        status = 1
    run = Run(
        args.set_path, questions, project, baseline_scores, retrieve_batch, ask_batch,
        ask_note, baseline_note, failed, embedder,
    )
    print_console(run)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(render_report(run), encoding="utf-8")
    chart = args.out.with_suffix(".png")
    write_chart(summary, summarise_by_type(baseline_scores) if baseline_scores else None, chart)
    print(f"\nwrote {args.out} and {chart}")
    if status == 2:
        print("exit 2: a command could not run (see above)")
    elif failed:
        print("exit 1: below threshold: " + "; ".join(failed))
    else:
        print("all gates passed")
    return status


def print_console(run: Run) -> None:
    project = summarise_by_type(run.project)
    print("\nproject, per type")
    print(markdown_table(project))
    if run.baseline is not None:
        print("\nbaseline (300-char splitter + Chroma, top chunk as answer), per type")
        print(markdown_table(summarise_by_type(run.baseline)))
        print()
        print(side_by_side(project["overall"], summarise_by_type(run.baseline)["overall"]))
    if run.ask_note:
        print(f"\nanswers not scored: {run.ask_note}")
    misses = [s for s in run.project if s.missed]
    print(f"\nmisses (project): {len(misses)}")
    for s in misses:
        print(f"  {s.question.id} ({s.question.type}) {s.question.question[:40]}: {'; '.join(s.reasons)}")
    print("\ngate: " + ("PASS" if not run.failed_gates else "FAIL — " + "; ".join(run.failed_gates)))


if __name__ == "__main__":
    sys.exit(main())
