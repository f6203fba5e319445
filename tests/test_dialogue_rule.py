"""Follow-ups that stay with the rule in focus, on policies written here: another fact of that
rule (its cap, its deadline, a bound of its own unit), the nth tier of its table, new figures of
the same roles, and the same calculation on a switched-to document. Each conversation carries
the assistant's own answers in its history."""

from __future__ import annotations

import pytest

from assistant.chain import AnswerChain
from assistant.dialogue import contextualise, state_after

from .conftest import chain_over, talk

LANCHUAN = """澜川市人力资源服务产业园扶持办法
一、入驻支持
（一）房租补贴
1.入驻机构按照每月每平方米30元给予房租补贴。
2.房租补贴面积每家机构不超过300平方米；从业人员达到40人以上的，补贴面积上限提高至500平方米。
（二）装修补贴
1.入驻机构自行装修办公场所的，按照装修面积每平方米100元给予一次性补贴。
2.装修补贴应当自验收合格之日起20个工作日内申请，逾期不予受理。
（三）纳税奖励
1.入驻机构上一年度缴纳税收地方留成部分达到50万元以上的，按照地方留成部分的15%给予奖励。
2.纳税奖励每家机构每年最高不超过40万元。
二、发展奖励
对上一年度营业收入达到1000万元的入驻机构，按照以下档次给予一次性奖励：一是1000万元（含）至3000万元（不含）的，奖励5万元；二是3000万元（含）至8000万元（不含）的，奖励12万元；三是8000万元（含）至3亿元（不含）的，奖励30万元；四是3亿元（含）以上的，奖励70万元。
三、就业服务
入驻机构输送劳动者签订1年以上劳动合同的，每人补贴200元，输送补贴每家机构每年最高不超过10万元；入驻机构举办专场招聘会，参会企业20家以上的，每场补贴2000元，每家机构每年最多补贴6场。
四、申报兑现
一是扶持资金每年申报一次，申报时间为每年10月8日至10月31日，申报上一年度发生的事项；二是市人力资源和社会保障局自申报截止之日起10个工作日内完成审核，审核结果公示5个工作日；三是入驻机构自入驻之日起不满2年迁出的，退回已享受补贴的50%。
五、总部落户
全国人力资源服务业百强企业在产业园设立区域总部的，给予一次性落户奖励40万元，分两年兑现：落户当年兑现60%，第二年兑现40%。
六、其他
本办法自2026年1月1日起施行，有效期3年。
"""
LC = "lanchuan-2026-hr-park-measures"

LUOXI = """洛溪市人力资源服务机构发展奖励办法
第一条 为引导人力资源服务机构做优做强，制定本办法。
第二条 对上一年度营业收入达到2000万元以上的入驻机构，按照下列标准给予营收奖励：
（一）2000万元以上不满6000万元的，奖励9万元；
（二）6000万元以上不满2亿元的，奖励22万元；
（三）2亿元以上的，奖励55万元。
第三条 本办法自2026年3月1日起施行。
"""
LX = "luoxi-2026-hr-reward-measures"


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    return chain_over(tmp_path_factory.mktemp("dialogue-rule"), {LC: LANCHUAN, LX: LUOXI})


def _cited(answer: object) -> set[tuple[str, str]]:
    return {(c.doc_id, c.article) for c in answer.citations}  # type: ignore[attr-defined]


def test_the_cap_of_the_rule_in_focus_is_read_in_the_item_beside_it(chain: AnswerChain) -> None:
    answer, _ = talk(chain, "澜川纳税奖励给多少比例", "封顶多少")
    assert _cited(answer) == {(LC, "一（三）2")}
    assert "最高不超过40万元" in answer.answer
    assert answer.notes["understood"].startswith("按上文理解：上文所引规定的另一项内容")


def test_a_pronoun_asking_a_deadline_reads_the_deadline_of_that_rule(chain: AnswerChain) -> None:
    """"这个…" leans on the subject in focus; the deadline is the one of that rule's item, not
    any other deadline of the document."""
    answer, _ = talk(chain, "澜川装修补贴每平米补多少", "这个申请截止到什么时候")
    assert _cited(answer) == {(LC, "一（二）2")}
    assert "20个工作日内申请" in answer.answer


def test_a_bound_stated_in_the_unit_in_focus_is_answered_from_it(chain: AnswerChain) -> None:
    """"一年最多补几场": 一年 says per year, not a figure to reckon with; the bound is in the
    unit just quoted, beside another bound of another kind (10万元)."""
    answer, history = talk(chain, "澜川招聘会补贴怎么给", "一年最多能补多少场")
    assert _cited(answer) == {(LC, "三")}
    assert "最多补贴6场" in answer.answer.split("\n")[0]
    assert not answer.tools
    state = state_after(history, chain.index)
    assert state is not None and not state.figures  # 一年 before 最多: per year
    state = state_after([["澜川招聘会补贴怎么给", "…"], ["我们入驻一年了", "…"]], chain.index)
    assert state is not None and [text for _, text in state.figures] == ["一年"]


def test_a_turn_with_a_subject_of_its_own_is_not_read_in_the_rule_in_focus(chain: AnswerChain) -> None:
    history = [["澜川纳税奖励给多少比例", "…"]]
    understood = contextualise("那装修补贴最高多少", history, chain.index)
    assert "一（三）" not in understood


def test_the_nth_tier_of_the_table_in_focus(chain: AnswerChain) -> None:
    answer, _ = talk(chain, "澜川营收奖励分几档", "第三档呢")
    assert answer.answer.startswith("三是8000万元（含）至3亿元（不含）的，奖励30万元")
    answer, _ = talk(chain, "洛溪营收奖励分几档", "第二档呢")
    assert answer.answer.startswith("6000万元以上不满2亿元的，奖励22万元")


def test_new_figures_of_the_same_roles_keep_the_rule(chain: AnswerChain) -> None:
    """"如果面积是450平、员工50人呢": the area replaces the area, the headcount joins as a
    condition — the word 面积 of the turn must not pull the question to the 装修面积 rule."""
    answer, _ = talk(chain, "澜川房租补贴租了200平，一年能补多少", "如果面积是450平、员工50人呢")
    understood = answer.notes["understood_as"]
    assert "450平" in understood and "员工50人" in understood and "200平" not in understood
    assert "如果" not in understood and "面积是" not in understood
    assert all(label.startswith("一（一）") for _, label in _cited(answer))
    assert "问：金额" in answer.notes["understood"]


def test_a_place_switch_keeps_the_calculation(chain: AnswerChain) -> None:
    """"那如果是在洛溪呢": the same figures on the switched-to document's own rule; the words
    that only make it a follow-up (如果是…) are not read as a condition."""
    answer, _ = talk(chain, "澜川办法里营收1亿的奖多少", "那如果是在洛溪呢")
    understood = answer.notes["understood_as"]
    assert "如果" not in understood and "办法里" not in understood and "1亿" in understood
    assert "22万元" in answer.answer
    assert _cited(answer) == {(LX, "第二条")}


def test_another_thing_named_alone_is_asked_what_was_asked_before(chain: AnswerChain) -> None:
    """"营收奖励呢" after "…纳税奖励最高多少": the phrase ending in the same head word (奖励)
    is replaced, the rest of the question (最高多少) kept; a turn asking something itself is not."""
    answer, _ = talk(chain, "澜川纳税奖励最高多少", "营收奖励呢")
    assert answer.notes["understood_as"].endswith("营收奖励最高多少")
    assert answer.answer.startswith("四是3亿元（含）以上的，奖励70万元")
    history = [["澜川纳税奖励最高多少", "…"]]
    assert "纳税" not in contextualise("营收奖励怎么申请呢", history, chain.index)
    # nothing said which one before the head: the contrast lies elsewhere, nothing is replaced
    history = [["澜川只设一个园区的补贴面积上限是多少", "…"]]
    assert "一个设多个" not in contextualise("设多个园区的呢", history, chain.index)
