"""A rate of each person's sum with a cap per person, summed over the persons listed ("年薪分别
60万、120万、80万"), on a policy written here."""

from __future__ import annotations

import pytest

from assistant.chain import AnswerChain

from .conftest import chain_over

QI = "qingyuan-2027-hr-park-guide"
QINGYUAN = """青垣市人力资源服务产业园服务指南

事项一　人才寻访奖励

【奖励标准】按照该人才首年年薪的4%给予奖励，每引进1人最高不超过3万元，每家机构每年最高不超过8万元。\
引进人才须与用人单位签订3年以上劳动合同。
"""


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    return chain_over(tmp_path_factory.mktemp("each"), {QI: QINGYUAN})


@pytest.mark.parametrize(("question", "expected"), [
    # 2万 + 3万 (4.8万 held at 3万) + 2.4万 = 7.4万
    ("青垣引进了3个人才，首年年薪分别50万、120万、60万，寻访奖励共多少", "7.4万元"),
    # 3万 × 3 = 9万, held at 8万 a year
    ("青垣引进了3个人才，首年年薪分别100万、90万、80万，寻访奖励共多少", "8万元"),
])
def test_each_person_capped_then_summed(chain: AnswerChain, question: str, expected: str) -> None:
    answer = chain.ask(question)
    assert expected in answer.answer.splitlines()[0], answer.answer


def test_the_year_the_persons_were_counted_in_is_no_contract_length(chain: AnswerChain) -> None:
    # "一年…引进了3个": the time of the count, not a 1-year contract short of the 3-year bar
    answer = chain.ask("青垣我们一年引进了3个人才，首年年薪分别50万、120万、60万，寻访奖励共多少")
    assert "7.4万元" in answer.answer and "未达到" not in answer.answer, answer.answer
    answer = chain.ask("青垣引进的人才签了一年劳动合同，首年年薪50万，寻访奖励能拿吗")
    assert "未达到" in answer.answer, answer.answer


def test_one_person_keeps_the_rate_of_one(chain: AnswerChain) -> None:
    answer = chain.ask("青垣引进1个人才，首年年薪50万，寻访奖励多少")
    assert "2万元" in answer.answer.splitlines()[0], answer.answer
