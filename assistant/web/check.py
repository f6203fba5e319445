"""The 资格自检 tab: a form generated from the rules' inputs, and results as cards.

Every input some rule reads becomes a field (its label, unit and kind come from the rules'
vocabulary), so a new rules file brings its fields without UI code. Entries no applicable
rule used are reported, and a reward whose conditions were not checked (在库满一年 not given)
is shown as 待核实, never as a green "met".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import gradio as gr

from assistant.calc.batch import shown_status, unused_inputs, unverified
from assistant.errors import AssistantError
from assistant.web import render
from assistant.web.backend import SUBJECTS, Backend

INTERNAL = "private"
# Field groups by the kind of figure, in the order people know them.
GROUPS = (("amount", "金额"), ("count", "数量"), ("area", "面积"), ("percent", "比例"),
          ("duration", "年限与时长"), ("date", "日期"))
EXAMPLE = {"amount": "如 6亿元", "area": "如 4500平方米", "percent": "如 62%", "date": "如 2025-03-01"}
_LIST_SPLIT = re.compile(r"[、,，;；\s]+")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str
    unit: str
    many: bool  # one value per branch park / enterprise, separated by 、

    @property
    def placeholder(self) -> str:
        example = EXAMPLE.get(self.kind) or f"如 3{self.unit}"
        return f"{example}；多个用顿号分隔" if self.many else example


def fields(rules_dir: Any = None) -> list[Field]:
    """Every input the rules read, in the calculator's vocabulary order."""
    from assistant.calc.rules import INPUTS, LIST_INPUTS, load_rules

    used = {name for rule in load_rules(rules_dir) for name in rule.inputs}
    return [Field(s.name, s.label, s.kind, s.unit, s.name in LIST_INPUTS)
            for s in INPUTS.values() if s.name in used]


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
