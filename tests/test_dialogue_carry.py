"""What a follow-up carries on a notice written here: the unit an answer quoted when its label is
bracketed like a 文号 (（三）), a point inside that unit ("第2点呢"), a pronoun for the document
in focus, and figures that jieba must not fuse with the words after them."""

from __future__ import annotations

import pytest

from assistant.chain import AnswerChain
from assistant.dialogue import state_after
from assistant.question import content_words

from .conftest import chain_over, talk

LINGXI = """岭溪新区管理委员会关于促进人力资源服务业发展的通知
岭管发〔2026〕9号
各有关单位：
为促进人力资源服务业发展，现就有关事项通知如下。
（一）支持机构入驻
入驻机构实际使用面积不少于100平方米的，给予房租补贴，补贴期限最长3年。
（二）奖励机构做大做强
入驻机构上一年度营业收入达到1000万元以上的，给予营收奖励。1.营业收入1000万元以上不满5000万元的，奖励6万元；2.营业收入5000万元以上的，奖励20万元。
（三）鼓励开展服务外包
入驻机构为新区企业提供岗位外包服务的，给予外包服务奖励。1.外包合同应当在新区人力资源和社会保障局备案；2.每份合同只由一家机构申报；3.关联企业之间的外包合同不予奖励。
（四）其他
本通知自2026年3月1日起施行，有效期3年。《岭溪新区人力资源服务业扶持办法》（岭管发〔2022〕5号）同时废止。

岭溪新区管理委员会
2026年2月10日
"""
LX = "lingxi-2026-hr-notice"

SHIHE = """石河市人力资源服务产业园扶持办法
第一条　为支持人力资源服务产业园发展，制定本办法。
第二条　入驻机构上一年度营业收入达到3000万元以上不满1亿元的，给予营收奖励15万元；达到1亿元以上的，给予营收奖励40万元。
第三条　入驻机构按照每月每平方米10元给予房租补贴，每家机构每年最高不超过6万元。
第四条　申请认定市级产业园，应当具备下列条件：
（一）园区建筑面积不少于8000平方米；
（二）入驻人力资源服务机构不少于20家。
第五条　本办法自2026年1月1日起施行，有效期5年。
"""
SH = "shihe-2026-hr-park-measures"


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    return chain_over(tmp_path_factory.mktemp("dialogue-carry"), {LX: LINGXI})


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    return chain_over(tmp_path_factory.mktemp("dialogue-switch"), {LX: LINGXI, SH: SHIHE})


@pytest.mark.parametrize("turn", ["石河呢", "石河的呢？", "在石河呢"])
def test_a_document_named_with_nothing_asked_of_it_switches_documents_and_keeps_the_subject(
    two: AnswerChain, turn: str
) -> None:
    answer, history = talk(two, "岭溪新区营收6000万能拿多少营收奖励", turn)
    state = state_after(history, two.index)
    assert state is not None and state.read_as == "document"
    assert "6000万" in answer.notes["understood_as"]
    assert [c.doc_id for c in answer.citations] == [SH]
    assert "15万元" in answer.answer


def test_a_switch_carries_the_subject_without_the_earlier_document_s_words(two: AnswerChain) -> None:
    answer, _ = talk(two, "岭溪新区的房租补贴怎么给", "那石河呢")
    assert "的房租" not in answer.notes["understood_as"]
    assert "每月每平方米10元" in answer.answer


def test_figures_asked_whether_they_suffice_keep_the_subject_in_focus(two: AnswerChain) -> None:
    # two words of its own (郊区, 建筑面积) and 面积 naming the figure: still a verdict on the
    # conditions just asked about, not a new subject
    answer, history = talk(two, "石河产业园认定要什么条件", "我们园区在郊区，建筑面积6000平方米够不够")
    state = state_after(history, two.index)
    assert state is not None and state.read_as == "added"
    assert "认定" in answer.notes["understood_as"]
    assert "还差2000平方米" in answer.answer


def test_a_bracketed_label_after_the_title_is_the_unit_quoted_not_a_document_number(chain: AnswerChain) -> None:
    _, history = talk(chain, "岭溪新区通知（三）讲的什么")
    state = state_after(history, chain.index)
    assert state is not None and state.unit == (LX, "（三）")


def test_the_document_number_before_a_bracketed_label_is_not_part_of_the_label(chain: AnswerChain) -> None:
    title = chain.index.documents[LX].title
    answered = f"入驻机构…给予营收奖励。\n\n依据《{title}》（岭管发〔2026〕9号）（二）：“入驻机构上一年度营业收入…”"
    state = state_after([["岭溪营收奖励怎么给", answered]], chain.index)
    assert state is not None and state.unit == (LX, "（二）")


def test_a_point_after_a_heading_unit_is_a_point_inside_it(chain: AnswerChain) -> None:
    answer, _ = talk(chain, "岭溪新区通知（三）讲的什么", "第2点呢")
    assert "（三）" in answer.notes["understood_as"]
    assert "每份合同只由一家机构申报" in answer.answer
    assert [c.article for c in answer.citations] == ["（三）"]


def test_a_pronoun_asks_of_the_document_in_focus_even_when_it_asks_which_document(chain: AnswerChain) -> None:
    answer, _ = talk(chain, "岭溪新区那个通知什么时候施行的", "它替代的是哪个文件")
    assert answer.answered
    assert "岭管发〔2022〕5号" in answer.answer


def test_no_word_runs_across_the_end_of_a_figure() -> None:
    # jieba alone cuts "6000万能拿多少" into 6000 / 万能 / 拿 / 多少, "200人才能" into 200 / 人才 / 能
    assert content_words("营业收入6000万能拿多少") == ["营业", "收入"]
    assert "人才" not in content_words("员工达到200人才能申报吗")


YANSHAN = """岩山市2030年度产业园专项资金申报指南
一、申报对象
在产业园注册的人力资源服务机构。
二、申报项目及标准
（1）房租补贴。按照每月每平方米12元给予补贴。
（2）营业收入奖励。对上一年度营业收入达到1200万元的机构，按照附件所列档次给予奖励。
（3）招聘活动补贴。举办专场招聘会的，每场补贴5000元。
三、其他
本指南自发布之日起施行。
"""


def test_a_point_after_a_point_is_the_point_beside_it(tmp_path_factory: pytest.TempPathFactory) -> None:
    chain = chain_over(tmp_path_factory.mktemp("yanshan"), {"yanshan-guide": YANSHAN})
    answer, _ = talk(chain, "岩山申报指南招聘会补贴多少", "第2点呢？")
    assert [c.article for c in answer.citations] == ["二（2）"]
    assert "1200万元" in answer.answer
