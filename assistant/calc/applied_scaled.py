"""Bars of a table scaled for a kind of case (a `ScaledBars` found in the text, see
assistant.calc.extract_scaled), applied when the question names that case: each bar times the
factor, met or missed by the question's figure for it, or stated when the question asks what is
required."""

from __future__ import annotations

from assistant.calc.applied import Applied, Ask, _fits_unit, _pick, bigrams, has, show
from assistant.calc.extract import lexicon
from assistant.calc.extract_types import ScaledBars


def _named(rule: ScaledBars, ask: Ask) -> bool:
    """The question names the case by the condition's own words: not words every case of the
    table shares (its column headers, "产业园")."""
    generic = bigrams("、".join([*lexicon()["variant_generic"], *(b.of for b in rule.bars)]))
    return bool((bigrams(rule.subject) - generic) & bigrams(ask.text))


def apply_scaled(rule: ScaledBars, ask: Ask) -> Applied | None:
    if not _named(rule, ask):
        return None
    asked = [b for b in rule.bars if bigrams(b.scope) & bigrams(ask.text)] or list(rule.bars)
    lines: list[str] = []
    steps: list[str] = []
    used = []
    results = []
    for bar in asked:
        need = bar.figure.value * rule.factor.value
        factor = show(rule.factor) + ("" if rule.factor.text.endswith("%") else f"（{rule.factor.text}）")
        steps.append(f"{show(bar.figure)} × {factor} = {show(need, bar.figure.unit)}")
        q = _pick(ask, [q for q in ask.figures if _fits_unit(q, bar.figure.unit)], bar.scope)
        base = f"{bar.of}指标{bar.figure.text}的{rule.factor.text}" if bar.of else f"{bar.figure.text}{rule.factor.text}"
        required = f"{show(need, bar.figure.unit)}（{base}）"
        if q is None:
            lines.append(f"{bar.scope}：{'不低于' if bar.op in ('>=', '>') else '不超过'}{required}")
            results.append(show(need, bar.figure.unit))
            continue
        used.append(q)
        ok = q.number >= need if bar.op in (">=", ">") else q.number <= need
        gap = "" if ok else f"，还差{show(need - q.number, bar.figure.unit)}"
        lines.append(f"{bar.scope}：{q.text}，要求{required}，{'达到' if ok else '未达到'}{gap}")
        results.append("达到" if ok else f"还差{show(need - q.number, bar.figure.unit)}")
    if not used and not has(ask.text, "minimum"):
        return None
    head = f"{rule.subject}，按照条文“{rule.phrase}”："
    labels = tuple(dict.fromkeys(b.figure.label for b in asked if b.figure.label))
    return Applied(rule, len(used), (head, *lines), tuple(steps), {rule.subject: "是"}, "；".join(results),
                   also=labels, used=tuple(used))
