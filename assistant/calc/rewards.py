"""Rewards counted per unit (家) with a total cap, and amounts set aside every year over a span.

Like the rest of the engine: a `Rule` and raw inputs in, a frozen result with `to_json()` and a
verdict-first `render()` out; every amount is an exact Decimal.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from assistant.calc.engine import (
    CalcResult,
    CriterionResult,
    _base,
    _display,
    _present,
    criterion_result,
)
from assistant.calc.number_format import format_value, format_years, plain
from assistant.calc.numbers import Quantity
from assistant.calc.rule_inputs import INPUTS, coerce_input, coerce_one
from assistant.calc.rule_types import Rule
from assistant.errors import CalcError

# ---------------------------------------------------------------- per-unit rewards


@dataclass(frozen=True, kw_only=True)
class PerUnitResult(CalcResult):
    kind: str = "per_unit_capped"
    units: int | None = None
    per_unit: Decimal | None = None
    uncapped: Decimal | None = None
    amount: Decimal | None = None
    cap: Decimal | None = None
    capped: bool = False
    recipient: str = ""

    def extra_json(self) -> dict[str, Any]:
        def num(d: Decimal | None) -> str | None:
            return plain(d) if d is not None else None

        return {"units": self.units, "per_unit": num(self.per_unit), "uncapped": num(self.uncapped),
                "amount": num(self.amount), "cap": num(self.cap), "capped": self.capped,
                "recipient": self.recipient}


EACH = "每家"  # Quantity.scope of a figure said of every unit counted ("12家…纳税都超过200万")


def _conditions(rule: Rule, facts: Mapping[str, object]) -> tuple[list[CriterionResult], list[str], dict[str, str]]:
    """The rule's conditions checked against the facts given; an absent fact is listed as a
    condition still to be met, not assumed either way."""
    results, lines, shown = [], [], {}
    for c in rule.conditions:
        value = coerce_input(c.input, facts[c.input]) if _present(facts, c.input) else None
        r = criterion_result(c, value)
        results.append(r)
        if value is None:
            lines.append(f"- 条件：{c.phrase}（未提供{c.label}；须满足此条件才可获奖励）")
        else:
            shown[c.input] = _display(value)
            lines.append(f"- 条件：{r.label}{r.value}，要求{r.required}（{c.phrase}），"
                         + ("符合" if r.met else f"不符合，{r.gap}"))
    return results, lines, shown


def per_unit_reward(rule: Rule, *, count: object | None = None, values: object | None = None,
                    already_awarded: object | None = None, conditions: Mapping[str, object] | None = None,
                    title: str | None = None, already_paid: object | None = None) -> PerUnitResult:
    """Reward per qualifying unit (家) up to the total cap. Give `count` (qualifying units) or,
    for rules with a per-unit bar (首次年纳税 ≥ 200万), the `values` to test one by one; one value
    scoped 每家 with a count is said of every unit. `conditions` holds the facts for the rule's
    conditions (在库时间): one that is not met means no reward yet, with the gap."""
    if rule.kind != "per_unit_capped" or rule.per_unit is None or rule.count_input is None:
        raise CalcError(f"{rule.id} 不是按家计奖规则（'{rule.id}' is not a per-unit rule）")
    base = _base(rule, title) | {"quote": rule.cap_phrase, "recipient": rule.recipient,
                                 "per_unit": rule.per_unit, "cap": rule.cap, "notes": rule.notes}
    checked, lines, shown = _conditions(rule, conditions or {})
    failed = [(c, r) for c, r in zip(rule.conditions, checked, strict=True) if r.met is False]
    if failed:
        why = "；".join(f"{c.label}{r.value}，{r.gap}" for c, r in failed)
        verdict = f"暂不符合：尚未满足“{'、'.join(c.phrase for c, _ in failed)}”（{why}），满足后方可获得此项奖励"
        return PerUnitResult(**base | {"quote": failed[0][0].phrase}, status="not_met", verdict=verdict,
                             lines=tuple(lines), inputs=shown)
    each = count not in (None, "") and isinstance(values, Quantity) and values.scope == EACH
    if each and rule.qualify and isinstance(values, Quantity):
        n = coerce_one(rule.count_input.name, count)
        r = criterion_result(rule.qualify, coerce_one(rule.qualify.input, values))
        shown[rule.count_input.name], shown[rule.qualify.input] = n.display(), f"每家{r.value}"
        lines.append(f"- {n.display()}，每家{r.label} {r.value}，要求{r.required}，{'符合' if r.met else '不符合'}")
        units = int(n.number) if r.met else 0
    elif values not in (None, "", []) and rule.qualify:
        qs = coerce_input(rule.qualify.input, values if isinstance(values, list) else [values])
        assert isinstance(qs, list)
        shown[rule.qualify.input] = _display(qs)
        for i, q in enumerate(qs, 1):
            r = criterion_result(rule.qualify, q)
            lines.append(f"- 第{i}家：{r.label} {r.value}，要求{r.required}，{'符合' if r.met else '不符合'}")
        units = sum(1 for q in qs if rule.qualify.test(q.number))
    elif count not in (None, ""):
        n = coerce_one(rule.count_input.name, count)
        shown[rule.count_input.name] = n.display()
        units = int(n.number)
    elif rule.cap is not None and (already_awarded not in (None, "") or already_paid not in (None, "")):
        return _headroom(rule, base, lines, shown, already_awarded, already_paid)
    else:
        missing = (rule.count_input.name,) + ((rule.qualify.input,) if rule.qualify else ())
        need = rule.count_input.label + (f"（或各企业的{INPUTS[rule.qualify.input].label}）" if rule.qualify else "")
        return PerUnitResult(**base, status="incomplete", verdict=f"尚不能计算：需要{need}", missing=missing[:1],
                             lines=tuple(lines), inputs=shown)
    paid = _paid(rule, shown, already_awarded, already_paid)[0]
    uncapped = rule.per_unit * units
    room = max(Decimal(0), rule.cap - paid) if rule.cap is not None else uncapped
    amount = min(uncapped, room)
    capped = uncapped > room
    per = format_value("amount", rule.per_unit)
    lines.append(f"{units}家 × {per} = {format_value('amount', uncapped)}"
                 + (f"，受上限{format_value('amount', room)}限制（{rule.cap_phrase}）" if capped else ""))
    if units == 0:
        bar = f"（{rule.qualify.phrase}）" if rule.qualify else ""
        status, verdict = "not_met", f"不符合：没有符合条件的企业{bar}"
    else:
        status = "met"
        verdict = f"可获奖励{format_value('amount', amount)}（奖励对象：{rule.recipient}）"
    return PerUnitResult(**base, status=status, verdict=verdict, lines=tuple(lines), inputs=shown,
                         units=units, uncapped=uncapped, amount=amount, capped=capped)


def _paid(rule: Rule, shown: dict[str, str], already_awarded: object | None,
          already_paid: object | None) -> tuple[Decimal, str]:
    """What has been paid under the rule's cap: an amount given, or the units already rewarded
    times the amount per unit ("已经发了9个团队" → 9 × 3万元), with the step shown."""
    if already_awarded not in (None, ""):
        a = coerce_one("already_awarded", already_awarded)
        shown["already_awarded"] = a.display()
        return a.number, a.display()
    if already_paid not in (None, "") and rule.per_unit is not None:
        n = coerce_one("already_paid", already_paid)
        shown["already_paid"] = n.display()
        paid = n.number * rule.per_unit
        return paid, f"已奖励{n.display()} × {format_value('amount', rule.per_unit)} = {format_value('amount', paid)}"
    return Decimal(0), ""


def _headroom(rule: Rule, base: dict[str, Any], lines: list[str], shown: dict[str, str],
              already_awarded: object | None, already_paid: object | None) -> PerUnitResult:
    """"已经发了9个团队，还剩多少额度": the cap less what has been paid, and how many more units it covers."""
    assert rule.cap is not None and rule.per_unit is not None
    paid, step = _paid(rule, shown, already_awarded, already_paid)
    room = max(Decimal(0), rule.cap - paid)
    more = int(room // rule.per_unit) if rule.per_unit else 0
    lines.append(f"{step}；上限{format_value('amount', rule.cap)} − {format_value('amount', paid)} = "
                 f"{format_value('amount', room)}（{rule.cap_phrase}）")
    verdict = (f"此项奖励资金还剩{format_value('amount', room)}额度，按每{rule.recipient or '家'}"
               f"{format_value('amount', rule.per_unit)}还可奖励{more}个")
    return PerUnitResult(**base, status="met", verdict=verdict, lines=tuple(lines), inputs=shown,
                         units=0, uncapped=paid, amount=room, capped=room == 0)


# ---------------------------------------------------------------- per-year totals


@dataclass(frozen=True, kw_only=True)
class PerYearResult(CalcResult):
    kind: str = "per_year_total"
    years: tuple[int, ...] = ()  # the years counted, all within the article's span
    per_year: Decimal | None = None
    total: Decimal | None = None
    parts: tuple[dict[str, str], ...] = ()

    def extra_json(self) -> dict[str, Any]:
        return {"years": list(self.years), "per_year": plain(self.per_year) if self.per_year is not None else None,
                "total": plain(self.total) if self.total is not None else None, "parts": list(self.parts)}


def per_year_total(rule: Rule, years: object | None = None, *, title: str | None = None) -> PerYearResult:
    """An amount set aside every year, summed over the years asked ("2024到2026年一共" → 3年 ×
    300万元 = 900万元). Years outside the article's own span are not counted, and the result
    says so; a plain "3年" counts from the span's first year; no years means the whole span."""
    if rule.kind != "per_year_total" or rule.per_year is None or rule.year_span is None or rule.input is None:
        raise CalcError(f"{rule.id} 不是按年合计规则（'{rule.id}' is not a per-year rule）")
    base = _base(rule, title) | {"quote": rule.phrase, "per_year": rule.per_year}
    first, last = rule.year_span
    span_text = format_years(rule.year_span)
    notes = list(rule.notes)
    shown: dict[str, str] = {}
    if years in (None, ""):
        asked = list(range(first, last + 1))
        notes.insert(0, f"未指定年度，按原文所列{span_text}计算")
    else:
        q = coerce_one(rule.input.name, years)
        shown[rule.input.name] = q.display()
        if q.years:
            asked = list(range(q.years[0], q.years[1] + 1))
        else:
            if q.number != q.number.to_integral_value():
                raise CalcError(f"按年安排的资金只能按整年计算，而不是{q.display()}（whole years only）")
            asked = list(range(first, first + int(q.number)))
            notes.insert(0, f"“{q.display()}”未写起止年份，自原文首年{first}年起算")
    counted = tuple(y for y in asked if first <= y <= last)
    outside = [y for y in asked if not first <= y <= last]
    per = format_value("amount", rule.per_year)
    if outside:
        notes.insert(0, f"{'、'.join(f'{y}年' for y in outside)}不在原文所列年度（{span_text}）内，未计入")
    if not counted:
        return PerYearResult(**base, status="not_met", inputs=shown, notes=tuple(notes),
                             verdict=f"原文未安排{format_years((asked[0], asked[-1]))}的资金（只写了{span_text}每年{per}）")
    total = rule.per_year * len(counted)
    which = format_years((counted[0], counted[-1]))
    lines = [f"- {len(counted)}年 × {per} = {format_value('amount', total)}（{which}，每年{per}）"]
    parts = []
    for part in rule.parts:
        subtotal = part.amount * len(counted)
        lines.append(f"- {part.phrase}：{len(counted)}年 × {format_value('amount', part.amount)} = "
                     f"{format_value('amount', subtotal)}")
        parts.append({"amount": plain(part.amount), "total": plain(subtotal), "phrase": part.phrase})
    verdict = f"{which}合计{format_value('amount', total)}（{len(counted)}年 × 每年{per}）"
    return PerYearResult(**base, status="info", verdict=verdict, lines=tuple(lines), inputs=shown,
                         notes=tuple(notes), years=counted, total=total, parts=tuple(parts))
