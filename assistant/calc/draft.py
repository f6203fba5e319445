"""A YAML draft of the rules found in a document, in the shape of corpus/rules/*.yaml.

The draft is for a reviewer: every rule is marked `status: extracted` ("按条文自动识别，未经人工
核对"), input names are left empty (`name: null`) for the reviewer to choose from
`assistant.calc.rule_inputs.INPUTS`, and rules whose numbers failed the check are listed under
`dropped` instead of being silently left out. A reviewed file in corpus/rules/ wins over it.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from assistant.calc.extract_types import (
    KINDS,
    Bound,
    Cap,
    Deadline,
    DueDate,
    Extraction,
    Figure,
    Installments,
    Period,
    PerUnitCapped,
    Refund,
    Rule,
    ScaledBars,
    Threshold,
    Tiers,
    Window,
)
from assistant.calc.number_format import format_value

STATUS = "extracted"
STATUS_NOTE = "按条文自动识别，未经人工核对"
_KIND_OF_UNIT = {"元": "amount", "平方米": "area", "%": "percent", "年": "duration", "月": "duration",
                 "日": "duration", "工作日": "duration"}


def shown(fig: Figure) -> str:
    """A figure the way the reviewed files write it, readable again by parse_quantity."""
    if fig.unit == "月日":
        month, day = divmod(int(fig.value), 100)
        return f"{month}月{day}日" if day else f"{month}月底"
    if fig.unit in ("次", "届"):
        return f"{fig.value}{fig.unit}"
    return format_value(_KIND_OF_UNIT.get(fig.unit, "count"), fig.value, fig.unit)


def _bound(b: Bound | None) -> str | None:
    return shown(b.figure) if b else None


def _cap(c: Cap) -> dict[str, Any]:
    out: dict[str, Any] = {"value": shown(c.figure), "op": c.op, "scope": c.scope, "phrase": c.phrase}
    if c.of:
        out["of"] = c.of
    if c.when:
        out["when"] = c.when
    if c.figure.label:
        out["article"] = c.figure.label
    return out


def _tiers(r: Tiers) -> dict[str, Any]:
    rows = []
    for t in r.rows:
        row: dict[str, Any] = {
            "min": _bound(t.lower), "max": _bound(t.upper),
            "min_inclusive": t.lower.inclusive if t.lower else None,
            "max_inclusive": t.upper.inclusive if t.upper else None,
            "reward": shown(t.reward), "cap": t.ceiling, "bounds": t.bounds, "phrase": t.phrase,
        }
        if t.upper is None:
            del row["max"], row["max_inclusive"]
            row["basis"] = "“以上”含本数（民法典第一千二百五十九条）"
        elif None in (row["min_inclusive"], row["max_inclusive"]):
            row["basis"] = "原文未注明含/不含，需人工确认"
        else:
            row["basis"] = "原文注明（含…，不含…）"
        rows.append(row)
    out: dict[str, Any] = {"input": {"name": None, "label": r.subject}, "tiers": rows}
    if r.caps:
        out["caps"] = [_cap(c) for c in r.caps]
    return out


def _per_unit(r: PerUnitCapped) -> dict[str, Any]:
    out: dict[str, Any] = {"count_input": {"name": None, "label": r.per or "符合本条条件的对象"}}
    if r.per:
        out["per"] = r.per + (f"（每{r.frequency}）" if r.frequency else "")
    if r.amount.unit == "%":
        out |= {"rate": shown(r.amount), "base": r.base}
    else:
        out["per_unit"] = shown(r.amount)
    out["per_unit_phrase"] = r.phrase
    money = [c for c in r.caps if c.figure.unit == "元"]
    if money:
        out |= {"cap": shown(money[0].figure), "cap_phrase": money[0].phrase}
    if r.ceiling:
        out["per_unit_is_ceiling"] = True
    if len(r.caps) > len(money[:1]):
        out["caps"] = [_cap(c) for c in r.caps if not money or c is not money[0]]
    if r.longest:
        out["longest"] = shown(r.longest)
    if r.yearly:
        # a share of the standard each year, or (a schedule of amounts) each year's own amount
        out["yearly"] = [{"years": list(years), "amount" if share.unit == "元" else "share": shown(share)}
                         for years, share in r.yearly]
    return out


def _one(r: Rule) -> dict[str, Any]:
    if isinstance(r, Tiers):
        return {"kind": "tiers"} | _tiers(r)
    if isinstance(r, PerUnitCapped):
        return {"kind": "per_unit_capped", "recipient": r.subject} | _per_unit(r)
    if isinstance(r, Deadline):
        return {"kind": "deadline", "start": {"name": None, "label": r.start}, "period": shown(r.period),
                "phrase": r.phrase, "meaning": r.meaning}
    if isinstance(r, Period):
        return {"kind": "deadline", "start": {"name": None, "label": "（原文未写明起算日）"},
                "period": shown(r.every), "times": shown(r.times) if r.times else "1次", "phrase": r.phrase, "meaning": "every"}
    if isinstance(r, Window) and r.start is None:
        return {"kind": "deadline", "start": {"name": None, "label": "所属年度"},
                "due": f"{r.year}{shown(r.end)}", "phrase": r.phrase, "meaning": "annual"}
    if isinstance(r, Installments):
        # no reviewed kind holds a schedule yet: kept for the reviewer to read, not to load
        return {"kind": "installments", "subject": r.subject, "phrase": r.phrase,
                "shares": [{"years": list(years), "share": shown(share)} for years, share in r.shares]}
    if isinstance(r, ScaledBars):
        return {"kind": "scaled_bars", "condition": r.subject, "factor": shown(r.factor), "phrase": r.phrase,
                "bars": [{"label": b.scope, "op": b.op, "value": shown(b.figure), "unit": b.figure.label,
                          "column": b.of} for b in r.bars]}
    if isinstance(r, DueDate):
        return {"kind": "deadline", "due": r.due.text, "phrase": r.phrase, "meaning": "dated"}
    if isinstance(r, Refund):
        # no reviewed kind holds a refund yet: kept for the reviewer to read, not to load
        return {"kind": "refund", "received": r.received, "below": shown(r.below),
                "above": shown(r.above) if r.above else None,
                "share": shown(r.share) if r.share else f"未满部分占{shown(r.whole or r.below)}的比例",
                "phrase": r.phrase}
    if isinstance(r, Window):
        assert r.start is not None
        return {"kind": "window", "from": shown(r.start), "to": shown(r.end), "year": r.year, "phrase": r.phrase}
    raise TypeError(r)


def _criterion(r: Threshold) -> dict[str, Any]:
    out: dict[str, Any] = {"input": None, "label": r.subject, "op": r.op, "value": shown(r.value),
                           "phrase": r.phrase}
    if r.of:
        out["of"] = r.of
    if r.applies_to:
        out["applies_to"] = r.applies_to
    return out


def draft(doc_id: str, title: str, extraction: Extraction) -> dict[str, Any]:
    """The draft as data: thresholds grouped per unit (as in the reviewed files), other rules one
    by one, in document order."""
    rules: list[dict[str, Any]] = []
    seen: Counter[str] = Counter()
    grouped: dict[str, dict[str, Any]] = {}
    for r in extraction.rules:
        seen[r.unit] += 1
        base = {"id": f"{doc_id}.{r.unit}.{seen[r.unit]}", "article": r.unit, "status": STATUS,
                "label": r.subject}
        if isinstance(r, Threshold):
            if r.unit not in grouped:
                grouped[r.unit] = base | {"kind": "thresholds", "criteria": []}
                rules.append(grouped[r.unit])
            grouped[r.unit]["criteria"].append(_criterion(r))
            continue
        rules.append(base | _one(r))
    for group in grouped.values():
        group["label"] = "、".join(dict.fromkeys(c["label"] for c in group["criteria"]))
    out: dict[str, Any] = {"doc_id": doc_id, "title": title, "status": STATUS, "note": STATUS_NOTE,
                           "rules": rules}
    if extraction.dropped:
        out["dropped"] = [{"article": r.unit, "kind": r.kind, "phrase": r.phrase, "reason": why}
                          for r, why in extraction.dropped]
    return out


def counts(extraction: Extraction) -> dict[str, int]:
    return {k: len(extraction.of_kind(k)) for k in KINDS}


def _plain(data: Any) -> Any:
    if isinstance(data, Decimal):
        return str(data)
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data


def draft_yaml(doc_id: str, title: str, extraction: Extraction) -> str:
    header = (
        f"# 《{title}》的规则草稿：{STATUS_NOTE}。\n"
        "# 审核时：核对每个 phrase 与数字，为每个 input/name 选定 assistant/calc/rule_inputs.py 的 INPUTS 名称，\n"
        "# 删去 status: extracted，再复制到 corpus/rules/（已审核的文件优先于自动识别的规则）。\n"
    )
    body = yaml.safe_dump(_plain(draft(doc_id, title, extraction)), allow_unicode=True, sort_keys=False,
                          width=1000)
    return header + body


def draft_document(path: Path | str) -> tuple[str, str, Extraction]:
    """(YAML draft, doc_id, extraction) for one policy file."""
    from assistant.calc.extract import extract_chunks
    from assistant.ingest import load_document
    from assistant.structure import chunk_document

    doc = load_document(Path(path))
    extraction = extract_chunks(chunk_document(doc))
    return draft_yaml(doc.meta.doc_id, doc.meta.title, extraction), doc.meta.doc_id, extraction
