"""Duties in time found in a unit's text for assistant.calc.extract: periodic duties ("每年报送两次"),
yearly windows ("每年3月1日至4月30日"), dates something is due by ("每年6月底前") and deadlines
counted from an event ("受理之日起15个工作日内", "公示5个工作日", "3年内不得…").
"""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.calc.extract_text import (
    LEADING_MARK,
    NUM,
    alt,
    clause_end,
    clause_start,
    lexicon,
    trim,
)
from assistant.calc.extract_types import Deadline, Figure, Period, Rule, Window, count_of
from assistant.errors import CalcError

_PERIOD_RE = re.compile(
    r"每(?P<n>[两二三四五六七八九十\d]*)(?P<u>年|季度|个月|月)(?P<mid>[^，。；]{0,24}?)"
    r"(?P<times>[一两二三四五\d]+)(?P<cu>次|届)(?P<after>[^，。；]*)"
)
_WINDOW_RE = re.compile(
    r"(?P<y>每年|当年|次年)?(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日(?:至|到|—|-|～)"
    r"(?:(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2})日"
)
_DUE_RE = re.compile(
    r"(?P<y>每年|当年|次年)(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日(?:前|之前)|底(?:前|之前)?)"
)
_DEADLINE_RE = re.compile(
    rf"(?P<fig>(?:{NUM})(?:个工作日|工作日|个自然日|日|天|个月|年))(?P<tail>以内|内|的公示|公示)?"
)


def _month_day(m: str, d: str | None, text: str) -> Figure:
    return Figure(Decimal(int(m) * 100 + int(d or 0)), "月日", text)


def periodic_duties(doc_id: str, label: str, text: str) -> tuple[list[Rule], list[tuple[int, int]]]:
    rules: list[Rule] = []
    used: list[tuple[int, int]] = []
    for m in _PERIOD_RE.finditer(text):
        n = m.group("n")
        every_text = f"{n}{m.group('u')}" if n else f"每{m.group('u')}"
        value = Decimal(1)
        if n:
            try:
                value = _duration(every_text).value
            except CalcError:
                continue
        unit = {"个月": "月"}.get(m.group("u"), m.group("u"))
        times = m.group("times")
        times_text = f"{times}{m.group('cu')}"
        clause = clause_start(text, m.start())
        subject = trim(f"{m.group('mid')}{m.group('after')}") or trim(text[clause:m.start()])
        rules.append(Period(doc_id, label, text[clause:m.end()], subject,
                            Figure(value, unit, every_text), Figure(count_of(times), m.group("cu"), times_text)))
        used.append(m.span())
    # "每3年由…进行综合评估": a duty every N years with no count written (once each time).
    verbs = alt(lexicon()["periodic_verbs"])
    every_re = rf"每(?P<n>[两二三四五六七八九十\d]*)(?P<u>年|季度)(?P<mid>[^，。；]*?(?:{verbs})[^，。；]*)"
    for m in re.finditer(every_re, text):
        if any(s <= m.start() < e for s, e in used) or not m.group("n"):
            continue
        try:
            every = _duration(f"{m.group('n')}{m.group('u')}")
        except CalcError:
            continue
        clause = clause_start(text, m.start())
        rules.append(Period(doc_id, label, text[clause:m.end()], trim(m.group("mid")), every, None))
        used.append(m.span())
    taken = []
    for m in _WINDOW_RE.finditer(text):
        year = m.group("y") or ("每年" if "每年" in text[:m.start()] else "")
        clause = clause_start(text, m.start())
        start_text = text[m.start("m1"):m.end("d1") + 1]
        end_text = text[m.end("d1") + 2:m.end()]
        # "于每年5月1日至5月31日推荐申报": what the window is for may follow it
        event = trim(text[m.end():clause_end(text, m.end())])
        event = event if event and not re.search(r"\d", event) else ""
        rules.append(Window(doc_id, label, text[clause:m.end() + (len(text[m.end():clause_end(text, m.end())]) if event else 0)],
                            re.sub("[于在]$", "", trim(text[clause:m.start()])) + event,
                            _month_day(m.group("m1"), m.group("d1"), start_text),
                            _month_day(m.group("m2") or m.group("m1"), m.group("d2"), end_text),
                            year))
        used.append(m.span())
        taken.append(m.span())
    for m in _DUE_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        clause = clause_start(text, m.start())
        after = trim(text[m.end():clause_end(text, m.end())])
        due_text = text[m.start("m"):m.end()]
        due_text = re.sub(r"(?:之前|前)$", "", due_text)
        rules.append(Window(doc_id, label, text[clause:clause_end(text, m.end())],
                            after or trim(text[clause:m.start()]), None,
                            _month_day(m.group("m"), m.group("d"), due_text), m.group("y")))
        used.append(m.span())
    return rules, used


def _duration(words: str) -> Figure:
    from assistant.calc.numbers import parse_duration

    q = parse_duration(words)
    return Figure(q.number, q.unit, words)


def deadline_rules(doc_id: str, label: str, text: str) -> tuple[list[Rule], list[tuple[int, int]]]:
    lex = lexicon()
    rules: list[Rule] = []
    used: list[tuple[int, int]] = []
    for m in _DEADLINE_RE.finditer(text):
        fig_text = m.group("fig")
        clause = clause_start(text, m.start())
        before = text[clause:m.start()]
        after_end = clause_end(text, m.end())
        after = text[m.end():after_end]
        is_year = fig_text.endswith("年")
        publicity = re.search(f"(?:{alt(lex['publicity_words'])})(?:为)?$", before)
        if (m.group("tail") or "").endswith("公示") or publicity:
            meaning = "publicity"
        elif is_year and m.group("tail") == "内" and re.match(alt(lex["ban_words"]), after.lstrip("其")):
            meaning = "ban"
        elif m.group("tail") in lex["within_words"] and not is_year:
            meaning = "within"
        else:
            continue
        try:
            period = _duration(fig_text)
        except CalcError:
            continue
        start = ""
        sm = re.search(rf"(?:自|在|于)?(?P<s>[^，。；自在于]+?)(?:{alt(lex['start_words'])})$", before)
        if meaning == "within" and sm:
            start = LEADING_MARK.sub("", sm.group("s")).strip()
        subject = (trim(after) if meaning != "publicity" else "") or trim(before) or "公示"
        rules.append(Deadline(doc_id, label, text[clause:after_end], subject, period, meaning, start))
        used.append(m.span())
    return rules, used
