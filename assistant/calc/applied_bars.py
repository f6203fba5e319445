"""Bars found in the text (assistant.calc.applied): met or missed and by how much, the headroom
left under a ceiling, the least a share of a given total requires (and the units still to bring
in, which count in the total too), and bars on an increase (assistant.calc.applied_growth)."""

from __future__ import annotations

import re
from decimal import ROUND_CEILING, Decimal

from assistant.calc.applied import (
    Applied,
    Ask,
    _about,
    _fits_unit,
    _pick,
    _value,
    has,
    same_measure,
    show,
)
from assistant.calc.extract_types import Threshold
from assistant.calc.number_format import format_value, plain
from assistant.calc.numbers import Quantity


def apply_threshold(rule: Threshold, ask: Ask) -> Applied | None:
    bar = rule.value
    from assistant.calc.applied_growth import apply_growth

    grown = apply_growth(rule, ask)
    if grown is not None:
        return grown
    if bar.unit == "%" and rule.of:
        return _share(rule, ask)
    if rule.op in ("<=", "<") and has(ask.text, "headroom"):
        return _left_under(rule, ask)
    found = [q for q in ask.figures if _fits_unit(q, bar.unit) and not ask.already(q)
             and same_measure(ask, q, rule.subject) and not _counting_period(ask, q)]
    q = _pick(ask, found, rule.subject)
    if q is None or _about(ask, q, rule.subject) == 0 and len(found) > 1:
        return None
    v = _value(q, bar.unit)
    ok = {">=": v >= bar.value, ">": v > bar.value, "<=": v <= bar.value, "<": v < bar.value}[rule.op]
    head = f"{rule.subject}：{q.text}，条文要求“{rule.phrase}”"
    steps: list[str] = []
    if ok:
        line = f"{head}，达到"
        result = "达到"
    elif rule.op in (">=", ">"):
        gap = bar.value - v
        line = f"{head}，未达到，还差{show(gap, bar.unit)}"
        steps.append(f"{show(bar)} − {show(v, bar.unit)} = {show(gap, bar.unit)}")
        result = f"还差{show(gap, bar.unit)}"
    else:
        over = v - bar.value
        line = f"{head}，超出{show(over, bar.unit)}"
        steps.append(f"{show(v, bar.unit)} − {show(bar)} = {show(over, bar.unit)}")
        result = f"超出{show(over, bar.unit)}"
    return Applied(rule, 1, (line,), tuple(steps), {rule.subject: q.text}, result, used=(q,))


def _counting_period(ask: Ask, q: Quantity) -> bool:
    """"一年给重点企业引进了3个人才": a duration followed in its clause by a count is the time the
    count was made in, not a length a bar asks for (a contract of 一年)."""
    if q.kind != "duration":
        return False
    later = [p for p in ask.figures if p.span[0] >= q.span[1]]
    if not later:
        return False
    nxt = min(later, key=lambda p: p.span[0])
    between = ask.text[q.span[1]:nxt.span[0]]
    return nxt.kind == "count" and not re.search(r"[，,。；;、]", between)


def _left_under(rule: Threshold, ask: Ask) -> Applied | None:
    """"累计不超过1000万元", already received 500万 and 200万: 还能拿300万元."""
    got = [q for q in ask.figures if ask.already(q) and _fits_unit(q, rule.value.unit)]
    if not got:
        return None
    used = sum((_value(q, rule.value.unit) for q in got), Decimal(0))
    left = max(rule.value.value - used, Decimal(0))
    taken = " − ".join(q.text for q in got)
    step = f"{show(rule.value)} − {taken} = {show(left, rule.value.unit)}"
    line = f"最多还能获得{show(left, rule.value.unit)}（条文：“{rule.phrase}”）"
    return Applied(rule, len(got), (line,), (step,), {"已获": "、".join(q.text for q in got)},
                   show(left, rule.value.unit), used=tuple(got))


def _share(rule: Threshold, ask: Ask) -> Applied | None:
    """"经营性机构占入驻机构总数的比例不低于70%" with a total the asker gives: the least count
    (rounded up: a part of a 家 does not exist) or area that meets it."""
    pct = ask.of("percent")
    if pct:
        q = pct[0]
        ok = q.number >= rule.value.value if rule.op in (">=", ">") else q.number <= rule.value.value
        gap = rule.value.value - q.number
        tail = "达到" if ok else f"未达到，还差{plain(gap * 100)}个百分点"
        return Applied(rule, 1, (f"{rule.subject}：{q.text}，条文要求“{rule.phrase}”，{tail}",),
                       inputs={rule.subject: q.text}, result=tail)
    totals = [q for q in ask.figures if q.kind in ("count", "area") and not ask.already(q)]
    total = _pick(ask, totals, rule.of)
    if total is None or not _about(ask, total, rule.of + rule.subject):
        return None
    need = rule.value.value * total.number
    exact = need == need.to_integral_value()
    if total.kind == "count":
        need = need.to_integral_value(rounding=ROUND_CEILING)
    unit = total.unit or ""
    word = "至少" if rule.op in (">=", ">") else "至多"
    needed = format_value(total.kind, need, unit)
    step = f"{total.text} × {show(rule.value)} = {format_value(total.kind, rule.value.value * total.number, unit)}"
    if not exact and total.kind == "count":
        step += f"，向上取整为{needed}"
    lines = [f"按{rule.of}{total.text}计，{rule.subject}{word}需{needed}（条文：“{rule.phrase}”）"]
    others = [q for q in totals if q is not total and q.unit == total.unit]
    steps, result = [step], f"{word}{needed}"
    if others and rule.op in (">=", ">"):
        have = others[0].number
        share = rule.value.value
        if have < need and has(ask.text, "added") and share < 1:
            # "还得新引进几家经营性机构": each one brought in counts in the whole too
            more = ((share * total.number - have) / (1 - share)).to_integral_value(rounding=ROUND_CEILING)
            said = format_value(total.kind, more, unit)
            lines.append(f"现有{others[0].text}，新引进的也计入{rule.of or '总数'}，至少还需新引进{said}")
            steps.append(f"（{others[0].text} + x）÷（{total.text} + x）≥ {show(rule.value)} → "
                         f"x ≥（{show(rule.value)} × {total.text} − {others[0].text}）÷（1 − {show(rule.value)}），取{said}")
            result = f"还需新引进{said}"
        elif have < need:
            lines.append(f"现有{others[0].text}，还差{format_value(total.kind, need - have, unit)}")
    return Applied(rule, 1, tuple(lines), tuple(steps), {rule.of or "总数": total.text}, result)
