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
from dataclasses import dataclass, field, replace
from decimal import ROUND_FLOOR, Decimal
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
    TierRow,
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


# ---------------------------------------------------------------- tiers


def _row_of(rows: Sequence[TierRow], v: Decimal) -> tuple[TierRow | None, bool]:
    """The row holding v, and whether that is certain (a bound the text leaves open is not)."""
    for row in rows:
        lo, hi = row.lower, row.upper
        on_open_bound = any(b is not None and b.inclusive is None and b.figure.value == v for b in (lo, hi))
        if on_open_bound:
            return row, False
        above = lo is None or v > lo.figure.value or (v == lo.figure.value and lo.inclusive is not False)
        below = hi is None or v < hi.figure.value or (v == hi.figure.value and hi.inclusive is True)
        if above and below:
            return row, True
    return None, True


def apply_tiers(rule: Tiers, ask: Ask, related: dict[str, str]) -> Applied | None:
    first_bound = rule.rows[0].lower or rule.rows[0].upper
    unit = first_bound.figure.unit if first_bound else "元"
    q = _pick(ask, [q for q in ask.figures if _fits_unit(q, unit) and not ask.already(q)
                    and same_measure(ask, q, rule.subject)], rule.subject)
    if q is None:
        return None
    v = _value(q, unit)
    shown = {rule.subject or "数额": q.text}
    row, certain = _row_of(rule.rows, v)
    if not certain:
        return Applied(rule, 1, (f"{q.text}正好在条文的档次界限上，条文未写明含不含本数，无法确定档次：",),
                       inputs=shown, conditions=tuple(r.phrase for r in rule.rows))
    if row is None:
        first = rule.rows[0]
        bar = first.lower.figure if first.lower else first.reward
        gap = bar.value - v
        return Applied(rule, 1, (f"{rule.subject}{q.text}未达到最低一档（{first.phrase}），还差{show(gap, unit)}",),
                       steps=(f"{show(bar)} − {show(v, unit)} = {show(gap, unit)}",), inputs=shown,
                       result=f"还差{show(gap, unit)}")
    if row.reward.unit == "%":
        from assistant.calc.applied_refunds import asks_refund

        if re.search("|".join(lexicon()["refund_verbs"]), row.phrase) and not asks_refund(ask):
            return None  # "满1年不满2年迁出的，退回60%" answers only what is to be paid back
        return _tier_share(rule, ask, row, q, shown)
    reward = row.reward.value
    word = "最高" if row.ceiling else ""
    lines = [f"{rule.subject}{q.text}属于“{row.phrase}”这一档：奖励{word}{show(reward, '元')}"]
    steps = [f"{show(v, unit)} → {row.bounds}"]
    result = show(reward, "元")
    got = ask.of("amount", already=True)
    # "前年营收4000万拿过10万奖励": of the figures already had, the one said as a payment
    paid_words = [q for q in got if any(w in ask.before(q) + ask.after(q) for w in lexicon()["reward_words"])]
    got = paid_words or got
    top_up = next((label for label, text in related.items() if any(w in text for w in words("top_up"))), None)
    also: tuple[str, ...] = ()
    refused = _no_top_up(related)
    if got and refused is not None:
        # "已获奖励后营业收入升档的，不再补差"
        label, sentence = refused
        lines = [f"已获奖励{got[0].text}，按条文“{sentence}”，不再补差", lines[0]]
        return Applied(rule, 2, tuple(lines), tuple(steps), {**shown, "已获奖励": got[0].text}, "不再补差",
                       also=(label,) if label != rule.unit else (), used=(q, got[0]), at=row.reward.label)
    if got and top_up is not None:
        also = (top_up,) if top_up != rule.unit else ()
        paid = got[0].number
        due = max(reward - paid, Decimal(0))
        lines = [f"可得补差{show(due, '元')}：新档次{show(reward, '元')}减去已获奖励{got[0].text}", lines[0]]
        steps.append(f"{show(reward, '元')} − {show(paid, '元')} = {show(due, '元')}")
        shown["已获奖励"] = got[0].text
        result = show(due, "元")
    index = rule.rows.index(row)
    if has(ask.text, "gap") and index + 1 < len(rule.rows):
        nxt = rule.rows[index + 1]
        if nxt.lower is not None:
            gap = nxt.lower.figure.value - v
            lines.append(f"距下一档（{nxt.phrase}）还差{show(gap, unit)}")
            steps.append(f"{show(nxt.lower.figure)} − {show(v, unit)} = {show(gap, unit)}")
    return Applied(rule, 1, tuple(lines), tuple(steps), shown, result, also=also, used=(q,),
                   at=row.reward.label)


def _no_top_up(related: dict[str, str]) -> tuple[str, str] | None:
    """The sentence saying a higher tier pays no difference ("…升档的，不再补差"): its unit and
    words."""
    top = "|".join(words("top_up"))
    for label, text in related.items():
        for sentence in re.split(r"[。；\n]", text):
            if re.search(rf"(?:{'|'.join(words('negations'))})(?:{top})", sentence):
                return label, sentence.strip()
    return None


def _tier_share(rule: Tiers, ask: Ask, row: TierRow, q: Quantity, shown: dict[str, str]) -> Applied:
    """A row that gives a share ("满1年不满2年迁离的，退回60%"): of the sum the question gives."""
    from assistant.calc.applied_refunds import asks_refund, received

    line = f"{rule.subject}{q.text}属于“{row.phrase}”这一档（{row.reward.text}）"
    steps = [f"{q.text} → {row.bounds}"]
    # "退回已享受的房租补贴和装修补贴的60%": of every sum given that the row names
    what = row.phrase[row.phrase.rfind("，") + 1:]
    bases = received(what, ask, besides=(q,)) or [b for b in ask.figures if b.kind == "amount" and b is not q][:1]
    if not bases:
        return Applied(rule, 1, (line,), tuple(steps), shown, row.reward.text, used=(q,), at=row.reward.label)
    total = sum((b.number for b in bases), Decimal(0))
    due = total * row.reward.value
    said = " + ".join(b.text for b in bases)
    shown["金额"] = said
    base = f"（{said}）= {show(total, '元')}" if len(bases) > 1 else show(total, "元")
    steps.append(f"{base} × {show(row.reward)} = {show(due, '元')}")
    fit = 1 + len(bases) if asks_refund(ask) else 2
    return Applied(rule, fit, (f"{line}：{show(due, '元')}",), tuple(steps), shown, show(due, "元"),
                   used=(q, *bases), at=row.reward.label)


# ---------------------------------------------------------------- per-unit amounts


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


def apply(rule: Rule, ask: Ask, related: dict[str, str] | None = None) -> Applied | None:
    """The rule applied to the question, or None when the question gives nothing it reads.
    `related`: label → text of the rule's unit and its sibling items (a 补差 sentence)."""
    if isinstance(rule, Tiers):
        return apply_tiers(rule, ask, related or {})
    if isinstance(rule, Threshold):
        from assistant.calc.applied_bars import apply_threshold

        return apply_threshold(rule, ask)
    if isinstance(rule, PerUnitCapped):
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
