"""Bars on an increase (assistant.calc.applied): "营业收入较前一年度增长20%以上" and "增量达到2000万元
以上", met or missed by the two yearly figures the question gives (earlier and later told by
their year words, else in the order said: "从5000万涨到5800万")."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.calc.applied import Applied, Ask, same_measure, show, words
from assistant.calc.extract_types import Threshold
from assistant.calc.number_format import plain
from assistant.calc.numbers import Quantity

_RELATIVE = {"前年": 0, "上上年": 0, "去年": 1, "上年": 1, "上一年": 1, "今年": 2, "本年": 2, "当年": 2}


def when(ask: Ask, q: Quantity) -> int | None:
    """The year a figure is of, by its words (2025年, 去年, 前年 …); None when unsaid."""
    near = ask.before(q, 12)
    year = re.findall(r"(\d{4})年", near)
    if year:
        return int(year[-1])
    found = [(near.rfind(w), v) for w, v in _RELATIVE.items() if w in near]
    return 10_000 + max(found)[1] if found else None


def earlier_later(ask: Ask, amounts: list[Quantity]) -> tuple[Quantity, Quantity]:
    """The two figures of an increase, earlier first."""
    a, b = amounts[0], amounts[1]
    ta, tb = when(ask, a), when(ask, b)
    if ta is not None and tb is not None and ta > tb:
        return b, a
    return a, b


def apply_growth(rule: Threshold, ask: Ask) -> Applied | None:
    """None unless the bar is on an increase and the question gives the two figures."""
    grows = any(w in rule.subject for w in words("growth"))
    increment = any(w in rule.subject[-6:] for w in words("increment"))
    if not (grows and rule.value.unit == "%") and not (increment and rule.value.unit == "元"):
        return None
    amounts = [q for q in ask.of("amount") if same_measure(ask, q, rule.subject)]
    if len(amounts) < 2:
        return None
    old, new = earlier_later(ask, amounts)
    if rule.value.unit == "%":
        if not old.number:
            return None
        value = (new.number - old.number) / old.number
        said = f"{plain((value * 100).quantize(Decimal('0.01')).normalize())}%"
        step = f"（{new.text} − {old.text}）÷ {old.text} = {said}"
    else:
        value = new.number - old.number
        said = show(value, "元")
        step = f"{new.text} − {old.text} = {said}"
    bar = rule.value.value
    ok = {">=": value >= bar, ">": value > bar, "<=": value <= bar, "<": value < bar}[rule.op]
    result = "达到" if ok else "未达到"
    line = f"增长{said}，条文要求“{rule.phrase}”，{result}"
    # a bar beside the payment of its unit, not a result of its own: it is shown as its condition
    return Applied(rule, 1, (line,), (step,), {rule.subject: said}, result, used=(old, new))
