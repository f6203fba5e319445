"""The Gradio page: four tabs and the `/ask` API, wired to a `Backend`. Layout and wiring only."""

from __future__ import annotations

import logging
import os
from functools import partial
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.settings import PROJECT_ROOT, Settings, get_settings
from assistant.web import render
from assistant.web.assets import CSS, FONTS, HEAD, MONO_FONTS
from assistant.web.backend import SELF_CHECK_FIELDS, SUBJECTS, Backend, max_upload_bytes
from assistant.web.verify_tab import verify_tab

log = logging.getLogger(__name__)

EXAMPLES = (
    "柳州园区企业主营业务收入6亿元，经济贡献奖励最多多少？",
    "广西自治区级产业园申报条件第五条是什么？",
    "聊城市级产业园核心区建筑面积最低要求是多少？",
    "柳州措施的有效期到什么时候？",
)
# Answers are CPU-bound (the query embedding dominates): one at a time per core; the queue
# holds the rest. Measured with evals/load_ask.py on 2 cores: 2 beat 1, 4 and 8.
ASK_CONCURRENCY = max(1, min(4, os.cpu_count() or 1))
CHECK_HEADERS = ["规则", "结论", "金额或差距", "依据条款（点击查看）"]
OUTLINE_HEADERS = ["章节", "条款", "内容提要"]
DOC_HEADERS = ["标题", "文号", "发文机关", "发布日期", "有效期", "状态", "条款数", "文件ID"]
DELETE_CACHE = (3600, 3600)  # (every seconds, older than seconds)
INTERNAL = "private"  # UI events are not part of the public API; /ask is
Load = tuple[Any, list[Any], list[Any]]  # (fn, inputs, outputs) for Blocks.load


def build_app(backend: Backend | None = None) -> gr.Blocks:
    """The page. The backend (index, chain, models) is built here once, not per request."""
    backend = backend or Backend()
    loads: list[Load] = []  # run on every page load, so a reload shows the current index

    # Gradio's cache (uploads, generated files) is swept hourly of files older than an hour.
    with gr.Blocks(title="园区政策助手", analytics_enabled=False, delete_cache=DELETE_CACHE) as app:
        gr.HTML(
            '<div id="app-header"><h1>园区政策助手</h1><p>人力资源服务产业园政策问答 · '
            "每个回答都附条款原文 · 离线运行</p></div>",
            padding=False,
        )
        with gr.Tabs():
            with gr.Tab("政策问答", id="chat", elem_id="tab-chat"):
                _chat_tab(backend)
            with gr.Tab("资格自检", id="check", elem_id="tab-check"):
                _check_tab(backend)
            with gr.Tab("条款浏览", id="browse", elem_id="tab-browse"):
                doc_choice = _browse_tab(backend, loads)
            with gr.Tab("文件管理", id="docs", elem_id="tab-docs"):
                _docs_tab(backend, doc_choice, loads)
            verify_tab(backend)

        def ask_api(question: str, history: list[list[str]] | None = None) -> dict[str, Any]:
            """Answer a question (with optional [[question, answer], …] history) as the DESIGN
            answer object."""
            try:
                return backend.ask(question, history or []).to_json()
            except AssistantError as exc:
                raise gr.Error(str(exc)) from exc

        gr.api(ask_api, api_name="ask", concurrency_id="answer", concurrency_limit=ASK_CONCURRENCY)
        for fn, inputs, outputs in loads:
            app.load(fn, inputs, outputs, api_visibility=INTERNAL)
    return app


# ---------------------------------------------------------------- chat


def _chat_tab(backend: Backend) -> None:
    chatbot = gr.Chatbot(
        elem_id="chat",
        show_label=False,
        height=600,
        latex_delimiters=[],
        feedback_options=None,
        buttons=[],  # Gradio's copy would copy the bubble's HTML; the bubble has its own buttons
        placeholder="<b>请输入关于产业园政策的问题</b><br>回答会列出所依据的条款原文，可点击“复制引用”。",
    )
    turns = gr.State([])  # [[question, answer text], …] for follow-ups
    with gr.Row():
        box = gr.Textbox(
            show_label=False,
            placeholder="例如：柳州园区企业营收6亿元，经济贡献奖励多少？（回车发送）",
            scale=8,
            elem_id="question",
            max_length=2000,
        )
        send = gr.Button("提问", variant="primary", scale=1, elem_id="send")
        clear = gr.Button("清空对话", scale=1, elem_id="clear")
    gr.Markdown("**示例问题**（点击即问）：")
    with gr.Row(elem_classes="examples-row"):
        examples = [gr.Button(q, size="sm", elem_classes="example") for q in EXAMPLES]

    def respond(message: str, messages: list[Any], history: list[list[str]]) -> tuple[Any, str, Any]:
        question = (message or "").strip()
        if not question:
            return messages, "", history
        try:
            answer = backend.ask(question, history)
        except AssistantError as exc:
            bot = render.error_html(str(exc))
        else:
            bot = render.answer_html(answer)
            # The question as the chain understood it, so a follow-up of a follow-up
            # ("那1.2亿呢？" then "那10亿呢？") still carries the first turn's subject.
            understood = str(answer.notes.get("understood_as") or question)
            history = [*history, [understood, answer.answer]]
        messages = [
            *messages,
            {"role": "user", "content": render.user_html(question)},
            {"role": "assistant", "content": bot},
        ]
        return messages, "", history

    common: dict[str, Any] = {
        "concurrency_id": "answer",
        "concurrency_limit": ASK_CONCURRENCY,
        "api_visibility": INTERNAL,
        "show_progress": "minimal",
    }
    for trigger in (box.submit, send.click):
        trigger(respond, [box, chatbot, turns], [chatbot, box, turns], **common)
    for button, question in zip(examples, EXAMPLES, strict=True):
        button.click(partial(respond, question), [chatbot, turns], [chatbot, box, turns], **common)
    clear.click(lambda: ([], "", []), None, [chatbot, box, turns], api_visibility=INTERNAL)


# ---------------------------------------------------------------- self-check


def _check_tab(backend: Backend) -> None:
    gr.Markdown("填写已知的数字（不填的项目不参与计算），按所在地核对所有适用条款：是否符合、差多少、依据哪一条。")
    with gr.Row():
        location = gr.Dropdown(
            choices=backend.locations(), value=None, allow_custom_value=True,
            label="所在地 / 园区", elem_id="check-location",
        )
        subject = gr.Radio(list(SUBJECTS), value="自动判断", label="申报主体", elem_id="check-subject")
    boxes: list[gr.Textbox] = []
    for start in range(0, len(SELF_CHECK_FIELDS), 5):
        with gr.Row():
            for key, label, placeholder in SELF_CHECK_FIELDS[start : start + 5]:
                boxes.append(gr.Textbox(label=label, placeholder=placeholder, elem_id=f"check-{key}"))
    with gr.Row():
        run = gr.Button("开始自检", variant="primary", elem_id="check-run")
        reset = gr.Button("清空")
    table = gr.Dataframe(
        headers=CHECK_HEADERS, interactive=False, wrap=True, elem_id="check-table",
        column_widths=["20%", "32%", "30%", "18%"],
    )
    notes = gr.HTML(elem_id="check-notes")
    detail = gr.HTML(elem_id="check-detail")
    rows_state = gr.State([])  # per row: (doc_id, article, reasoning text)

    def check(location_value: str | None, subject_value: str, *values: str) -> tuple[Any, str, str, Any]:
        keys = [key for key, _, _ in SELF_CHECK_FIELDS]
        result = backend.self_check(location_value or "", subject_value, dict(zip(keys, values, strict=True)))
        if result.error:
            return [], render.notice_html(result.error, "error"), "", []
        if not result.results:
            text = "没有与所填信息相关的可计算条款。请检查所在地，或多填几项。"
            return [], render.notice_html("\n".join([text, *result.notes]), "info"), "", []
        rows = _styled(
            CHECK_HEADERS, render.self_check_rows(result.results),
            {1: [STATUS_COLORS.get(r.status, "") for r in result.results]},
        )
        state = [(r.doc_id, r.article, r.render()) for r in result.results]
        note = render.notice_html("\n".join(["点击某一行可查看计算过程和条款原文。", *result.notes]), "info")
        return rows, note, "", state

    def show(state: list[Any], evt: gr.SelectData) -> str:
        row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        if not isinstance(row, int) or not 0 <= row < len(state):
            return ""
        doc_id, article, reasoning = state[row]
        chunk = backend.chunk(doc_id, article)
        parts = ['<h4 class="detail-head">计算过程</h4>', render.notice_html(reasoning, "info")]
        if chunk is not None:
            parts.append('<h4 class="detail-head">条款原文</h4>')
            parts.append(render.article_html(chunk, backend.index.documents[doc_id], backend.status(doc_id)))
        return "".join(parts)

    run.click(check, [location, subject, *boxes], [table, notes, detail, rows_state], api_visibility=INTERNAL)
    reset.click(
        lambda: [None, "自动判断", *[""] * len(boxes), [], "", "", []],
        None, [location, subject, *boxes, table, notes, detail, rows_state], api_visibility=INTERNAL,
    )
    table.select(show, [rows_state], detail, api_visibility=INTERNAL)


# ---------------------------------------------------------------- article browser


def _browse_tab(backend: Backend, loads: list[Load]) -> gr.Dropdown:
    choices = backend.document_choices()
    with gr.Row():
        with gr.Column(scale=2):
            doc = gr.Dropdown(
                choices=choices, value=choices[0][1] if choices else None, label="文件", elem_id="browse-doc"
            )
            with gr.Row():
                query = gr.Textbox(
                    label="按条款号或关键词查找", placeholder="如 第5条、二（二）5、核心区面积",
                    scale=4, elem_id="browse-query",
                )
                find = gr.Button("查找", scale=1, elem_id="browse-find")
            everywhere = gr.Checkbox(label="在全部文件中查找", value=False, elem_id="browse-all")
            outline = gr.Dataframe(
                headers=OUTLINE_HEADERS, interactive=False, wrap=True, max_height=620,
                elem_id="browse-outline", column_widths=["38%", "17%", "45%"],
            )
        with gr.Column(scale=3):
            article = gr.HTML(elem_id="browse-article")
    keys_state = gr.State([])  # per outline row: (doc_id, article)
    terms_state = gr.State([])

    def view(doc_id: str, label: str, terms: list[str]) -> str:
        chunk = backend.chunk(doc_id, label)
        if chunk is None:
            return render.notice_html("没有这一条。", "error")
        return render.article_html(chunk, backend.index.documents[doc_id], backend.status(doc_id), terms)

    def open_document(doc_id: str | None) -> tuple[Any, str, Any, Any]:
        if not doc_id or doc_id not in backend.index.documents:
            return [], render.notice_html("请选择一个文件。"), [], []
        chunks = backend.outline(doc_id)
        first = view(doc_id, chunks[0].article, []) if chunks else ""
        return render.outline_rows(chunks), first, [(c.doc_id, c.article) for c in chunks], []

    def search(text: str, doc_id: str | None, all_docs: bool) -> tuple[Any, str, Any, Any]:
        if not (text or "").strip():
            return open_document(doc_id)
        found = backend.search(text, None if all_docs else doc_id)
        if not found.chunks:
            return [], render.notice_html(found.message, "error"), [], list(found.terms)
        titles = {d: m.title for d, m in backend.index.documents.items()} if all_docs else None
        rows = render.outline_rows(found.chunks, titles)
        first = found.chunks[0]
        terms = list(found.terms)
        return rows, view(first.doc_id, first.article, terms), [(c.doc_id, c.article) for c in found.chunks], terms

    def pick(keys: list[Any], terms: list[str], evt: gr.SelectData) -> str:
        row = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        if not isinstance(row, int) or not 0 <= row < len(keys):
            return ""
        doc_id, label = keys[row]
        return view(doc_id, label, terms)

    outputs = [outline, article, keys_state, terms_state]
    doc.change(open_document, doc, outputs, api_visibility=INTERNAL)
    for trigger in (find.click, query.submit):
        trigger(search, [query, doc, everywhere], outputs, api_visibility=INTERNAL)
    outline.select(pick, [keys_state, terms_state], article, api_visibility=INTERNAL)
    loads.append((open_document, [doc], outputs))
    return doc


# ---------------------------------------------------------------- documents


def _docs_tab(backend: Backend, doc_choice: gr.Dropdown, loads: list[Load]) -> None:
    """The documents in the index, read-only: changing them is the admin page's job."""
    summary = gr.Markdown(elem_id="docs-summary")
    table = gr.Dataframe(
        headers=DOC_HEADERS, interactive=False, wrap=True, elem_id="docs-table",
        column_widths=["24%", "12%", "15%", "9%", "14%", "9%", "6%", "11%"],
    )
    gr.Markdown("新增、替换或删除文件请到管理页面（/admin，需要管理员密码）。")

    def listing() -> tuple[Any, str]:
        documents, entries, statuses = backend.documents()
        rows = render.document_rows(documents, entries, statuses)
        colors = [STATUS_COLORS.get(statuses[d], "") for d in documents]
        return _styled(DOC_HEADERS, rows, {5: colors}), backend.index_summary()

    def choices(current: str | None) -> Any:
        # The browser's document list as of this page load (an ingest may have run since).
        options = backend.document_choices()
        ids = [doc_id for _, doc_id in options]
        return gr.Dropdown(choices=options, value=current if current in ids else (ids[0] if ids else None))

    loads.insert(0, (choices, [doc_choice], [doc_choice]))
    loads.append((listing, [], [table, summary]))


# ---------------------------------------------------------------- tables

STATUS_COLORS = {
    "met": "background-color: #dcfce7; color: #14532d",
    "in_force": "background-color: #dcfce7; color: #14532d",
    "not_met": "background-color: #fee2e2; color: #7f1d1d",
    "expired": "background-color: #e5e7eb; color: #374151",
    "superseded": "background-color: #e5e7eb; color: #374151",
    "soft_not_met": "background-color: #fef3c7; color: #78350f",
    "incomplete": "background-color: #fef3c7; color: #78350f",
    "draft": "background-color: #ffedd5; color: #9a3412",
}


def _styled(headers: list[str], rows: list[list[str]], colors: dict[int, list[str]]) -> Any:
    """Rows as a pandas Styler: column → one CSS string per row (the status colours)."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=headers)
    if frame.empty:
        return frame

    def paint(column: Any) -> list[str]:
        position = headers.index(column.name)
        return colors.get(position, [""] * len(frame))

    return frame.style.apply(paint, axis=0)


# ---------------------------------------------------------------- launching


def theme() -> Any:
    return gr.themes.Soft(
        primary_hue="red", secondary_hue="blue", neutral_hue="slate", font=FONTS, font_mono=MONO_FONTS
    )


def blocked_paths(settings: Settings) -> list[str]:
    """Never servable, whatever else is allowed: the index, and any .env."""
    paths = [settings.index_dir, settings.uploads_dir, PROJECT_ROOT / ".env", Path.cwd() / ".env"]
    return [str(Path(p).resolve()) for p in paths]


def launch_options(settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or get_settings()
    return {
        "server_name": settings.host,
        "server_port": settings.port,
        "share": False,
        "max_file_size": max_upload_bytes(settings),
        "allowed_paths": [],
        "blocked_paths": blocked_paths(settings),
        "show_error": False,
        "ssr_mode": False,
        "mcp_server": False,
        "pwa": False,
        "enable_monitoring": False,
        "theme": theme(),
        "css": CSS,
        "head": HEAD,
    }


def launch(app: gr.Blocks | None = None, **overrides: Any) -> gr.Blocks:
    """Serve the public page and the admin page from one server, behind the guards. Refuses
    (UnsafeBind) to serve beyond loopback without admin credentials, before loading anything."""
    import uvicorn

    from assistant.web.admin import build_site
    from assistant.web.guards import check_bind

    settings = get_settings()
    check_bind(settings)
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    app = app or build_app()
    app.queue(default_concurrency_limit=2)
    site = build_site(app, settings)
    options = {**launch_options(settings), **overrides}
    log.info("serving on http://%s:%s/", options["server_name"], options["server_port"])
    uvicorn.run(site, host=options["server_name"], port=options["server_port"], log_level="warning")
    return app
