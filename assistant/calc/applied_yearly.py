"""A standard paid in a share a year (assistant.calc.applied): "补贴期限3年：第一年全额补贴，第二年
按照50%补贴，第三年按照30%补贴；每家机构每年最高不超过6万元，且不超过当年实际缴纳租金的70%".
Each year is its own payment: the standard × the units × 12 months × that year's share, held under
the caps of a year (a sum, and a share of that year's rent when the question gives the rent), and
only then summed over the years asked."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.calc.applied import Applied, Ask, has, show
from assistant.calc.extract_types import Cap, PerUnitCapped
from assistant.calc.numbers import Quantity, plain

_YEAR_ASKED = re.compile(r"第([一二三四五])年")


def years_asked(rule: PerUnitCapped, ask: Ask) -> list[int]:
    """The years of the schedule the question is about: those it names ("第二年"), the first N
    ("三年一共", "两年"), or all of them for a sum with no length ("房补一共多少"); none else."""
    last = max(y for years, _ in rule.yearly for y in years)
    named = sorted({"一二三四五".index(y) + 1 for y in _YEAR_ASKED.findall(ask.text)})
    if named:
        return [y for y in named if y <= last]
    spans = [q for q in ask.of("duration") if q.unit == "年" or (q.unit == "月" and q.number % 12 == 0)]
    if spans:
        n = int(spans[0].number if spans[0].unit == "年" else spans[0].number / 12)
        return list(range(1, min(n, last) + 1))
    if has(ask.text, "total"):
        return list(range(1, last + 1))
    return []


def _of_a_year(cap: Cap) -> bool:
    """"每家机构每年最高不超过12万元": a cap of each year's payment (not of all years together)."""
    return any(w in cap.scope + cap.phrase for w in ("每年", "当年", "年度"))


def by_year(rule: PerUnitCapped, ask: Ask, q: Quantity, n: Decimal, rate: Decimal,
            steps: list[str], rent: tuple[Decimal, str] | None) -> Applied | None:
    """The payment of each year asked, capped each year, and their sum. `n`: the units counted
    after their caps; `rate`: the standard per unit (after a variant); `rent`: a year's rent the
    question gives (for a share cap), or None."""
    asked = years_asked(rule, ask)
    if not asked:
        return None
    months = Decimal(12) if rule.frequency == "月" else Decimal(1)
    full = rate * n * months
    month_said = f" × {plain(months)}个月" if months != 1 else ""
    steps = [*steps, f"每年标准：{show(rate, '元')} × {plain(n)}{rule.per}{month_said} = {show(full, '元')}"]
    sums = [c for c in rule.caps if c.figure.unit == "元" and not c.of]
    shares = [c for c in rule.caps if c.of and c.figure.unit == "%"]
    total, parts = Decimal(0), []
    for year in asked:
        share = next(f for years, f in rule.yearly if year in years)
        pay = full * share.value
        said = share.text if share.text.endswith("%") else f"{show(share)}（{share.text}）"
        step = f"第{year}年：{show(full, '元')} × {said} = {show(pay, '元')}"
        for cap in [c for c in sums if _of_a_year(c)]:
            if pay > cap.figure.value:
                step += f"，超过“{cap.phrase}”，按{show(cap.figure)}"
                pay = cap.figure.value
        for cap in shares:
            if rent is None:
                continue
            limit = rent[0] * cap.figure.value
            if pay > limit:
                step += f"，超过“{cap.phrase}”（{show(rent[0], '元')} × {show(cap.figure)}），按{show(limit, '元')}"
                pay = limit
        steps.append(step)
        parts.append(pay)
        total += pay
    if rent is not None and shares:
        steps.insert(len(steps) - len(asked), f"{shares[0].of}：{rent[1]}")
    if len(asked) > 1:
        steps.append(" + ".join(show(p, "元") for p in parts) + f" = {show(total, '元')}")
    for cap in [c for c in sums if not _of_a_year(c)]:
        if total > cap.figure.value:
            steps.append(f"超过上限，按“{cap.phrase}”为{show(cap.figure)}")
            total = cap.figure.value
    said = f"第{asked[0]}年" if len(asked) == 1 else f"{len(asked)}年合计"
    subject = rule.subject or "补贴"
    line = f"{subject}{said}{show(total, '元')}（条文：“{rule.phrase}”）"
    conditions = tuple(c.phrase for c in shares if rent is None)
    return Applied(rule, 1, (line,), tuple(steps), {rule.per: q.text, "年度": said}, show(total, "元"),
                   conditions, used=(q,))
