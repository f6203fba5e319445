"""The 引用核验 tab: paste a letter, see every citation checked (document, unit, quote, status).

`verify_tab(backend)` adds the tab inside the page's `gr.Tabs()`; `report_html` is the pure
markup (every piece of user or document text escaped), tested without a browser.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import gradio as gr

from assistant.errors import AssistantError
from assistant.verify import MAX_TEXT_CHARS, VERDICT_WORDS, CitationCheck, VerifyReport
from assistant.web.render import esc, multiline, notice_html

if TYPE_CHECKING:
    from assistant.web.backend import Backend

# Scoped to the result component by Gradio (css_template), so it cannot restyle other tabs.
CSS = """
.verify-summary { font-weight: 600; margin: 4px 0 10px; }
.verify-text { white-space: pre-wrap; line-height: 1.9; padding: 10px 12px; border: 1px solid #e5e7eb;
  border-radius: 6px; margin-bottom: 12px; }
.verify-text mark { padding: 1px 2px; border-radius: 3px; }
.verify-item { border: 1px solid #e5e7eb; border-left-width: 5px; border-radius: 6px; padding: 8px 12px;
  margin: 8px 0; }
.verify-ok { border-left-color: #16a34a; } mark.verify-ok { background: #dcfce7; }
.verify-warning { border-left-color: #ea580c; } mark.verify-warning { background: #ffedd5; }
.verify-fail { border-left-color: #dc2626; } mark.verify-fail { background: #fee2e2; }
.verify-not_in_corpus { border-left-color: #6b7280; } mark.verify-not_in_corpus { background: #e5e7eb; }
.verify-head { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.verify-verdict { font-weight: 700; white-space: nowrap; }
.verify-cited { color: #374151; }
.verify-line { margin: 3px 0 0 0; font-size: 0.92rem; }
.verify-problem { color: #b91c1c; }
.verify-quoted { background: #fee2e2; text-decoration: line-through; padding: 0 2px; }
.verify-actual { background: #dcfce7; padding: 0 2px; }
.verify-unit-text { color: #4b5563; font-size: 0.85rem; margin-top: 4px; max-height: 9em; overflow: auto; }
"""
PLACEHOLDER = "粘贴要核验的文字，例如：依据《……办法》（……〔2021〕1号）第五条第（三）项规定“……”。"


def _item(number: int, check: CitationCheck) -> str:
    lines: list[str] = []
    if check.document == "not_in_corpus":
        lines.append("文件：不在语料库中（无法核对条款与引文，并非判定为错误）")
    else:
        doc_number = f"（{esc(check.doc_number)}）" if check.doc_number else ""
        status = f" · <b>{esc(check.status.render())}</b>" if check.status else ""
        lines.append(f"文件：《{esc(check.title)}》{doc_number}{status}")
        if check.unit == "found":
            lines.append(f"条款：{esc(check.label)} 存在")
        elif check.unit == "not_found":
            near = f"；相近条款：{esc('、'.join(check.nearest))}" if check.nearest else ""
            lines.append(f"条款：该文件没有 <b>{esc(check.label)}</b>（现有{esc(check.labels)}）{near}")
        quote = check.quote
        if quote is not None and quote.result == "exact":
            where = f"（见{esc(quote.found_in)}）" if quote.found_in else ""
            lines.append(f"引文：与原文一致{where}")
        elif quote is not None and quote.result == "differs":
            diffs = "；".join(
                f"{'数字不符：' if d.number else ''}引文 <span class=\"verify-quoted\">{esc(d.quoted or '∅')}</span>"
                f" 原文 <span class=\"verify-actual\">{esc(d.actual or '∅')}</span>"
                for d in quote.differences
            )
            lines.append(f"引文：与原文不同 — {diffs}")
        elif quote is not None:
            where = f"（该文件{esc(quote.found_in)}有这段文字）" if quote.found_in else ""
            lines.append(f"引文：原文中没有这段文字{where}")
    problems = "".join(f'<div class="verify-line verify-problem">问题：{esc(p)}</div>' for p in check.problems)
    unit_text = (f'<div class="verify-unit-text">{multiline(check.unit_text)}</div>'
                 if check.unit_text else "")
    return (
        f'<div class="verify-item verify-{check.verdict}" data-verdict="{check.verdict}">'
        f'<div class="verify-head"><span class="verify-verdict">{number}. {VERDICT_WORDS[check.verdict]}</span>'
        f'<span class="verify-cited">{esc(check.cited)}</span></div>'
        + "".join(f'<div class="verify-line">{line}</div>' for line in lines)
        + problems + unit_text + "</div>"
    )


def _marked_text(report: VerifyReport, text: str) -> str:
    """The text with each citation marked in its verdict's colour."""
    parts: list[str] = []
    at = 0
    for number, check in enumerate(report.citations, 1):
        if check.start < at:  # a second unit of one mention overlaps the first's span
            continue
        parts.append(esc(text[at:check.start]))
        parts.append(f'<mark class="verify-{check.verdict}" title="{number}. {VERDICT_WORDS[check.verdict]}">'
                     f"{esc(text[check.start:check.end])}</mark>")
        at = check.end
    parts.append(esc(text[at:]))
    return f'<div class="verify-text">{"".join(parts)}</div>'


def report_html(report: VerifyReport, text: str) -> str:
    if not report.citations:
        return notice_html("没有找到引用。引用写作《文件标题》或文号，加条款，如《……办法》第五条、二（二）5。")
    counts = "，".join(f"{VERDICT_WORDS[v]} {n}" for v, n in report.counts().items() if n)
    summary = (f'<div class="verify-summary">核对日期 {report.date.isoformat()}：'
               f"共 {len(report.citations)} 处引用 — {esc(counts)}</div>")
    items = "".join(_item(i, c) for i, c in enumerate(report.citations, 1))
    return f'<div class="verify-report">{summary}{_marked_text(report, text)}{items}</div>'


def verify_tab(backend: Backend) -> None:
    """The tab; call it inside `gr.Tabs()`."""
    from assistant.verify import verify_text

    with gr.Tab("引用核验", id="verify", elem_id="tab-verify"):
        gr.Markdown("粘贴公文或答复中的文字，逐条核对所引文件是否收录、条款是否存在、引文与原文是否一致，"
                    "以及文件在核对日期的状态（现行 / 草案 / 即将到期 / 已失效 / 已被替代）。")
        box = gr.Textbox(label="待核验的文字", lines=8, max_lines=30, max_length=MAX_TEXT_CHARS,
                         placeholder=PLACEHOLDER, elem_id="verify-text")
        with gr.Row():
            on = gr.Textbox(label="核对日期（YYYY-MM-DD，留空为今天）", max_length=10, scale=1,
                            elem_id="verify-date")
            run = gr.Button("核验引用", variant="primary", scale=1, elem_id="verify-run")
        result = gr.HTML(elem_id="verify-result", css_template=CSS)

        def check(text: str, date_text: str) -> str:
            text = text or ""
            if not text.strip():
                return notice_html("请先粘贴要核验的文字。", "error")
            try:
                day = dt.date.fromisoformat(date_text.strip()) if (date_text or "").strip() else backend.today
            except ValueError:
                return notice_html("日期格式应为 YYYY-MM-DD，例如 2026-11-24。", "error")
            try:
                return report_html(verify_text(text, backend.index, day), text)
            except AssistantError as exc:
                return notice_html(str(exc), "error")

        run.click(check, [box, on], [result], api_visibility="private", show_progress="minimal")
