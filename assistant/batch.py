"""The JSONL batch loop shared by `retrieve -` and `ask -`: one object in, one object out."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import IO, Any

from assistant.errors import AssistantError

Handler = Callable[[str, list[list[str]], Any], dict[str, Any]]
_SURROGATE = re.compile("[\ud800-\udfff]")


class BadLine(ValueError):
    def __init__(self, item_id: Any, message: str) -> None:
        super().__init__(message)
        self.item_id = item_id


def parse_line(line: str, number: int) -> tuple[Any, str, list[list[str]]]:
    """(id, question, history) from a JSON object or a plain-text line."""
    text = _scrub(line.strip())
    if not text.startswith("{"):
        return number, text, []
    try:
        data = _scrub(json.loads(text))
    except json.JSONDecodeError as exc:
        raise BadLine(number, f"line {number}: not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise BadLine(number, f"line {number}: expected a JSON object")
    item_id = data.get("id", number)
    question = data.get("question")
    if not isinstance(question, str):
        raise BadLine(item_id, f"line {number}: missing string field 'question'")
    history = data.get("history") or []
    if not isinstance(history, list) or not all(
        isinstance(turn, list | tuple) and len(turn) == 2 for turn in history
    ):
        raise BadLine(item_id, f"line {number}: 'history' must be a list of [question, answer] pairs")
    return item_id, question, [[str(q), str(a)] for q, a in history]


def _scrub(value: Any) -> Any:
    """Lone surrogates (undecodable bytes on stdin, "\\ud800" in JSON) cannot be written back
    as UTF-8; they become U+FFFD so the line gets an answer or an error, not a crash."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_scrub(item) for item in value]
    if isinstance(value, dict):
        return {_scrub(key): _scrub(item) for key, item in value.items()}
    return value


def run_jsonl(stream_in: IO[str], stream_out: IO[str], handler: Handler) -> int:
    """Answer every line; a bad line yields {"id", "error"} and the batch goes on."""
    errors = 0
    for number, line in enumerate(stream_in, start=1):
        if not line.strip():
            continue
        item_id: Any = number
        try:
            item_id, question, history = parse_line(line, number)
            result = {"id": item_id, **handler(question, history, item_id)}
        except BadLine as exc:
            errors += 1
            result = {"id": exc.item_id, "error": str(exc)}
        except (ValueError, AssistantError) as exc:
            errors += 1
            result = {"id": item_id, "error": str(exc)}
        except Exception as exc:  # one hostile line (a bug, a RecursionError) must not end the batch
            errors += 1
            result = {"id": item_id, "error": f"无法处理这一行（{type(exc).__name__}）: check the line"}
        stream_out.write(json.dumps(result, ensure_ascii=False) + "\n")
        stream_out.flush()
    return errors
