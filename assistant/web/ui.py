"""The Gradio page: four tabs and the `/ask` API, wired to a `Backend`. Layout and wiring only."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.errors import AssistantError
from assistant.settings import PROJECT_ROOT, Settings, get_settings
from assistant.web import render
from assistant.web.assets import CSS, FONTS, HEAD, MONO_FONTS
from assistant.web.backend import Backend, max_upload_bytes
from assistant.web.chat import chat_tab
from assistant.web.check import check_tab
from assistant.web.verify_tab import verify_tab

log = logging.getLogger(__name__)

# Answers are CPU-bound (the query embedding dominates): one at a time per core; the queue
# holds the rest. Measured with evals/load_ask.py on 2 cores: 2 beat 1, 4 and 8.
ASK_CONCURRENCY = max(1, min(4, os.cpu_count() or 1))
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
        with gr.Tabs() as tabs:
            with gr.Tab("政策问答", id="chat", elem_id="tab-chat"):
                loads += chat_tab(backend, ASK_CONCURRENCY)
            with gr.Tab("资格自检", id="check", elem_id="tab-check"):
                check_tab(backend)
            with gr.Tab("条款浏览", id="browse", elem_id="tab-browse"):
                _browse_tab(backend, loads, tabs)
            with gr.Tab("文件管理", id="docs", elem_id="tab-docs"):
                _docs_tab(backend, loads)
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


# ---------------------------------------------------------------- article browser


def _browse_tab(backend: Backend, loads: list[Load], tabs: gr.Tabs) -> None:
    choices = backend.document_choices()
    with gr.Row(elem_id="browse-row"):
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
        return render.article_html(
            chunk, backend.index.documents[doc_id], backend.status(doc_id), terms, backend.today
        )

    def open_document(doc_id: str | None, keys: list[Any] | None = None) -> tuple[Any, str, Any, Any]:
        if keys and all(k[0] == doc_id for k in keys) and len(keys) == len(backend.outline(doc_id or "")):
            # Already open (a citation link opened it at a unit): keep that unit in view.
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
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

    def on_load(doc_id: str | None, request: gr.Request) -> tuple[Any, ...]:
        """The current documents; a citation's link (?doc=…&article=…) opens its unit here."""
        choices = backend.document_choices()
        params = dict(request.query_params) if request else {}
        wanted, label = params.get("doc") or "", params.get("article") or ""
        if wanted in backend.index.documents and label and backend.chunk(wanted, label):
            chunks = backend.outline(wanted)
            return (
                gr.Tabs(selected="browse"), gr.Dropdown(choices=choices, value=wanted),
                render.outline_rows(chunks), view(wanted, label, []),
                [(c.doc_id, c.article) for c in chunks], [],
            )
        if doc_id not in backend.index.documents:
            doc_id = choices[0][1] if choices else None
        return (gr.skip(), gr.Dropdown(choices=choices, value=doc_id), *open_document(doc_id))

    outputs = [outline, article, keys_state, terms_state]
    doc.change(open_document, [doc, keys_state], outputs, api_visibility=INTERNAL)
    for trigger in (find.click, query.submit):
        trigger(search, [query, doc, everywhere], outputs, api_visibility=INTERNAL)
    outline.select(pick, [keys_state, terms_state], article, api_visibility=INTERNAL)
    loads.append((on_load, [doc], [tabs, doc, *outputs]))


# ---------------------------------------------------------------- documents


def _docs_tab(backend: Backend, loads: list[Load]) -> None:
    """The documents in the index, read-only: changing them is the admin page's job."""
    summary = gr.Markdown(elem_id="docs-summary")
    table = gr.Dataframe(
        headers=DOC_HEADERS, interactive=False, wrap=True, elem_id="docs-table",
        column_widths=["24%", "12%", "15%", "9%", "14%", "9%", "6%", "11%"],
    )
    # On a phone eight columns cannot be read: the same rows as one card per document instead.
    cards = gr.HTML(elem_id="docs-cards", padding=False)
    gr.Markdown("新增、替换或删除文件请到管理页面（/admin，需要管理员密码）。")

    def listing() -> tuple[Any, str, str]:
        documents, entries, statuses = backend.documents()
        rows = render.document_rows(documents, entries, statuses)
        colors = [STATUS_COLORS.get(statuses[d], "") for d in documents]
        codes = [statuses[d] for d in documents]
        return _styled(DOC_HEADERS, rows, {5: colors}), backend.index_summary(), render.document_cards(DOC_HEADERS, rows, codes)

    # The browser's document list is refreshed on each page load by the browser itself
    # (_browse_tab's on_load): a second refresh here would race it and could reopen another
    # document over the unit a citation link asked for.
    loads.append((listing, [], [table, summary, cards]))


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
    from assistant.web.server import GRADIO_ENV

    settings = get_settings()
    check_bind(settings)
    for name, value in GRADIO_ENV.items():
        os.environ.setdefault(name, value)
    app = app or build_app()
    app.queue(default_concurrency_limit=2)
    site = build_site(app, settings)
    options = {**launch_options(settings), **overrides}
    log.info("serving on http://%s:%s/", options["server_name"], options["server_port"])
    uvicorn.run(site, host=options["server_name"], port=options["server_port"], log_level="warning")
    return app
