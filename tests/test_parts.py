"""A compilation's parts named like documents, and units that do not exist declined with what
does — on policies written here, in the shapes the code must read (not any eval document)."""

from __future__ import annotations

import pytest

from assistant.chain import AnswerChain
from assistant.parts import named_parts, parts_of

from .conftest import chain_over

COMPILATION = """岚溪市人力资源和社会保障局关于印发《岚溪市人才服务政策汇编》的通知

岚人社发〔2026〕7号

各有关单位：
现将《岚溪市青年人才安居补助暂行办法》和《岚溪市猎头机构引才奖励暂行办法》汇编印发，请遵照执行。

岚溪市人力资源和社会保障局
2026年2月10日

岚溪市人才服务政策汇编

第一篇　岚溪市青年人才安居补助暂行办法

第一条　为帮助青年人才在本市安居，制定本办法。

第二条　全日制本科以上学历的青年人才在本市首次购房的，给予一次性安居补助3万元。

第三条　租房居住的青年人才，按照每月800元给予租房补助，最长发放24个月。

第四条　本办法自2026年3月1日起施行，有效期3年。

第二篇　岚溪市猎头机构引才奖励暂行办法

第一条　为鼓励猎头机构为本市企业引进高层次人才，制定本办法。

第二条　猎头机构为本市企业引进年薪50万元以上人才的，每引进1人奖励2万元。

第三条　同一机构每年获得的引才奖励不超过40万元。

第四条　引才奖励每年申报一次，申报时间为每年9月。

第五条　本办法自2026年5月1日起施行，有效期2年。
"""

ARTICLES = "\n".join(
    ["檀州市人力资源服务产业园管理办法", "檀人社规〔2025〕3号"]
    + [f"第{n}条　产业园管理事项第{k}项，由园区管理机构负责落实。" for k, n in enumerate(
        ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四", "十五",
         "十六", "十七", "十八", "十九", "二十"], start=1)]
)

OUTLINE = """柏川县人力资源服务产业园提升行动方案

为推动柏川县人力资源服务产业园提质增效，服务县内竹编、果蔬加工等产业用工，制定本方案。

一、总体目标
到2027年，产业园入驻机构达到20家。
二、主要措施
（一）落实房租减免。入驻机构前两年免收房租。
（二）支持人才培训。每培训1人补贴300元。
（三）开展招聘活动。每年举办招聘会不少于6场。

附件1
产业园入驻申请表
附件2
招聘活动计划表
"""


@pytest.fixture(scope="module")
def chain(tmp_path_factory: pytest.TempPathFactory) -> AnswerChain:
    folder = tmp_path_factory.mktemp("parts")
    return chain_over(folder, {
        "lanxi-compilation": COMPILATION, "tanzhou-rules": ARTICLES, "baichuan-plan": OUTLINE,
    })


def _cited(chain: AnswerChain, question: str) -> list[str]:
    answer = chain.ask(question)
    assert answer.answered, answer.answer
    return [c.article for c in answer.citations]


def test_a_compilation_has_its_parts_with_their_own_titles(chain: AnswerChain) -> None:
    parts = parts_of(chain.index.by_doc["lanxi-compilation"])
    assert [(p.label, p.title, len(p.units)) for p in parts] == [
        ("第一篇", "岚溪市青年人才安居补助暂行办法", 4), ("第二篇", "岚溪市猎头机构引才奖励暂行办法", 5),
    ]
    assert parts_of(chain.index.by_doc["tanzhou-rules"]) == ()


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("岚溪安居补助办法第二条", ["第一篇"]),
        ("岚溪猎头引才奖励暂行办法第3条", ["第二篇"]),
        ("岚溪市青年人才安居补助暂行办法第三条", ["第一篇"]),
        ("岚溪那两个暂行办法什么时候到期", []),  # 暂行办法 is in both titles
        ("岚溪人才服务政策汇编第二条", []),  # the compilation's own title
    ],
)
def test_a_part_is_named_by_its_own_title_or_a_short_name(chain: AnswerChain, question: str, named: list[str]) -> None:
    parts = parts_of(chain.index.by_doc["lanxi-compilation"])
    assert [p.label for p in named_parts(question, parts)] == named


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("岚溪安居补助办法第二条", "第一篇第二条"),
        ("岚人社发〔2026〕7号里猎头引才奖励办法的第三条", "第二篇第三条"),
        ("岚溪猎头机构引才奖励暂行办法第2条原文", "第二篇第二条"),
    ],
)
def test_an_article_of_a_named_part_is_that_part_s_article_only(chain: AnswerChain, question: str, label: str) -> None:
    assert _cited(chain, question) == [label]


def test_each_part_says_when_it_applies(chain: AnswerChain) -> None:
    answer = chain.ask("岚溪猎头引才奖励暂行办法什么时候施行，有效期到哪天")
    assert [c.article for c in answer.citations] == ["第二篇第五条"]
    assert "2028年4月30日" in answer.answer and "2029年" not in answer.answer
    both = chain.ask("岚溪那两个暂行办法分别什么时候到期")
    assert [c.article for c in both.citations] == ["第一篇第四条", "第二篇第五条"]
    assert "2029年2月28日" in both.answer and "2028年4月30日" in both.answer


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("岚溪人才服务政策汇编第三篇讲什么", ["没有第三篇", "第一篇《岚溪市青年人才安居补助暂行办法》", "第二篇《"]),
        ("岚溪安居补助暂行办法第七条原文", ["没有第一篇第七条", "第一条至第四条"]),
        ("檀州管理办法第三十条", ["没有第三十条", "第一条至第二十条"]),
        ("檀州管理办法附件3", ["没有附件3", "没有附件"]),
        ("柏川方案附件3", ["没有附件3", "附件1、附件2"]),
        ("柏川方案二（九）", ["没有二（九）", "（一）至（三）"]),
        ("柏川方案第五部分", ["没有第五部分", "一、二"]),
    ],
)
def test_a_unit_that_does_not_exist_is_declined_with_what_does(chain: AnswerChain, question: str, said: list[str]) -> None:
    answer = chain.ask(question)
    assert not answer.answered and not answer.citations, answer.answer
    for words in said:
        assert words in answer.answer


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("檀州管理办法第二十条", "第二十条"),
        ("柏川方案二（三）", "二（三）"),
        ("柏川方案附件2", "附件2"),
        ("柏川方案开头说为什么要制定的那一段", "序言"),
        ("柏川方案的开篇讲了什么", "序言"),
    ],
)
def test_units_that_exist_are_still_quoted(chain: AnswerChain, question: str, label: str) -> None:
    assert _cited(chain, question) == [label]


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("岚溪猎头引才奖励办法什么时候申报", "第二篇第四条"),
        ("岚溪安居补助办法的最后一条", "第一篇第四条"),
        ("岚溪安居补助暂行办法第三条", "第一篇第三条"),
    ],
)
def test_a_named_part_is_searched_alone(chain: AnswerChain, question: str, label: str) -> None:
    """A part named by its title is where the answer is looked for, as a named document is —
    and its name is no search word: an article asked for by label is quoted, not excerpted."""
    answer = chain.ask(question)
    assert [c.article for c in answer.citations][:1] == [label], answer.answer
    if "第三条" in question:
        assert answer.answer.startswith("《"), answer.answer
