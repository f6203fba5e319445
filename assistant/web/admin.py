"""The admin page (/admin): add, replace, delete, restore and review documents, behind a login
from the environment (ASSISTANT_ADMIN_USER / ASSISTANT_ADMIN_PASSWORD). The public page only
reads; without a password there is no admin page at all (documents then change through
`assistant ingest` only).

The admin page holds no answer chain: it changes files and the index through `Library`, and
the public page notices the new manifest on its next request and reloads.

`build_site` is the one FastAPI app that serves both pages with the guards installed, used by
`assistant serve` until the API server takes it over.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.library import Change, Library, max_upload_bytes, upload_suffixes
from assistant.settings import Settings
from assistant.web import render
from assistant.web.guards import ADMIN_PATH, install

if TYPE_CHECKING:
    from fastapi import FastAPI

log = logging.getLogger(__name__)

HEADERS = ["文件ID", "标题", "来源", "上传/导入者", "时间", "已审核", "sha256", "文件位置", "历史版本"]
ORIGIN_WORD = {"seed": "语料目录", "upload": "管理员上传"}
DELETE_CACHE = (3600, 3600)
INTERNAL = "private"


def admin_auth(settings: Settings) -> Callable[[str, str], bool] | None:
    """The login check, or None when no password is set (no admin page)."""
    if settings.admin_password is None or not settings.admin_password.get_secret_value():
        return None
    user = settings.admin_user.encode()
    secret = settings.admin_password.get_secret_value().encode()

    def check(username: str, password: str) -> bool:
        # compare_digest on both, so a wrong user name costs the same time as a wrong password
        ok_user = hmac.compare_digest(str(username).encode(), user)
        ok_password = hmac.compare_digest(str(password).encode(), secret)
        return ok_user and ok_password

    return check


def rows(library: Library) -> list[list[str]]:
    table = []
    for doc_id, entry in library.entries().items():
        record = entry.get("provenance") or {}
        table.append([
            doc_id,
            entry.get("meta", {}).get("title", ""),
            ORIGIN_WORD.get(record.get("origin", ""), record.get("origin", "—")),
            str(record.get("by", "—")),
            str(record.get("at", "—")),
            "是" if record.get("reviewed") else "否（回答中会提示）",
            str(entry.get("sha256", ""))[:12],
            str(entry.get("source", "")),
            str(len(library.versions(doc_id))),
        ])
    return table


def build_admin(settings: Settings, today: dt.date | None = None) -> gr.Blocks:
    library = Library(settings, today or settings.today_or_now())
    suffixes = upload_suffixes()
    cap_mb = max_upload_bytes(settings) / 1024 / 1024

    with gr.Blocks(title="园区政策助手 · 管理", analytics_enabled=False, delete_cache=DELETE_CACHE) as admin:
        gr.Markdown("## 文件管理（管理员）\n每次变更都会记录操作者和时间；替换和删除会保留旧版本，可以恢复。")
        table = gr.Dataframe(headers=HEADERS, interactive=False, wrap=True, elem_id="admin-table")
        gr.Markdown(f"**上传**：支持 {' / '.join(suffixes)}，不超过 {cap_mb:g} MB。新上传的文件在审核前，引用它的回答会提示“尚未审核”。")
        with gr.Row():
            upload = gr.File(label="选择文件", file_types=list(suffixes), type="filepath", elem_id="admin-upload")
            with gr.Column():
                replace = gr.Checkbox(label="替换同名文件（旧版本保留，可恢复）", value=False, elem_id="admin-replace")
                ingest = gr.Button("导入并更新索引", variant="primary", elem_id="admin-ingest")
        with gr.Row():
            doc = gr.Dropdown(label="文件", choices=[], elem_id="admin-doc")
            review = gr.Button("标记为已审核", elem_id="admin-review")
            delete = gr.Button("删除（可恢复）", variant="stop", elem_id="admin-delete")
        with gr.Row():
            version = gr.Dropdown(label="历史版本", choices=[], elem_id="admin-version")
            restore = gr.Button("恢复此版本", elem_id="admin-restore")
        result = gr.HTML(elem_id="admin-result")

        def refresh(current: str | None = None) -> tuple[Any, Any, Any]:
            ids = list(library.entries())
            kept = sorted(p.name for p in (library.root / ".versions").glob("*")) if library.root.exists() else []
            choices = list(dict.fromkeys([*ids, *kept]))
            value = current if current in choices else (choices[0] if choices else None)
            versions = library.versions(value) if value else []
            return (rows(library), gr.Dropdown(choices=choices, value=value),
                    gr.Dropdown(choices=versions, value=versions[0] if versions else None))

        def outcome(change: Change, current: str | None) -> tuple[str, Any, Any, Any]:
            html = render.notice_html(change.message, "ok" if change.ok else "error")
            return (html, *refresh(change.doc_ids[0] if change.doc_ids else current))

        def who(request: gr.Request | None) -> str:
            return str(getattr(request, "username", None) or settings.admin_user)

        def do_ingest(path: str | None, swap: bool, current: str | None, request: gr.Request) -> Any:
            return outcome(library.add(path, who(request), replace=bool(swap)), current)

        def do_delete(doc_id: str | None, request: gr.Request) -> Any:
            return outcome(library.delete(doc_id or "", who(request)), doc_id)

        def do_review(doc_id: str | None, request: gr.Request) -> Any:
            return outcome(library.review(doc_id or "", who(request)), doc_id)

        def do_restore(doc_id: str | None, stamp: str | None, request: gr.Request) -> Any:
            return outcome(library.restore(doc_id or "", stamp or "", who(request)), doc_id)

        def versions_of(doc_id: str | None) -> Any:
            found = library.versions(doc_id) if doc_id else []
            return gr.Dropdown(choices=found, value=found[0] if found else None)

        outputs = [result, table, doc, version]
        common: dict[str, Any] = {"api_visibility": INTERNAL, "concurrency_id": "admin", "concurrency_limit": 1}
        ingest.click(do_ingest, [upload, replace, doc], outputs, **common)
        delete.click(do_delete, [doc], outputs, **common)
        review.click(do_review, [doc], outputs, **common)
        restore.click(do_restore, [doc, version], outputs, **common)
        doc.change(versions_of, [doc], [version], api_visibility=INTERNAL)
        admin.load(refresh, [doc], [table, doc, version], api_visibility=INTERNAL)
    return admin


def mount_admin(app: FastAPI, settings: Settings, path: str = ADMIN_PATH) -> bool:
    """Mount the admin page at `path` behind its login; False (nothing mounted) without a password."""
    from assistant.web.ui import blocked_paths

    auth = admin_auth(settings)
    if auth is None:
        log.warning("no ASSISTANT_ADMIN_PASSWORD: no admin page; change documents with `assistant ingest`")
        return False
    admin = build_admin(settings)
    admin.queue(default_concurrency_limit=1)
    gr.mount_gradio_app(
        app, admin, path, auth=auth, auth_message="园区政策助手管理页面：请使用管理员账号登录",
        max_file_size=max_upload_bytes(settings), allowed_paths=[], blocked_paths=blocked_paths(settings),
        show_error=False, ssr_mode=False, mcp_server=False, pwa=False, enable_monitoring=False,
        footer_links=[],
    )
    return True


def build_site(public: gr.Blocks, settings: Settings) -> FastAPI:
    """One FastAPI app: guards, /admin (when a password is set), the public page at /."""
    from fastapi import FastAPI

    from assistant.web.ui import launch_options

    site = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    install(site, settings)
    mount_admin(site, settings)  # before "/", which would otherwise take every path
    options = launch_options(settings)
    keep = ("max_file_size", "allowed_paths", "blocked_paths", "show_error", "ssr_mode", "mcp_server",
            "pwa", "enable_monitoring", "theme", "css", "head")
    gr.mount_gradio_app(site, public, "/", **{k: options[k] for k in keep})
    return site
