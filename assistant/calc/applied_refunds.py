"""Paying back on leaving early (a `Refund` found in the text, see assistant.calc.extract_refunds),
applied to a question: how long the asker stayed, what it received (each sum whose words name
what the rule says is paid back), and the share: as written, or the time not served over the
whole period ("按照未满月数占36个月的比例")."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from assistant.calc.applied import _CJK, Applied, Ask, has, show
from assistant.calc.extract import lexicon
from assistant.calc.extract_types import Figure, Refund
from assistant.calc.number_format import plain
from assistant.calc.numbers import Quantity


def _months(value: Decimal, unit: str) -> Decimal:
    return value * 12 if unit == "年" else value


def _of(fig: Figure | Quantity) -> Decimal:
    return _months(fig.value if isinstance(fig, Figure) else fig.number, fig.unit)


def received(what: str, ask: Ask, besides: Sequence[Quantity] = ()) -> list[Quantity]:
    """The sums the question gives that are paid back: those whose words name what was received
    ("已享受的房租补贴和装修补贴": 房补12万、装修补贴6万 — a shortened name shares its characters),
    or every sum when the text names no payment in particular ("已享受的全部扶持资金")."""
    lex = lexicon()
    named = what
    # "退回60%" (a row of a list whose lead names the sums): the verb names no payment
    for w in sorted([*lex["refund_generic"], *lex["reward_words"], *lex["refund_verbs"], "的", "和", "及", "、"],
                    key=len, reverse=True):
        named = named.replace(w, " ")
    paid = {c for w in lex["reward_words"] for c in w} | set(lex["question"]["filler"])
    own = set("".join(_CJK.findall(named))) - paid
    amounts = [q for q in ask.figures if q.kind == "amount" and all(q is not b for b in besides)]
    if not own:
        return amounts
    return [q for q in amounts if own & set(ask.before(q) + ask.after(q))]


def asks_refund(ask: Ask) -> bool:
    """Paying back is asked ("要退多少"): a refund rule answers nothing else."""
    return has(ask.text, "refund")


def apply_refund(rule: Refund, ask: Ask) -> Applied | None:
    stayed = [q for q in ask.figures if q.kind == "duration" and q.unit in ("年", "月")]
    sums = received(rule.received, ask)
    if not stayed or not sums or not asks_refund(ask):
        return None
    q = stayed[0]
    months = _of(q)
    if months >= _of(rule.below) or (rule.above is not None and months < _of(rule.above)):
        return None  # another row of the article (or none) covers this stay
    total = sum((s.number for s in sums), Decimal(0))
    said = " + ".join(s.text for s in sums)
    base = f"（{said}）" if len(sums) > 1 else said
    if rule.share is not None:
        due = total * rule.share.value
        share = rule.share.text if rule.share.text in lexicon()["whole_words"] else show(rule.share)
        step = f"{base} × {share} = {show(due, '元')}"
    else:
        period = rule.whole or rule.below
        whole = _of(period)
        left = whole - months
        due = total * left / whole
        unit = "个月" if period.unit == "月" or q.unit == "月" else "年"
        per = Decimal(1) if unit == "个月" else Decimal(12)
        w, m, n = plain(whole / per), plain(months / per), plain(left / per)
        step = f"未满部分：{w}{unit} − {m}{unit} = {n}{unit}；{base} × {n}/{w} = {show(due, '元')}"
    line = f"应退回{show(due, '元')}（条文：“{rule.phrase}”）"
    return Applied(rule, 1 + len(sums), (line,), (step,), {"经营时间": q.text, rule.received: said},
                   show(due, "元"), used=(q, *sums))
