"""An amount per unit found in the text (assistant.calc.applied), applied to a question's figures:
per person, per 平方米, per month times the count and the months, a rate of a base the question
gives, each kind of person paid its own amount, all held under the rule's caps; and the headroom
left under a cap ("还能再报几个").
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from assistant.calc.applied import (
    Applied,
    Ask,
    _fits_unit,
    _persons,
    _pick,
    _value,
    bigrams,
    has,
    same_measure,
    show,
    show_sum,
    words,
)
from assistant.calc.extract_text import lexicon
from assistant.calc.extract_types import PerUnitCapped
from assistant.calc.number_format import plain
from assistant.calc.numbers import Quantity


def _months(rule: PerUnitCapped, ask: Ask) -> tuple[Decimal, str] | None:
    """How many months a monthly amount is paid for, as the question says (or 1)."""
    if rule.frequency != "月":
        return None
    durations = [q for q in ask.of("duration") if q.unit in ("月", "年")]
    if durations:
        months, said = _value(durations[0], "月"), durations[0].text
    elif _asks_a_month(ask):
        return Decimal(1), "每月"
    elif has(ask.text, "year_words"):
        months, said = Decimal(12), "一年12个月"
    else:
        return Decimal(1), "每月"
    if rule.longest is not None:
        limit = _value(Quantity("duration", rule.longest.value, rule.longest.unit), "月")
        if months > limit:
            return limit, f"{said}，期限最长{rule.longest.text}"
    return months, said


def _asks_a_month(ask: Ask) -> bool:
    """"每个月能拿多少": a month word asking, not one saying what a figure is ("租金每月每平45块")."""
    asked = re.sub(rf"(?:{'|'.join(words('month_words'))})(?=每|[\d一二三四五六七八九十两])", "", ask.text)
    return any(w in asked for w in words("month_words"))


def _of_year_asked(rule: PerUnitCapped, ask: Ask) -> bool:
    """False for the rate of another year than the one asked ("第二年…")."""
    asked_years = {"一二三四五".index(y) + 1 for y in re.findall(r"第([一二三四五])年", ask.text)}
    return not (rule.years and asked_years and not asked_years & set(rule.years))


def apply_per_unit(rule: PerUnitCapped, ask: Ask) -> Applied | None:
    if rule.amount.unit == "%":
        if rule.yearly:
            from assistant.calc.applied_yearly import rate_by_year, years_asked

            areas = [c for c in rule.caps if c.figure.unit == "平方米" and not c.when]
            if years_asked(rule, ask):
                return rate_by_year(rule, ask, areas)
        return _rate(rule, ask) if _of_year_asked(rule, ask) else None
    amount_caps = [c for c in rule.caps if c.figure.unit == "元" and not c.of]
    if has(ask.text, "headroom"):
        head = _headroom(rule, ask, amount_caps)
        if head is not None:
            return head
    if has(ask.text, "owed") and (owed := _owed_beyond_relief(rule, ask)) is not None:
        return owed
    if not _of_year_asked(rule, ask):
        return None
    found = [q for q in ask.figures if _fits_unit(q, rule.per) and not ask.already(q)]
    q = _pick(ask, found, rule.subject + rule.phrase)
    if q is None:
        return None
    n, steps, bound = q.number, [], []
    rate = rule.amount.value
    for v in rule.variants:
        # "入驻分园区的": named by its own words (分园), not by words every park shares (园区)
        if (bigrams(v.condition) - bigrams("、".join(lexicon()["variant_generic"]))) & bigrams(ask.text):
            rate = rule.amount.value * v.factor.value
            steps.append(f"{v.condition}：{show(rule.amount)} × {v.factor.text} = {show(rate, '元')}（条文：“{v.phrase}”）")
    counted_caps = [c for c in rule.caps
                    if c.figure.unit == rule.per or (rule.per in _persons() and c.figure.unit in _persons())]
    raised = [c for c in counted_caps if c.when and _holds(c.when, ask, q)]
    for cap in raised or [c for c in counted_caps if not c.when]:
        if cap.when:
            steps.append(f"符合“{cap.when}”，按“{cap.phrase}”")
        if n > cap.figure.value:
                steps.append(f"{q.text}超过上限，按“{cap.phrase}”计{show(cap.figure)}")
                n = cap.figure.value
                bound.append(cap.figure.label)
    if rule.yearly and rule.amount.unit == "元" and any(f.unit == "元" for _, f in rule.yearly) and _asks_a_month(ask):
        # "第二年每个月能拿多少": that year's own amount, for a month
        from assistant.calc.applied_yearly import years_asked

        asked = years_asked(rule, ask)
        year = asked[0] if len(asked) == 1 else 1
        own = next((f for ys, f in rule.yearly if year in ys), None)
        if own is not None and rule.amount.value:
            rate = rate * own.value / rule.amount.value
            rule = replace(rule, amount=own, yearly=())
    if rule.yearly:
        from assistant.calc.applied_yearly import by_year

        rent = _share_base(rule, ask, q, Decimal(12)) if any(c.of for c in rule.caps) else None
        yearly = by_year(rule, ask, q, n, rate, steps, rent)
        if yearly is not None:
            # the schedule's item and the items of the caps that held a year are cited with the rule
            said = "；".join(yearly.steps)
            bound += [f.label for _, f in rule.yearly] + [c.figure.label for c in rule.caps if c.phrase in said]
            return replace(yearly, also=tuple(dict.fromkeys(b for b in bound if b and b != rule.unit)))
    total = rate * n
    calc = f"{show(rate, '元')} × {plain(n)}{rule.per}"
    months = _months(rule, ask)
    if months and months[0] != 1:
        total *= months[0]
        calc += f" × {plain(months[0])}个月（{months[1]}）"
    calc += f" = {show(total, '元')}"
    steps.append(calc)
    pay = total
    for cap in amount_caps:
        if pay > cap.figure.value:
            steps.append(f"超过上限，按“{cap.phrase}”为{show(cap.figure)}")
            pay = cap.figure.value
            bound.append(cap.figure.label)
    share_caps = [c for c in rule.caps if c.of and c.figure.unit == "%"]
    checked: list[str] = []
    for cap in share_caps:
        base = _share_base(rule, ask, q, months[0] if months else Decimal(1))
        if base is None:
            continue
        limit = base[0] * cap.figure.value
        checked.append(cap.phrase)
        steps.append(f"{cap.of}：{base[1]}；× {show(cap.figure)} = {show(limit, '元')}")
        if pay > limit:
            steps.append(f"超过上限，按“{cap.phrase}”为{show(limit, '元')}")
            pay = limit
            bound.append(cap.figure.label)
    word = "最多" if rule.ceiling else ""
    line = f"{rule.subject or '补贴'}{word}{show_sum(pay)}（条文：“{rule.phrase}”）"
    conditions = tuple(c.phrase for c in rule.caps if c.of and c.phrase not in checked)
    # a cap written in a sibling item is cited with the rule
    also = tuple(dict.fromkeys(label for label in bound if label and label != rule.unit))
    return Applied(rule, 1, (line,), tuple(steps), {rule.per: q.text}, show(pay, "元"), conditions, also=also,
                   used=(q,))


def _holds(condition: str, ask: Ask, counted: Quantity) -> bool:
    """Whether the question meets a condition a raised cap is for ("首次入驻且在岗从业人员达到20人
    以上"): each bar in it that a figure of its unit speaks to is met, and one at least is."""
    from assistant.calc.extract_text import ops, prefix_op
    from assistant.calc.quantities_in_text import extract_quantities

    checked = False
    for bar in extract_quantities(condition):
        word = bar.qualifier if bar.qualifier in ops() else None
        op = ops()[word] if word else (prefix_op(condition, bar.span[0]) or ("", ">="))[1]
        given = [q for q in ask.figures if q is not counted and q.kind == bar.kind and q.unit == bar.unit]
        for q in given:
            met = {">=": q.number >= bar.number, ">": q.number > bar.number, "<=": q.number <= bar.number,
                   "<": q.number < bar.number}.get(op, False)
            if not met:
                return False
            checked = True
    return checked


def _share_base(rule: PerUnitCapped, ask: Ask, q: Quantity, months: Decimal) -> tuple[Decimal, str] | None:
    """The sum a share cap is taken of ("不超过实际缴纳租金的70%"), from an amount the question
    gives: per unit counted ("租金每月每平40块" × the units) and per month (× the months paid)."""
    found = [a for a in ask.of("amount") if a is not q]
    if not found:
        return None
    a = found[0]
    near = ask.text[max(0, a.span[0] - 10):a.span[0]]
    base, said = a.number, a.text
    if rule.per and re.search(rf"每{re.escape(rule.per[:1])}|/{re.escape(rule.per[:1])}", near):
        base *= q.number
        said += f" × {q.text}"
    if rule.frequency == "月" and "月" in near and months != 1:
        base *= months
        said += f" × {plain(months)}个月"
    return base, f"{said} = {show(base, '元')}"


def _rate(rule: PerUnitCapped, ask: Ask) -> Applied | None:
    # "增长奖励也够50万": a payment is no base of a rate
    amounts = [q for q in ask.of("amount") if same_measure(ask, q, rule.base + rule.phrase)
               and not any(w in ask.before(q) for w in lexicon()["reward_words"])]
    if not amounts:
        return None
    if any(w in rule.base for w in words("increment")):
        if len(amounts) < 2:
            return None  # an increase needs both years' figures
        a, b = amounts[0], amounts[1]
        read = [a, b]
        base = abs(a.number - b.number)
        steps = [f"{rule.base}：{a.text}与{b.text}相差{show(base, '元')}"]
        shown = {rule.base: show(base, "元")}
    elif (each := _each_person(rule, ask, amounts)) is not None:
        return each
    else:
        q = _pick(ask, amounts, rule.base)
        assert q is not None
        base, steps, shown = q.number, [], {rule.base: q.text}
        read = [q]
    total = base * rule.amount.value
    steps.append(f"{show(base, '元')} × {show(rule.amount)} = {show(total, '元')}")
    pay = total
    used: list[Quantity] = []
    for cap in rule.caps:
        if cap.figure.unit != "元":
            continue
        limit, said = cap.figure.value, show(cap.figure)
        counted = _cap_per_unit(cap, ask)
        if counted is not None:
            # "每平方米补贴最高不超过200元": the cap grows with the units the question gives
            limit = cap.figure.value * counted.number
            said = f"{show(cap.figure)} × {counted.text} = {show(limit, '元')}"
            used.append(counted)
            shown[cap.phrase] = counted.text
        if pay > limit:
            steps.append(f"超过上限，按“{cap.phrase}”为{said}")
            pay = limit
    line = f"{rule.subject or '补贴'}{show(pay, '元')}（条文：“{rule.phrase}”）"
    # the amounts read are in `inputs` only: a bar on the same figures ("增长30%以上") is a
    # precondition shown beside the result, not the same reading
    shown["读取"] = "、".join(q.text for q in read)
    return Applied(rule, 1, (line,), tuple(steps), shown, show(pay, "元"), used=tuple(used))


_PER_UNIT_CAP = re.compile(r"每(?:[\u4e00-\u9fff]{1,3}?(?:\d+|一))?(?P<unit>平方米|[人家个名])(?!每)[^，。；]*?(?:最高|不超过|最多)")


def _each_person(rule: PerUnitCapped, ask: Ask, amounts: list[Quantity]) -> Applied | None:
    """"引进了3个人才，首年年薪分别60万、120万、80万" and "年薪的5%…每引进1人最高不超过5万元，每家
    机构每年最高不超过50万元": the rate of each person's sum, held under the cap per person, then
    summed and held under the caps of the whole."""
    per_person = [c for c in rule.caps if c.figure.unit == "元" and (m := _PER_UNIT_CAP.search(c.phrase))
                  and m.group("unit") in ("人", "名")]
    listed = [q for q in amounts if not ask.already(q)]
    if not per_person or len(listed) < 2 or "分别" not in ask.text:
        return None
    cap = per_person[0]
    steps, parts = [], []
    for q in listed:
        due = q.number * rule.amount.value
        step = f"{q.text} × {show(rule.amount)} = {show(due, '元')}"
        if due > cap.figure.value:
            step += f"，超过“{cap.phrase}”，按{show(cap.figure)}"
            due = cap.figure.value
        steps.append(step)
        parts.append(due)
    total = sum(parts, Decimal(0))
    steps.append(" + ".join(show(p, "元") for p in parts) + f" = {show(total, '元')}")
    pay = total
    for other in rule.caps:
        if other is cap or other.figure.unit != "元" or (_PER_UNIT_CAP.search(other.phrase) and "每年" not in other.phrase):
            continue
        if pay > other.figure.value:
            steps.append(f"超过上限，按“{other.phrase}”为{show(other.figure)}")
            pay = other.figure.value
    line = f"{rule.subject or '奖励'}合计{show(pay, '元')}（{len(listed)}人；条文：“{rule.phrase}”）"
    shown = {rule.base: "、".join(q.text for q in listed), "读取": "、".join(q.text for q in listed)}
    return Applied(rule, len(listed), (line,), tuple(steps), shown, show(pay, "元"), used=tuple(listed))


def _cap_per_unit(cap: Any, ask: Ask) -> Quantity | None:
    """The question's figure a cap is per unit of ("每平方米补贴最高不超过200元" and "400平米"),
    or None for a cap on the whole payment."""
    m = _PER_UNIT_CAP.search(cap.phrase)
    if m is None:
        return None
    found = [q for q in ask.figures if _fits_unit(q, m.group("unit")) and not ask.already(q)]
    return found[0] if len(found) == 1 else None


def _headroom(rule: PerUnitCapped, ask: Ask, amount_caps: list[Any]) -> Applied | None:
    """"已经拿了46万元，还能再拿几个人的" / "已有8人在领，还能再报几人"."""
    got_amount = ask.of("amount", already=True)
    if got_amount and amount_caps:
        cap, got = amount_caps[0], got_amount[0]
        left = max(cap.figure.value - got.number, Decimal(0))
        steps = [f"{show(cap.figure)} − {got.text} = {show(left, '元')}"]
        line = f"距上限还可得{show(left, '元')}（条文：“{cap.phrase}”）"
        result = show(left, "元")
        if has(ask.text, "how_many") and rule.amount.value:
            n = (left / rule.amount.value).to_integral_value(rounding=ROUND_FLOOR)
            steps.append(f"{show(left, '元')} ÷ {show(rule.amount)} = {plain(n)}{rule.per}")
            line = f"还能再拿{plain(n)}{rule.per}（{rule.phrase}；{cap.phrase}）"
            result = f"{plain(n)}{rule.per}"
        return Applied(rule, 1, (line,), tuple(steps), {"已获": got.text}, result)
    paid = [q for q in ask.figures if q.kind == "count" and ask.already(q) and _paid_each(rule, ask, q)]
    if paid and amount_caps and rule.amount.value:
        return _left_after_paid(rule, ask, amount_caps[0], paid[0])
    count_caps = [c for c in rule.caps if c.figure.unit == rule.per
                  or (rule.per in _persons() and c.figure.unit in _persons())]
    got_count = [q for q in ask.figures if q.kind == "count" and ask.already(q) and _fits_unit(q, rule.per)]
    if got_count and count_caps:
        cap, got = count_caps[0], got_count[0]
        left = max(cap.figure.value - got.number, Decimal(0))
        unit = cap.figure.unit
        return Applied(rule, 1, (f"还能再报{plain(left)}{unit}（条文：“{cap.phrase}”）",),
                       (f"{show(cap.figure)} − {got.text} = {plain(left)}{unit}",), {"已有": got.text},
                       f"{plain(left)}{unit}")
    return None


def _paid_each(rule: PerUnitCapped, ask: Ask, q: Quantity) -> bool:
    """Whether a count already paid is of what the rule pays per: its unit ("8人"), or, for a
    one-off amount per recipient, the words the count names ("9个团队" and "奖励招商团队3万元")."""
    if rule.per:
        return _fits_unit(q, rule.per)
    return bool(bigrams(ask.after(q)) & bigrams(rule.phrase))


def _left_after_paid(rule: PerUnitCapped, ask: Ask, cap: Any, paid: Quantity) -> Applied:
    """"已经发了9个团队，还剩多少额度": the amount the paid count has used, taken from the cap."""
    used = paid.number * rule.amount.value
    left = max(cap.figure.value - used, Decimal(0))
    named = ask.after(paid)
    steps = [f"已发{paid.text}{named} × {show(rule.amount)} = {show(used, '元')}",
             f"{show(cap.figure)} − {show(used, '元')} = {show(left, '元')}"]
    line = f"此项资金还剩{show(left, '元')}额度（条文：“{rule.phrase}”；“{cap.phrase}”）"
    result = show(left, "元")
    if has(ask.text, "how_many"):
        n = (left / rule.amount.value).to_integral_value(rounding=ROUND_FLOOR)
        steps.append(f"{show(left, '元')} ÷ {show(rule.amount)} = {plain(n)}")
        line = f"还能再奖励{plain(n)}{paid.unit}{named}，此项资金还剩{show(left, '元')}额度（条文：“{rule.phrase}”；“{cap.phrase}”）"
    return Applied(rule, 1, (line,), tuple(steps), {"已发": f"{paid.text}{named}"}, result, used=(paid,))


_CN_YEAR = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_N = r"[一二两三四五\d]"
# "前两年免收租金" (years 1..N) or "第一年免收租金" (year N alone)
_FREE_YEARS = re.compile(rf"(?:(?P<upto>前)|第)(?P<n>{_N})年(?:内)?(?:免收|免除|免交|全免)")
_YEAR_NAMED = re.compile(rf"第({_N})年")


def _year_no(word: str) -> int:
    return int(word) if word.isdigit() else _CN_YEAR[word]


def _relieved_share(rule: PerUnitCapped, year: int) -> tuple[Decimal, str] | None:
    """The share of the charge paid on the relieved part in the year asked: 0 in a year it is
    waived, a variant's factor in the year it names ("第三年按照租金标准的50%收取"), else None."""
    for v in rule.variants:
        for m in _FREE_YEARS.finditer(v.condition + v.phrase + rule.phrase):
            n = _year_no(m.group("n"))
            if year == n or (m.group("upto") and year <= n):
                return Decimal(0), m.group(0)
        if any(_year_no(n) == year for n in _YEAR_NAMED.findall(v.phrase)):
            return v.factor.value, v.phrase
    return None


def _owed_beyond_relief(rule: PerUnitCapped, ask: Ask) -> Applied | None:
    """"用了350平方米，入驻第一年还要交多少房租": a charge per unit ("租金标准为每月每平方米15元")
    relieved up to a cap ("减免面积每家不超过300平方米", "前两年免收租金，第三年按照租金标准的50%
    收取"): the part over the cap is paid in full, the relieved part at the year's share."""
    relief = [c for c in rule.caps if c.figure.unit == rule.per and any(w in c.scope + c.phrase for w in words("relief"))]
    found = [q for q in ask.figures if _fits_unit(q, rule.per) and not ask.already(q)]
    if not relief or len(found) != 1 or rule.frequency != "月":
        return None
    cap, q = relief[0], found[0]
    asked = _YEAR_NAMED.search(ask.text)
    year = _year_no(asked.group(1)) if asked else 1
    relieved_at = _relieved_share(rule, year)
    if relieved_at is None:
        return None  # no relief the year asked can be read from the text
    share, why = relieved_at
    months, said_months = Decimal(12), "一年12个月"
    if _asks_a_month(ask):
        months, said_months = Decimal(1), "每月"
    over = max(q.number - cap.figure.value, Decimal(0))
    relieved = q.number - over
    rate = rule.amount.value
    owed_over = over * rate * months
    owed_relieved = relieved * rate * share * months
    total = owed_over + owed_relieved
    named = asked.group(0) if asked else "第一年"
    steps = [f"{q.text}，减免部分{plain(relieved)}{rule.per}（“{cap.phrase}”），超出{plain(over)}{rule.per}按租金标准全额收取",
             f"{named}减免部分：{why}"]
    if over:
        steps.append(f"{show(rule.amount)} × {plain(over)}{rule.per} × {plain(months)}个月（{said_months}） = {show(owed_over, '元')}")
    if owed_relieved:
        steps.append(f"{show(rule.amount)} × {plain(share * 100)}% × {plain(relieved)}{rule.per} × {plain(months)}个月"
                     f" = {show(owed_relieved, '元')}")
    if over and owed_relieved:
        steps.append(f"合计{show(total, '元')}")
    line = f"{named}还需缴纳{show_sum(total)}（条文：“{rule.phrase}”；“{cap.phrase}”）"
    return Applied(rule, 1, (line,), tuple(steps), {"面积": q.text, "年度": named}, show_sum(total), used=(q,))
