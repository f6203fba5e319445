"""`python -m evals.feedback` — turn the web chat's 👍/👎 into candidate eval questions.

Reads data/feedback.jsonl (or --feedback FILE), keeps the latest verdict per question and
answer, and writes one candidate per disliked or commented answer in the dev-set shape
(`id`, `type`, `question`, `gold` from what the answer cited, `expect` left for a reviewer),
with the answer and the comment beside it so the reviewer can fix the gold. Liked answers are
counted, not proposed: they say what already works.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def latest(lines: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per (question, answer): the last verdict, with any comment given for it."""
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for line in lines:
        key = (str(line.get("question", "")), str(line.get("answer", "")))
        entry = {**merged.get(key, {}), **line}
        if not line.get("comment") and key in merged:
            entry["comment"] = merged[key].get("comment", "")
        merged[key] = entry
    return list(merged.values())


def candidates(entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for entry in entries:
        if entry.get("liked") is True and not entry.get("comment"):
            continue
        question = str(entry.get("question", "")).strip()
        if not question:
            continue
        digest = hashlib.sha256(question.encode()).hexdigest()[:8]
        out.append({
            "id": f"fb-{digest}",
            "type": "feedback",
            "question": question,
            "gold": [{"doc": c.get("doc_id"), "article": c.get("article")} for c in entry.get("citations", [])],
            "expect": [],
            "review": {"liked": entry.get("liked"), "comment": entry.get("comment", ""),
                       "answer": entry.get("answer", ""), "at": entry.get("at")},
        })
    return out


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    rows = []
    for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not text.strip():
            continue
        try:
            rows.append(json.loads(text))
        except json.JSONDecodeError:
            print(f"{path}:{n}: not JSON, skipped", file=sys.stderr)
    return rows


def main(argv: list[str] | None = None) -> int:
    from assistant.web.history import feedback_path

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feedback", type=Path, default=None, help="feedback JSONL (default data/feedback.jsonl)")
    parser.add_argument("--out", type=Path, default=None, help="write candidates here (default: stdout)")
    args = parser.parse_args(argv)
    path = args.feedback or feedback_path()
    if not path.exists():
        print(f"no feedback yet: {path} does not exist", file=sys.stderr)
        return 1
    entries = latest(read_jsonl(path))
    found = candidates(entries)
    text = "".join(json.dumps(c, ensure_ascii=False) + "\n" for c in found)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    liked = sum(1 for e in entries if e.get("liked") is True)
    print(f"{len(entries)} rated answers: {liked} liked, {len(found)} candidate questions", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
