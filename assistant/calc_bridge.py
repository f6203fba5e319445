"""The chain's tools stage: pick the calculator rule a question needs and run it.

A rule applies when its article is among the retrieved ones (or its document is named) and the
question's figures fill at least one of its inputs. The figures, the rule and the article all
come from data; nothing here knows any particular question.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.errors import CalcError
from assistant.index import Index
from assistant.route import Intent
from assistant.types import Chunk, Hit, ToolCall

_SINGLE = re.compile(r"单一园区|只设立?一个园区|只有一个园区|一个园区|单个园区")
_MULTIPLE = re.compile(r"多个园区|多园区|分园")


@dataclass(frozen=True)
class CalcOutcome:
    text: str
    tools: tuple[ToolCall, ...]
    chunks: tuple[Chunk, ...]
    error: bool = False


def run_calculator(intent: Intent, hits: Sequence[Hit], index: Index, today: dt.date) -> CalcOutcome | None:
    from assistant.calc.dates import counting_from_text
    from assistant.calc.engine import evaluate
    from assistant.calc.rules import Rule, load_rules
    from assistant.calc.tools import collect_inputs, label_quantities, normalize_profile

    try:
        figures = label_quantities(intent.question)
    except CalcError as exc:
        return CalcOutcome(text=f"无法计算：{exc}", tools=(), chunks=(), error=True)
    if not figures:
        return None
    raw: dict[str, Any] = collect_inputs(f for f in figures if not _is_article(f, intent.question))
    if "branch_count" in raw:
        # "1个核心园区加3个分园区": the park count follows from the branches
        raw.pop("park_count", None)
    if not raw:
        return None
    try:
        inputs, derivations = normalize_profile(raw)
    except CalcError as exc:
        return CalcOutcome(text=f"无法计算：{exc}", tools=(), chunks=(), error=True)
    counting = counting_from_text(intent.question)

    rules = list(load_rules())
    ranked: list[Rule] = []
    for hit in hits[:3]:
        ranked += [r for r in rules if (r.doc_id, r.article) == (hit.chunk.doc_id, hit.chunk.article)]
    ranked += [r for r in rules if r.doc_id in intent.doc_ids]
    applicable = [r for r in dict.fromkeys(ranked) if set(r.inputs) & set(inputs)]
    applicable = _by_park_shape(applicable, intent.question)
    if not applicable:
        return None
    wanted_docs = list(intent.doc_ids) or [applicable[0].doc_id]

    texts: list[str] = []
    calls: list[ToolCall] = []
    cited: list[Chunk] = []
    for doc_id in wanted_docs:
        meta = index.documents.get(doc_id)
        own = [r for r in applicable if r.doc_id == doc_id]
        if meta is None or not own:
            continue
        # of a document's candidate rules, the first whose condition fits the figures
        # (广西 第五条: single park or multiple parks)
        results = [(r, evaluate(r, inputs, today=today, title=meta.title, **counting)) for r in own[:3]]
        rule, result = next(((r, res) for r, res in results if res.status != "not_applicable"), results[0])
        chunk = next((c for c in index.by_doc.get(rule.doc_id, []) if c.article == rule.article), None)
        if chunk is None:
            continue
        texts.append(result.render(meta.title))
        calls.append(ToolCall(name=_tool_name(rule.kind), input={"rule_id": rule.id, **_shown(inputs)}, output=result.to_json()))
        cited.append(chunk)
    if not texts:
        return None
    texts += [f"说明：{note}" for note in derivations]
    return CalcOutcome(text="\n\n".join(texts), tools=tuple(calls), chunks=tuple(cited))


def _is_article(figure: Any, question: str) -> bool:
    """"一家公司" / "1家企业" names the subject, it is not a count of anything."""
    after = question[figure.span[1] : figure.span[1] + 2]
    return figure.kind == "count" and figure.number == 1 and after in ("公司", "企业", "单位", "机构")


def _by_park_shape(rules: list[Any], question: str) -> list[Any]:
    """广西 第五条 has one rule per park shape: keep the shape the question describes."""
    shape = "multiple" if _MULTIPLE.search(question) else "single" if _SINGLE.search(question) else ""
    if not shape:
        return rules
    return [r for r in rules if not r.condition or r.condition == shape]


def _tool_name(kind: str) -> str:
    return {
        "tiers": "reward_tier",
        "thresholds": "check_thresholds",
        "per_unit_capped": "per_unit_reward",
        "deadline": "deadline",
    }.get(kind, kind)


def _shown(inputs: dict[str, Any]) -> dict[str, str]:
    return {k: _show(v) for k, v in inputs.items()}


def _show(value: Any) -> str:
    if isinstance(value, list):  # one value per branch park
        return "、".join(_show(v) for v in value)
    return value.display() if hasattr(value, "display") else str(value)
