"""A top-up for a higher tier stated in another unit than the table (a Q&A answers it apart:
"营业收入首次跨入更高档次的，按照新档次奖励标准与已获奖励的差额给予补足"), on a policy written here:
the tier reached less the reward already had — the figure said as a payment, not the earlier
revenue also said before 拿过."""

from __future__ import annotations

import pytest

from assistant.chain import AnswerChain

from .conftest import chain_over

TA = "taoxi-2027-hr-park-qa"
TAOXI = """桃溪市人力资源服务产业园政策问答

问1：营业收入达到多少有奖励？
答：入驻机构上一年度营业收入达到下列档次的，给予一次性奖励：2000万元以上不满5000万元的，奖励8万元；\
5000万元以上不满1亿元的，奖励20万元；1亿元以上的，奖励40万元。

问2：以前拿过低档次的奖励，升档后还能再拿吗？
答：可以。营业收入首次跨入更高档次的，按照新档次奖励标准与已获奖励的差额给予补足。

问3：纳税有奖励吗？
答：入驻机构缴纳税收地方留成部分达到30万元以上的，按照地方留成部分的20%给予奖励。
"""


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    return chain_over(tmp_path_factory.mktemp("top-up"), {TA: TAOXI})


def test_the_difference_to_the_higher_tier(chain: AnswerChain) -> None:
    answer = chain.ask("前年营收3000万在桃溪拿过8万奖励，去年做到6000万了，还能补多少")
    assert "补差12万元" in answer.answer.splitlines()[0], answer.answer
    assert {c.article for c in answer.citations if c.doc_id == TA} >= {"问1", "问2"}


def test_no_difference_without_a_reward_had(chain: AnswerChain) -> None:
    answer = chain.ask("桃溪营收6000万能拿多少奖励")
    assert "20万元" in answer.answer.splitlines()[0]
    assert "补差" not in answer.answer.splitlines()[0]
