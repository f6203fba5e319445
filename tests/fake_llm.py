"""A scripted OpenAI-compatible endpoint on loopback, standing in for an LLM (none is available
here). `/v1/chat/completions` answers with the next scripted reply, whole or (with
`stream: true`) as server-sent chunks with a pause between them, so a test can watch a
stream's intermediate state. The composer talks to it through the real `langchain_openai`
client, exactly as it would to a real endpoint.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeLLM:
    """`script(pieces, …)`: each reply is a list of pieces (streamed one by one, joined when not
    streamed). With nothing scripted the endpoint replies `idle`."""

    def __init__(self, delay: float = 0.3, idle: str = "未找到相关规定") -> None:
        self.delay = delay
        self.idle = idle
        self.replies: deque[Sequence[str]] = deque()
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def script(self, *replies: Sequence[str]) -> None:
        with self._lock:
            self.replies.extend(replies)

    def _next(self, request: dict[str, Any]) -> Sequence[str]:
        with self._lock:
            self.requests.append(request)
            return self.replies.popleft() if self.replies else [self.idle]

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                body = json.loads(self.rfile.read(int(self.headers.get("content-length") or 0)) or b"{}")
                pieces = fake._next(body)
                if body.get("stream"):
                    self.send_response(200)
                    self.send_header("content-type", "text/event-stream")
                    self.end_headers()
                    try:
                        for event in fake.events(pieces, body.get("model", "fake")):
                            self.wfile.write(event.encode())
                            self.wfile.flush()
                    except (BrokenPipeError, ConnectionResetError):  # the client stopped reading
                        pass
                    return
                reply = json.dumps(fake.completion("".join(pieces), body.get("model", "fake"))).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

        return Handler

    def events(self, pieces: Sequence[str], model: str) -> Iterator[str]:
        base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()), "model": model}

        def event(delta: dict[str, Any], finish: str | None = None) -> str:
            return "data: " + json.dumps({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}) + "\n\n"

        yield event({"role": "assistant", "content": ""})
        for piece in pieces:
            time.sleep(self.delay)
            yield event({"content": piece})
        yield event({}, "stop")
        yield "data: [DONE]\n\n"

    @staticmethod
    def completion(text: str, model: str) -> dict[str, Any]:
        return {
            "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
        }


@contextmanager
def fake_llm(delay: float = 0.3) -> Iterator[FakeLLM]:
    fake = FakeLLM(delay)
    fake.thread.start()
    try:
        yield fake
    finally:
        fake.server.shutdown()
        fake.server.server_close()
