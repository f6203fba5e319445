"""Answers to everyday wordings over policies written here (not eval questions): words users
type (退钱, 搬离) read as the words policies use."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chain import AnswerChain

from .conftest import chain_over

QINGWU = "qingwu-2025-park-rules"
BAISHA = "baisha-2025-talent-measures"

QINGWU_TEXT = """青梧市人力资源服务产业园管理办法

第一条 为促进青梧市人力资源服务产业园发展，制定本办法。

第二条 入驻机构应当同时满足以下条件：入驻面积不少于120平方米；在本市缴纳社会保险的从业人员不少于6人。

第三条 入驻机构租用产业园办公用房的，按照每月每平方米18元给予房租补贴，补贴期限最长3年。

第四条 入驻机构自行装修办公用房的，按照实际装修投入的20%给予一次性装修补贴，每家最高不超过12万元。

第五条 享受房租补贴的机构自入驻之日起3年内迁出青梧市的，应当退回已享受的全部房租补贴。

第六条 本办法自2025年3月1日起施行，有效期至2029年2月28日。
"""

BAISHA_TEXT = """白沙市人力资源服务业人才支持措施

一、高管奖励。入驻机构高级管理人员年度工资薪金收入40万元以上的，按照其个人所得税地方留成部分的40%给予奖励，每人每年最高不超过4万元。

二、本措施自2025年1月1日起施行。
"""


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    folder: Path = tmp_path_factory.mktemp("wordings")
    return chain_over(folder, {QINGWU: QINGWU_TEXT, BAISHA: BAISHA_TEXT})


def _cited(answer: object) -> list[str]:
    return [c.article for c in answer.citations]  # type: ignore[attr-defined]


def test_everyday_short_forms_find_the_unit_in_the_policy_words(chain: AnswerChain) -> None:
    answer = chain.ask("青梧拿了房补以后搬离青梧要退钱不")
    assert answer.answered
    assert _cited(answer) == ["第五条"]
    assert "退回已享受的全部房租补贴" in answer.answer


SHIYAN_TEXT = """石砚市人力资源服务产业园专项资金申报指南
为做好申报工作，明确如下。
一、支持内容
（1）房租补贴。
1）补贴标准：按照每月每平方米16元给予补贴。
2）补贴面积：每家机构不超过350平方米，超出部分不予补贴。
（2）招聘补贴。
1）举办专场招聘会的，每场补贴6000元。
"""


def test_several_facts_of_a_rule_written_as_the_points_of_one_heading(tmp_path: Path) -> None:
    """"标准是多少，面积封顶多少" asks two facts of 房租补贴, written as its points 1） and 2）:
    the heading answers with both points, not one point alone."""
    chain = chain_over(tmp_path, {"shiyan-2026-guide": SHIYAN_TEXT})
    answer = chain.ask("石砚申报指南房租补贴标准是多少，面积封顶多少")
    assert {c.article for c in answer.citations} == {"一（1）"}
    assert "16元" in answer.answer and "350平方米" in answer.answer
