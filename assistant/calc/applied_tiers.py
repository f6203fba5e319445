"""A tier table found in the text (assistant.calc.applied), applied to a question's figure: the row
it falls in and its reward, what a higher tier adds after a lower one (补差) unless the document
says it is not topped up, and a row paid as a share of a base the question gives. A figure on a
bound the text leaves open yields the conditions, not a number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from assistant.calc.applied import (
    Applied,
    Ask,
    _fits_unit,
    _pick,
    _value,
    has,
    same_measure,
    show,
    words,
)
from assistant.calc.extract_text import lexicon
from assistant.calc.extract_types import TierRow, Tiers
from assistant.calc.numbers import Quantity


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
