"""Days of a document's validity, on a policy written here: the days left to its end from today
(or the date asked), and the whole span from 施行 to the end, both ends counted."""

from __future__ import annotations

import pytest

from assistant.chain import AnswerChain

from .conftest import chain_over

YU = "yunlan-2026-hr-park-measures"
YUNLAN = """云岚市人力资源服务产业园扶持措施

一、入驻机构按照每月每平方米10元给予房租补贴，每家机构每年最高不超过5万元。

二、本措施自2025年3月1日起施行，有效期至2026年12月20日。
"""


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    return chain_over(tmp_path_factory.mktemp("days"), {YU: YUNLAN})


def test_the_days_left_to_the_end_of_validity(chain: AnswerChain) -> None:
    # today in tests is 2026-11-24: 26 days to 2026-12-20
    answer = chain.ask("云岚扶持措施今天算起还有几天到期")
    assert "还有26天" in answer.answer, answer.answer
    assert any(c.doc_id == YU and c.article == "二" for c in answer.citations)


def test_the_whole_span_counts_both_ends(chain: AnswerChain) -> None:
    # 2025-03-01 … 2026-12-20: 659 days apart, 660 with both ends
    answer = chain.ask("云岚扶持措施从施行到到期总共多少天")
    assert "共660天" in answer.answer, answer.answer


def test_no_days_without_a_count_asked(chain: AnswerChain) -> None:
    answer = chain.ask("云岚扶持措施什么时候到期")
    assert "还有" not in answer.answer.split("\n")[0]
