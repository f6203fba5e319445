"""What a reviewed rule is (see assistant.calc.rules for how a YAML file becomes one): a rule of
one article with its kind's fields, the tiers of a tier table, the criteria of thresholds, the
parts of a yearly amount, and the comparison a criterion makes.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from assistant.calc.number_format import format_value
from assistant.calc.numbers import Kind, Quantity
from assistant.calc.rule_inputs import InputSpec

RULE_KINDS = ("tiers", "thresholds", "per_unit_capped", "deadline", "per_year_total")
OPS = {">=": "≥", ">": "＞", "<=": "≤", "<": "＜"}
_COMPARE = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt}
MEANINGS = ("within", "publicity", "ban", "every", "annual")
EFFECTS = ("eligibility", "benefit", "penalty")


def compare(op: str, value: Decimal, bar: Decimal) -> bool:
    """value <op> bar, op one of OPS."""
    return bool(_COMPARE[op](value, bar))


@dataclass(frozen=True)
class Tier:
    min: Decimal | None
    max: Decimal | None
    min_inclusive: bool
    max_inclusive: bool
    reward: Decimal
    cap: bool  # True: "不超过X万元" is a ceiling; False: exactly X
    phrase: str  # the tier's own words in the article
    bounds: str  # the words that fix the boundaries: "包含2000万元，不含5000万元"
    basis: str  # why the boundaries are read that way

    def contains(self, value: Decimal) -> bool:
        if self.min is not None and (value < self.min or (value == self.min and not self.min_inclusive)):
            return False
        if self.max is not None and (value > self.max or (value == self.max and not self.max_inclusive)):
            return False
        return True

    def range_text(self) -> str:
        lo = f"{format_value('amount', self.min)}（{'含' if self.min_inclusive else '不含'}）" if self.min is not None else ""
        if self.max is None:
            return f"{lo}及以上"
        hi = f"{format_value('amount', self.max)}（{'含' if self.max_inclusive else '不含'}）"
        return f"{lo}至{hi}" if lo else f"{hi}以下"

    def reward_text(self) -> str:
        amount = format_value("amount", self.reward)
        return f"不超过{amount}" if self.cap else amount


@dataclass(frozen=True)
class Criterion:
    input: str
    label: str
    kind: Kind
    op: str
    value: Decimal
    unit: str
    phrase: str
    item: str = ""  # 项 within the article, e.g. （三）
    soft: bool = False  # "原则不超过": a principle, not a hard bar
    basis: str = ""

    @property
    def required(self) -> str:
        return f"{OPS[self.op]}{format_value(self.kind, self.value, self.unit)}"

    def test(self, value: Decimal) -> bool:
        return compare(self.op, value, self.value)


@dataclass(frozen=True)
class Part:
    """A share of a yearly amount: "其中150万元用于…"."""

    amount: Decimal
    phrase: str


@dataclass(frozen=True)
class Rule:
    """One rule of one article. Fields not used by a rule's kind stay empty."""

    id: str
    doc_id: str
    article: str
    kind: str
    label: str
    title: str = ""
    places: tuple[str, ...] = ()
    subject: str = ""  # enterprise | park
    notes: tuple[str, ...] = ()
    # tiers
    input: InputSpec | None = None
    tiers: tuple[Tier, ...] = ()
    cumulative_phrase: str = ""
    upgrade_phrase: str = ""
    # thresholds
    criteria: tuple[Criterion, ...] = ()
    condition: str = ""  # single | multiple (number of parks) — when the rule applies
    condition_phrase: str = ""
    outcome: str = ""
    effect: str = "eligibility"  # eligibility | benefit | penalty
    # per_unit_capped
    recipient: str = ""
    count_input: InputSpec | None = None  # how many units (家) earn the reward
    qualify: Criterion | None = None  # or: per-unit values (首次年纳税) and the bar each must meet
    per_unit: Decimal | None = None
    per_unit_phrase: str = ""
    cap: Decimal | None = None
    cap_phrase: str = ""
    # deadline
    start: InputSpec | None = None
    period: Quantity | None = None
    phrase: str = ""
    meaning: str = "within"  # within | publicity | ban | every | annual
    due: str = ""  # 当年6月底 | 次年第一季度 (annual deadlines)
    # per_unit_capped: facts besides the count that must hold (在库一年), checked when given
    conditions: tuple[Criterion, ...] = ()
    # per_year_total: an amount every year over a span of years (uses `input` for the years asked)
    per_year: Decimal | None = None
    year_span: tuple[int, int] | None = None
    parts: tuple[Part, ...] = ()

    @property
    def inputs(self) -> tuple[str, ...]:
        """Inputs the rule reads, in the order they are reported."""
        names: list[str] = []
        if self.input:
            names.append(self.input.name)
        names += [c.input for c in self.criteria]
        if self.qualify:
            names.append(self.qualify.input)
        if self.count_input:
            names.append(self.count_input.name)
        names += [c.input for c in self.conditions]
        if self.start:
            names.append(self.start.name)
        return tuple(dict.fromkeys(names))

    @property
    def optional_inputs(self) -> tuple[str, ...]:
        """Inputs the rule can also use, which no profile needs to fill: what has been paid already
        under a per-unit rule's cap (the headroom left)."""
        return ("already_awarded", "already_paid") if self.count_input and self.cap is not None else ()

    def to_json(self) -> dict[str, Any]:
        keys = ("id", "doc_id", "article", "kind", "label", "title")
        return {k: getattr(self, k) for k in keys} | {"inputs": list(self.inputs)}
