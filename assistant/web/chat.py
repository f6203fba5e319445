"""The 政策问答 tab: chat, echo and progress, stop/retry, kept conversations, export, feedback.

Layout and wiring only; markup comes from `render`, the conversation record from `history`.
The conversation lives in the browser (gr.BrowserState), so a reload shows it again.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import gradio as gr
from gradio.components.chatbot import ExampleMessage

from assistant.errors import AssistantError
from assistant.types import Answer
from assistant.web import history, render
from assistant.web.backend import Backend

INTERNAL = "private"
# How often a growing LLM draft is repainted: smooth to read, few updates over the wire.
DRAFT_SECONDS = 0.1
_EXPORTS = Path(tempfile.mkdtemp(prefix="assistant-export-"))
Outputs = tuple[list[Any], str, dict[str, Any]]


def chat_tab(backend: Backend, concurrency: int) -> list[tuple[Any, list[Any], list[Any]]]:
    """Build the tab; returns the page-load events it needs (restore the conversation)."""
    conv = gr.BrowserState(history.empty(), storage_key="assistant-chat")
    chatbot = gr.Chatbot(
        elem_id="chat",
        label="对话",
        show_label=False,
        height="calc(100dvh - 290px)",
        min_height=260,
        latex_delimiters=[],
        feedback_options=("Like", "Dislike"),
        buttons=[],  # Gradio's copy would copy the bubble's HTML; the bubble has its own buttons
        placeholder=_empty_state(backend),
        examples=_examples(backend),
        autoscroll=True,
    )
    with gr.Row(elem_id="ask-row", equal_height=True):
        box = gr.Textbox(
            label="输入问题",
            show_label=False,
            placeholder="输入关于产业园政策的问题，回车发送",
            scale=8,
            min_width=160,
            elem_id="question",
            max_length=2000,
            lines=1,
            max_lines=4,
            autofocus=True,
        )
        send = gr.Button("发送", variant="primary", scale=1, min_width=64, elem_id="send")
    with gr.Row(elem_id="chat-actions"):
        stop = gr.Button("停止", size="sm", elem_id="stop", min_width=56)
        retry = gr.Button("重新回答", size="sm", elem_id="retry", min_width=72)
        new = gr.Button("新对话", size="sm", elem_id="new-chat", min_width=64)
        export = gr.DownloadButton("导出 Markdown", size="sm", elem_id="export", min_width=96)
        gr.HTML('<span class="hint">回车发送 · Shift+回车换行</span>', elem_id="send-hint", padding=False)
    with gr.Row(elem_id="feedback-row", visible=False) as feedback_row:
        comment = gr.Textbox(label="补充说明（可选）", placeholder="哪里不对，或希望怎样回答", scale=6,
                             elem_id="feedback-comment", max_length=1000)
        submit = gr.Button("提交说明", size="sm", scale=1, elem_id="feedback-send", min_width=72)
    feedback_note = gr.HTML(elem_id="feedback-note", padding=False)
    rated = gr.State(None)  # (record index, liked) of the last 👍/👎, for its comment

    def picked(evt: gr.SelectData) -> str:
        value = evt.value if isinstance(evt.value, dict) else {}
        return str(value.get("text") or "")

    def rate(state: Any, evt: gr.LikeData) -> tuple[Any, Any, str, str]:
        conv_now = history.normalised(state)
        index = evt.index if isinstance(evt.index, int) else evt.index[0]
        number = index // 2  # user and assistant messages alternate
        if not 0 <= number < len(conv_now["records"]):
            return gr.Row(visible=False), None, "", ""
        liked = evt.liked is True or evt.liked == "Like"
        history.save_feedback(conv_now["records"][number], liked)
        thanks = "已记录：有帮助。" if liked else "已记录：没有帮助。"
        return gr.Row(visible=True), (number, liked), "", render.notice_html(thanks + "可补充说明（可选）。", "ok")

    def explain(state: Any, which: Any, text: str) -> tuple[Any, str, str]:
        conv_now = history.normalised(state)
        if not which or not (text or "").strip() or not 0 <= which[0] < len(conv_now["records"]):
            return gr.Row(visible=True), text, render.notice_html("请先写几句说明。", "error")
        history.save_feedback(conv_now["records"][which[0]], bool(which[1]), text)
        return gr.Row(visible=False), "", render.notice_html("谢谢，说明已记录。", "ok")

    def exported(state: Any) -> Any:
        conv_now = history.normalised(state)
        if not conv_now["records"]:
            return gr.DownloadButton(value=None, interactive=False)
        text = history.to_markdown(conv_now)
        path = _EXPORTS / f"对话记录-{hashlib.sha256(text.encode()).hexdigest()[:10]}.md"
        path.write_text(text, encoding="utf-8")
        return gr.DownloadButton(value=str(path), interactive=True)

    def restore(state: Any) -> tuple[Any, Any]:
        conv_now = history.normalised(state)
        chat = gr.Chatbot(value=conv_now["messages"], placeholder=_empty_state(backend), examples=_examples(backend))
        return chat, exported(conv_now)

    common: dict[str, Any] = {
        "concurrency_id": "answer",
        "concurrency_limit": concurrency,
        "api_visibility": INTERNAL,
        "show_progress": "hidden",  # the bubble itself says what is happening, in Chinese
    }
    outputs = [chatbot, box, conv]
    ask = partial(respond, backend)
    asking = [
        box.submit(ask, [box, conv], outputs, **common),
        send.click(ask, [box, conv], outputs, **common),
        chatbot.example_select(picked, None, box, api_visibility=INTERNAL).then(ask, [box, conv], outputs, **common),
        retry.click(partial(again, backend), [conv], outputs, **common),
    ]
    stop.click(halted, [conv], [chatbot], cancels=asking, api_visibility=INTERNAL)
    new.click(lambda: ([], "", history.empty()), None, outputs, cancels=asking, api_visibility=INTERNAL)
    # Gradio's own 清空对话 icon empties the display; the kept conversation goes with it.
    chatbot.clear(history.empty, None, conv, cancels=asking, api_visibility=INTERNAL)
    conv.change(exported, [conv], [export], api_visibility=INTERNAL)
    chatbot.like(rate, [conv], [feedback_row, rated, comment, feedback_note], api_visibility=INTERNAL)
    for trigger in (submit.click, comment.submit):
        trigger(explain, [conv, rated, comment], [feedback_row, comment, feedback_note], api_visibility=INTERNAL)
    return [(restore, [conv], [chatbot, export])]


def respond(backend: Backend, message: str, state: Any) -> Iterator[Outputs]:
    """One turn: the question and a progress line at once; an LLM composer's draft as it grows,
    marked 核对中; then the answer (the guarded one, or the extractive one and why) or the error."""
    conv_now = history.normalised(state)
    question = (message or "").strip()
    if not question:
        yield conv_now["messages"], "", conv_now
        return
    user = {"role": "user", "content": render.user_html(question)}
    pending = {**conv_now, "last": question, "pending": True}
    # The question shows at once, with what the assistant is doing.
    yield [*conv_now["messages"], user, {"role": "assistant", "content": render.progress_html(question)}], "", pending
    turns, rec_extra = conv_now["turns"], {}
    try:
        answer: Answer | None = None
        shown = 0.0
        for item in backend.ask_stream(question, turns):
            if isinstance(item, str):
                # A draft: repaint at most every DRAFT_SECONDS; the kept conversation (and the
                # box) are left alone until the answer is final.
                if time.monotonic() - shown >= DRAFT_SECONDS:
                    shown = time.monotonic()
                    draft = {"role": "assistant", "content": render.draft_html(item)}
                    yield [*conv_now["messages"], user, draft], gr.skip(), gr.skip()
            else:
                answer = item
        if answer is None:  # the stream ends with the answer; say so plainly if it did not
            raise AssistantError("没有得到回答，请点“重新回答”再试一次。")
    except AssistantError as exc:
        bot = render.error_html(str(exc))
        rec = {"question": question, "answer": str(exc), "answered": False, "citations": []}
    else:
        bot = render.answer_html(answer, backend.today)
        rec = history.record(answer, question)
        # The question as the chain understood it, so a follow-up of a follow-up
        # ("那1.2亿呢？" then "那10亿呢？") still carries the first turn's subject.
        understood = str(answer.notes.get("understood_as") or question)
        turns = [*turns, [understood, answer.answer]]
        rec_extra = {"turn": True}
    done = {
        "messages": [*conv_now["messages"], user, {"role": "assistant", "content": bot}],
        "turns": turns,
        "records": [*conv_now["records"], {**rec, **rec_extra}],
        "last": question,
        "pending": False,
    }
    yield done["messages"], "", done


def again(backend: Backend, state: Any) -> Iterator[Outputs]:
    """Ask the last question again: a finished answer is replaced, a stopped one retried."""
    conv_now = history.normalised(state)
    question = conv_now["last"]
    if not question:
        yield conv_now["messages"], "", conv_now
        return
    if not (state or {}).get("pending") and conv_now["records"]:
        last = conv_now["records"][-1]
        conv_now = {
            **conv_now,
            "messages": conv_now["messages"][:-2],
            "records": conv_now["records"][:-1],
            "turns": conv_now["turns"][:-1] if last.get("turn") else conv_now["turns"],
        }
    yield from respond(backend, question, conv_now)

def halted(state: Any) -> list[Any]:
    """The chat after 停止: a question still being answered is marked stopped."""
    conv_now = history.normalised(state)
    if not (state or {}).get("pending"):
        return conv_now["messages"]
    user = {"role": "user", "content": render.user_html(conv_now["last"])}
    return [*conv_now["messages"], user, {"role": "assistant", "content": render.stopped_html()}]


def _examples(backend: Backend) -> list[ExampleMessage]:
    """The example questions of the documents in the index now (a reload after an ingest shows
    the new ones)."""
    return [ExampleMessage(text=q) for q in backend.examples()]


def _empty_state(backend: Backend) -> str:
    documents, _, statuses = backend.documents()
    return render.covered_html(documents, statuses, backend.today)
