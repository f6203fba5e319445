"""What the rest of a document adds to the result assistant.calc.choose picked: the share of a
tier's sum for the case a sentence names, a sum raised when a bar of the same unit is met, the
part paid in the year asked, a total of the payments the question names, each payer's part of a
shared cost, and the bars beside the result that the question's other figures speak to.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal

from assistant.calc.applied import Applied, Ask, bigrams, has, show
from assistant.calc.extract_text import lexicon
from assistant.calc.extract_types import Rule, Threshold, Tiers
from assistant.calc.number_format import plain
from assistant.calc.related_units import _parent, referring
from assistant.errors import CalcError
from assistant.types import Chunk


def tier_share_of_case(best: Applied, ask: Ask, doc_chunks: Sequence[Chunk]) -> Applied:
    """"新引进的…区域总部，入驻当年即可按照其预计营业收入所属档次的50%预拨奖励": for the case a
    sentence of the rule's unit (or of the article giving an annex force) names — by two word pairs
    at least beyond the words every case shares — the share of the tier's sum."""
    from assistant.calc.numbers import parse_quantity

    if not isinstance(best.rule, Tiers) or not best.result.endswith("元") or best.result.startswith("还差"):
        return best
    labels = {best.rule.unit, *referring(best.rule, doc_chunks)}
    tier = "|".join(re.escape(w) for w in lexicon()["tier_words"])
    generic = bigrams("、".join(lexicon()["variant_generic"]))
    for chunk in doc_chunks:
        if chunk.article not in labels:
            continue
        for sentence in re.split(r"[。；\n]", chunk.text):
            m = re.search(rf"(?:{tier})(?:标准|奖励|金额)?的(?P<p>\d+(?:\.\d+)?)%", sentence)
            if m is None or len((bigrams(sentence[:m.start()]) - generic) & bigrams(ask.text)) < 2:
                continue
            try:
                total = parse_quantity(best.result, "amount").number
            except CalcError:
                return best
            pay = total * Decimal(m.group("p")) / 100
            said = re.sub(r"^\d+[.．、]", "", sentence.split("，次年")[0].strip())
            line = f"按条文“{said}”：{best.result} × {m.group('p')}% = {show(pay, '元')}"
            also = best.also if chunk.article == best.units[0] else (*best.also, chunk.article)
            return replace(best, lines=(f"奖励{show(pay, '元')}", *best.lines, line),
                           steps=(*best.steps, f"{best.result} × {m.group('p')}% = {show(pay, '元')}"),
                           result=show(pay, "元"), also=tuple(dict.fromkeys(also)))
    return best


def raised_when_met(best: Applied, others: Sequence[Applied], doc_chunks: Sequence[Chunk]) -> Applied:
    """"…较2024年度增长20%以上的，在所属档次奖励金额基础上上浮10%": the sum raised by the share
    when the question's figures meet the bar of the same unit that raises it, shown with the bar."""
    from assistant.calc.numbers import parse_quantity

    if not isinstance(best.rule, Tiers) or not best.result.endswith("元") or best.result.startswith("还差"):
        return best
    texts = {c.article: c.text for c in doc_chunks}
    up = "|".join(re.escape(w) for w in lexicon()["uplift_words"])
    for a in others:
        if not isinstance(a.rule, Threshold) or a.rule.doc_id != best.rule.doc_id or a.rule.unit != best.rule.unit:
            continue
        text = texts.get(a.rule.unit, "")
        at = text.find(a.rule.phrase)
        if a.result != "达到" or at < 0:
            continue
        rest = re.split(r"[。；\n]", text[at + len(a.rule.phrase):])[0]
        m = re.search(rf"(?:{up})(?P<p>\d+(?:\.\d+)?)%", rest)
        if m is None:
            continue
        try:
            total = parse_quantity(best.result, "amount").number
        except CalcError:
            return best
        share = Decimal(m.group("p")) / 100
        pay = total * (1 + share)
        sentence = (a.rule.phrase + rest).strip()
        line = f"符合“{sentence}”：{best.result} × (1 + {m.group('p')}%) = {show(pay, '元')}"
        return replace(best, lines=(f"奖励{show(pay, '元')}", *best.lines, *a.lines, line),
                       steps=(*best.steps, *a.steps, f"{best.result} × {plain(1 + share)} = {show(pay, '元')}"),
                       result=show(pay, "元"), used=tuple(dict.fromkeys((*best.used, *a.used))))
    return best


def paid_by_year(best: Applied, candidates: Sequence[Rule], ask: Ask) -> Applied:
    """"建设补助多少？认定当年先拨多少？": the sum computed, and the share of the year asked that
    the same unit's schedule pays ("认定当年拨付60%，次年…拨付40%")."""
    from assistant.calc.applied_sums import year_share
    from assistant.calc.extract_types import Installments
    from assistant.calc.numbers import parse_quantity

    if isinstance(best.rule, Installments) or not best.result.endswith("元") or best.result.startswith("还差"):
        return best
    for rule in candidates:
        if isinstance(rule, Installments) and rule.doc_id == best.rule.doc_id and rule.unit == best.rule.unit:
            try:
                total = parse_quantity(best.result, "amount").number
            except CalcError:
                return best
            found = year_share(rule, ask, total, best.result)
            if found is not None:
                return replace(best, lines=(*best.lines, found[0]), steps=(*best.steps, found[1]))
    return best


def share_of_result(best: Applied, ask: Ask, doc_chunks: Sequence[Chunk]) -> Applied:
    """"省里营收奖励给多少？市里配套又能拿多少？": a unit paying a share of the sum another unit
    gives ("对获得《办法》第八条营业收入奖励的…按照省级奖励金额的50%给予配套奖励，最高不超过40万元"),
    when the question names what that unit pays: the share of the sum computed, under its caps."""
    from assistant.calc.extract import extract_unit
    from assistant.calc.extract_types import PerUnitCapped
    from assistant.calc.numbers import parse_quantity

    if not best.result.endswith("元") or best.result.startswith(("还差", "超出")):
        return best
    try:
        total = parse_quantity(best.result, "amount").number
    except CalcError:
        return best
    names = re.compile(rf"{re.escape(best.rule.unit)}(?![\d一二三四五六七八九十])")
    # what the share is called, beyond the words every payment shares ("配套" of 配套奖励)
    asked = bigrams(ask.text) - bigrams("、".join(lexicon()["reward_words"]))
    naming = sorted((c for c in doc_chunks if c.article != best.rule.unit and names.search(c.text)), key=lambda c: len(c.text))
    for chunk in naming:
        for rule in extract_unit(chunk.doc_id, chunk.article, chunk.text)[0]:
            if not (isinstance(rule, PerUnitCapped) and rule.amount.unit == "%" and rule.base
                    and bigrams(rule.subject) & asked and names.search(chunk.text[:chunk.text.find(rule.phrase)] or " ")):
                continue
            share = total * rule.amount.value
            step = f"{best.result} × {rule.amount.text} = {show(share, '元')}"
            for cap in rule.caps:
                if cap.figure.unit == "元" and share > cap.figure.value:
                    step += f"，超过“{cap.phrase}”，按{show(cap.figure)}"
                    share = cap.figure.value
            line = f"{rule.subject}：{show(share, '元')}（条文：“{rule.phrase}”）"
            return replace(best, lines=(*best.lines, line), steps=(*best.steps, step),
                           also=tuple(dict.fromkeys((*best.also, chunk.article))))
    return best


def _calls(text: str, name: str) -> bool:
    """Whether a text names a payment the question names: as written, or with a few words between
    what is paid for and the payment word ("营收奖励" and "营收贡献奖励")."""
    if name in text:
        return True
    word = next((w for w in lexicon()["reward_words"] if name.endswith(w)), None)
    head = name[:-len(word)] if word else ""
    return bool(head) and re.search(rf"{re.escape(head)}[\u3400-\u9fff]{{0,4}}?{re.escape(word or '')}", text) is not None


def named_total(scored: Sequence[tuple[tuple[int, ...], Applied]], ask: Ask,
                 by_doc: Mapping[str, list[Chunk]]) -> Applied | None:
    """"营收贡献奖励加增长奖励一共多少": each payment the question names, from the best rule that
    pays it (its own words, else its unit's), summed. None unless a total of two or more named
    payments is asked and each has an amount."""
    if not has(ask.text, "total"):
        return None
    paid = lexicon()["reward_words"]
    names = list(dict.fromkeys(m.group(0) for w in paid
                               for m in re.finditer(rf"[\u3400-\u9fff]{{2}}{re.escape(w)}", ask.text)))
    names = sorted((n for n in names if not any(n != o and n in o for o in names)), key=ask.text.find)
    texts = {(c.doc_id, c.article): c.text for chunks in by_doc.values() for c in chunks}
    amounts = [a for _, a in scored if a.result.endswith("元") and not a.result.startswith("还差")
               and not isinstance(a.rule, Threshold)]
    amounts += [e for _, a in scored if (e := _earned(a, texts.get((a.rule.doc_id, a.rule.unit), ""))) is not None]
    if len(names) < 2 or not amounts:
        return None
    by_name: dict[str, Applied] = {}
    # a payment a rule's own words name is taken first; the others from the units that name them
    for name in sorted(names, key=lambda n: not any(_calls(a.rule.subject + a.rule.phrase, n) for a in amounts)):
        own = [a for a in amounts if _calls(a.rule.subject + a.rule.phrase, name)]
        near = [a for a in amounts if _calls(texts.get((a.rule.doc_id, a.rule.unit), ""), name)]
        found = next((a for a in [*own, *near] if all(a.rule != p.rule for p in by_name.values())), None)
        if found is None:
            return None
        by_name[name] = found
    picked = [by_name[n] for n in names]
    if len({a.rule.doc_id for a in picked}) > 1:
        return None
    from assistant.calc.numbers import parse_quantity

    try:
        values = [parse_quantity(a.result, "amount").number for a in picked]
    except CalcError:
        return None
    sum_all = sum(values, Decimal(0))
    line = f"合计{show(sum_all, '元')}（" + " + ".join(a.result for a in picked) + "）"
    step = " + ".join(a.result for a in picked) + f" = {show(sum_all, '元')}"
    first = picked[0]
    return replace(first, fit=sum(a.fit for a in picked), lines=(line, *(x for a in picked for x in a.lines)),
                   steps=(*(x for a in picked for x in a.steps), step), result=show(sum_all, "元"),
                   inputs={k: v for a in picked for k, v in a.inputs.items()},
                   also=tuple(dict.fromkeys(u for a in picked for u in a.units if u != first.units[0])),
                   used=tuple(dict.fromkeys(q for a in picked for q in a.used)))


_PAYMENT_AFTER = re.compile(r"^[^；;。]*?(?P<pay>(?:\d+(?:\.\d+)?)(?:万元|元))(?=[；;。，,]|$)")


def _earned(applied: Applied, text: str) -> Applied | None:
    """A bar met whose own sentence goes on to pay ("注册资本不低于500万元的，给予一次性开办补助
    8万元"): the payment it earns, as a sum to add up; None for any other result."""
    from assistant.calc.numbers import parse_quantity

    if not isinstance(applied.rule, Threshold) or applied.result != "达到" or applied.rule.op not in (">=", ">"):
        return None
    at = text.find(applied.rule.phrase)
    if at < 0:
        return None
    rest = text[at + len(applied.rule.phrase):]
    m = _PAYMENT_AFTER.match(rest)
    if m is None or not any(w in rest[:m.end()] for w in lexicon()["reward_words"]):
        return None
    try:
        value = parse_quantity(m.group("pay"), "amount").number
    except CalcError:
        return None
    said = applied.rule.phrase + rest[:m.end()]
    line = f"{applied.lines[0]}：{show(value, '元')}（条文：“{said}”）"
    return replace(applied, lines=(line,), result=show(value, "元"))


_SPLIT = re.compile(r"由(?P<a>[^，。；由]+?)[和与](?P<b>[^，。；]+?)按照?(?P<x>\d+)[:：](?P<y>\d+)的?比例(?:分担|承担|负担)")


def shared_cost(applied: Applied, texts: Mapping[str, str]) -> Applied:
    """"前款奖励资金由省级财政和设区市财政按照1:1的比例分担": each payer's part of the sum."""
    from assistant.calc.numbers import parse_quantity

    if not applied.result.endswith("元"):
        return applied
    for label, text in texts.items():
        m = _SPLIT.search(text)
        if m is None:
            continue
        try:
            total = parse_quantity(applied.result, "amount").number
        except CalcError:
            return applied
        x, y = Decimal(m.group("x")), Decimal(m.group("y"))
        if not x + y:
            return applied
        a, b = total * x / (x + y), total * y / (x + y)
        line = f"其中{m.group('a')}承担{show(a, '元')}，{m.group('b')}承担{show(b, '元')}（条文：“{m.group(0)}”）"
        step = f"{applied.result} × {m.group('x')}/{plain(x + y)} = {show(a, '元')}"
        also = (*applied.also, label) if label != applied.units[0] else applied.also
        return replace(applied, lines=(*applied.lines, line), steps=(*applied.steps, step),
                       also=tuple(dict.fromkeys(also)))
    return applied


def preconditions(best: Applied, others: Sequence[Applied]) -> list[Applied]:
    """The bars of the result's own unit or its parent ("…达到3000万元以上的，按照以下标准给予")
    that other figures of the question speak to: checked and shown beside the result."""
    from assistant import outline

    home = best.units[0]
    parent = _parent(home)
    out: list[Applied] = []
    for a in others:
        if not isinstance(a.rule, Threshold) or a.rule.doc_id != best.rule.doc_id or set(a.used) & set(best.used):
            continue
        try:
            path = tuple(outline.label_path(a.rule.unit))
        except Exception:  # noqa: BLE001 - a label the grammar cannot read has no parent
            continue
        if (a.rule.unit == home or path == parent) and a.result and all(a.used != b.used for b in out):
            out.append(a)
    return out
