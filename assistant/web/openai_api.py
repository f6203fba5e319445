"""`POST /v1/chat/completions`, OpenAI-compatible, so chat clients people already use can ask.

The same answers as the web chat and `/api/ask`: the last user message is the question, the
earlier user/assistant pairs are the history. The message text carries the answer with its
[n] markers and a 引用 list (title, 文号, label); the structured `citations` field carries the
cited units whole (the DESIGN answer object's citations). `stream: true` sends the same text
as server-sent chunks — the offline answer is computed whole, so the stream is its lines.
Mount with `app.include_router(chat_completions_router(ask))`.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from assistant.errors import AssistantError
from assistant.types import Answer
from assistant.web import sources

MODEL = "yuanqu-policy-assistant"
Ask = Callable[[str, Sequence[Sequence[str]]], Answer]


class Message(BaseModel):
    role: str
    content: str | list[dict[str, Any]] | None = None


class ChatRequest(BaseModel):
    model: str | None = None
    messages: list[Message] = Field(default_factory=list)
    stream: bool = False


class BadRequest(ValueError):
    """A request the endpoint cannot answer; its message goes back as an OpenAI error."""


def _text(message: Message) -> str:
    if isinstance(message.content, list):  # content parts: keep the text ones
        return "".join(str(p.get("text", "")) for p in message.content if p.get("type") == "text")
    return message.content or ""


def question_and_history(messages: Sequence[Message]) -> tuple[str, list[list[str]]]:
    """The last user message, and the [question, answer] pairs before it (system turns ignored)."""
    turns = [m for m in messages if m.role in ("user", "assistant")]
    if not turns or turns[-1].role != "user" or not _text(turns[-1]).strip():
        raise BadRequest("the last message must be a non-empty user message（最后一条消息应是用户的问题）")
    pairs: list[list[str]] = []
    pending: str | None = None
    for m in turns[:-1]:
        if m.role == "user":
            pending = _text(m)
        elif pending is not None:
            pairs.append([pending, _text(m)])
            pending = None
    return _text(turns[-1]).strip(), pairs


def message_text(answer: Answer) -> str:
    """The answer with [n] markers, then one 引用 line per cited unit."""
    body = "\n".join(
        line.text + "".join(f"[{n}]" for n in line.marks) for line in sources.mark_lines(answer)
    ) if answer.answered else answer.answer
    refs = []
    for n, c in enumerate(answer.citations, 1):
        number = f"（{c.doc_number}）" if c.doc_number else ""
        refs.append(f"[{n}] 《{c.title}》{number}{c.article}")
    return body + ("\n\n引用：\n" + "\n".join(refs) if refs else "")


def _extra(answer: Answer) -> dict[str, Any]:
    return {"citations": [c.to_json() for c in answer.citations], "answered": answer.answered}


def completion(answer: Answer, model: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": message_text(answer)},
            "finish_reason": "stop",
        }],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        **_extra(answer),
    }


def chunks(answer: Answer, model: str) -> Iterator[str]:
    """Server-sent events: the role, the text line by line, then the finish with citations."""
    base = {"id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion.chunk",
            "created": int(time.time()), "model": model}

    def event(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        body = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return f"data: {json.dumps(body, ensure_ascii=False)}\n\n"

    yield event({"role": "assistant", "content": ""})
    for piece in message_text(answer).splitlines(keepends=True):
        yield event({"content": piece})
    yield event({}, "stop", **_extra(answer))
    yield "data: [DONE]\n\n"


def _error(status: int, message: str, kind: str = "invalid_request_error") -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": kind, "code": None}}, status_code=status)


def chat_completions_router(ask: Ask, model: str = MODEL) -> APIRouter:
    """The endpoint over `ask(question, history) -> Answer` (e.g. `Backend.ask`)."""
    router = APIRouter()

    @router.post("/v1/chat/completions", response_model=None)
    async def chat_completions(request: ChatRequest) -> JSONResponse | StreamingResponse:
        try:
            question, pairs = question_and_history(request.messages)
            answer = await run_in_threadpool(ask, question, pairs)
        except (BadRequest, AssistantError) as exc:
            return _error(400, str(exc))
        name = request.model or model
        if request.stream:
            return StreamingResponse(chunks(answer, name), media_type="text/event-stream")
        return JSONResponse(completion(answer, name))

    @router.get("/v1/models")
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": model, "object": "model", "owned_by": "local"}]}

    return router
