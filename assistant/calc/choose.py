"""Which rule found at ingest a question needs.

A rule is a candidate only when its own unit is among the retrieved units (so the answer cites
what it computed from) and, when the question names documents, belongs to one of them. Each
candidate is applied to the question's figures (assistant.calc.applied); the one that uses the
question's figures, answers the kind of thing asked (a gap, an amount, a date) and shares the
most subject words with the question wins; a tie between different results gives the conditions,
not a guess.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from assistant.calc.applied import Applied, Ask, apply, bigrams, has
from assistant.calc.applied_sums import apply_sum
from assistant.calc.chosen_result import (
    named_total,
    paid_by_year,
    preconditions,
    raised_when_met,
    share_of_result,
    shared_cost,
    tier_share_of_case,
)
from assistant.calc.extract import lexicon
from assistant.calc.extract_types import PerUnitCapped, Rule, ScaledBars, Threshold, Tiers
from assistant.calc.related_units import _parent, referring, related_texts
from assistant.errors import CalcError
from assistant.types import Chunk, Hit

if TYPE_CHECKING:
    from assistant.index import Index

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
    total = named_total(scored, ask, by_doc)
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
    best = shared_cost(best, related_texts(best.rule, by_doc.get(best.rule.doc_id, [])))
    best = paid_by_year(best, candidates, ask)
    best = raised_when_met(best, [a for _, a in scored], by_doc.get(best.rule.doc_id, []))
    best = tier_share_of_case(best, ask, by_doc.get(best.rule.doc_id, []))
    best = share_of_result(best, ask, by_doc.get(best.rule.doc_id, []))
    return [best, *preconditions(best, [a for _, a in scored])]


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


