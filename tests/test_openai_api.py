"""The OpenAI-compatible endpoint, through the real `openai` client against a uvicorn server."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TODAY
from tests.test_web import free_port

QUESTION = "柳州园区企业营收6亿元，经济贡献奖励最多多少？"
TITLE = "关于推进国家级柳州人力资源服务产业园高质量发展若干措施"


@pytest.fixture(scope="module")
def base_url(hash_index: Path) -> Iterator[str]:

    from assistant.chain import AnswerChain
    from assistant.retrieve import Retriever
    from assistant.service import load_index
    from assistant.web.openai_api import chat_completions_router

    index = load_index(hash_index, "hash", None)
    chain = AnswerChain(index, TODAY, retriever=Retriever(index))

    def ask(question: str, history: Any) -> Any:
        return chain.ask(question, [(str(q), str(a)) for q, a in history])

    with _serving(chat_completions_router(ask)) as url:
        yield url


@contextlib.contextmanager
def _serving(router: Any) -> Iterator[str]:
    """The endpoint on a free local port, in a thread; its /v1 base URL."""
    import uvicorn
    from fastapi import FastAPI

    app = FastAPI()
    app.include_router(router)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def client(base_url: str) -> Any:
    from openai import OpenAI

    return OpenAI(base_url=base_url, api_key="local", max_retries=0, timeout=60)


def test_non_streaming_answer_is_cited(base_url: str) -> None:
    result = client(base_url).chat.completions.create(
        model="yuanqu-policy-assistant", messages=[{"role": "user", "content": QUESTION}]
    )
    text = result.choices[0].message.content or ""
    assert "50万" in text.split("\n")[0] and "[1]" in text
    assert f"引用：\n[1] 《{TITLE}》二（二）5" in text
    extra = result.model_extra or {}
    assert extra["answered"] is True
    assert [(c["doc_id"], c["article"]) for c in extra["citations"]] == [("liuzhou-2024-park-measures", "二（二）5")]
    assert "一次性奖励不超过50万元" in extra["citations"][0]["text"]


def test_streaming_gives_the_same_text_and_citations(base_url: str) -> None:
    api = client(base_url)
    whole = api.chat.completions.create(model="m", messages=[{"role": "user", "content": QUESTION}])
    stream = api.chat.completions.create(
        model="m", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    pieces, last = [], None
    for chunk in stream:
        pieces.append(chunk.choices[0].delta.content or "")
        last = chunk
    assert len(pieces) > 2  # the text arrives in more than one piece
    assert "".join(pieces) == whole.choices[0].message.content
    assert last is not None and last.choices[0].finish_reason == "stop"
    assert (last.model_extra or {})["citations"][0]["article"] == "二（二）5"


def test_history_carries_a_follow_up(base_url: str) -> None:
    api = client(base_url)
    first = api.chat.completions.create(model="m", messages=[{"role": "user", "content": QUESTION}])
    follow = api.chat.completions.create(model="m", messages=[
        {"role": "system", "content": "你是政策助手"},
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": "那1.2亿呢？"},
    ])
    assert "30万" in (follow.choices[0].message.content or "")


def test_bad_requests_get_an_openai_error(base_url: str) -> None:
    import openai

    api = client(base_url)
    with pytest.raises(openai.BadRequestError, match="user"):
        api.chat.completions.create(model="m", messages=[{"role": "assistant", "content": "hi"}])
    with pytest.raises(openai.BadRequestError):
        api.chat.completions.create(model="m", messages=[{"role": "user", "content": "   "}])


# ---------------------------------------------------------------- with an LLM composer

LZ = "liuzhou-2024-park-measures"


@pytest.fixture(scope="module")
def llm_endpoint(hash_index: Path) -> Iterator[tuple[str, Any]]:
    """The endpoint over a chain whose composer is a scripted OpenAI-compatible fake."""

    from assistant.chain import AnswerChain
    from assistant.llm import make_chat_model
    from assistant.retrieve import Retriever
    from assistant.service import load_index
    from assistant.web.openai_api import chat_completions_router
    from tests.fake_llm import fake_llm

    with fake_llm(delay=0.01) as fake:
        index = load_index(hash_index, "hash", None)
        chain = AnswerChain(index, TODAY, retriever=Retriever(index), chat_model=make_chat_model(fake.url, "m", "k"))
        router = chat_completions_router(lambda q, h: chain.ask(q, [(str(a), str(b)) for a, b in h]))
        with _serving(router) as url:
            yield url, fake


def _streamed(base_url: str) -> tuple[str, Any]:
    stream = client(base_url).chat.completions.create(
        model="m", messages=[{"role": "user", "content": QUESTION}], stream=True
    )
    pieces, last = [], None
    for chunk in stream:
        pieces.append(chunk.choices[0].delta.content or "")
        last = chunk
    return "".join(pieces), last


def test_streaming_with_a_composer_sends_only_the_guarded_answer(llm_endpoint: tuple[str, Any]) -> None:
    base_url, fake = llm_endpoint
    fake.script(["可获一次性奖励，", "最多不超过50万元", f"【{LZ} 二（二）5】。"])
    text, last = _streamed(base_url)
    assert text.startswith("可获一次性奖励，最多不超过50万元。[1]\n") and "【" not in text  # tags became markers
    assert f"引用：\n[1] 《{TITLE}》二（二）5" in text
    assert (last.model_extra or {})["citations"][0]["article"] == "二（二）5"
    # a draft the guards reject never reaches the client, streamed or not
    fake.script(["最多可获", "60万元奖励", f"【{LZ} 二（二）5】。"])
    text, _ = _streamed(base_url)
    assert "60万" not in text and "50万" in text.split("\n")[0]
    fake.script(["最多可获60万元奖励。"])  # and one citing nothing
    whole = client(base_url).chat.completions.create(model="m", messages=[{"role": "user", "content": QUESTION}])
    assert "60万" not in (whole.choices[0].message.content or "")
