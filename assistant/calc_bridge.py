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
    """Reviewed rules first (corpus/rules); else the rules found in the text at ingest."""
    outcome = _run_reviewed(intent, hits, index, today)
    if outcome is not None:
        return outcome
    from assistant.calc.extracted_answer import run_extracted

    return run_extracted(intent, hits, index, today)


def _run_reviewed(intent: Intent, hits: Sequence[Hit], index: Index, today: dt.date) -> CalcOutcome | None:
    from assistant.calc.dates import counting_from_text
    from assistant.calc.engine import evaluate
    from assistant.calc.figures import collect_inputs, label_quantities
    from assistant.calc.rule_types import Rule
    from assistant.calc.rules import load_rules

    try:
        figures = label_quantities(intent.question)
    except CalcError as exc:
        return CalcOutcome(text=f"无法计算：{exc}", tools=(), chunks=(), error=True)
    if not figures:
        if len(intent.doc_ids) > 1 and _COMPARE.search(intent.question):
            return compare_requirements(intent, index)
        return _next_in_cycle(intent, hits, index)
    raw: dict[str, Any] = collect_inputs(f for f in figures if not _is_article(f, intent.question))
    if "branch_count" in raw:
        # "1个核心园区加3个分园区": the park count follows from the branches
        raw.pop("park_count", None)
    if not raw:
        return None
    from assistant.calc.tools import normalize_profile

    try:
        inputs, derivations = normalize_profile(raw)
    except CalcError as exc:
        return CalcOutcome(text=f"无法计算：{exc}", tools=(), chunks=(), error=True)
    counting = counting_from_text(intent.question)
    if _WHAT_APPLIES.search(intent.question):
        return self_check_outcome(intent, raw, index, today)

    rules = list(load_rules())
    ranked: list[Rule] = []
    for hit in hits[:3]:
        ranked += [r for r in rules if (r.doc_id, r.article) == (hit.chunk.doc_id, hit.chunk.article)]
    ranked += [r for r in rules if r.doc_id in intent.doc_ids]
    applicable = [r for r in dict.fromkeys(ranked) if {*r.inputs, *r.optional_inputs} & set(inputs)]
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


# A year said alone ("2025年刚评估过"), not the year of a date ("2025年3月").
_YEAR_ALONE = re.compile(r"(?<!\d)(\d{4})年(?![\d一二三四五六七八九十]{1,2}月)")


def _next_in_cycle(intent: Intent, hits: Sequence[Hit], index: Index) -> CalcOutcome | None:
    """"2025年刚评估过，下一次哪年": the next year of a reviewed yearly cycle in a retrieved article
    whose words the question shares ("每两年评估一次")."""
    from assistant.calc.applied import bigrams, has
    from assistant.calc.dates import next_in_cycle
    from assistant.calc.rules import load_rules

    years = _YEAR_ALONE.findall(intent.question)
    if len(years) != 1 or not has(intent.question, "next"):
        return None
    units = [(h.chunk.doc_id, h.chunk.article) for h in hits[:3]]
    cycles = [r for r in load_rules() if (r.doc_id, r.article) in units and r.kind == "deadline"
              and r.meaning == "every" and r.period is not None and r.period.unit == "年"
              and bigrams(r.phrase) & bigrams(intent.question)]
    if len(cycles) != 1:
        return None
    (rule,) = cycles
    meta = index.documents.get(rule.doc_id)
    chunk = next((c for c in index.by_doc.get(rule.doc_id, []) if c.article == rule.article), None)
    if meta is None or chunk is None:
        return None
    result = next_in_cycle(rule, int(years[0]), title=meta.title)
    call = ToolCall(name=_tool_name(rule.kind), input={"rule_id": rule.id, "last": f"{years[0]}年"}, output=result.to_json())
    return CalcOutcome(text=result.render(meta.title), tools=(call,), chunks=(chunk,))


# "能享受哪些政策？": every rule the figures touch, not just the best-matching article.
_WHAT_APPLIES = re.compile(r"哪些政策|哪些奖励|哪些补贴|哪些支持|享受什么|能享受哪些|符合哪些|能拿哪些|有哪些(政策|奖励|补贴)")


def self_check_outcome(intent: Intent, raw: dict[str, Any], index: Index, today: dt.date) -> CalcOutcome | None:
    from assistant.calc.tools import self_check_report

    profile: dict[str, Any] = dict(raw)
    places = [p for d in intent.doc_ids for p in index.documents[d].places]
    if places:
        profile["location"] = places[0]
    try:
        report = self_check_report(profile, today=today)
    except CalcError as exc:
        return CalcOutcome(text=f"无法计算：{exc}", tools=(), chunks=(), error=True)
    if not report.results:
        return None
    chunks = tuple(
        dict.fromkeys(
            c for r in report.results for c in index.by_doc.get(r.doc_id, []) if c.article == r.article
        )
    )
    call = ToolCall(name="self_check", input=_shown(raw), output=report.to_json())
    return CalcOutcome(text=report.render(), tools=(call,), chunks=chunks)


_COMPARE = re.compile(r"相差|差多少|差距|高出|低出|多出|高多少|低多少|多多少|少多少|大多少|小多少")
# Which requirement a comparison is about, by the words the question uses (most specific first).
_SUBJECTS: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = (
    (re.compile(r"核心(园)?区.{0,6}(建筑)?面积"), ("core_area",)),
    (re.compile(r"总面积"), ("total_area",)),
    (re.compile(r"面积"), ("area", "core_area")),
    (re.compile(r"营业收入|营收"), ("park_revenue",)),
    (re.compile(r"核心(园)?区.{0,6}机构"), ("core_institutions",)),
    (re.compile(r"机构"), ("institutions", "core_institutions")),
    (re.compile(r"占比|比例"), ("occupancy", "core_occupancy")),
    (re.compile(r"工作人员|专职"), ("staff",)),
)


def compare_requirements(intent: Intent, index: Index) -> CalcOutcome | None:
    """"广西单园区的面积下限和聊城核心区面积下限相差多少": each document's requirement on the
    subject the question names, side by side, and their difference — computed, not read."""
    from assistant.calc.number_format import format_value
    from assistant.calc.rules import load_rules

    rules = _by_park_shape([r for r in load_rules() if r.kind == "thresholds"], intent.question)
    clauses = re.split(r"和|与|跟|比|，|,", intent.question)
    found = []
    for doc_id in intent.doc_ids:
        meta = index.documents[doc_id]
        own_clause = next((c for c in clauses if any(p in c for p in meta.places)), intent.question)
        names = next((n for pattern, n in _SUBJECTS if pattern.search(own_clause)), None)
        names = names or next((n for pattern, n in _SUBJECTS if pattern.search(intent.question)), None)
        if names is None:
            return None
        hit = next(
            ((r, c) for name in names for r in rules if r.doc_id == doc_id for c in r.criteria if c.input == name),
            None,
        )
        if hit is None:
            return None
        found.append((meta, *hit))
    if len(found) < 2 or len({(c.kind, c.unit) for _, _, c in found}) != 1:
        return None
    (meta_a, rule_a, a), (meta_b, rule_b, b) = found[:2]
    difference = abs(a.value - b.value)
    higher = meta_a if a.value >= b.value else meta_b
    lines = [
        f"- 《{m.title}》{r.article}：{r.condition_phrase + '，' if r.condition_phrase else ''}{c.phrase}（{c.required}）"
        for m, r, c in found
    ]
    text = "\n".join(
        [
            f"两者相差{format_value(a.kind, difference, a.unit)}（《{higher.title}》的要求更高）" if difference else "两者要求相同",
            *lines,
            f"计算：{format_value(a.kind, max(a.value, b.value), a.unit)} − {format_value(a.kind, min(a.value, b.value), a.unit)} = {format_value(a.kind, difference, a.unit)}",
        ]
    )
    chunks = tuple(
        c for m, r, _ in found for c in index.by_doc.get(m.doc_id, []) if c.article == r.article
    )
    call = ToolCall(
        name="compare_requirements",
        input={"rules": [r.id for _, r, _ in found]},
        output={"required": [c.required for _, _, c in found], "difference": format_value(a.kind, difference, a.unit)},
    )
    return CalcOutcome(text=text, tools=(call,), chunks=chunks)


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
