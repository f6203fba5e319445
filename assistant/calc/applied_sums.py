"""Sums of several payments found in the text (assistant.calc.applied): kinds of persons paid
per head in sibling items or in one sentence, summed under the cap they share; and a sum paid in
yearly shares."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from assistant.calc.applied import _CJK, Applied, Ask, _fits_unit, _measures, bigrams, show, words
from assistant.calc.extract_shares import year_numbers
from assistant.calc.extract_types import Figure, Installments, PerUnitCapped
from assistant.calc.number_format import plain
from assistant.calc.numbers import Quantity


def apply_sum(rules: Sequence[PerUnitCapped], ask: Ask, texts: dict[str, str]) -> Applied | None:
    """Sibling items paying per person for different kinds ("普通员工每人400元", "技能人才每人
    1200元"), each fed by the figure whose words name it, summed and held under the cap they share
    ("引才奖励每家机构每年不超过10万元"). `texts`: each rule's unit text (label → text), whose
    words name the kind paid for."""
    counted = [r for r in rules if r.amount.unit == "元" and r.per and not r.frequency]
    own = _own_words(counted, texts)
    filler = set(words("filler"))
    taken: dict[int, tuple[PerUnitCapped, Quantity]] = {}
    left: list[Quantity] = []
    for q in ask.figures:
        if ask.already(q):
            continue
        # the words right after a count name what is counted ("30个脱贫人口", "80个普工")
        after, near = bigrams(ask.after(q)), bigrams(ask.before(q) + ask.after(q))
        chars = set("".join(_CJK.findall(ask.after(q)))) - filler
        fits = [(len(after & bigrams(own[i])), len(near & bigrams(own[i])), len(chars & set(own[i])), -i)
                for i, r in enumerate(counted) if _fits_unit(q, r.per)]
        _, score, by_char, i = max(fits, default=(0, 0, 0, 1))
        i = -i
        if (score or by_char) and i not in taken:
            taken[i] = (counted[i], q)
        elif fits:
            left.append(q)
    # "600个普通工人，另外还有100个本市残疾人": the one count its words tie to no kind is the
    # one kind of the same unit left (the general one beside the named)
    units = {counted[i].unit for i in taken}
    free = [i for i, r in enumerate(counted) if i not in taken and r.unit in units and len(left) == 1
            and _fits_unit(left[0], r.per)]
    if taken and len(free) == 1:
        taken[free[0]] = (counted[free[0]], left[0])
    if len(taken) < 2:
        return None
    parts, steps = _subsets_taken_out([taken[i] for i in sorted(taken)], ask)
    counts, capped = _within_count_cap(parts)
    steps += capped
    steps += [f"{show(r.amount)} × {plain(n)}{r.per} = {show(r.amount.value * n, '元')}（{r.phrase}）"
              for (r, _), n in zip(parts, counts, strict=True)]
    total = sum((r.amount.value * n for (r, _), n in zip(parts, counts, strict=True)), Decimal(0))
    shared = [c for c in parts[0][0].caps if c.figure.unit == "元"
              and all(any(o.phrase == c.phrase for o in r.caps) for r, _ in parts)]
    pay = total
    steps.append(f"合计{show(total, '元')}")
    for cap in shared:
        if pay > cap.figure.value:
            steps.append(f"超过上限，按“{cap.phrase}”为{show(cap.figure)}")
            pay = cap.figure.value
    first = parts[0][0]
    line = f"{first.subject or '补贴'}合计{show(pay, '元')}"
    also = tuple(dict.fromkeys(r.unit for r, _ in parts[1:] if r.unit != first.unit))
    return Applied(first, len(parts), (line,), tuple(steps), {r.phrase: q.text for r, q in parts},
                   show(pay, "元"), also=also, used=tuple(q for _, q in parts))


def _subsets_taken_out(parts: list[tuple[PerUnitCapped, Quantity]], ask: Ask
                       ) -> tuple[list[tuple[PerUnitCapped, Quantity]], list[str]]:
    """"200人，其中40个是脱贫人口": a count said as part of an earlier count of the same unit is paid
    at its own rate, so the earlier count keeps only the rest (200 − 40 = 160)."""
    out = list(parts)
    steps: list[str] = []
    for _, q in parts:
        if not any(w in ask.before(q) for w in words("subset")):
            continue
        whole = [i for i, (r, p) in enumerate(out) if p.span[1] <= q.span[0] and p.kind == q.kind == "count" and p is not q
                 and p.number > q.number]
        if not whole:
            continue
        i = whole[-1]
        r, p = out[i]
        rest = p.number - q.number
        out[i] = (r, replace(p, value=rest))
        steps.append(f"{p.text} − 其中{q.text} = {plain(rest)}{r.per}（其中{q.text}按其标准另计）")
    return out, steps


def _within_count_cap(parts: list[tuple[PerUnitCapped, Quantity]]) -> tuple[list[Decimal], list[str]]:
    """"每家机构每年享受引才补贴的人数不超过5人" across the kinds: the most that can be paid
    counts the best-paid first."""
    counts = [q.number for _, q in parts]
    first = parts[0][0]
    shared = [c for c in first.caps if c.figure.unit == first.per
              and all(any(o.phrase == c.phrase for o in r.caps) for r, _ in parts)]
    if not shared or sum(counts, Decimal(0)) <= shared[0].figure.value:
        return counts, []
    left = shared[0].figure.value
    capped = [Decimal(0)] * len(parts)
    for i in sorted(range(len(parts)), key=lambda i: parts[i][0].amount.value, reverse=True):
        capped[i] = min(counts[i], left)
        left -= capped[i]
    said = "、".join(q.text for _, q in parts)
    return capped, [f"{said}合计{plain(sum(counts, Decimal(0)))}{first.per}，超过“{shared[0].phrase}”，按标准高的优先计{show(shared[0].figure)}"]


def _is_bar(sentence: str, q: Quantity) -> bool:
    """A figure with a boundary word ("不低于1000万元", "500万元至1000万元") is a bar, not a sum paid."""
    from assistant.calc.extract_text import ops, prefix_op

    after = sentence[q.span[1]:q.span[1] + 3]
    return bool(prefix_op(sentence, q.span[0]) or q.qualifier in ops() or after.startswith(("至", "（", "(")))


def _bars_met(rule: Installments, sentence: str, ask: Ask) -> bool | None:
    """Whether the question's figures meet the bars of a sentence stating a sum ("注册资本不低于
    1000万元的…给予落户奖励20万元"); None when the sentence has no bar the figures speak to."""
    from assistant.calc.applied import same_measure
    from assistant.calc.extract import extract_unit
    from assistant.calc.extract_types import Threshold

    verdicts = []
    for bar in extract_unit(rule.doc_id, rule.unit, sentence)[0]:
        if not isinstance(bar, Threshold) or bar.value.unit != "元":
            continue
        for q in ask.of("amount"):
            if _measures(bar.subject) and same_measure(ask, q, bar.subject):
                v, b = q.number, bar.value.value
                verdicts.append({">=": v >= b, ">": v > b, "<=": v <= b, "<": v < b}[bar.op])
    return all(verdicts) if verdicts else None


def _own_words(counted: Sequence[PerUnitCapped], texts: dict[str, str]) -> list[str]:
    """The words naming each kind paid for: its item's text, or, for kinds listed in one unit
    ("一是普通劳动者每人400元，二是…技能人才每人1000元"; "…按照每人500元给予奖励；输送本市残疾人的，
    每人奖励800元"), the unit's text from the end of the kind before it to the end of its own."""
    out: list[str] = []
    for r in counted:
        text = texts.get(r.unit, r.phrase)
        mates = [o for o in counted if o.unit == r.unit]
        if len(mates) == 1 or r.phrase not in text:
            out.append(text)
            continue
        end = text.find(r.phrase) + len(r.phrase)
        ends = [text.find(o.phrase) + len(o.phrase) for o in mates if o.phrase in text]
        start = max([e for e in ends if e < end], default=0)
        out.append(text[start:end])
    return out


_YEAR_ASKED = re.compile(r"第[一二三四五]年|当年|次年")


def _share_of_year_asked(rule: Installments, ask: Ask) -> tuple[re.Match[str], int, Figure] | None:
    """The year the question asks of a schedule (第一年 / 当年 / 次年) and the schedule's share for
    it; None when no year is asked or the schedule has none for it."""
    m = _YEAR_ASKED.search(ask.text)
    if m is None:
        return None
    year = year_numbers(m.group(0))[0]
    share = next((f for years, f in rule.shares if year in years), None)
    return None if share is None else (m, year, share)


def year_share(rule: Installments, ask: Ask, total: Decimal, said: str) -> tuple[str, str] | None:
    """"认定当年先拨多少": the share of the year asked of a sum another rule computed (a line and
    its step), or None when no year is asked or the schedule has none for it."""
    asked = _share_of_year_asked(rule, ask)
    if asked is None:
        return None
    m, _, share = asked
    pay = total * share.value
    return (f"其中{m.group(0)}拨付{show(pay, '元')}（{said}的{share.text}；条文：“{rule.phrase}”）",
            f"{said} × {share.text} = {show(pay, '元')}")


def apply_installments(rule: Installments, ask: Ask, related: dict[str, str]) -> Applied | None:
    """"第一年能拿多少": the share of that year times the sum — the asker's figure, else the sum
    the unit (or a sibling item) states for the recipient the question names."""
    from assistant.calc.quantities_in_text import extract_quantities

    asked = _share_of_year_asked(rule, ask)
    if asked is None:
        return None
    m, year, share = asked
    # a figure naming a measure ("注册资本1200万") is what qualifies, not the sum paid
    given = [q for q in ask.of("amount") if not _measures(ask.before(q) + ask.after(q))]
    also: tuple[str, ...] = ()
    qualified = False
    if given:
        total, said = given[0].number, given[0].text
    else:
        # each sum stated with the subject in its sentence, scored by the words it shares with
        # the question ("全日制博士研究生，给予安家补贴20万元" for 博士)
        options: list[tuple[int, Decimal, str, str]] = []
        qualified = False  # the sum was chosen by the asker's figures meeting its sentence's bar
        for label, text in related.items():
            for sentence in re.split(r"[。；\n]", text):
                if rule.subject not in sentence:
                    continue
                met = _bars_met(rule, sentence, ask)
                if met is False:
                    continue  # "注册资本不低于1000万元的…": the asker's 注册资本 does not qualify
                for q in extract_quantities(sentence):
                    if q.kind == "amount" and not _is_bar(sentence, q):
                        score = len(bigrams(sentence[:q.span[0]]) & bigrams(ask.text) - bigrams(rule.subject))
                        options.append((score + (10 if met else 0), q.number, q.text, label))
                        qualified = qualified or bool(met)
        if not options:
            return None
        options.sort(key=lambda o: o[0], reverse=True)
        if len(options) > 1 and options[0][0] == options[1][0]:
            return Applied(rule, 0, (f"{rule.subject}按年度比例发放，金额因对象而异：",),
                           conditions=(rule.phrase,))
        _, total, said, label = options[0]
        also = (label,) if label != rule.unit else ()
    pay = total * share.value
    line = f"{rule.subject}{m.group(0)}发放{show(pay, '元')}（{said}的{share.text}；条文：“{rule.phrase}”）"
    return Applied(rule, 1 if given or qualified else 0, (line,), (f"{show(total, '元')} × {share.text} = {show(pay, '元')}",),
                   {rule.subject: said, "年度": f"第{year}年"}, show(pay, "元"), also=also)
