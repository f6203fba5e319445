"""The rules `assistant.calc.extract` finds in a document's text, and their check.

Every rule keeps its unit label and verbatim phrase; every number keeps the words it was read
from, so `check` can read it again from its own unit, independently of how it was found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from assistant.calc.numbers import parse_quantity
from assistant.errors import CalcError

KINDS = ("threshold", "tiers", "per_unit_capped", "period", "window", "deadline", "installments", "refund",
         "scaled_bars", "due_date")

# ---------------------------------------------------------------- records


@dataclass(frozen=True)
class Figure:
    """A number as written. Percentages are fractions (60% → 0.6, unit "%"), as in numbers.py."""

    value: Decimal
    unit: str  # 元 平方米 家 人 个 % 年 月 日 工作日 次
    text: str  # the words it was read from, as in the unit
    label: str = ""  # the unit it is in, when not the rule's own (a cap in a sibling item)


@dataclass(frozen=True)
class Bound:
    figure: Figure
    inclusive: bool | None  # None: the article does not say


@dataclass(frozen=True)
class TierRow:
    lower: Bound | None
    upper: Bound | None  # None: open top (及以上)
    reward: Figure
    ceiling: bool  # "奖励不超过10万元": the reward is a ceiling, not a fixed sum
    bounds: str  # the words that fix the bounds: "包含2000万元，不含5000万元" / "30亿元及以上"
    phrase: str


@dataclass(frozen=True)
class Cap:
    figure: Figure
    op: str
    scope: str  # the words before it: "每家机构每年", "单个机构规模发展奖励累计"
    phrase: str
    of: str = ""  # a share cap: "不超过当年实际缴纳租金的50%" → 当年实际缴纳租金
    basis: str = ""  # the boundary words: "最高、不超过"
    when: str = ""  # a cap raised for some ("…达到20人以上的，补贴面积上限提高至600平方米"): the condition


@dataclass(frozen=True)
class Rule:
    doc_id: str
    unit: str  # the unit label: 第五条, 二（二）5, （三）（2）, 附件2, 第3段
    phrase: str  # verbatim, an exact substring of the unit's text
    subject: str  # what is measured or paid, in the document's words

    kind = ""

    def figures(self) -> tuple[Figure, ...]:
        return ()

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "doc_id": self.doc_id, "unit": self.unit, "phrase": self.phrase,
                "subject": self.subject}


@dataclass(frozen=True)
class Threshold(Rule):
    op: str  # >= > <= <
    value: Figure
    basis: str  # the boundary word(s) that fix op
    of: str = ""  # a share: the whole the percentage is of
    applies_to: str = ""  # the words after: "…以上的人力资源服务机构" → 人力资源服务机构

    kind = "threshold"

    def figures(self) -> tuple[Figure, ...]:
        return (self.value,)


@dataclass(frozen=True)
class Tiers(Rule):
    rows: tuple[TierRow, ...]
    caps: tuple[Cap, ...] = ()

    kind = "tiers"

    def figures(self) -> tuple[Figure, ...]:
        out: list[Figure] = []
        for r in self.rows:
            out += [b.figure for b in (r.lower, r.upper) if b is not None] + [r.reward]
        return (*out, *(c.figure for c in self.caps))


@dataclass(frozen=True)
class Variant:
    """"入驻分园区的，按照…补贴标准的80%给予补贴": the rate scaled by `factor` for those the
    `condition` words name."""

    condition: str
    factor: Figure
    phrase: str


@dataclass(frozen=True)
class PerUnitCapped(Rule):
    amount: Figure  # 元 per unit, or a rate in % of `base`
    per: str  # 平方米 / 人 / 家 / 人次 …, or "" for a rate
    frequency: str  # 月 / 年 / 次 / ""
    ceiling: bool  # "每人每次不超过800元"
    base: str = ""  # a rate's base: "购房合同价格"
    caps: tuple[Cap, ...] = ()
    longest: Figure | None = None  # "补贴期限最长2年"
    years: tuple[int, ...] = ()  # "第二年按照每月每平方米18元": the years of payment it is for
    variants: tuple[Variant, ...] = ()
    # "第一年全额补贴，第二年按照50%补贴": the share of the standard paid in each year (the years, the share)
    yearly: tuple[tuple[tuple[int, ...], Figure], ...] = ()

    kind = "per_unit_capped"

    def figures(self) -> tuple[Figure, ...]:
        return (self.amount, *(c.figure for c in self.caps), *([self.longest] if self.longest else []),
                *(v.factor for v in self.variants), *(share for _, share in self.yearly))


@dataclass(frozen=True)
class Period(Rule):
    every: Figure  # 每两年 → 2年; 每年 → 1年
    times: Figure | None  # 一次 → 1次; None: "每3年…进行综合评估" says no count (once)

    kind = "period"

    def figures(self) -> tuple[Figure, ...]:
        return (self.every, *([self.times] if self.times else []))


@dataclass(frozen=True)
class Window(Rule):
    start: Figure | None  # a month-day, value month*100+day; None: a due date only
    end: Figure  # day 0 = 月底
    year: str  # 每年 / 当年 / 次年 / "" (as written around it)

    kind = "window"

    def figures(self) -> tuple[Figure, ...]:
        return (*([self.start] if self.start else []), self.end)


@dataclass(frozen=True)
class Deadline(Rule):
    period: Figure
    meaning: str  # within | publicity | ban
    start: str = ""  # the event it runs from: "收到申报材料之日"

    kind = "deadline"

    def figures(self) -> tuple[Figure, ...]:
        return (self.period,)


@dataclass(frozen=True)
class Installments(Rule):
    """"分三年发放，第一年发放40%，第二年、第三年各发放30%": a sum paid in yearly shares (the
    sum itself is stated beside it, per recipient, or given by the asker)."""

    shares: tuple[tuple[tuple[int, ...], Figure], ...]  # (the years, the share each of them)

    kind = "installments"

    def figures(self) -> tuple[Figure, ...]:
        return tuple(share for _, share in self.shares)


@dataclass(frozen=True)
class Refund(Rule):
    """"入驻满12个月不满36个月迁出的，按照未满月数占36个月的比例退回已享受的入驻奖励和房租补贴",
    "连续经营未满2年退出的，退回已享受房租补贴的50%": what was received is paid back, a share of
    it (`share`) or the share of the period not served (`share` None), when leaving before
    `below` (and, if written, after `above`)."""

    below: Figure  # 不满36个月 → 36月 (not included)
    above: Figure | None  # 满12个月 → 12月 (included)
    share: Figure | None  # 50% / 全部 (100%); None: in proportion to the time not served
    whole: Figure | None  # "占36个月": what the time not served is a share of (else `below`)
    received: str  # what is paid back: "已享受的入驻奖励和房租补贴"

    kind = "refund"

    def figures(self) -> tuple[Figure, ...]:
        return tuple(f for f in (self.below, self.above, self.share, self.whole) if f is not None)


@dataclass(frozen=True)
class DueDate(Rule):
    """"意见反馈截止时间为2024年6月20日": a dated deadline (value yyyymmdd, unit 年月日)."""

    due: Figure

    kind = "due_date"

    def figures(self) -> tuple[Figure, ...]:
        return (self.due,)


@dataclass(frozen=True)
class ScaledBars(Rule):
    """"专业性产业园，园区建筑面积、入驻机构数量…三项指标，按照附表1所列…指标的60%执行": the bars
    of another unit (an annex table), scaled by `factor` for those the rule's subject (its first
    clause, the condition) names. Each bar is kept as a `Cap`: scope = what it measures, op, its
    figure (labelled with its own unit), of = the table column it is in."""

    factor: Figure
    bars: tuple[Cap, ...]

    kind = "scaled_bars"

    def figures(self) -> tuple[Figure, ...]:
        return (self.factor, *(b.figure for b in self.bars))


@dataclass(frozen=True)
class Extraction:
    rules: tuple[Rule, ...]
    dropped: tuple[tuple[Rule, str], ...] = field(default=())  # a rule that failed `check`, and why

    def of_kind(self, kind: str) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]


# ---------------------------------------------------------------- the check


def _reread(fig: Figure) -> Decimal | None:
    """The figure's value read again from its own words, independently of how it was found."""
    if fig.unit == "年月日":
        m = re.fullmatch(r"(\d{4})年(\d{1,2})月(\d{1,2})日", fig.text)
        return Decimal(int(m.group(1)) * 10000 + int(m.group(2)) * 100 + int(m.group(3))) if m else None
    if fig.unit == "月日":
        m = re.fullmatch(r"(?:每年|当年|次年)?(\d{1,2})月(?:(\d{1,2})日|底)", fig.text)
        return Decimal(int(m.group(1)) * 100 + int(m.group(2) or 0)) if m else None
    if fig.unit == "%" and "%" not in fig.text:
        from assistant.calc.extract_text import lexicon

        if fig.text in lexicon()["half_words"]:
            return Decimal("0.5")  # "减半执行"
        # "全额退回", or the verb alone ("退回已享受的房租补贴"): 100%
        return Decimal(1) if fig.text in [*lexicon()["whole_words"], *lexicon()["refund_verbs"]] else None
    if fig.unit in ("次", "届"):
        return count_of(fig.text[:-1])
    if fig.text.startswith("每") and fig.unit in ("年", "月", "季度"):
        return Decimal(1) if fig.text == f"每{fig.unit}" else None
    if fig.unit in ("家次", "人次") and fig.text.endswith("次"):
        fig = replace(fig, unit=fig.unit[:-1], text=fig.text[:-1])
    kind = {"元": "amount", "平方米": "area", "%": "percent", "年": "duration", "月": "duration",
            "日": "duration", "工作日": "duration", "季度": "duration"}.get(fig.unit, "count")
    try:
        return parse_quantity(fig.text, kind).number  # type: ignore[arg-type]
    except CalcError:
        return None


def count_of(times: str) -> Decimal:
    """How many times: "1", "一", "两" (small counts of a periodic duty)."""
    return Decimal(times) if times.isdigit() else Decimal("一二三四五".index(times.replace("两", "二")) + 1)


def check(rule: Rule, texts: dict[str, str]) -> list[str]:
    """Problems with a rule: its phrase not in its unit, or a number not in the unit it is
    attributed to (or read there as another value). Empty when the rule holds."""
    problems: list[str] = []
    own = texts.get(rule.unit)
    if own is None:
        return [f"没有单元 {rule.unit}"]
    if not rule.phrase or rule.phrase not in own:
        problems.append(f"原文片段不在 {rule.unit} 中")
    for fig in rule.figures():
        where = fig.label or rule.unit
        text = texts.get(where, "")
        if not fig.text or fig.text not in text:
            problems.append(f"数字“{fig.text}”不在 {where} 中")
        elif _reread(fig) != fig.value:
            problems.append(f"“{fig.text}”读作 {fig.value}{fig.unit}，与原文不符")
    return problems

