"""`python -m evals.loo` — leave-one-document-out retrieval: does the tuning hold on a document
it was not tuned on?

The one tuned number of retrieval is the dense weight of the fusion (evals/README.md). For each
document D, the weight is chosen on the questions about every other document (best recall@5,
then recall@1, then the smaller weight) and retrieval is measured on D's questions with it.
Prints, and writes to evals/loo.md, recall per document next to the weight picked without it.
The index must hold every document the question sets name (`assistant ingest corpus
tests/fixtures/policies --index DIR`).
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from evals.run import ROOT, Question, load_questions, matches

DEFAULT_SETS = (ROOT / "evals" / "dev.jsonl", ROOT / "evals" / "fixtures_dev.jsonl")
WEIGHTS = (0.0, 0.2, 0.4, 0.6)
K = 5


def _ranked(questions: Sequence[Question], index_dir: Path) -> dict[float, dict[str, list[tuple[str, str]]]]:
    from assistant.index import Index
    from assistant.retrieve import FusionWeights, Retriever

    index = Index(index_dir)
    out: dict[float, dict[str, list[tuple[str, str]]]] = {}
    for weight in WEIGHTS:
        retriever = Retriever(index, FusionWeights(bm25=1.0 - weight, dense=weight))
        out[weight] = {
            q.id: [(h.chunk.doc_id, h.chunk.article) for h in retriever.retrieve(q.question, k=K)]
            for q in questions
        }
    return out


def _recall(q: Question, hits: list[tuple[str, str]], k: int) -> float:
    found = sum(any(matches(h, g) for h in hits[:k]) for g in q.gold)
    return found / min(k, len(q.gold))


def _scores(questions: Sequence[Question], ranked: dict[str, list[tuple[str, str]]]) -> tuple[float, float]:
    if not questions:
        return 0.0, 0.0
    r1 = sum(_recall(q, ranked[q.id], 1) for q in questions) / len(questions)
    r5 = sum(_recall(q, ranked[q.id], K) for q in questions) / len(questions)
    return r1, r5


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals.loo", description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", dest="sets", type=Path, action="append", help="question sets (JSONL)")
    parser.add_argument("--index", type=Path, required=True, help="index holding every document")
    parser.add_argument("--out", type=Path, default=ROOT / "evals" / "loo.md")
    args = parser.parse_args(argv)
    questions = [
        q for path in (args.sets or DEFAULT_SETS) for q in load_questions(path) if q.gold and not q.turns
    ]
    ranked = _ranked(questions, args.index)
    documents = sorted({g.doc for q in questions for g in q.gold})
    rows = []
    for doc in documents:
        held_out = [q for q in questions if any(g.doc == doc for g in q.gold)]
        rest = [q for q in questions if q not in held_out]
        weight = max(WEIGHTS, key=lambda w: (*_scores(rest, ranked[w]), -w))
        r1, r5 = _scores(held_out, ranked[weight])
        rows.append((doc, len(held_out), weight, r1, r5))
    total = sum(n for _, n, *_ in rows)
    mean_r1 = sum(n * r1 for _, n, _, r1, _ in rows) / total
    mean_r5 = sum(n * r5 for _, n, _, _, r5 in rows) / total
    lines = [
        f"# Leave-one-document-out retrieval ({dt.date.today().isoformat()})",
        "",
        "| held-out document | questions | dense weight (tuned without it) | R@1 | R@5 |",
        "|---|---|---|---|---|",
        *(f"| {d} | {n} | {w:.1f} | {r1:.3f} | {r5:.3f} |" for d, n, w, r1, r5 in rows),
        f"| **all (question-weighted)** | {total} | | {mean_r1:.3f} | {mean_r5:.3f} |",
    ]
    print("\n".join(lines))
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
