"""The conversation state on a policy written here: figures by role, ordinals, a turn asking
another kind, narrowing to a part of the quoted unit, statements remembered, the reading said
plainly. Each conversation carries the assistant's own answers in its history."""

from __future__ import annotations

import pytest

from assistant.chain import AnswerChain
from assistant.dialogue import contextualise, state_after
from assistant.turn_figures import is_statement

from .conftest import chain_over, talk

QIFENG = """栖枫市人力资源服务产业园发展规划
一、发展目标
1．到2027年，实现以下目标：
①全市人力资源服务机构数量达到800家以上；
②市级人力资源服务产业园达到6家；
③培育营业收入超过5亿元的骨干企业不少于3家。
二、支持措施
1．对入驻机构给予房租补贴，第一年按照每月每平方米20元给予补贴，第二年按照每月每平方米15元给予补贴，第三年按照每月每平方米8元给予补贴。
2．对入驻机构按照以下标准给予营收奖励：
（1）营业收入1000万元以上不满5000万元的，奖励10万元；
（2）营业收入5000万元以上的，奖励30万元。
营收奖励分两年兑现。
3．成功介绍失业人员就业的，按照每人300元给予职业介绍补贴。
三、监督管理
1．市级产业园每两年评估一次，评估不合格的市级产业园限期整改，整改后仍不合格的市级产业园撤销称号。
"""
QF = "qifeng-2026-hr-plan"


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    return chain_over(tmp_path_factory.mktemp("dialogue-state"), {QF: QIFENG})




def test_a_new_ordinal_replaces_the_one_of_the_same_measure(chain: AnswerChain) -> None:
    answer, _ = talk(chain, "栖枫房租补贴第一年是多少", "第三年呢")
    assert "第三年" in answer.notes["understood_as"] and "第一年" not in answer.notes["understood_as"]
    answer, _ = talk(chain, "栖枫房租补贴第一年是多少", "第三年呢", "我们租了200平，第三年能补多少")
    assert "1.92万元" in answer.answer


def test_a_figure_replaces_only_the_figure_of_its_own_role(chain: AnswerChain) -> None:
    history = [["栖枫营业收入6000万元能奖多少", "…"]]
    understood = contextualise("注册资本800万元呢", history, chain.index)
    assert "6000万元" in understood and "800万元" in understood  # another role: both stay
    understood = contextualise("营业收入8000万元呢", history, chain.index)
    assert "8000万元" in understood and "6000万元" not in understood


def test_a_turn_asking_another_kind_leaves_the_added_figures_behind(chain: AnswerChain) -> None:
    answer, history = talk(chain, "栖枫营收奖励怎么给", "营业收入6000万元呢", "那分几年给")
    assert "6000万元" not in answer.notes["understood_as"]
    assert "分两年兑现" in answer.answer
    state = state_after(history, chain.index)
    assert state is not None and any(text == "6000万元" for _, text in state.figures)  # still at hand


def test_a_subject_inside_the_quoted_list_narrows_to_that_part(chain: AnswerChain) -> None:
    answer, _ = talk(chain, "栖枫的发展目标有哪些", "市级产业园要建到几家")
    assert {(c.doc_id, c.article) for c in answer.citations} == {(QF, "一1②")}
    assert "6家" in answer.answer
    assert answer.notes["understood"].endswith("一1②；问：数量")  # read as that part, and said so


def test_which_part_of_the_quoted_unit_is_meant(chain: AnswerChain) -> None:
    """"其中…那条" with one word of it, and "第2点呢" after a unit quoted with points ①②③."""
    answer, _ = talk(chain, "栖枫的发展目标有哪些", "其中市级产业园那条呢")
    assert {(c.doc_id, c.article) for c in answer.citations} == {(QF, "一1②")}
    answer, _ = talk(chain, "栖枫的发展目标有哪些", "第3点呢")
    assert {(c.doc_id, c.article) for c in answer.citations} == {(QF, "一1③")}
    assert "不少于3家" in answer.answer


def test_figures_in_words_of_their_own_are_reckoned_under_the_subject(chain: AnswerChain) -> None:
    answer, _ = talk(chain, "栖枫职业介绍补贴怎么算", "介绍了20个失业人员就业能拿多少")
    assert "职业介绍补贴" in answer.notes["understood_as"]
    assert "6000元" in answer.answer


def test_a_statement_is_remembered_and_acknowledged(chain: AnswerChain) -> None:
    answer, history = talk(chain, "我们公司营业收入6000万元。")
    assert answer.answered and not answer.citations and "已记下" in answer.answer and "6000万元" in answer.answer
    answer = chain.ask("栖枫营收奖励能拿多少", history)  # a subject of its own: the stated figure is used
    assert "30万元" in answer.answer
    # asked what a rule says, not to reckon: the figure stays out of it; asked to reckon, it is used
    answer = chain.ask("栖枫的房租补贴标准", history)
    assert "6000万元" not in answer.notes.get("understood_as", "") and "30万元" not in answer.answer
    history.append(["栖枫的房租补贴标准", answer.answer])
    answer = chain.ask("那营收奖励能拿多少", history)
    assert "30万元" in answer.answer


def test_figures_said_with_a_subject_in_focus_are_answered_not_only_noted(chain: AnswerChain) -> None:
    answer, _ = talk(chain, "栖枫房租补贴第三年是多少", "租了200平方米")
    assert "已记下" not in answer.answer and "1.92万元" in answer.answer


def test_a_statement_asks_nothing() -> None:
    assert is_statement("我们公司营业收入6000万元。")
    assert not is_statement("评估是不是两年一次")
    assert not is_statement("营业收入6000万元能拿多少")
    assert not is_statement("如果是6000万元")
    # typed like a search, not said: answered rather than noted
    assert not is_statement("禾源营业收入6000万元的奖励")
    assert not is_statement("营收6000万 奖励标准")
    assert is_statement("营业收入6000万元。") and is_statement("我们去年营收6000万")


def test_the_reading_is_said_plainly(chain: AnswerChain) -> None:
    answer, _ = talk(chain, "栖枫营收奖励怎么给", "营业收入6000万元呢")
    reading = answer.notes["understood"]
    assert reading.startswith("按上文理解：") and "《栖枫市人力资源服务产业园发展规划》" in reading
    assert "6000万元" in reading and "；" not in answer.notes["understood"].split("：", 1)[0]


ZHECHUAN = """柘川市支持人力资源服务业发展若干措施
为支持人力资源服务业发展，制定以下措施。
一、培育主体
1.【落户奖励】新落户的机构，给予一次性奖励50万元。
2.【租金补贴】入驻机构按照每月每平方米20元给予补贴。
二、做大做强
3.【营收奖励】营业收入5000万元以上的，奖励10万元。
4.【增长奖励】营业收入增长20%以上的，按照增量的2%给予奖励，最高不超过25万元。
5.【上市奖励】首次上市的，奖励200万元。
三、保障措施
6.【申报时间】每年4月1日至4月30日集中申报。
"""


def test_a_heading_quoted_with_its_items_narrows_to_one_of_them(tmp_path_factory: pytest.TempPathFactory) -> None:
    """"第二部分都有哪些" quotes the heading 二 with its items 二3 二4 二5 (numbered through the
    groups); "其中增长奖励那条" is then the item 二4."""
    chain = chain_over(tmp_path_factory.mktemp("heading-items"), {"zhechuan-2026-measures": ZHECHUAN})
    answer, _ = talk(chain, "柘川若干措施第二部分都有哪些", "其中增长奖励那条怎么规定的")
    assert {c.article for c in answer.citations} == {"二4"}
    assert "25万元" in answer.answer


def test_a_figure_said_to_replace_another_takes_its_place_whatever_noun_the_first_had() -> None:
    from assistant.turn_figures import replace_figures

    merged = replace_figures("甲市一家机构去年营收5000万，营收奖励给多少？", "改成7000万呢？")
    assert merged is not None and "7000万" in merged and "5000万" not in merged
    merged = replace_figures("甲市一家机构去年营收5000万，营收奖励给多少？", "换成1.2亿呢")
    assert merged is not None and "1.2亿" in merged and "5000万" not in merged
