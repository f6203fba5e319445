"""A conversation as the browser keeps it, its Markdown export, and feedback on its answers.

The conversation lives in the browser (gr.BrowserState), as one JSON-able dict:
`{"messages": [chat messages], "turns": [[question, answer], …], "records": [record, …],
"last": question}`. A record is one answered question: what a Markdown export or a feedback
line needs (question, answer text, citations). Feedback goes to one JSONL file in a
git-ignored data directory; `python -m evals.feedback` turns it into candidate eval questions.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path
from typing import Any

from assistant.settings import PROJECT_ROOT
from assistant.types import Answer

_LOCK = threading.Lock()


def empty() -> dict[str, Any]:
    return {"messages": [], "turns": [], "records": [], "last": ""}


def normalised(conv: Any) -> dict[str, Any]:
    """A stored conversation, or an empty one when the browser holds nothing usable."""
    if not isinstance(conv, dict):
        return empty()
    out = empty()
    for key in ("messages", "turns", "records"):
        if isinstance(conv.get(key), list):
            out[key] = conv[key]
    out["last"] = str(conv.get("last") or "")
    return out


def record(answer: Answer, asked: str) -> dict[str, Any]:
    return {
        "question": asked,
        "answer": answer.answer,
        "answered": answer.answered,
        "citations": [c.to_json() for c in answer.citations],
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def to_markdown(conv: dict[str, Any]) -> str:
    """The conversation as Markdown: each question, its answer, and the cited units quoted."""
    lines = ["# 园区政策助手 · 对话记录", ""]
    for n, rec in enumerate(conv.get("records", []), 1):
        lines += [f"## {n}. {rec.get('question', '')}", ""]
        lines += [str(rec.get("answer", "")).strip(), ""]
        for k, c in enumerate(rec.get("citations", []), 1):
            number = f"（{c['doc_number']}）" if c.get("doc_number") else ""
            lines.append(f"[{k}] 《{c.get('title', '')}》{number}{c.get('article', '')}")
            lines += ["> " + part for part in str(c.get("text", "")).split("\n")]
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def feedback_path() -> Path:
    """data/feedback.jsonl under the project (ASSISTANT_FEEDBACK_FILE moves it)."""
    return Path(os.environ.get("ASSISTANT_FEEDBACK_FILE") or PROJECT_ROOT / "data" / "feedback.jsonl")


def save_feedback(rec: dict[str, Any], liked: bool | None, comment: str = "",
                  path: Path | None = None) -> Path:
    """Append one line: the question, the answer and its cited units, 👍/👎 and a comment."""
    path = path or feedback_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "question": rec.get("question", ""),
        "answer": rec.get("answer", ""),
        "answered": rec.get("answered"),
        "citations": [{"doc_id": c.get("doc_id"), "article": c.get("article")} for c in rec.get("citations", [])],
        "liked": liked,
        "comment": comment.strip(),
    }
    with _LOCK, open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")
    return path
