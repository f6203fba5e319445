"""Which rule found at ingest a question needs, and the answer it gives.

A rule is a candidate only when its own unit is among the retrieved units (so the answer cites
what it computed from) and, when the question names documents, belongs to one of them. Each
candidate is applied to the question's figures (assistant.calc.applied); the one that uses the
question's figures, answers the kind of thing asked (a gap, an amount, a date) and shares the
most subject words with the question wins; a tie between different results gives the conditions,
not a guess. The answer says the rule was read from the text automatically and not reviewed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from assistant.calc.applied import Applied, Ask, apply, bigrams, has, show
from assistant.calc.applied_sums import apply_sum
from assistant.calc.extract import lexicon
from assistant.calc.extract_types import PerUnitCapped, Rule, ScaledBars, Threshold, Tiers
from assistant.calc.number_format import plain
from assistant.calc.numbers import Quantity
from assistant.errors import CalcError
from assistant.types import Chunk, Hit, ToolCall

if TYPE_CHECKING:
    from assistant.calc_bridge import CalcOutcome
    from assistant.index import Index
    from assistant.route import Intent

UNREVIEWED = "按条文自动识别，未经人工核对"
TOP_HITS = 5
_CJK = re.compile(r"[\u3400-\u9fff]")


def _chars(text: str) -> set[str]:
    filler = lexicon()["question"]["filler"]
    return {c for c in _CJK.findall(text) if c not in filler}


def overlap(rule: Rule, question: str) -> int:
    """Subject words shared: the rule's subject counts twice, the rest of its phrase (and whom a
    bar is for: a table's column) once."""
    asked = _chars(question)
    rest = _chars(rule.phrase) | _chars(getattr(rule, "applies_to", ""))
    return 2 * len(_chars(rule.subject) & asked) + len((rest - _chars(rule.subject)) & asked)


def _other_reward(rule: Rule, question: str) -> bool:
    """The question names a payment ("安家补贴") and the rule pays another ("见习补贴")."""
    if not isinstance(rule, PerUnitCapped):
        return False
    paid = lexicon()["reward_words"]
    generic = {c for w in paid for c in w} | set(rule.per)  # "每人补贴" names no payment
    own = _chars(rule.subject) - generic
    # the two characters written right before the payment word ("安家补贴"), not across a comma
    named = {c for w in paid for m in re.finditer(rf"([\u3400-\u9fff]{{1,2}}){re.escape(w)}", question)
             for c in _chars(m.group(1))} - generic
    # a rate's base names the payment too ("按照实际装修投入的30%给予一次性补贴" pays 装修补贴)
    return bool(own and named and not (own | _chars(rule.base)) & named)


def _names_payment(rule: Rule, question: str) -> int:
    """1 when the rule pays what the question names ("增长奖励多少" and "…给予增长奖励")."""
    paid = lexicon()["reward_words"]
    named = {m.group(0) for w in paid for m in re.finditer(rf"[\u3400-\u9fff]{{2}}{re.escape(w)}", question)}
    return int(any(n in rule.subject or n in rule.phrase for n in named))


def _answers_asked(rule: Rule, ask: Ask, applied: Applied | None = None) -> int:
    """A bar answers 够不够 / 还差 / 至少 (a ceiling also 还能拿多少), a bar not met best, and so does
    a tier table below its lowest tier ("离最低一档还差多少"); amounts and dates answer the rest."""
    short = applied is not None and applied.result.startswith(("还差", "至少"))
    if isinstance(rule, Tiers) and short:
        return 3 if has(ask.text, "gap") else 1
    if isinstance(rule, Threshold):
        headroom = rule.op in ("<=", "<") and has(ask.text, "headroom")
        if has(ask.text, "gap") or has(ask.text, "minimum"):
            return 3 if short else 2  # "面积还差多少": the bar not met answers it
        return 2 if headroom else 0
    if isinstance(rule, ScaledBars):
        return (3 if short else 2) if has(ask.text, "gap") or has(ask.text, "minimum") else 1
    return 1


def rules_of(index: Index, hits: Sequence[Hit] | None = None) -> list[Rule]:
    """The extracted rules of the top hits' units — the only ones `choose` can rank — or, without
    hits, every extracted rule of the index."""
    from assistant.calc.rules import load_rules
    from assistant.calc.stored import extracted_rules, extracted_rules_of

    try:
        reviewed = {r.doc_id for r in load_rules()}
    except CalcError:
        reviewed = set()
    if hits is None:
        return extracted_rules(index.gen_dir, frozenset(reviewed))
    units = [(h.chunk.doc_id, h.chunk.article) for h in hits[:TOP_HITS]]
    return extracted_rules_of(index.gen_dir, units, frozenset(reviewed))


def _parent(label: str) -> tuple[Any, ...] | None:
    from assistant.calc.extract_text import parent_of as parent

    return parent(label)


def related_texts(rule: Rule, doc_chunks: Sequence[Chunk]) -> dict[str, str]:
    """The rule's unit and its sibling items (same parent), and the articles that refer to it
    when it is an annex ("按照附表2规定的标准给予…奖励"), label → text."""
    parent = _parent(rule.unit)
    found = {c.article: c.text for c in doc_chunks
             if c.article == rule.unit or (parent is not None and _parent(c.article) == parent)
             or c.article in referring(rule, doc_chunks)}
    if isinstance(rule, Tiers):
        found |= _top_up_units(rule, doc_chunks)
    return found


def _top_up_units(rule: Tiers, doc_chunks: Sequence[Chunk]) -> dict[str, str]:
    """A unit elsewhere in the document saying how a higher tier is paid after a lower one
    ("营业收入首次跨入更高档次的，按照…与已获奖励的差额给予补足"; a Q&A answers it apart): one naming
    a top-up word and the measure the table's unit names."""
    from assistant.calc.applied import _measures

    top = lexicon()["question"]["top_up"]
    own = next((c.text for c in doc_chunks if c.article == rule.unit), "")
    measure = _measures(own)
    return {c.article: c.text for c in doc_chunks if c.article != rule.unit and any(w in c.text for w in top)
            and measure & _measures(c.text) and own not in c.text}  # not a chapter holding the table


_ANNEX = re.compile(r"^(?:附件|附表|附录)[\d一二三四五六七八九十]*$")


def referring(rule: Rule, doc_chunks: Sequence[Chunk]) -> list[str]:
    """The units whose text names the annex a rule is in ("按照附件2规定的标准"); none for a rule
    outside an annex. A unit containing others (a chapter) does not count, its article does."""
    if not _ANNEX.match(rule.unit):
        return []
    name = re.compile(rf"{re.escape(rule.unit)}(?![\d一二三四五六七八九十])")
    found = [c for c in doc_chunks if c.article != rule.unit and name.search(c.text)]
    return [c.article for c in found if not any(o is not c and o.article.startswith(c.article) for o in found)]


def _rank(rule: Rule, ranks: dict[tuple[str, str], int]) -> int | None:
    """The best rank among the rule's own units: its unit, or for a table written one row per
    item, any row's item."""
    from assistant.calc.stored import own_units

    found = [ranks[(rule.doc_id, u)] for u in own_units(rule) if (rule.doc_id, u) in ranks]
    return min(found) if found else None


def choose(rules: Sequence[Rule], ask: Ask, hits: Sequence[Hit], doc_ids: Sequence[str],
           by_doc: Mapping[str, list[Chunk]]) -> list[Applied]:
    """The applied rules to answer with, best first: one result, the bars of one unit together,
    or (on a tie between different results) every tied rule, as conditions."""
    ranks = {(h.chunk.doc_id, h.chunk.article): i for i, h in reversed(list(enumerate(hits[:TOP_HITS])))}
    candidates = [r for r in rules if _rank(r, ranks) is not None]
    if doc_ids:
        candidates = [r for r in candidates if r.doc_id in doc_ids]
    scored: list[tuple[tuple[int, ...], Applied]] = []
    for rule in candidates:
        applied = apply(rule, ask, related_texts(rule, by_doc.get(rule.doc_id, [])))
        words = overlap(rule, ask.text)
        if applied is None or not words or _other_reward(rule, ask.text):
            continue
        if isinstance(rule, (Tiers, PerUnitCapped)):
            applied = _with_referring(applied, rule, ask, by_doc.get(rule.doc_id, []))
        key = (applied.fit, _answers_asked(rule, ask, applied), _names_payment(rule, ask.text), _counted(applied, ask),
               words, _bound(applied, ask),
               -(_rank(rule, ranks) or 0))
        scored.append((key, applied))
    groups: dict[tuple[str, Any], list[PerUnitCapped]] = {}
    for rule in candidates:
        if isinstance(rule, PerUnitCapped):
            groups.setdefault((rule.doc_id, _parent(rule.unit) or rule.unit), []).append(rule)
    for group in groups.values():
        texts = {c.article: c.text for c in by_doc.get(group[0].doc_id, [])}
        summed = apply_sum(group, ask, texts) if len(group) > 1 else None
        if summed is not None:
            key = (summed.fit, 1, max(_names_payment(r, ask.text) for r in group), 0,
                   max(overlap(r, ask.text) for r in group), 0,
                   -min(_rank(r, ranks) or 0 for r in group))
            scored.append((key, summed))
    # bars scaled for the case the question names replace the table's own ("开发区以外的…按照50%执行")
    scaled = {(b.figure.label, b.figure.text) for _, a in scored if isinstance(a.rule, ScaledBars) for b in a.rule.bars}
    scored = [(k, a) for k, a in scored
              if not (isinstance(a.rule, Threshold) and (a.rule.unit, a.rule.value.text) in scaled)]
    # a bar alone answers 够不够 / 还差 / 至少, not 能拿多少: then the article itself answers
    if not any(k[1] for k, _ in scored):
        return []
    scored.sort(key=lambda s: s[0], reverse=True)
    total = _named_total(scored, ask, by_doc)
    if total is not None:
        return [total]
    best_key, best = scored[0]
    tied = [a for k, a in scored[1:] if k == best_key and a.result != best.result]
    if tied and best.result:
        return [best, *tied]
    if isinstance(best.rule, Threshold):
        # every bar of the unit the figures speak to ("服务了120家企业、结算2800万")
        same: list[Applied] = []
        for _, a in scored[1:]:
            # one bar per measure: of a table's columns, the one the question's words name
            if isinstance(a.rule, Threshold) and a.rule.unit == best.rule.unit and a.rule.doc_id == best.rule.doc_id \
                    and all(a.inputs.keys() != b.inputs.keys() for b in (best, *same)) \
                    and list(a.inputs.values()) != list(best.inputs.values()):
                same.append(a)
        return [best, *same]
    best = _shared_cost(best, related_texts(best.rule, by_doc.get(best.rule.doc_id, [])))
    best = _paid_by_year(best, candidates, ask)
    best = _raised_when_met(best, [a for _, a in scored], by_doc.get(best.rule.doc_id, []))
    best = _tier_share_of_case(best, ask, by_doc.get(best.rule.doc_id, []))
    return [best, *_preconditions(best, [a for _, a in scored])]


def _tier_share_of_case(best: Applied, ask: Ask, doc_chunks: Sequence[Chunk]) -> Applied:
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


def _raised_when_met(best: Applied, others: Sequence[Applied], doc_chunks: Sequence[Chunk]) -> Applied:
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


def _paid_by_year(best: Applied, candidates: Sequence[Rule], ask: Ask) -> Applied:
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


def _calls(text: str, name: str) -> bool:
    """Whether a text names a payment the question names: as written, or with a few words between
    what is paid for and the payment word ("营收奖励" and "营收贡献奖励")."""
    if name in text:
        return True
    word = next((w for w in lexicon()["reward_words"] if name.endswith(w)), None)
    head = name[:-len(word)] if word else ""
    return bool(head) and re.search(rf"{re.escape(head)}[\u3400-\u9fff]{{0,4}}?{re.escape(word or '')}", text) is not None


def _named_total(scored: Sequence[tuple[tuple[int, ...], Applied]], ask: Ask,
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
    amounts = [a for _, a in scored if a.result.endswith("元") and not a.result.startswith("还差")
               and not isinstance(a.rule, Threshold)]
    if len(names) < 2 or not amounts:
        return None
    texts = {(c.doc_id, c.article): c.text for chunks in by_doc.values() for c in chunks}
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


_SPLIT = re.compile(r"由(?P<a>[^，。；由]+?)[和与](?P<b>[^，。；]+?)按照?(?P<x>\d+)[:：](?P<y>\d+)的?比例(?:分担|承担|负担)")


def _shared_cost(applied: Applied, texts: Mapping[str, str]) -> Applied:
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


def _counted(applied: Applied, ask: Ask) -> int:
    """"300个普工": the words right after a count name what is counted, and so which item pays
    for it ("输送普通员工的，每人400元" rather than "…技能人才的，每人1200元")."""
    if not isinstance(applied.rule, PerUnitCapped):
        return 0
    if applied.rule.amount.unit == "%":
        # "第一年实际租金一共15万": the rate whose base the amount's words name
        read = applied.inputs.get("读取", "").split("、")
        return sum(len(bigrams(ask.before(q) + ask.after(q)) & bigrams(applied.rule.base))
                   for q in ask.figures if q.kind == "amount" and q.text in read)
    return sum(len(_chars(ask.after(q)) & _chars(applied.rule.subject)) for q in applied.used if q.kind == "count")


def _bound(applied: Applied, ask: Ask) -> int:
    """"园区建筑面积5800平": how much the words of the figures a bar read name its measure."""
    if not isinstance(applied.rule, Threshold):
        return 0
    return sum(len(bigrams(ask.before(q) + ask.after(q)) & bigrams(applied.rule.subject)) for q in applied.used)


def _with_referring(applied: Applied, rule: Rule, ask: Ask, doc_chunks: Sequence[Chunk]) -> Applied:
    """A table in an annex is cited with the article that gives it force ("按照附件2规定的标准
    给予奖励"): of several, the one sharing most words with the question."""
    texts = {c.article: c.text for c in doc_chunks}
    found = referring(rule, doc_chunks)
    if not found or not applied.result:
        return applied
    best = max(found, key=lambda label: len(_chars(texts[label]) & _chars(ask.text)))
    return replace(applied, also=tuple(dict.fromkeys((*applied.also, best))))


def _preconditions(best: Applied, others: Sequence[Applied]) -> list[Applied]:
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


def render(chosen: Sequence[Applied], titles: dict[str, str], named: bool = False) -> str:
    """The answer from one document's rules; `named`: begin with the document (one block of
    several)."""
    text = _render(chosen, titles)
    title = titles.get(chosen[0].rule.doc_id, chosen[0].rule.doc_id)
    return f"《{title}》：{text}" if named else text


def _render(chosen: Sequence[Applied], titles: dict[str, str]) -> str:
    first = chosen[0]
    title = titles.get(first.rule.doc_id, first.rule.doc_id)
    units = "、".join(dict.fromkeys(u for a in chosen for u in a.units))
    # bars shown beside a result are its preconditions; another result beside it is a tie
    tie = not isinstance(first.rule, Threshold) and any(not isinstance(a.rule, Threshold) for a in chosen[1:])
    if tie or not first.result:
        lines = [f"《{title}》{units}中可能适用的规定如下，需按实际情况确认，未给出计算结果（{UNREVIEWED}）："]
        lines += [*first.lines] if not first.result else []
        phrases = [c for a in chosen for c in (a.conditions or (a.rule.phrase,))]
        lines += [f"- “{p}”" for p in dict.fromkeys(phrases)]
        return "\n".join([*lines, f"依据《{title}》{units}"])
    lines = [line for a in chosen for line in a.lines]
    missed = [a for a in chosen[1:] if isinstance(a.rule, Threshold) and a.result != "达到"]
    if missed and not isinstance(first.rule, Threshold):
        lines.insert(0, "注意：按所给数字，前提条件未达到，不能获得下述奖励：")
        lines = [lines[0], *[line for a in missed for line in a.lines], *lines[1:]]
        lines = list(dict.fromkeys(lines))
    steps = [s for a in chosen for s in a.steps]
    if steps:
        lines.append("计算：" + "；".join(steps))
    for a in chosen:
        lines += [f"另需符合：“{c}”" for c in a.conditions]
    lines.append(f"说明：以上规则由系统{UNREVIEWED}，请以原文为准。")
    lines.append(f"依据《{title}》{units}")
    return "\n".join(lines)


def asked_figures(question: str, today: dt.date) -> tuple[Quantity, ...] | None:
    """The question's figures to compute with; None when they cannot be read. "一个硕士" /
    "1家企业" names the subject, it is not a count to compute with; nor is a figure the question
    asks about ("都是90万吗") or a span naming a tier by its condition ("满1年不满2年")."""
    from assistant.calc.figures import checked_or_span
    from assistant.calc.quantities_in_text import extract_quantities

    try:
        figures = extract_quantities(question, today=today)
    except CalcError:
        return None
    named = checked_or_span(question, figures)
    return tuple(
        q for i, q in enumerate(figures) if i not in named and not (q.kind == "count" and q.value == 1)
    )


def run_extracted(intent: Intent, hits: Sequence[Hit], index: Index, today: dt.date) -> CalcOutcome | None:
    """The calculator on the rules found at ingest, for documents without reviewed rules."""
    from assistant.calc_bridge import CalcOutcome

    rules = rules_of(index, hits)
    if not rules:
        return None
    figures = asked_figures(intent.question, today)
    if figures is None:
        return None
    ask = Ask(intent.question, figures, today)
    asks_minimum = has(ask.text, "minimum")  # "专业性产业园面积最低要多少": a scaled bar answers
    # "申报截止以后最晚哪天审完": a date after the end of a window the document states
    after_window = has(ask.text, "due") and any(w in ask.text for w in lexicon()["window_end_words"])
    if not figures and not (asks_minimum or has(ask.text, "next") or has(ask.text, "days_left") or after_window
                            or re.search(r"季度|第.年|\d月", ask.text)):
        return None  # nothing to compute from: the article itself answers
    # several documents named: each answers for itself ("在澜江和在禾源各能拿多少")
    per_doc = [[d] for d in intent.doc_ids] if len(intent.doc_ids) > 1 else [list(intent.doc_ids)]
    found = [c for docs in per_doc if (c := choose(rules, ask, hits, docs, index.by_doc))]
    if not found or len(found) < len(per_doc):
        return None  # a named document with nothing computed: its own articles answer, all quoted
    lead = ""
    if not intent.doc_ids:
        found += _other_documents(found[0], rules, ask, hits, index)
        lead = "问题未指明文件，以下按各文件的规定分别计算：\n\n" if len(found) > 1 else ""
    titles = {d: m.title for d, m in index.documents.items()}
    chosen = [a for c in found for a in c]
    calls = tuple(ToolCall(name=f"extracted_{a.rule.kind}", input={"unit": a.units[0], **a.inputs},
                           output=_output(a)) for a in chosen)
    # the rule's own unit (retrieved, or it would not be a candidate) and any item it relies on
    wanted = [(a.rule.doc_id, unit) for a in chosen for unit in a.units]
    cited = tuple(dict.fromkeys(c for key in wanted for c in index.by_doc.get(key[0], []) if c.article == key[1]))
    return CalcOutcome(text=lead + "\n\n".join(render(c, titles, len(found) > 1) for c in found), tools=calls, chunks=cited)


def _other_documents(first: list[Applied], rules: Sequence[Rule], ask: Ask, hits: Sequence[Hit],
                     index: Index, most: int = 2) -> list[list[Applied]]:
    """No document named, and other retrieved documents hold a rule of the same kind that the
    figures fit: their results too, one per document — never one document's rule silently."""
    best = first[0]
    docs = dict.fromkeys(h.chunk.doc_id for h in hits[:TOP_HITS] if h.chunk.doc_id != best.rule.doc_id)
    out: list[list[Applied]] = []
    for doc_id in docs:
        found = choose(rules, ask, hits, [doc_id], index.by_doc)
        if found and found[0].result and found[0].rule.kind == best.rule.kind and found[0].fit == best.fit:
            out.append(found)
    return out[:most]


def _output(a: Applied) -> dict[str, Any]:
    return {**a.to_json(), "note": UNREVIEWED}
