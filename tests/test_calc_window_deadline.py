"""A deadline counted from a date the question gives ("今年6月30号截止") or from the end of a
yearly window it names by month ("7月那批"), on synthetic text."""

from __future__ import annotations

import datetime as dt

from assistant.calc.applied import Ask, apply
from assistant.calc.extract import extract_unit
from assistant.calc.extract_types import Deadline
from assistant.calc.quantities_in_text import extract_quantities

TODAY = dt.date(2026, 5, 1)
UNIT = "第八条"
TEXT = ("第八条　补助每半年申报一次，申报时间为每年2月1日至2月28日和8月1日至8月31日。区人社局在申报截止后"
        "20个工作日内完成审核。")


def _deadline() -> Deadline:
    rules, _ = extract_unit("synthetic", UNIT, TEXT)
    (rule,) = [r for r in rules if isinstance(r, Deadline)]
    return rule


def _result(question: str) -> str | None:
    ask = Ask(question, tuple(extract_quantities(question, today=TODAY)), TODAY)
    got = apply(_deadline(), ask, {UNIT: TEXT})
    return got.result if got else None


def test_today_year_written_before_a_month_day_is_a_date() -> None:
    (q,) = extract_quantities("今年8月31号截止", today=TODAY)
    assert (q.kind, q.day) == ("date", dt.date(2026, 8, 31))
    assert extract_quantities("2024年6月", today=TODAY) == []  # a year-month is not a day


def test_working_days_after_a_date_given() -> None:
    # 2026-08-31 (Mon) + 20 working days, none of them holidays → 2026-09-28 (Mon)
    assert _result("今年8月31号申报截止，最晚哪天审完") == "2026年9月28日"


def test_working_days_after_the_window_named_by_its_month() -> None:
    assert _result("8月那批申报，截止后最晚哪天审完") == "2026年9月28日"
    # 2026-02-28 (Sat): counting starts on Monday 3月2日; weekends skipped
    assert _result("2月那批申报，审核最晚哪天") == "2026年3月27日"


def test_no_month_and_two_windows_is_not_guessed() -> None:
    assert _result("申报截止后最晚哪天审完") is None


def test_a_time_limit_asked_without_a_date_is_not_turned_into_a_date() -> None:
    # the text answers "几个工作日内": 20个工作日内; a date needs a start the asker gives
    assert _result("8月那批申报，审核要几个工作日") is None
    assert _result("8月那批申报，截止后最晚哪天审完") == "2026年9月28日"
