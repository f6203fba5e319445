"""Dates from rules found in the text (see assistant.calc.applied): a date N (working) days
after a date the question gives (or after the end of the quarter it names), and the days left in
a yearly window or its next opening."""

from __future__ import annotations

import datetime as dt
import re

from assistant.calc.applied import Applied, Ask, has
from assistant.calc.extract_types import Deadline, DueDate, Figure, Window
from assistant.calc.number_format import format_date
from assistant.calc.numbers import Quantity


def _event_date(ask: Ask) -> Quantity | None:
    dates = [q for q in ask.figures if q.kind == "date" and not ask.is_today(q)]
    return dates[0] if dates else None


def _quarter_end(text: str) -> tuple[dt.date, str] | None:
    m = re.search(r"(\d{4})年(?:的)?第?([一二三四1-4])季度", text)
    if not m:
        return None
    quarter = "一二三四".find(m.group(2)) + 1 or int(m.group(2))
    year = int(m.group(1))
    end = dt.date(year + (quarter == 4), quarter * 3 % 12 + 1, 1) - dt.timedelta(days=1)
    return end, m.group(0)


def _shared(subject: str, start: str) -> bool:
    """Whether the event a deadline runs from is another deadline's subject ("公示期满" and
    "审核结果公示")."""
    def pairs(text: str) -> set[str]:
        return {text[i:i + 2] for i in range(len(text) - 1)}

    return bool(pairs(subject) & pairs(start))


def _window_end(rule: Deadline, ask: Ask, text: str) -> tuple[dt.date, str] | None:
    """"自申报截止之日起30个工作日内" and a yearly window in the same unit ("每年1月1日至1月31日和
    7月1日至7月31日"): the end of the window the question names by its month ("7月那批"), or of
    the only one; in the year the question names, else of today. A step running from the end of
    the step before it ("审核结果公示5个工作日。公示无异议的，…在公示期满后10个工作日内拨付") runs
    from that step's last day, reckoned back to the window."""
    from assistant.calc.extract import extract_unit

    if not text:
        return None
    steps = [d for d in extract_unit(rule.doc_id, rule.unit, text)[0]
             if isinstance(d, Deadline) and d.meaning in ("within", "publicity")]
    return _start_of(rule, ask, text, steps)


def _start_of(rule: Deadline, ask: Ask, text: str, steps: list[Deadline], depth: int = 0) -> tuple[dt.date, str] | None:
    from assistant.calc.extract import extract_unit, lexicon

    at = next((i for i, d in enumerate(steps) if d.phrase == rule.phrase), None)
    before = steps[at - 1] if at else None
    if before is not None and depth < len(steps) and (not rule.start or _shared(before.subject, rule.start)):
        start = _start_of(before, ask, text, steps, depth + 1)
        if start is None:
            return None
        end = _after(start[0], before.period)
        return end, f"{start[1]}；{before.subject}{before.period.text}至{format_date(end)}期满"
    if not any(w in rule.start for w in lexicon()["window_end_words"]):
        return None
    windows = [w for w in extract_unit(rule.doc_id, rule.unit, text)[0] if isinstance(w, Window) and w.start]
    named = [int(m.group(1)) for m in re.finditer(r"(?<!\d)(\d{1,2})月(?!\d)", ask.text)]
    if named:
        windows = [w for w in windows if w.start and int(w.start.value) // 100 <= named[0] <= int(w.end.value) // 100]
    if len(windows) != 1:
        return None
    (w,) = windows
    month, day = divmod(int(w.end.value), 100)
    # "2027年的申报截止以后": the year the question names (a year alone, not a date), else this year
    named_year = re.search(r"(?<!\d)(\d{4})年(?![\d一二三四五六七八九十]{1,2}月)", ask.text)
    year = int(named_year.group(1)) if named_year else ask.today.year
    end = dt.date(year, month, day) if day else dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return end, f"{w.start.text if w.start else ''}至{w.end.text}申报截止（{format_date(end)}）"


_ELAPSED = re.compile(r"满(?P<n>\d+|[一二两三四五六七八九十]+)(?P<u>个月|年|日|天|个工作日)$")


def _elapsed(start: str) -> Figure | None:
    """The time an event must be past before a count starts ("入驻满6个月" → 6个月), or None."""
    from assistant.calc.numbers import parse_duration
    from assistant.errors import CalcError

    m = _ELAPSED.search(start)
    if m is None:
        return None
    try:
        q = parse_duration(m.group()[1:])
    except CalcError:
        return None
    return Figure(q.number, q.unit, m.group()[1:])


def _after(start: dt.date, period: Figure) -> dt.date:
    """The last day of a period counted from the day after `start`."""
    from assistant.calc.dates import add_months, add_working_days, add_years

    n = int(period.value)
    if period.unit == "工作日":
        return add_working_days(start, n)[0]
    if period.unit == "年":
        return add_years(start, n)
    if period.unit == "月":
        return add_months(start, n)
    return start + dt.timedelta(days=n)


def apply_deadline(rule: Deadline, ask: Ask, related: dict[str, str] | None = None) -> Applied | None:
    if rule.meaning == "ban":
        return None
    start_q = _event_date(ask)
    quarter = _quarter_end(ask.text) if "季度" in rule.start else None
    # with no date given, a date after a window's end answers only a question asking a day
    window = (_window_end(rule, ask, (related or {}).get(rule.unit, ""))
              if start_q is None and has(ask.text, "due") else None)
    if start_q is None and has(ask.text, "next"):
        return None  # "下一次什么时候": the window's next opening answers, not a date after its end
    if start_q is None and has(ask.text, "span") and not has(ask.text, "due"):
        return None  # "几天内要答复" with no date: the time limit itself answers, as the text states it
    offset = _elapsed(rule.start) if start_q is not None else None
    if start_q is not None and offset is not None:
        # "自入驻满6个月之日起20个工作日内": the count runs from the day the event is that long past
        start = _after(start_q.day, offset)
        said = f"{start_q.text}{offset.text}之日（{format_date(start)}）"
    elif start_q is not None:
        start, said = start_q.day, start_q.text
    elif quarter is not None:
        start, said = quarter[0], f"{quarter[1]}结束（{format_date(quarter[0])}）"
    elif window is not None:
        start, said = window
    else:
        return None
    unit = rule.period.unit
    end = _after(start, rule.period)
    weekday = "一二三四五六日"[end.weekday()]
    step = f"{format_date(start)}起{rule.period.text}（不含当日）→ {format_date(end)}（周{weekday}）"
    if offset is not None and start_q is not None:
        step = f"{format_date(start_q.day)}起{offset.text}至{format_date(start)}；{step}"
    line = f"{rule.subject}最晚在{format_date(end)}（周{weekday}）（条文：“{rule.phrase}”）"
    if rule.meaning == "publicity":
        line = f"{rule.subject}自{said}起{rule.period.text}，至{format_date(end)}（周{weekday}）期满（条文：“{rule.phrase}”）"
    notes = ("工作日按国务院节假日安排计算",) if unit == "工作日" else ()
    return Applied(rule, 1, (line,), (step, *notes), {rule.start or "起算日": said}, format_date(end))


def apply_window(rule: Window, ask: Ask) -> Applied | None:
    if rule.start is None:
        return None
    said_today = [q for q in ask.figures if ask.is_today(q)]
    today = said_today[0].day if said_today else ask.today

    def day(fig: Figure, year: int) -> dt.date:
        month, d = divmod(int(fig.value), 100)
        return dt.date(year, month, d) if d else dt.date(year, month % 12 + 1, 1) - dt.timedelta(days=1)

    start, end = day(rule.start, today.year), day(rule.end, today.year)
    window = f"{rule.start.text}至{rule.end.text}"
    step_today = f"今天按{format_date(today)}计"
    if has(ask.text, "days_left") and start <= today <= end or (has(ask.text, "days_left") and today < start):
        target = end if today >= start else start
        days = (target - today).days
        word = "截止" if today >= start else "开始"
        line = f"距{rule.subject}{word}（{format_date(target)}）还有{days}天（条文：“{rule.phrase}”）"
        # a window open today answers "还有几天截止" before one that opens later
        return Applied(rule, (1 if said_today else 0) + (today >= start), (line,), (step_today, f"{format_date(target)} − {format_date(today)} = {days}天"),
                       {"今天": format_date(today)}, f"{days}天")
    if has(ask.text, "next") or (said_today and has(ask.text, "due")):
        nxt = start if today < start else day(rule.start, today.year + 1)
        nxt_end = end if today < start else day(rule.end, today.year + 1)
        line = f"下一次{rule.subject}：{format_date(nxt)}至{format_date(nxt_end)}（条文：“{rule.phrase}”）"
        return Applied(rule, 1 if said_today else 0, (line,), (step_today, f"每年{window}"),
                       {"今天": format_date(today)}, format_date(nxt))
    return None


def apply_due_date(rule: DueDate, ask: Ask) -> Applied | None:
    """"还有几天截止": the days from today (said, or the system's) to a dated deadline."""
    if not has(ask.text, "days_left"):
        return None
    said_today = [q for q in ask.figures if ask.is_today(q) or q.kind == "date"]
    today = said_today[0].day if said_today else ask.today
    year, rest = divmod(int(rule.due.value), 10000)
    due = dt.date(year, *divmod(rest, 100))
    days = (due - today).days
    step = f"{format_date(due)} − {format_date(today)} = {days}天"
    if days < 0:
        line = f"{rule.subject}已于{format_date(due)}截止（条文：“{rule.phrase}”）"
        return Applied(rule, 1 if said_today else 0, (line,), (step,), {"今天": format_date(today)}, "已截止")
    line = f"距{rule.subject}截止（{format_date(due)}）还有{days}天（条文：“{rule.phrase}”）"
    return Applied(rule, 1 if said_today else 0, (line,), (f"今天按{format_date(today)}计", step),
                   {"今天": format_date(today)}, f"{days}天")
