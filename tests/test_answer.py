"""The offline composer through the real chain: sentence selection, cross-document answers,
refusals, status warnings, follow-ups, bad figures."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assistant.chain import AnswerChain
from assistant.errors import BadQuestion
from assistant.index import Index
from assistant.ingest import ingest_paths

from .conftest import TODAY, chain_over

GX, LC, LZ = "guangxi-2021-regional-park", "liaocheng-city-park", "liuzhou-2024-park-measures"


@pytest.fixture(scope="module")
def chain(use_index: Path) -> AnswerChain:
    return AnswerChain(Index(use_index), TODAY)


def _cited(answer) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(c.doc_id, c.article) for c in answer.citations}


def test_fact_answer_is_the_sentence_not_the_article(chain: AnswerChain) -> None:
    answer = chain.ask("自治区级产业园收到申请后多长时间内要组织评估？")
    assert answer.answered and _cited(answer) == {(GX, "第六条")}
    assert "45日" in answer.answer
    assert "入驻企业名录" not in answer.answer  # another item of the same article
    assert "依据《自治区级人力资源服务产业园管理暂行办法》（桂人社规〔2021〕1号）第六条" in answer.answer
    assert answer.answer.index("45日") < answer.answer.index("依据")  # the direct answer leads


def test_article_lookup_quotes_the_whole_article(chain: AnswerChain) -> None:
    answer = chain.ask("聊城办法第7条讲的是什么")
    assert _cited(answer) == {(LC, "第七条")}
    assert "（三）申报审核" in answer.answer and "（一）申报方式" in answer.answer
    assert answer.citations[0].text.startswith("第七条 申报设立程序")


def test_which_article_question_names_it(chain: AnswerChain) -> None:
    answer = chain.ask("聊城市级产业园的公示期规定在哪一条？")
    assert "第七条" in answer.answer and "5个工作日" in answer.answer


def test_cross_document_answer_cites_each_document(chain: AnswerChain) -> None:
    answer = chain.ask("广西和聊城对入驻人力资源服务机构数量的最低要求分别是多少？")
    assert {(GX, "第五条"), (LC, "第六条")} <= _cited(answer)
    assert "不少于30家" in answer.answer and "不少于15家" in answer.answer


@pytest.mark.parametrize(
    "question",
    [
        "上海市对人力资源服务企业有什么税收优惠？",
        "聊城住房公积金贷款最多能贷多少",
        "《国家级人力资源服务产业园管理办法（试行）》对园区面积有什么要求",
    ],
)
def test_out_of_corpus_questions_are_declined(chain: AnswerChain, question: str) -> None:
    answer = chain.ask(question)
    assert not answer.answered and not answer.citations
    assert answer.answer.startswith("未找到相关规定")
    assert "《聊城市市级人力资源服务产业园管理暂行办法》" in answer.answer  # says what is covered


def test_draft_warning_on_every_liuzhou_answer(chain: AnswerChain) -> None:
    answer = chain.ask("柳州专项发展资金每年安排多少？")
    assert answer.citations[0].status == "draft"
    assert any("第三稿" in w for w in answer.warnings) and "第三稿" in answer.answer


def test_validity_question_answers_with_end_date(chain: AnswerChain) -> None:
    answer = chain.ask("柳州的措施还在有效期内吗")
    assert "2026年12月31日" in answer.answer and "仍在有效期内" in answer.answer
    assert _cited(answer) == {(LZ, "附则")}


def test_expired_warning_after_validity_ends(use_index: Path) -> None:
    later = AnswerChain(Index(use_index), dt.date(2027, 1, 5))
    answer = later.ask("柳州专项发展资金每年安排多少？")
    assert any("已失效" in w for w in answer.warnings)
    assert "已过有效期" in later.ask("柳州措施还有效吗").answer


def test_follow_up_carries_document_and_replaces_the_figure(chain: AnswerChain) -> None:
    first = chain.ask("柳州园区企业营收6亿元能拿多少奖励")
    assert "50万" in first.answer and _cited(first) == {(LZ, "二（二）5")}
    second = chain.ask("那1.2亿呢？", history=[("柳州园区企业营收6亿元能拿多少奖励", first.answer)])
    assert "30万" in second.answer and _cited(second) == {(LZ, "二（二）5")}
    assert "1.2亿" in second.notes["understood_as"]


def test_bad_figure_is_explained_not_computed(chain: AnswerChain) -> None:
    answer = chain.ask("柳州园区企业营收-5亿元能拿多少奖励")
    assert not answer.answered and "6亿元" in answer.answer  # says which form is accepted


@pytest.mark.parametrize("question", ["", "   ", "？？？ ！！"])
def test_empty_questions_get_a_clear_error(chain: AnswerChain, question: str) -> None:
    with pytest.raises(BadQuestion):
        chain.ask(question)


def test_overlong_question_is_truncated_with_a_notice(chain: AnswerChain) -> None:
    answer = chain.ask("聊城核心区面积要求是多少" + "啊" * 50_000)
    assert answer.answer.startswith("问题过长") and "4000平方米" in answer.answer


def test_follow_up_naming_another_document_keeps_the_subject(chain: AnswerChain) -> None:
    first = "广西的产业园评估通过后公示几天"
    answer = chain.ask("那聊城呢？", history=[(first, chain.ask(first).answer)])
    assert _cited(answer) == {(LC, "第七条")} and "5个工作日" in answer.answer


def test_a_title_outside_the_corpus_is_declined_even_without_brackets(chain: AnswerChain) -> None:
    answer = chain.ask("国家级人力资源服务产业园管理办法（试行）第十条是怎么规定的")
    assert not answer.answered and "国家级人力资源服务产业园管理办法（试行）" in answer.answer


def test_colloquial_function_words_do_not_cause_a_refusal(chain: AnswerChain) -> None:
    answer = chain.ask("那个柳州的产业园要是想延伸出去建服务站点，归谁管啊")
    assert answer.answered and (LZ, "二（一）2") in _cited(answer)


def test_validity_as_of_a_date_named_in_the_question(chain: AnswerChain) -> None:
    answer = chain.ask("到2027年3月柳州这个措施还有效吗")
    assert "2027年3月1日已过有效期" in answer.answer and "2026年12月31日" in answer.answer


def test_who_question_picks_the_responsible_body(chain: AnswerChain) -> None:
    answer = chain.ask("柳州用工输送奖励由哪个部门牵头")
    assert "（牵头单位：市人社局，责任单位：各县、区人社局）" in answer.answer
    assert "解决本地企业（项目）用工难题" not in answer.answer  # the sentence, not the article


def test_cross_document_difference_is_computed_and_shows_its_working(chain: AnswerChain) -> None:
    answer = chain.ask("年营业收入门槛，广西自治区级比聊城市级高出多少")
    assert answer.answer.startswith("两者相差4亿元")
    assert "计算：5亿元 − 1亿元 = 4亿元" in answer.answer
    assert _cited(answer) == {(GX, "第五条"), (LC, "第六条")}
    assert answer.tools[0].name == "compare_requirements"


def test_what_applies_question_runs_the_self_check_over_every_rule(chain: AnswerChain) -> None:
    answer = chain.ask("我们在柳州园区，营收3000万，首年纳税250万，能享受哪些政策？")
    assert {(LZ, "二（二）5"), (LZ, "二（二）2")} <= _cited(answer)
    assert "不超过10万元" in answer.answer and "3万元" in answer.answer
    assert answer.tools[0].name == "self_check"


def test_mis_cut_colloquial_words_do_not_cause_a_refusal(chain: AnswerChain) -> None:
    answer = chain.ask("广西设区市建自治区级产业园，一般要在什么基础上建？")
    assert answer.answered and (GX, "第三条") in _cited(answer)


def test_a_code_like_5a_counts_as_the_subject(chain: AnswerChain) -> None:
    assert not chain.ask("柳州人力资源服务企业评上5A级能奖励多少钱").answered


def test_a_refusal_summarises_a_large_library() -> None:
    from assistant.render import LISTED_DOCUMENTS, describe_corpus
    from assistant.types import DocumentMeta

    few = {f"d{i}": DocumentMeta(f"d{i}", f"文件{i}") for i in range(3)}
    assert describe_corpus(few) == "现有资料只包含：《文件0》；《文件1》；《文件2》。"
    many = {f"d{i}": DocumentMeta(f"d{i}", f"文件{i}") for i in range(500)}
    text = describe_corpus(many)
    assert text.startswith("现有资料共500份文件，包括：《文件0》")
    assert text.count("《") == LISTED_DOCUMENTS and "《文件499》" not in text


def test_a_heading_over_points_is_quoted_with_its_points(tmp_path_factory: pytest.TempPathFactory) -> None:
    text = """某县扶持暂行办法
一.总体要求
坚持市场导向，制定本办法。
二.申报审核。
①每年3月1日至3月15日申报；
②县人社局自申报截止之日起15个工作日内完成审核。
三.附则
本办法自2025年1月1日起施行。
"""
    folder = tmp_path_factory.mktemp("heading")
    (folder / "moushan-measures.txt").write_text(text, encoding="utf-8")
    report = ingest_paths([folder / "moushan-measures.txt"], folder / "index", "hash", today=TODAY)
    assert not report.failed, report.failed
    chain = AnswerChain(Index(folder / "index", "hash"), today=TODAY)
    answer = chain.ask("某县扶持暂行办法第二点申报审核，全文给我")
    assert "每年3月1日至3月15日申报" in answer.answer and "15个工作日内完成审核" in answer.answer
    assert {c.article for c in answer.citations} == {"二"}


def test_a_figure_in_a_question_about_a_thing_the_document_never_mentions_is_not_calculated(tmp_path: Path) -> None:
    chain = chain_over(tmp_path, {"jia": "甲市产业园若干措施\n一、对上一年度营业收入3000万元以上不满1亿元的入驻机构，奖励15万元；"
                                  "1亿元以上的，奖励35万元。\n二、入驻机构上市的，奖励300万元。\n"})
    answer = chain.ask("甲市上市奖励的300万元要不要交企业所得税？")
    assert not answer.answered and not answer.citations and "所得税" in answer.answer
    assert chain.ask("甲市营业收入5000万奖励多少").answered
