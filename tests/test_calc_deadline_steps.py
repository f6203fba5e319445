"""Working-day deadlines after a yearly window, on a policy written here: the year the question
names, and a step running from the end of the step before it (review → publicity → payment)."""

from __future__ import annotations

import pytest

from assistant.chain import AnswerChain

from .conftest import chain_over

LI = "lianshan-2027-hr-park-measures"
LIANSHAN = """莲山县人力资源服务产业园扶持办法

第一条　入驻机构按照每月每平方米10元给予房租补贴，每家机构每年最高不超过5万元。

第二条　扶持资金每年申报一次，申报时间为每年4月1日至4月15日。县人力资源和社会保障局自申报截止之日起10个工作日内完成审核，\
审核结果公示5个工作日。公示无异议的，县财政局在公示期满后10个工作日内拨付资金。
"""


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    return chain_over(tmp_path_factory.mktemp("steps"), {LI: LIANSHAN})


def test_the_year_the_question_names(chain: AnswerChain) -> None:
    # 2027-04-15 is a Thursday: 10 working days → 2027-04-29 (no holiday between)
    answer = chain.ask("莲山2027年的扶持资金申报截止以后，县人社局最晚哪天要审完")
    assert "2027年4月29日" in answer.answer.splitlines()[0], answer.answer


def test_a_step_runs_from_the_end_of_the_step_before(chain: AnswerChain) -> None:
    # review to 2027-04-29; publicity 5 working days (4-30, then 5-1…5-5 off, 5-6, 5-7, 5-10, 5-11)
    # the payment runs from the end of the publicity, not from the end of the window
    answer = chain.ask("莲山2027年申报截止以后，县财政局最晚哪天拨付资金")
    first = answer.answer.splitlines()[0]
    assert "拨付资金" in first and "2027年4月" not in first, answer.answer


MO = "moling-2027-hr-park-measures"
MOLING = """墨陵市人力资源服务产业园入驻扶持办法

第一条　入驻机构按照每月每平方米15元给予房租补贴。

第二条　入驻机构首次申请房租补贴的，应当自入驻满3个月之日起15个工作日内提出，逾期不予受理。
"""


def test_a_count_runs_from_the_day_an_event_is_that_long_past(tmp_path_factory: pytest.TempPathFactory) -> None:
    moling = chain_over(tmp_path_factory.mktemp("elapsed"), {MO: MOLING})
    # 2026-04-20 + 3 months = 2026-07-20 (a Monday); 15 working days from 7-21 (no holiday in
    # July or August): 7-21…7-24, 7-27…7-31, 8-3…8-7, 8-10
    answer = moling.ask("墨陵，我们2026年4月20日入驻的，首次申请房租补贴最晚哪天提出？")
    first = answer.answer.splitlines()[0]
    assert "2026年8月10日" in first, answer.answer
    assert "2026年7月20日" in answer.answer


def test_a_date_after_the_window_answers_only_a_question_asking_a_day() -> None:
    import datetime as dt

    from assistant.calc.applied import Ask
    from assistant.calc.applied_dates import apply_deadline
    from assistant.calc.extract import extract_unit
    from assistant.calc.extract_types import Deadline
    from assistant.calc.quantities_in_text import extract_quantities

    text = LIANSHAN.splitlines()[4]
    review = next(r for r in extract_unit(LI, "第二条", text)[0] if isinstance(r, Deadline) and "审核" in r.subject)
    today = dt.date(2027, 1, 5)

    def ask(question: str) -> Ask:
        return Ask(question, tuple(extract_quantities(question, today=today)), today)

    # "一年最多补几场" asks a count: no date is computed from the window's end
    assert apply_deadline(review, ask("一年最多补几场"), {"第二条": text}) is None
    got = apply_deadline(review, ask("县人社局最晚哪天审完"), {"第二条": text})
    assert got is not None and got.result.startswith("2027年4月")
