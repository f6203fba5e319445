"""Paying back what was received when leaving early, found in a unit's text for
assistant.calc.extract: "连续经营未满2年退出产业园的，退回已享受房租补贴的50%", "入驻满12个月不满36个月
迁出的，按照未满月数占36个月的比例退回已享受的入驻奖励和房租补贴", "未满5年迁出本市的，应当按照未满
年限的比例退回已享受的补贴资金", "入驻不满12个月迁出的，退回已享受的全部扶持资金"."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from assistant.calc.extract_text import LEADING_MARK, NUM, alt, lexicon, trim
from assistant.calc.extract_types import Figure, Refund
from assistant.calc.numbers import parse_duration

_SPAN = r"(?:个月|年)"
_CONDITION = re.compile(
    rf"(?:满(?P<lo>(?:{NUM}){_SPAN}))?(?:不满|未满)(?P<hi>(?:{NUM}){_SPAN})(?P<rest>[^，。；]*?)的[，,]")


def _duration(words: str) -> Figure | None:
    try:
        q = parse_duration(words)
    except Exception:  # noqa: BLE001 - not a duration we can read: no rule
        return None
    return Figure(q.number, q.unit, words)


def refunds(doc_id: str, label: str, text: str, used: list[tuple[int, int]]) -> list[Refund]:
    lex = lexicon()
    verbs = alt(lex["refund_verbs"])
    whole_words = alt(lex["whole_words"])
    out: list[Refund] = []
    lead = ""  # "…应当退回已享受的房租补贴和装修补贴：": what the rows after the colon pay back
    for m in _CONDITION.finditer(text):
        if any(a <= m.start() < b for a, b in used):
            continue
        stop = min([len(text), *(text.find(c, m.end()) for c in "。；\n" if text.find(c, m.end()) >= 0)])
        rest = text[m.end():stop]
        verb = re.search(verbs, rest)
        if verb is None:
            continue
        below, above = _duration(m.group("hi")), _duration(m.group("lo")) if m.group("lo") else None
        if below is None:
            continue
        after = rest[verb.end():]
        if after.startswith(("：", ":")):
            continue  # "按照下列规定退回：…": the rows that follow say what is paid back
        share: Figure | None = None
        whole: Figure | None = None
        pct = re.match(r"(?P<what>[^，。；%]*?)的(?P<p>\d+(?:\.\d+)?%)", after)
        bare = re.match(r"(?P<what>)(?P<p>\d+(?:\.\d+)?%)", after)  # "其中…满2年不满3年的，退回50%"
        prop = re.search(rf"未满[^，。；]{{0,4}}?(?:占(?P<n>(?:{NUM}){_SPAN}))?的比例$", rest[:verb.start()])
        # "退回已享受的全部扶持资金", or "应当全额退回落户奖励"
        every = re.search(whole_words, after) or re.search(f"(?:{whole_words})$", rest[:verb.start()])
        if pct:
            share = Figure(Decimal(pct.group("p")[:-1]) / 100, "%", pct.group("p"))
            received = pct.group("what")
        elif prop:
            whole = _duration(prop.group("n")) if prop.group("n") else None
            received = re.split("[，,]", after)[0]
        elif every:
            share = Figure(Decimal(1), "%", every.group())
            received = re.split("[，,]", after)[0]
        elif bare and out:
            # a row inside the sentence before: of what that sentence pays back
            share = Figure(Decimal(bare.group("p")[:-1]) / 100, "%", bare.group("p"))
            received = out[-1].received
        elif re.match(alt(w for w in lex["refund_generic"] if w.startswith("已")), after):
            # "退回已享受的房租补贴和营收奖励": what was received, with no share — the whole of it
            received = re.split("[，,]", after)[0]
            share = Figure(Decimal(1), "%", verb.group())
        else:
            continue
        head = re.split("[：:]", received)
        if len(head) > 1 and trim(head[0]):
            lead = trim(head[0])  # a list of rows follows; the lead itself pays back nothing
            continue
        borrowed = not trim(received) and bool(lead)
        if borrowed:
            received = lead  # "不满1年迁出的，全额退回": of what the lead names
        if borrowed and not bare:
            end = m.end() + verb.end()
        elif bare and not pct and out and received == out[-1].received:
            end = m.end() + verb.end() + len(bare.group(0))
        else:
            end = m.end() + verb.end() + len(received) + (len(pct.group(0)) - len(pct.group("what")) if pct else 0)
        phrase = LEADING_MARK.sub("", text[_sentence_start(text, m.start()):end].strip())
        out.append(Refund(doc_id, label, phrase, trim(received) or trim(m.group("rest")), below, above, share, whole,
                          trim(received)))
    return _narrowed(out)


def _narrowed(found: list[Refund]) -> list[Refund]:
    """"不满3年迁出的，退回…，其中满2年不满3年迁出的，退回50%": the sentence's own share holds
    only below the row written inside it (不满2年)."""
    out = []
    for r in found:
        inner = [o.above for o in found if o is not r and r.above is None and o.above is not None
                 and o.below.value == r.below.value and o.below.unit == r.below.unit and o.above.unit == r.below.unit]
        out.append(replace(r, below=min(inner, key=lambda f: f.value)) if inner else r)
    return out


def _sentence_start(text: str, pos: int) -> int:
    """The start of the clause the condition is in ("连续经营未满2年…": back to the last stop)."""
    i = pos
    while i > 0 and text[i - 1] not in "，,。；;\n：:":
        i -= 1
    return i
