"""The 资格自检 tab: a form generated from the rules' inputs, and results as cards.

Every input some rule reads becomes a field (its label, unit and kind come from the rules'
vocabulary), so a new rules file brings its fields without UI code. Entries no applicable
rule used are reported, and a reward whose conditions were not checked (在库满一年 not given)
is shown as 待核实, never as a green "met".
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import re
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.calc.batch import shown_status, unused_inputs, unverified
from assistant.errors import AssistantError
from assistant.web import render
from assistant.web.backend import SUBJECTS, Backend
from assistant.web.check_batch import MAX_CSV_BYTES, batch_html, check_upload, chinese, template_csv

INTERNAL = "private"
# Field groups by the kind of figure, in the order people know them.
GROUPS = (("amount", "金额"), ("count", "数量"), ("area", "面积"), ("percent", "比例"),
          ("duration", "年限与时长"), ("date", "日期"))
# How a figure of each kind is written, when no rule states one for the input (see `_stated`).
EXAMPLE = {"amount": "如 3000万元", "percent": "如 60%", "date": "如 2025-03-01"}
_LIST_SPLIT = re.compile(r"[、,，;；\s]+")


@functools.cache
def _files() -> Path:
    """The template and results to download: one folder per process, made when the tab is built
    and removed when the process ends (an import alone leaves nothing in the temp folder)."""
    folder = Path(tempfile.mkdtemp(prefix="assistant-check-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str
    unit: str
    many: bool  # one value per branch park / enterprise, separated by 、
    stated: str = ""  # a figure some rule states for this input (its bar or a tier's bound)

    @property
    def placeholder(self) -> str:
        example = f"如 {self.stated}" if self.stated else EXAMPLE.get(self.kind) or f"如 3{self.unit}"
        return f"{example}；多个用顿号分隔" if self.many else example


def fields(rules_dir: Any = None) -> list[Field]:
    """Every input the rules read, in the calculator's vocabulary order."""
    from assistant.calc.rule_inputs import INPUTS, LIST_INPUTS
    from assistant.calc.rules import load_rules

    rules = list(load_rules(rules_dir))
    used = {name for rule in rules for name in rule.inputs}
    stated = _stated(rules)
    return [Field(s.name, s.label, s.kind, s.unit, s.name in LIST_INPUTS, stated.get(s.name, ""))
            for s in INPUTS.values() if s.name in used]


def _stated(rules: Sequence[Any]) -> dict[str, str]:
    """Per input, the first figure a rule states for it, written as the rules write it: the
    placeholders show the documents' own scale (4000平方米, 15家), not an invented one."""
    from assistant.calc.number_format import format_value

    out: dict[str, str] = {}
    for rule in rules:
        for c in [*rule.criteria, *([rule.qualify] if rule.qualify else [])]:
            out.setdefault(c.input, format_value(c.kind, c.value, c.unit))
        if rule.input is not None:
            bound = next((t.min for t in rule.tiers if t.min), None)
            if bound is not None:
                out.setdefault(rule.input.name, format_value(rule.input.kind, bound, rule.input.unit))
    return out


def profile_values(form: Sequence[Field], values: Sequence[str]) -> dict[str, Any]:
    """Filled fields only; list inputs split on 、 (一个分园区 → one value, several → a list)."""
    out: dict[str, Any] = {}
    for spec, raw in zip(form, values, strict=True):
        text = (raw or "").strip()
        if not text:
            continue
        parts = [p for p in _LIST_SPLIT.split(text) if p] if spec.many else [text]
        out[spec.name] = parts if len(parts) > 1 else parts[0]
    return out


def check_tab(backend: Backend) -> None:
    form = fields()
    gr.Markdown("按所在地核对所有适用条款：是否符合、差多少、依据哪一条。只填已知的项目，不填的不参与计算。",
                elem_id="check-lead")
    with gr.Row():
        location = gr.Dropdown(choices=backend.locations(), value=None, allow_custom_value=True,
                               label="所在地 / 园区", elem_id="check-location")
        subject = gr.Radio(list(SUBJECTS), value="自动判断", label="申报主体", elem_id="check-subject")
    boxes: list[gr.Textbox] = []
    for kind, title in GROUPS:
        group = [f for f in form if f.kind == kind]
        if not group:
            continue
        with gr.Accordion(title, open=kind != "date", elem_classes="check-group"):
            for start in range(0, len(group), 4):
                with gr.Row():
                    for spec in group[start : start + 4]:
                        label = f"{spec.label}（{spec.unit}）" if spec.unit else spec.label
                        boxes.append(gr.Textbox(label=label, placeholder=spec.placeholder,
                                                elem_id=f"check-{spec.name}", min_width=180))
    ordered = [f for kind, _ in GROUPS for f in form if f.kind == kind]
    with gr.Row():
        run = gr.Button("开始自检", variant="primary", elem_id="check-run")
        reset = gr.Button("清空", elem_id="check-reset")
    notes = gr.HTML(elem_id="check-notes")
    cards = gr.HTML(elem_id="check-results")

    def check(location_value: str | None, subject_value: str, *values: str) -> tuple[str, str]:
        try:
            profile = profile_values(ordered, values)
        except AssistantError as exc:
            return render.notice_html(str(exc), "error"), ""
        result = backend.self_check(location_value or "", subject_value, profile)
        if result.error:
            return render.notice_html(result.error, "error"), ""
        lines = list(result.notes)
        labels = {f.name: f.label for f in form}
        unused = unused_inputs(profile, result.results)
        if unused:
            lines.append("以下所填项目没有用到（所在地或申报主体的条款不涉及）：" + "、".join(labels.get(u, u) for u in unused))
        if not result.results:
            lines.insert(0, "没有与所填信息相关的可计算条款。请检查所在地，或多填几项。")
            return render.notice_html("\n".join(lines), "info"), ""
        items = []
        for r in result.results:
            status, verdict = shown_status(r, unverified(r, profile))
            chunk = backend.chunk(r.doc_id, r.article)
            article = (render.article_html(chunk, backend.index.documents[r.doc_id], backend.status(r.doc_id),
                                           today=backend.today)
                       if chunk is not None else "")
            items.append(render.check_card(r, status, verdict, article))
        note = render.notice_html("\n".join(lines), "info") if lines else ""
        return note, f'<div class="check-cards">{"".join(items)}</div>'

    run.click(check, [location, subject, *boxes], [notes, cards], api_visibility=INTERNAL)
    reset.click(lambda: [None, "自动判断", *[""] * len(boxes), "", ""], None,
                [location, subject, *boxes, notes, cards], api_visibility=INTERNAL)
    _batch(backend, [f.label for f in ordered])


# The file is read in the browser and sent with the event (base64), so the public page needs no
# upload route; a file over the cap is not read at all, only named, and refused in Chinese.
READ_CSV_JS = """async () => {
  const input = document.querySelector('#check-csv-file');
  const file = input && input.files && input.files[0];
  if (!file) { return ['']; }
  if (file.size > MAX_BYTES) { return [JSON.stringify({name: file.name, size: file.size})]; }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 32768) { binary += String.fromCharCode(...bytes.subarray(i, i + 32768)); }
  return [JSON.stringify({name: file.name, size: file.size, data: btoa(binary)})];
}""".replace("MAX_BYTES", str(MAX_CSV_BYTES))


def _batch(backend: Backend, labels: list[str]) -> None:
    """批量核对: a CSV in (one enterprise or park a row), every rule each row touches out, in
    the page and as a CSV to download; bad rows reported, the other rows computed."""
    template = _files() / "资格自检批量模板.csv"
    template.write_text(template_csv(labels), encoding="utf-8-sig")  # the BOM: Excel reads it as UTF-8
    with gr.Accordion("批量核对：上传 CSV（每行一家企业或园区）", open=False, elem_id="check-batch"):
        gr.Markdown(
            "第一行是列名：名称、所在地、主体（企业或园区，可不填），其余列是要核对的项目，"
            f"写法同上面的表单（数字带单位，如 3000万元）。文件不超过 {MAX_CSV_BYTES // 1024 // 1024} MB，"
            "Excel/WPS 另存为 CSV 即可（UTF-8 或 GBK 均可）。", elem_id="check-batch-lead")
        # The browser's own file button speaks the browser's language: a Chinese label is the button.
        gr.HTML('<div class="batch-file"><input type="file" id="check-csv-file" class="visually-hidden" '
                'accept=".csv,.txt,text/csv"><label for="check-csv-file" class="file-button">选择 CSV 文件</label>'
                '<span id="check-csv-name" aria-live="polite">未选择文件</span></div>', padding=False)
        with gr.Row(elem_id="check-batch-actions"):
            run = gr.Button("核对 CSV", variant="primary", elem_id="check-csv-run", min_width=96)
            gr.DownloadButton("下载模板 CSV", value=str(template), elem_id="check-csv-template", min_width=120)
            result = gr.DownloadButton("下载结果 CSV", value=None, interactive=False, elem_id="check-csv-download",
                                       min_width=120)
        summary = gr.HTML(elem_id="check-csv-notes")
        table = gr.HTML(elem_id="check-csv-results")
        payload = gr.Textbox(visible=False)

    def batch(message: str) -> tuple[str, str, Any]:
        try:
            outcome = check_upload(message, backend.today)
        except AssistantError as exc:
            return render.notice_html(chinese(str(exc)), "error"), "", gr.DownloadButton(value=None, interactive=False)
        text = outcome.csv_text
        path = _files() / f"资格自检结果-{hashlib.sha256(text.encode()).hexdigest()[:10]}.csv"
        path.write_text(text, encoding="utf-8-sig")
        note, rows = batch_html(outcome)
        return note, rows, gr.DownloadButton(value=str(path), interactive=True)

    run.click(batch, [payload], [summary, table, result], js=READ_CSV_JS, api_visibility=INTERNAL,
              concurrency_id="check-batch", concurrency_limit=1)
