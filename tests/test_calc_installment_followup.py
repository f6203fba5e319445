"""A follow-up asking how a sum is paid and one year's part of it ("分几年给？第三年能拿多少"), on
a policy written here: the turn asks an amount too, so the calculator runs on the sum the unit
states, and the answer keeps the schedule."""

from __future__ import annotations

from pathlib import Path

from assistant.chain import _asks_no_figure

from .conftest import chain_over, talk

YU = "yuling-2027-hr-park-measures"
YULING = """榆陵市人力资源服务产业园入驻扶持办法

第一条　为吸引人力资源服务机构入驻产业园，制定本办法。

第二条　全国人力资源服务业百强企业在产业园设立区域总部的，给予一次性落户奖励80万元，分四年兑现：落户当年兑现40%，\
第二年兑现30%，第三年兑现20%，第四年兑现10%。
"""


def test_a_turn_asking_how_long_and_how_much_is_computed(tmp_path: Path) -> None:
    assert _asks_no_figure("那分几年给")
    assert not _asks_no_figure("分几年给？第三年能拿多少")
    chain = chain_over(tmp_path, {YU: YULING})
    answer, _ = talk(chain, "榆陵百强落户奖励给多少", "分几年给？第三年能拿多少")
    # 80万 × 20% = 16万
    assert "16万元" in answer.answer, answer.answer
    assert "分四年兑现" in answer.answer
