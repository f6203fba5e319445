"""A standard paid in a share a year (assistant.calc.applied): "补贴期限3年：第一年全额补贴，第二年
按照50%补贴，第三年按照30%补贴；每家机构每年最高不超过6万元，且不超过当年实际缴纳租金的70%".
Each year is its own payment: the standard × the units × 12 months × that year's share, held under
the caps of a year (a sum, and a share of that year's rent when the question gives the rent), and
only then summed over the years asked."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.calc.applied import Applied, Ask, has, show, show_sum
from assistant.calc.extract_types import Cap, PerUnitCapped
from assistant.calc.number_format import plain
from assistant.calc.numbers import Quantity

_CN = " 一二三四五"
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
    if any(f.unit == "元" for _, f in rule.yearly):
        # a schedule of amounts: each year's own amount × the units × the months
        # a variant of the standard ("入驻分园的，按照…标准的70%") scales each year's amount
        factor = rate / rule.amount.value if rule.amount.value else Decimal(1)
        scaled = f" × {plain(factor * 100)}%" if factor != 1 else ""
        return _summed(rule, asked, full, steps, rent, {rule.per: q.text}, (q,),
                       (factor * n * months, f"{scaled} × {plain(n)}{rule.per}{month_said}"))
    steps = [*steps, f"每年标准：{show(rate, '元')} × {plain(n)}{rule.per}{month_said} = {show(full, '元')}"]
    return _summed(rule, asked, full, steps, rent, {rule.per: q.text}, (q,))


def rate_by_year(rule: PerUnitCapped, ask: Ask, area_caps: list[Cap]) -> Applied | None:
    """"第一年按照实际缴纳租金的100%…，第二年、第三年按照…50%": a year's rent from the question
    (a price per unit area and month × the area, held under the area caps, × 12; or a yearly sum
    as given) times each year's rate. Only the rate of the first year asked answers, so that the
    schedule is computed once."""
    asked = years_asked(rule, ask)
    if not asked or asked[0] not in rule.years:
        return None
    rent = _rent_of_year(ask, area_caps)
    if rent is None:
        return None
    full, said, used = rent
    steps = [f"{rule.base}（每年）：{said}"]
    # the amounts read, as a rate of one year reads them (choose weighs their words against the base)
    inputs = {rule.base: said, "读取": "、".join(q.text for q in used if q.kind == "amount")}
    return _summed(rule, asked, full, steps, None, inputs, used)


def _rent_of_year(ask: Ask, area_caps: list[Cap]) -> tuple[Decimal, str, tuple[Quantity, ...]] | None:
    amounts = [a for a in ask.of("amount")]
    if len(amounts) != 1:
        return None
    a = amounts[0]
    around = ask.text[max(0, a.span[0] - 8):a.span[1] + 6]
    monthly = "月" in around
    areas = [q for q in ask.of("area")]
    if re.search(r"每平|/平|每㎡|/㎡", around) and len(areas) == 1:
        area = areas[0]
        n, note = area.number, ""
        for cap in area_caps:
            if n > cap.figure.value:
                n, note = cap.figure.value, f"（超过“{cap.phrase}”，按{show(cap.figure)}）"
        months = Decimal(12) if monthly else Decimal(1)
        rent = a.number * n * months
        month_said = " × 12个月" if monthly else ""
        return rent, f"{a.text} × {plain(n)}平方米{note}{month_said} = {show(rent, '元')}", (a, area)
    if monthly:
        return a.number * 12, f"{a.text} × 12个月 = {show(a.number * 12, '元')}", (a,)
    return a.number, a.text, (a,)


def _summed(rule: PerUnitCapped, asked: list[int], full: Decimal, steps: list[str],
            rent: tuple[Decimal, str] | None, inputs: dict[str, str], used: tuple[Quantity, ...],
            counted: tuple[Decimal, str] | None = None) -> Applied:
    """Each year asked: `full` × its share of the schedule (or, for a schedule of amounts, that
    year's amount × `counted`: the units × the months, as said), held under the caps of a year;
    then the sum, held under a cap of all years."""
    sums = [c for c in rule.caps if c.figure.unit == "元" and not c.of]
    shares = [c for c in rule.caps if c.of and c.figure.unit == "%"]
    total, parts = Decimal(0), []
    if rent is not None and shares:
        steps.append(f"{shares[0].of}：{rent[1]}")
    for year in asked:
        share = next(f for years, f in rule.yearly if year in years)
        if share.unit == "元" and counted is not None:
            pay = share.value * counted[0]
            step = f"第{_CN[year]}年：{share.text}{counted[1]} = {show(pay, '元')}"
        else:
            pay = full * share.value
            said = share.text if share.text.endswith("%") else f"{show(share)}（{share.text}）"
            step = f"第{_CN[year]}年：{show(full, '元')} × {said} = {show(pay, '元')}"
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
    if len(asked) > 1:
        steps.append(" + ".join(show(p, "元") for p in parts) + f" = {show(total, '元')}")
    for cap in [c for c in sums if not _of_a_year(c)]:
        if total > cap.figure.value:
            steps.append(f"超过上限，按“{cap.phrase}”为{show(cap.figure)}")
            total = cap.figure.value
    subject = rule.subject or "补贴"
    if len(asked) == 1:
        said_years = f"第{_CN[asked[0]]}年"
        line = f"{said_years}{subject}{show_sum(total)}（条文：“{rule.phrase}”）"
    else:
        said_years = f"{_CN[len(asked)]}年合计"
        line = f"{subject}{said_years}{show_sum(total)}（条文：“{rule.phrase}”）"
    conditions = tuple(c.phrase for c in shares if rent is None)
    return Applied(rule, len(used), (line,), tuple(steps), {**inputs, "年度": said_years}, show(total, "元"),
                   conditions, used=used)
