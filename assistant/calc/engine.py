"""Deterministic evaluation of rules: tiers and thresholds here; per-unit rewards and per-year
totals in rewards.py, deadlines in dates.py; `evaluate` dispatches to all of them.

Every function takes a `Rule` (see rule_types.py) and raw inputs ("6亿", "4500平方米", a date …),
and returns a frozen result with `to_json()` and `render()`: the verdict first, then one line
per criterion, then `依据《title》article`. Missing inputs are named, never guessed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from assistant.calc.number_format import format_gap, format_value, plain, to_months
from assistant.calc.numbers import Quantity
from assistant.calc.rule_inputs import BRANCH_INPUTS, INPUTS, coerce_input, coerce_one
from assistant.calc.rule_types import Criterion, Rule, compare
from assistant.errors import CalcError

# For a single park its area is its core area and its total area (and the same for counts).
SINGLE_PARK_SAME = (
    ("area", "core_area", "total_area"),
    ("institutions", "core_institutions"),
    ("occupancy", "core_occupancy"),
)
# A share of an area: criterion input → (the areas it may be a share of, in order; the occupied area).
AREA_SHARES: dict[str, tuple[tuple[str, ...], str | None]] = {
    "occupancy": (("area", "total_area"), "occupied_area"),
    "core_occupancy": (("core_area",), None),
}


def occupancy_base(inputs: Mapping[str, object], share: str = "occupancy") -> tuple[str, Quantity] | None:
    """The area a share is taken of (建筑面积, else 总面积), as (input name, figure)."""
    names, _ = AREA_SHARES[share]
    name = next((n for n in names if _present(inputs, n)), None)
    return (name, coerce_one(name, inputs[name])) if name else None


@dataclass(frozen=True, kw_only=True)
class CalcResult:
    rule_id: str
    kind: str
    doc_id: str = ""
    article: str = ""
    title: str = ""
    label: str = ""
    status: str = "info"  # met | not_met | soft_not_met | incomplete | not_applicable | info
    verdict: str = ""
    lines: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()  # input names
    notes: tuple[str, ...] = ()
    quote: str = ""  # the boundary words shown after the reference: 包含2000万元，不含5000万元
    inputs: dict[str, str] = field(default_factory=dict)
    input_labels: dict[str, str] = field(default_factory=dict)  # the rule's own words for inputs

    @property
    def missing_labels(self) -> list[str]:
        return [self.input_labels.get(m) or (INPUTS[m].label if m in INPUTS else m) for m in self.missing]

    def references(self, title: str | None = None) -> list[str]:
        return [f"依据《{title or self.title}》{self.article}"]

    def extra_json(self) -> dict[str, Any]:
        return {}

    def to_json(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "kind": self.kind,
            "doc_id": self.doc_id,
            "article": self.article,
            "title": self.title,
            "label": self.label,
            "status": self.status,
            "verdict": self.verdict,
            "lines": list(self.lines),
            "missing": list(self.missing),
            "missing_labels": self.missing_labels,
            "notes": list(self.notes),
            "quote": self.quote,
            "inputs": dict(self.inputs),
            **self.extra_json(),
        }

    def render(self, title: str | None = None) -> str:
        """Short Chinese text: verdict, criterion lines, what is missing, notes, reference."""
        out = [self.verdict, *self.lines]
        if self.missing:
            out.append(f"还需要：{'、'.join(self.missing_labels)}")
        out += [f"说明：{n}" for n in self.notes]
        refs = self.references(title)
        if self.quote and len(refs) == 1:
            refs = [f"{refs[0]}（{self.quote}）"]
        out += refs
        return "\n".join(line for line in out if line)


def _base(rule: Rule, title: str | None) -> dict[str, Any]:
    labels = {c.input: c.label for c in rule.criteria}
    for spec in (rule.input, rule.count_input, rule.start):
        if spec:
            labels[spec.name] = spec.label
    return {"rule_id": rule.id, "doc_id": rule.doc_id, "article": rule.article,
            "title": title or rule.title, "label": rule.label, "input_labels": labels}


def _shown(values: Mapping[str, Quantity | list[Quantity]]) -> dict[str, str]:
    return {k: _display(v) for k, v in values.items()}


def _display(v: Quantity | list[Quantity]) -> str:
    return "、".join(q.display() for q in v) if isinstance(v, list) else v.display()


def _present(inputs: Mapping[str, object], name: str) -> bool:
    v = inputs.get(name)
    return v is not None and v != "" and v != []


# ---------------------------------------------------------------- tiers


@dataclass(frozen=True, kw_only=True)
class TierResult(CalcResult):
    kind: str = "tiers"
    tier: int | None = None  # 1-based
    tier_range: str = ""
    reward: Decimal | None = None
    reward_is_cap: bool = False  # "不超过X万元" is a ceiling, not the amount
    wording: str = ""  # 不超过10万元 | 100万元
    next_tier_gap: str = ""

    def extra_json(self) -> dict[str, Any]:
        return {"tier": self.tier, "tier_range": self.tier_range,
                "reward": plain(self.reward) if self.reward is not None else None,
                "reward_is_cap": self.reward_is_cap, "wording": self.wording,
                "next_tier_gap": self.next_tier_gap}


def evaluate_tiers(rule: Rule, value: object | None, *, previous: object | None = None,
                   title: str | None = None) -> TierResult:
    """Which tier a figure falls in, the reward wording and the boundary words that decide it.

    `previous` is the figure an earlier reward was granted on: a higher tier now may be granted
    (升档), the same or a lower tier may not (不得重复享受)."""
    if rule.kind != "tiers" or rule.input is None:
        raise CalcError(f"{rule.id} 不是分档规则（'{rule.id}' is not a tier rule）")
    base = _base(rule, title)
    name = rule.input.name
    if value is None or value == "":
        return TierResult(**base, status="incomplete", verdict="尚不能判断", missing=(name,),
                          quote=rule.tiers[0].bounds)
    q = coerce_one(name, value)
    v = q.number
    index = next((i for i, t in enumerate(rule.tiers) if t.contains(v)), None)
    shown = {name: q.display()}
    label = rule.input.label
    if index is None:
        first = rule.tiers[0]
        gap = format_gap("amount", (first.min or Decimal(0)) - v)
        return TierResult(
            **base, status="not_met", inputs=shown, quote=first.bounds,
            verdict=f"不符合：{label}{q.display()}，未达到最低档{first.range_text()}，还差{gap}",
            lines=(f"{label}：{q.display()}，最低档 {first.range_text()}：{first.reward_text()}",),
        )
    tier = rule.tiers[index]
    lines = [f"{label}：{q.display()} → 第{index + 1}档 {tier.range_text()}：一次性奖励{tier.reward_text()}"]
    next_gap = ""
    if index + 1 < len(rule.tiers):
        nxt = rule.tiers[index + 1]
        next_gap = format_gap("amount", (nxt.min or v) - v)
        lines.append(f"距下一档（{format_value('amount', nxt.min or v)}，{nxt.reward_text()}）还差{next_gap}")
    notes = [f"原文：“{rule.cumulative_phrase}。{rule.upgrade_phrase}。”"] if rule.cumulative_phrase else []
    status, verdict = "met", f"符合第{index + 1}档：一次性奖励{tier.reward_text()}"
    if tier.cap:
        notes.append(f"“{tier.reward_text()}”是上限，具体金额由主管部门核定")
    if previous not in (None, ""):
        p = coerce_one(name, previous)
        before = next((i for i, t in enumerate(rule.tiers) if t.contains(p.number)), None)
        shown["previous_revenue"] = p.display()
        if before is not None and before >= index:
            status = "not_met"
            verdict = f"不可再享受：已按第{before + 1}档（{p.display()}）享受过，{rule.cumulative_phrase}"
        elif before is not None:
            verdict = f"升档：由第{before + 1}档升至第{index + 1}档，可对应享受奖励，新档次为{tier.reward_text()}"
            notes.append("原文未说明升档时是否扣除已领取的奖励（补差），以主管部门核定为准")
    return TierResult(**base, status=status, verdict=verdict, lines=tuple(lines), inputs=shown,
                      notes=tuple(notes), quote=tier.bounds, tier=index + 1,
                      tier_range=tier.range_text(), reward=tier.reward, reward_is_cap=tier.cap,
                      wording=tier.reward_text(), next_tier_gap=next_gap)


# ---------------------------------------------------------------- thresholds


@dataclass(frozen=True)
class CriterionResult:
    input: str
    label: str
    required: str
    phrase: str
    value: str | None = None
    met: bool | None = None
    gap: str | None = None
    soft: bool = False
    item: str = ""
    detail: str | None = None  # the same bar in other terms: 需入驻至少4800平方米，还差300平方米

    def line(self) -> str:
        head = f"{self.label}：{self.value if self.value is not None else '未提供'}，要求{self.required}（{self.phrase}）"
        tail = f"；{self.detail}" if self.detail else ""
        if self.met is None:
            return f"- {head}{tail}"
        verdict = "符合" if self.met else ("原则上不符合" if self.soft else "不符合")
        return f"- {head}，{verdict}" + (f"，{self.gap}" if self.gap else "") + tail

    def to_json(self) -> dict[str, Any]:
        return {"input": self.input, "label": self.label, "value": self.value,
                "required": self.required, "met": self.met, "gap": self.gap,
                "soft": self.soft, "phrase": self.phrase, "item": self.item, "detail": self.detail}


def _owners(c: Criterion, values: list[Quantity]) -> list[str]:
    """Whose each value is: its scope (分园区A), else 第i个分园区 when several branches are listed."""
    if c.input not in BRANCH_INPUTS:
        return ["" for _ in values]
    many = len(values) > 1
    return [q.scope or (f"第{i}个分园区" if many else "") for i, q in enumerate(values, 1)]


def _gap_text(c: Criterion, bar: Decimal, value: Decimal, unit: str) -> str:
    if c.op == ">=":
        return f"还差{format_gap(c.kind, bar - value, unit)}"
    if c.op == "<=":
        return f"超出{format_gap(c.kind, value - bar, unit)}"
    return f"需{'超过' if c.op == '>' else '低于'}{format_value(c.kind, c.value, c.unit)}"


def criterion_result(c: Criterion, value: Quantity | list[Quantity] | None, *,
                     detail: str | None = None) -> CriterionResult:
    """Check one criterion; a list (one value per branch park) must meet it in every entry, and
    each entry that does not is named with its own gap (分园区B还差1家). Durations in 年 and 月
    are compared in months (在库8个月 against 一年: 还差4个月)."""
    empty = CriterionResult(input=c.input, label=c.label, required=c.required, phrase=c.phrase,
                            soft=c.soft, item=c.item, detail=detail)
    if value is None:
        return empty
    values = value if isinstance(value, list) else [value]
    bar, unit = c.value, c.unit
    numbers = [q.number for q in values]
    if c.kind == "duration" and any(q.unit != c.unit for q in values):
        bar, unit = to_months(c.value, c.unit), "月"
        numbers = [to_months(q.number, q.unit) for q in values]
    oks = [compare(c.op, n, bar) for n in numbers]
    owners = _owners(c, values)
    gap = None
    if not all(oks) and any(owners):
        gap = "、".join(f"{who}{_gap_text(c, bar, n, unit)}" for who, n, ok in zip(owners, numbers, oks, strict=True)
                       if not ok)
    elif not all(oks):
        gap = _gap_text(c, bar, min(numbers) if c.op in (">=", ">") else max(numbers), unit)
    shown = "、".join(f"{who} {q.display()}" if who else q.display() for who, q in zip(owners, values, strict=True))
    return replace(empty, value=shown, met=all(oks), gap=gap)


def area_terms(c: Criterion, inputs: Mapping[str, object]) -> str | None:
    """A share-of-area bar restated in square metres when the areas are known:
    60% of 总面积8000平方米 → 需入驻至少4800平方米, and with 入驻面积4500平方米 → 还差300平方米.
    Exact: a percentage times an area is a finite decimal, nothing is rounded."""
    if c.input not in AREA_SHARES or c.kind != "percent" or c.op not in (">=", ">"):
        return None
    found = occupancy_base(inputs, c.input)
    if found is None:
        return None
    base_name, base = found
    need = c.value * base.number
    word = "至少" if c.op == ">=" else "超过"
    text = f"按{INPUTS[base_name].label}{base.display()}，需入驻{word}{format_value('area', need, '平方米')}"
    occupied_name = AREA_SHARES[c.input][1]
    if occupied_name and _present(inputs, occupied_name):
        occupied = coerce_one(occupied_name, inputs[occupied_name])
        if compare(c.op, occupied.number, need):
            text += f"，已入驻{occupied.display()}"
        elif c.op == ">=":
            text += f"，还差{format_value('area', need - occupied.number, '平方米')}"
        else:
            text += f"，已入驻{occupied.display()}，需超过{format_value('area', need, '平方米')}"
    return text


@dataclass(frozen=True, kw_only=True)
class ThresholdResult(CalcResult):
    kind: str = "thresholds"
    criteria: tuple[CriterionResult, ...] = ()
    condition: str = ""

    def references(self, title: str | None = None) -> list[str]:
        items = "".join(dict.fromkeys(c.item for c in self.criteria if c.item))
        return [f"依据《{title or self.title}》{self.article}{items}"]

    def extra_json(self) -> dict[str, Any]:
        return {"criteria": [c.to_json() for c in self.criteria], "condition": self.condition}


def _park_shape(inputs: Mapping[str, object]) -> str:
    """single | multiple | "" from 园区数量 or 分园区数量."""
    for name, offset in (("park_count", 0), ("branch_count", 1)):
        if _present(inputs, name):
            q = coerce_one(name, inputs[name])
            return "single" if q.number + offset <= 1 else "multiple"
    return ""


def check_thresholds(rule: Rule, inputs: Mapping[str, object], *, title: str | None = None) -> ThresholdResult:
    """Every criterion of the rule with value, requirement, met and gap; inputs the rule does not
    read are ignored, so a whole profile can be passed."""
    if rule.kind != "thresholds":
        raise CalcError(f"{rule.id} 不是条件核对规则（'{rule.id}' is not a threshold rule）")
    base = _base(rule, title)
    shape = _park_shape(inputs) if rule.condition else ""
    cond_text = f"适用于{rule.condition_phrase}" if rule.condition_phrase else ""
    if shape and shape != rule.condition:
        return ThresholdResult(**base, status="not_applicable", condition=cond_text,
                               verdict=f"不适用：本组条件{cond_text}情形")
    values = {c.input: coerce_input(c.input, inputs[c.input]) for c in rule.criteria if _present(inputs, c.input)}
    results = tuple(criterion_result(c, values.get(c.input), detail=area_terms(c, inputs)) for c in rule.criteria)
    missing = tuple(dict.fromkeys(r.input for r in results if r.met is None))
    hard_fail = [r for r in results if r.met is False and not r.soft]
    soft_fail = [r for r in results if r.met is False and r.soft]
    notes = [] if shape or not rule.condition else [f"本组条件{cond_text}，未提供园区数量，按此情形核对"]
    if rule.effect != "eligibility":
        word = {"benefit": ("符合", "未达到"), "penalty": ("触发", "未触发")}[rule.effect]
        if hard_fail:
            status, verdict = "not_met", f"{word[1]}：{rule.outcome}的条件"
        elif missing:
            status, verdict = "incomplete", "尚不能判断"
        else:
            status, verdict = "met", f"{word[0]}：{rule.outcome}"
    elif hard_fail:
        status, verdict = "not_met", f"不符合：{len(hard_fail)}项未达到（{'、'.join(r.label for r in hard_fail)}）"
    elif missing:
        status, verdict = "incomplete", f"尚不能判断：已提供的{len(results) - len(missing)}项均达到，还缺{len(missing)}项"
    elif soft_fail:
        status, verdict = "soft_not_met", f"原则上不符合：{'、'.join(r.phrase for r in soft_fail)}（原则性要求）"
    else:
        status, verdict = "met", f"符合：{len(results)}项量化条件全部达到"
    if cond_text and status != "not_applicable":
        verdict = f"{verdict}（{cond_text}）"
    return ThresholdResult(**base, status=status, verdict=verdict, criteria=results,
                           lines=tuple(r.line() for r in results), missing=missing,
                           notes=tuple(notes), inputs=_shown(values), condition=cond_text)


@dataclass(frozen=True, kw_only=True)
class CombinedResult(CalcResult):
    kind: str = "combined"
    input: str = ""
    required: str = ""
    met: bool | None = None
    gap: str | None = None
    sources: tuple[dict[str, str], ...] = ()

    def references(self, title: str | None = None) -> list[str]:
        return ["依据" + "；".join(f"《{s['title']}》{s['article']}" for s in self.sources)]

    def extra_json(self) -> dict[str, Any]:
        return {"input": self.input, "required": self.required, "met": self.met, "gap": self.gap,
                "sources": list(self.sources)}


def combine_thresholds(rules: Sequence[Rule], input_name: str, value: object | None = None, *,
                       single_park: bool | None = None) -> CombinedResult:
    """The strictest requirement on one input across rules (e.g. 核心区面积 for 广西 and 聊城).

    single_park=True also counts 建筑面积/总面积 as the core area (one park is all three) and
    skips rules for multiple parks; False skips the single-park rules."""
    names = {input_name}
    if single_park:
        for group in SINGLE_PARK_SAME:
            if input_name in group:
                names.update(group)
    found: list[tuple[Rule, Criterion]] = []
    for rule in rules:
        if rule.kind != "thresholds":
            continue
        if (single_park is True and rule.condition == "multiple") or (single_park is False and rule.condition == "single"):
            continue
        found += [(rule, c) for c in rule.criteria if c.input in names]
    if not found:
        raise CalcError(f"所选规则对 {input_name} 没有要求（no selected rule sets a requirement on '{input_name}'）")
    lower = [(r, c) for r, c in found if c.op in (">=", ">")]
    upper = [(r, c) for r, c in found if c.op in ("<=", "<")]
    binding: list[tuple[Rule, Criterion]] = []
    if lower:
        binding.append(max(lower, key=lambda rc: (rc[1].value, rc[1].op == ">")))
    if upper:
        binding.append(min(upper, key=lambda rc: (rc[1].value, rc[1].op == "<=")))
    spec = INPUTS[input_name]
    results = []
    q = coerce_one(input_name, value) if value not in (None, "") else None
    for _, c in binding:
        results.append(criterion_result(c, q))
    sources = tuple({"rule_id": r.id, "doc_id": r.doc_id, "title": r.title, "article": r.article,
                     "required": c.required, "phrase": c.phrase} for r, c in found)
    required = "且".join(c.required for _, c in binding)
    lines = [f"- 《{s['title']}》{s['article']}：{s['phrase']}（{s['required']}）" for s in sources]
    met = None if q is None else all(r.met for r in results)
    gap = next((r.gap for r in results if r.gap), None)
    strict = "、".join(f"《{r.title}》{r.article}" for r, _ in binding)
    if q is None:
        status, verdict = "incomplete", f"同时满足各规定，{spec.label}需{required}（以{strict}为准）"
    elif met:
        status, verdict = "met", f"符合：{spec.label}{q.display()}，同时满足各规定（需{required}）"
    else:
        status, verdict = "not_met", f"不符合：{spec.label}{q.display()}，需{required}，{gap}"
    notes = []
    if len({r.doc_id for r, _ in found}) > 1 and not set.intersection(*(set(r.places) for r, _ in found)):
        notes.append("这些文件适用地域不同，合并后的要求仅供对比")
    return CombinedResult(rule_id="+".join(dict.fromkeys(r.id for r, _ in found)),
                          doc_id=",".join(dict.fromkeys(r.doc_id for r, _ in found)),
                          article="、".join(dict.fromkeys(r.article for r, _ in found)),
                          label=f"{spec.label}（合并要求）", status=status, verdict=verdict,
                          lines=tuple(lines), missing=() if q else (input_name,), notes=tuple(notes),
                          inputs={input_name: q.display()} if q else {}, input=input_name,
                          required=required, met=met, gap=gap, sources=sources)


# ---------------------------------------------------------------- dispatch


def evaluate(rule: Rule, inputs: Mapping[str, object], *, today: object | None = None,
             title: str | None = None, include_start: bool = False,
             weekends_only: bool = False) -> CalcResult:
    """Evaluate any rule against a dict of inputs (names as in rules.INPUTS). The two day-count
    switches reach deadline rules only (see dates.counting_from_text)."""
    if rule.kind == "tiers" and rule.input:
        return evaluate_tiers(rule, inputs.get(rule.input.name), previous=inputs.get("previous_revenue"), title=title)
    if rule.kind == "thresholds":
        return check_thresholds(rule, inputs, title=title)
    if rule.kind == "per_unit_capped" and rule.count_input:
        from assistant.calc.rewards import per_unit_reward

        values = inputs.get(rule.qualify.input) if rule.qualify else None
        return per_unit_reward(rule, count=inputs.get(rule.count_input.name), values=values,
                               already_awarded=inputs.get("already_awarded"), conditions=inputs, title=title,
                               already_paid=inputs.get("already_paid"))
    if rule.kind == "per_year_total" and rule.input:
        from assistant.calc.rewards import per_year_total

        return per_year_total(rule, inputs.get(rule.input.name), title=title)
    if rule.kind == "deadline" and rule.start:
        from assistant.calc.dates import compute_deadline

        return compute_deadline(rule, inputs.get(rule.start.name), today=today, title=title,
                                include_start=include_start, weekends_only=weekends_only)
    raise CalcError(f"无法计算规则 {rule.id}（cannot evaluate rule '{rule.id}'）")
