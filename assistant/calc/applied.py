"""A rule found in a document's text (assistant.calc.extract), applied to a question's figures.

Generic operations only, chosen by the kind of rule and the words of the question (the
`question` section of extract_lexicon.yaml): a tier and what a higher tier adds (补差); a bar
met or missed and by how much, or the least a share of a given total requires; an amount per
unit (per person, per 平方米, per month) times the count, held under its caps, and the headroom
left under a cap; a date N (working) days after a given date; the days left in a yearly window
and its next opening. Which figure fills what is read from its unit and the words next to it,
matched against the rule's own subject words.

Every number shown is either computed here or quoted verbatim from the rule's unit. A rule whose
reading is not certain (a tier boundary the text leaves open, a figure exactly on it) yields its
conditions, not a number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from assistant.calc.extract import lexicon
from assistant.calc.extract_types import (
    Deadline,
    DueDate,
    Figure,
    Installments,
    PerUnitCapped,
    Refund,
    Rule,
    ScaledBars,
    Threshold,
    Tiers,
    Window,
)
from assistant.calc.number_format import format_value, plain
from assistant.calc.numbers import Quantity

OPS_TEXT = {">=": "不低于", ">": "超过", "<=": "不超过", "<": "低于"}
_KIND_OF_UNIT = {"元": "amount", "平方米": "area", "%": "percent", "年": "duration", "月": "duration",
                 "日": "duration", "工作日": "duration"}
_CLAUSE = "，,。；;？?！!\n：:"
_CJK = re.compile(r"[\u3400-\u9fff]+")


def _persons() -> list[str]:
    """Measure words of counted persons ("8个硕士" are 8 persons)."""
    return words("person_units")


def words(key: str) -> list[str]:
    return list(lexicon()["question"][key])


def has(text: str, key: str) -> bool:
    return any(w in text for w in words(key))


def bigrams(text: str) -> set[str]:
    return {run[i:i + 2] for run in _CJK.findall(text) for i in range(len(run) - 1)}


@dataclass(frozen=True)
class Ask:
    """A question as the applied rules read it."""

    text: str
    figures: tuple[Quantity, ...]
    today: dt.date

    def before(self, q: Quantity, width: int = 10) -> str:
        """The words before a figure, back to the previous figure or the start of its clause."""
        start = max([0, *(p.span[1] for p in self.figures if p.span[1] <= q.span[0])])
        text = self.text[max(start, q.span[0] - width):q.span[0]]
        cut = max(text.rfind(c) for c in _CLAUSE)
        return text[cut + 1:]

    def after(self, q: Quantity, width: int = 8) -> str:
        """The words after a figure, up to the next figure or the end of its clause or list item
        ("普通工150人、技能人才25人": 技能人才 is said of 25人, not of 150人)."""
        stop = min([q.span[1] + width, *(p.span[0] for p in self.figures if p.span[0] >= q.span[1])])
        text = self.text[q.span[1]:stop]
        ends = [i for i, c in enumerate(text) if c in _CLAUSE or c == "、"]
        return text[:ends[0]] if ends else text

    def already(self, q: Quantity) -> bool:
        """A figure received or used already ("之前拿过30万", "已经有8个…在领")."""
        return any(w in self.before(q) or w in self.after(q) for w in words("already"))

    def is_today(self, q: Quantity) -> bool:
        return q.kind == "date" and any(w in self.before(q, 6) for w in words("today"))

    def of(self, kind: str, *, already: bool = False) -> list[Quantity]:
        return [q for q in self.figures if q.kind == kind and self.already(q) == already and not q.years]


@dataclass(frozen=True)
class Applied:
    rule: Rule
    fit: int  # the question's figures the rule used
    lines: tuple[str, ...]  # the result first
    steps: tuple[str, ...] = ()
    inputs: dict[str, str] = field(default_factory=dict)
    result: str = ""  # the headline value; "" when only the conditions can be given
    conditions: tuple[str, ...] = ()  # verbatim phrases the answer depends on
    also: tuple[str, ...] = ()  # other units of the document the result relies on (a 补差 item)
    used: tuple[Quantity, ...] = ()  # the question's figures it read
    at: str = ""  # the unit the result is read from, when not the rule's own (a tier row's item)

    @property
    def units(self) -> tuple[str, ...]:
        """The units to cite: where the result is read, and what it relies on."""
        return tuple(dict.fromkeys((self.at or self.rule.unit, *self.also)))

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.rule.kind, "doc_id": self.rule.doc_id, "unit": self.units[0],
                "phrase": self.rule.phrase, "inputs": dict(self.inputs), "steps": list(self.steps),
                "result": self.result, "conditions": list(self.conditions), "status": "extracted"}


def show(fig: Figure | Decimal, unit: str = "") -> str:
    if isinstance(fig, Figure):
        value, unit = fig.value, fig.unit
    else:
        value = fig
    return format_value(_KIND_OF_UNIT.get(unit, "count"), value, unit)


def show_sum(d: Decimal) -> str:
    """A payment as the answer's first line says it: in 万元 as the documents write them, and in 元
    as well when 万元 would need more than two decimals (7.056万元（70560元）)."""
    said = show(d, "元")
    if said.endswith("万元") and "." in said and len(said[:-2].split(".")[1]) > 2:
        return f"{said}（{plain(d)}元）"
    return said


def _fits_unit(q: Quantity, unit: str) -> bool:
    """Whether a question's figure is measured in a rule's unit."""
    kind = _KIND_OF_UNIT.get(unit, "count")
    if q.kind != kind:
        return False
    if kind == "count":
        return q.unit == unit or (unit in _persons() and q.unit in _persons())
    if kind == "duration":
        return q.unit in ("年", "月") and unit in ("年", "月")
    return True


def _about(ask: Ask, q: Quantity, subject: str) -> int:
    """How much the words next to a figure share with a rule's subject."""
    return len(bigrams(ask.before(q) + ask.after(q)) & bigrams(subject))


def _measures(text: str) -> set[str]:
    """The measures a text names (营业收入, 注册资本, 纳税 …), by the question lexicon's groups."""
    return {name for name, names in lexicon()["question"]["measures"].items() if any(w in text for w in names)}


def same_measure(ask: Ask, q: Quantity, subject: str) -> bool:
    """False when the words of a figure name one measure and the rule's subject another
    ("注册资本800万" is no 营业收入; "税收县级留成36万" no 营业收入)."""
    near = ask.before(q) + ask.after(q)
    own, theirs = _measures(near), _measures(subject)
    if not own and any(w in ask.before(q) for w in lexicon()["reward_words"]):
        own = {"奖补"}  # "增长奖励也够50万": a payment, not a measure
    # "去年营收5亿元，前年3亿元": a figure said without its measure is of the measure the question names
    own = own or _measures(ask.text)
    return not (own and theirs and not own & theirs)


def _pick(ask: Ask, found: Sequence[Quantity], subject: str) -> Quantity | None:
    """Of several figures of one unit, the one whose words name the rule's subject; on a tie the
    last said ("去年3000万，今年2.5亿": the figure the question is about comes last)."""
    if not found:
        return None

    from assistant.calc.applied_growth import when

    def key(q: Quantity) -> tuple[int, int, int, int]:
        # words shared; then the latest year ("去年3600万，前年2800万": the figure of the year
        # the rule reads is the latest one given); then characters shared and the figure's own
        # words the subject lacks ("过亿机构4家" is not the 入驻机构数量 that "入驻42家" is)
        near = set("".join(_CJK.findall(ask.before(q) + ask.after(q))))
        own = set(subject)
        return _about(ask, q, subject), when(ask, q) or 0, len(near & own), -len(near - own)

    return max(reversed(found), key=key)


def _value(q: Quantity, unit: str) -> Decimal:
    """A question's figure in the rule's unit (durations in 年 vs 月)."""
    if q.kind == "duration" and q.unit != unit:
        return q.number * 12 if q.unit == "年" else q.number / 12
    return q.number


def apply(rule: Rule, ask: Ask, related: dict[str, str] | None = None) -> Applied | None:
    """The rule applied to the question, or None when the question gives nothing it reads.
    `related`: label → text of the rule's unit and its sibling items (a 补差 sentence)."""
    if isinstance(rule, Tiers):
        from assistant.calc.applied_tiers import apply_tiers

        return apply_tiers(rule, ask, related or {})
    if isinstance(rule, Threshold):
        from assistant.calc.applied_bars import apply_threshold

        return apply_threshold(rule, ask)
    if isinstance(rule, PerUnitCapped):
        from assistant.calc.applied_per_unit import apply_per_unit

        return apply_per_unit(rule, ask)
    if isinstance(rule, (Deadline, Window)):
        from assistant.calc.applied_dates import apply_deadline, apply_window

        return apply_deadline(rule, ask, related) if isinstance(rule, Deadline) else apply_window(rule, ask)
    if isinstance(rule, Installments):
        from assistant.calc.applied_sums import apply_installments

        return apply_installments(rule, ask, related or {})
    if isinstance(rule, DueDate):
        from assistant.calc.applied_dates import apply_due_date

        return apply_due_date(rule, ask)
    if isinstance(rule, ScaledBars):
        from assistant.calc.applied_scaled import apply_scaled

        return apply_scaled(rule, ask)
    if isinstance(rule, Refund):
        from assistant.calc.applied_refunds import apply_refund

        return apply_refund(rule, ask)
    return None
