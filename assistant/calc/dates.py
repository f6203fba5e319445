"""Date arithmetic for deadline rules: calendar days, working days, years, annual due dates.

The start day is not counted (民法典第二百零一条); a year period ends on the corresponding day
(第二百零二条); a period whose last day is a rest day or public holiday runs to the next working
day (第二百零三条) — reported as `extended_to`, next to the plain last day. Working days skip
weekends and Chinese public holidays, and count the adjusted working weekends, via the
`chinese_calendar` package for the years it knows; for other years only weekends are skipped
and the result says so. A start date written without its year ("6月3日") is read in the year of
`today` and the result says which year it assumed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from assistant.calc.engine import CalcResult, _base
from assistant.calc.number_format import format_date
from assistant.calc.numbers import Quantity, parse_date, parse_duration, parse_quantity, with_year
from assistant.calc.rule_types import Rule
from assistant.errors import CalcError

_WEEKDAYS = "一二三四五六日"


def _workday(day: dt.date, holidays: bool = True) -> tuple[bool, bool]:
    """(is a working day, known from the holiday calendar). Outside the calendar's years (or
    without the package) only weekends are skipped, and the caller says so."""
    if not holidays:
        return day.weekday() < 5, True
    try:
        import chinese_calendar

        return bool(chinese_calendar.is_workday(day)), True
    except (ImportError, NotImplementedError):
        return day.weekday() < 5, False


def calendar_name() -> str:
    try:
        from importlib.metadata import version

        return f"chinese_calendar {version('chinese_calendar')}"
    except Exception:  # noqa: BLE001 - the package is optional
        return "chinese_calendar（未安装）"


def add_working_days(start: dt.date, n: int, *, holidays: bool = True) -> tuple[dt.date, list[dt.date], bool]:
    """The n-th working day after `start` (start not counted), the skipped days, and whether
    every day was checked against the holiday calendar (holidays=False: weekends only)."""
    day, counted, skipped, exact = start, 0, [], True
    while counted < n:
        day += dt.timedelta(days=1)
        ok, known = _workday(day, holidays)
        exact = exact and known
        if ok:
            counted += 1
        else:
            skipped.append(day)
    return day, skipped, exact


def add_years(start: dt.date, n: int) -> dt.date:
    """民法典第二百零二条: the corresponding day of the last year; without one (2月29日), the
    month's last day."""
    try:
        return start.replace(year=start.year + n)
    except ValueError:
        return dt.date(start.year + n, start.month, 28)


def add_months(start: dt.date, n: int) -> dt.date:
    """The corresponding day n months on, or that month's last day (民法典第二百零二条)."""
    month0 = start.month - 1 + n
    year, month = start.year + month0 // 12, month0 % 12 + 1
    for day in range(start.day, 27, -1) if start.day > 28 else (start.day,):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    raise CalcError(f"日期超出范围（date out of range: {start} + {n} months）")


def _day(d: dt.date) -> str:
    return f"{format_date(d)}（周{_WEEKDAYS[d.weekday()]}）"


@dataclass(frozen=True, kw_only=True)
class DeadlineResult(CalcResult):
    kind: str = "deadline"
    start: dt.date | None = None
    end: dt.date | None = None
    extended_to: dt.date | None = None
    period: str = ""
    calendar: str = ""
    occurrences: tuple[dt.date, ...] = ()

    def references(self, title: str | None = None) -> list[str]:
        return super().references(title) if self.article else []

    def extra_json(self) -> dict[str, Any]:
        def iso(d: dt.date | None) -> str | None:
            return d.isoformat() if d else None

        return {"start": iso(self.start), "end": iso(self.end), "extended_to": iso(self.extended_to),
                "period": self.period, "calendar": self.calendar,
                "occurrences": [d.isoformat() for d in self.occurrences]}


def next_in_cycle(rule: Rule, last_year: int, *, title: str | None = None) -> DeadlineResult:
    """A cycle counted in years from the last time it happened ("2025年刚评估过" and "每两年评估一次"
    → 2027年): the year the question names plus the period, as a year — the text fixes no day."""
    if rule.kind != "deadline" or rule.meaning != "every" or rule.period is None or rule.period.unit != "年":
        raise CalcError(f"{rule.id} 不是按年计的周期规则（'{rule.id}' is not a yearly cycle）")
    step = int(rule.period.number)
    nxt = last_year + step
    verdict = f"下一次应在{nxt}年（{last_year}年 + {rule.period.display()} = {nxt}年；{rule.phrase}）"
    lines = (f"上一次：{last_year}年；周期：每{rule.period.display()}一次（{rule.phrase}）",
             f"{last_year} + {step} = {nxt}，即{nxt}年")
    return DeadlineResult(**_base(rule, title), status="info", verdict=verdict, lines=lines, quote=rule.phrase,
                          period=rule.period.display(), inputs={"last": f"{last_year}年"}, notes=tuple(rule.notes))


def _annual_due(due: str, start: dt.date) -> dt.date:
    year = start.year + (1 if due.startswith("次年") else 0)
    if "季度" in due:
        quarter = "一二三四".index(due[due.index("第") + 1]) + 1
        return add_months(dt.date(year, quarter * 3, 1), 1) - dt.timedelta(days=1)
    month = int("".join(ch for ch in due if ch.isdigit()))
    return add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)


def _end_of(start: dt.date, period: Quantity, include_start: bool = False,
            holidays: bool = True) -> tuple[dt.date, list[dt.date], bool]:
    n = int(period.number)
    if include_start:  # the start day is day 1: count from the day before
        if period.unit == "工作日":
            return add_working_days(start - dt.timedelta(days=1), n, holidays=holidays)
        end, skipped, exact = _end_of(start, period)
        return end - dt.timedelta(days=1), skipped, exact
    if period.unit == "工作日":
        return add_working_days(start, n, holidays=holidays)
    if period.unit == "年":
        return add_years(start, n), [], True
    if period.unit == "月":
        return add_months(start, n), [], True
    if period.unit == "周":
        return start + dt.timedelta(weeks=n), [], True
    return start + dt.timedelta(days=n), [], True


def compute_deadline(rule: Rule | None, start: object | None, *, period: object | None = None,
                     today: object | None = None, title: str | None = None,
                     include_start: bool = False, weekends_only: bool = False) -> DeadlineResult:
    """Dates from a start date: the last day of a period, a publicity period, a ban, a cycle
    (每3年) or an annual due date. The start day is not counted (民法典第二百零一条) unless the
    asker says otherwise (include_start: "当天算第一天"); weekends_only ("不考虑调休") skips
    weekends but not public holidays. Without a rule, give `period` ("45日", "5个工作日")."""
    if rule is not None and rule.kind != "deadline":
        raise CalcError(f"{rule.id} 不是期限规则（'{rule.id}' is not a deadline rule）")
    base = _base(rule, title) if rule else {"rule_id": "deadline", "label": "期限计算"}
    start_label = rule.start.label if rule and rule.start else "起算日"
    if start in (None, ""):
        name = rule.start.name if rule and rule.start else "start"
        return DeadlineResult(**base, status="incomplete", verdict="尚不能计算",
                              missing=(name,), quote=rule.phrase if rule else "")
    given = parse_quantity(start, "date")
    assumed = ""
    if given.year_assumed:
        year = parse_date(today).year if today not in (None, "") else given.day.year
        given = with_year(given, year)
        assumed = f"“{given.text}”未写年份，按今天所在的{year}年理解为{format_date(given.day)}"
    begin = given.day
    per = parse_duration(period) if period not in (None, "") else (rule.period if rule else None)
    meaning = rule.meaning if rule else "within"
    notes = list(rule.notes) if rule else []
    lines: list[str] = [assumed] if assumed else []
    inputs = {"start": format_date(begin)}
    if meaning == "annual" and rule:
        end = _annual_due(rule.due, begin)
        verdict = f"{begin.year}年度：应于{_day(end)}前完成（{rule.due}）"
        return DeadlineResult(**base, status="info", verdict=verdict, quote=rule.phrase, start=begin,
                              end=end, period=rule.due, inputs=inputs, notes=tuple(notes), lines=tuple(lines))
    if per is None:
        raise CalcError("缺少期限（period missing: give e.g. 45日 or 5个工作日）")
    if meaning == "every":
        occ = [_end_of(begin, Quantity("duration", per.number * k, per.unit))[0] for k in range(1, 4)]
        if today not in (None, ""):
            now, k = parse_date(today), 1
            while (nxt := _end_of(begin, Quantity("duration", per.number * k, per.unit))[0]) <= now:
                k += 1
            lines.append(f"{format_date(now)}之后的下一次：{format_date(nxt)}")
        verdict = f"每{per.display()}一次，自{start_label}起算：" + "、".join(format_date(d) for d in occ)
        return DeadlineResult(**base, status="info", verdict=verdict, lines=tuple(lines), quote=rule.phrase if rule else "",
                              start=begin, end=occ[0], period=per.display(), occurrences=tuple(occ),
                              inputs=inputs, notes=tuple(notes))
    end, skipped, exact = _end_of(begin, per, include_start, not weekends_only)
    calendar = ""
    if per.unit == "工作日":
        calendar = f"{calendar_name()}（已计法定节假日和调休）" if exact else "仅跳过周末"
        if weekends_only:
            calendar = "仅跳过周末（按要求不计法定节假日和调休）"
        elif not exact:
            notes.append(f"{calendar_name()} 没有{end.year}年的节假日数据，只跳过了周末，未计法定节假日和调休")
        if skipped:
            lines.append("不计入：" + "、".join(_day(d) for d in skipped))
    counting = "计入，共" if include_start else "不计入，自次日起算"
    lines.append(f"开始当日（{_day(begin)}）{counting}{per.display()}，最后一日为{_day(end)}")
    if include_start:
        notes.append("按提问的约定把开始当日计入；依民法典第二百零一条，开始当日本不计入")
    extended = None
    if meaning in ("within", "publicity") and per.unit != "工作日":
        ok, known = _workday(end, not weekends_only)
        if not ok:
            extended = end
            while not _workday(extended, not weekends_only)[0]:
                extended += dt.timedelta(days=1)
            notes.append(f"最后一日是休息日或法定节假日，按民法典第二百零三条顺延至{format_date(extended)}"
                         + ("" if known else "（只按周末判断）"))
    if meaning == "publicity":
        verdict = f"公示期至{_day(end)}届满；届满无异议的，可予批复（批准）"
    elif meaning == "ban":
        verdict = f"{format_date(end)}前（含当日）不予重新认定；自{format_date(end + dt.timedelta(days=1))}起可重新申请"
    else:
        verdict = f"截止日期：{_day(end)}（自{format_date(begin)}起{per.display()}内）"
    return DeadlineResult(**base, status="info", verdict=verdict, lines=tuple(lines), quote=rule.phrase if rule else "",
                          start=begin, end=end, extended_to=extended, period=per.display(),
                          calendar=calendar, inputs=inputs, notes=tuple(notes))


_INCLUDE_START = ("当天算第一", "当日算第一", "当天计入", "当日计入", "含当天", "含当日", "当天也算", "当天算一天")
_EXCLUDE_START = ("当天不算", "当日不算", "当天不计", "当日不计", "次日起算", "第二天起算")
_WEEKENDS_ONLY = ("不考虑调休", "不考虑节假日", "不算节假日", "只跳过周末", "仅跳过周末", "不管节假日")


def counting_from_text(text: str) -> dict[str, bool]:
    """Day-counting conventions stated in a question, as compute_deadline keywords:
    "当天算第一天" → include_start; "不考虑调休" → weekends_only."""
    return {
        "include_start": any(w in text for w in _INCLUDE_START) and not any(w in text for w in _EXCLUDE_START),
        "weekends_only": any(w in text for w in _WEEKENDS_ONLY),
    }
