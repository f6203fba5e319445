"""The outline grammar: every shape of Chinese policy structure, labels, numerals, references."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant import outline
from assistant.ingest import clean_text, load_document
from assistant.structure import chunk_document, chunk_text

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "policies"


def labels(text: str) -> list[str]:
    return [c.article for c in chunk_text("doc", "标题", "\n".join(clean_text(text)))]


def test_seed_documents_keep_their_labels_and_chunk_texts() -> None:
    """The chunks recorded before the grammar was unified, unchanged to the character."""
    golden = json.loads((ROOT / "tests/fixtures/golden/seed_chunks.json").read_text(encoding="utf-8"))
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        doc = load_document(path)
        chunks = [{"article": c.article, "chapter": c.chapter, "text": c.text} for c in chunk_document(doc)]
        assert chunks == golden[doc.meta.doc_id]["chunks"], doc.meta.doc_id


def test_articles_with_parts_chapters_sections_paragraphs_and_items() -> None:
    text = """某市人力资源服务产业园管理办法
第一编 总则
第一章 一般规定
第一节 目的
第一条 为规范管理，制定本办法。
第二条 本办法适用于全市。
前款所称全市，包括各县区。
第二节 原则
第三条 产业园建设遵循下列原则：
（一）政府引导；
（二）市场运作。
第二编 附则
第二章 其他
第四条 本办法自2024年1月1日起施行。
"""
    chunks = chunk_text("doc", "标题", "\n".join(clean_text(text)))
    assert [c.article for c in chunks] == ["第一条", "第二条", "第三条", "第四条"]
    assert chunks[2].chapter == "第一编 总则 / 第一章 一般规定 / 第二节 原则"
    assert chunks[3].chapter == "第二编 附则 / 第二章 其他"
    assert "前款所称全市" in chunks[1].text  # a 款 stays in its article
    assert "（二）市场运作。" in chunks[2].text  # so does a 项


def test_article_numerals_to_nine_hundred_ninety_nine_with_zero() -> None:
    numbers = [1, 10, 11, 20, 99, 100, 101, 105, 110, 111, 120, 999]
    text = "\n".join(f"第{outline.to_cn(n)}条 第{n}条的内容，照此执行。" for n in numbers)
    assert labels(text) == [f"第{outline.to_cn(n)}条" for n in numbers]
    assert outline.to_cn(105) == "一百零五" and outline.to_int("一百零五") == 105
    assert outline.to_int("九百九十九") == 999 and outline.to_int("两") == 2 and outline.to_int("〇") == 0


def test_small_numerals_read_and_written_as_cn2an_does() -> None:
    """Numerals below 100 skip cn2an's import; they (and every other short string of numeral
    characters, malformed ones included) must come out exactly as cn2an reads and writes them."""
    import itertools

    import cn2an

    def by_cn2an(token: str) -> int | None:
        try:
            return int(cn2an.cn2an(token.replace("〇", "零").replace("两", "二"), "normal"))
        except (ValueError, KeyError, TypeError):
            return None

    assert [outline.to_cn(n) for n in range(1000)] == [cn2an.an2cn(n) for n in range(1000)]
    assert [outline.to_int(cn2an.an2cn(n)) for n in range(1000)] == list(range(1000))
    alphabet = "零〇一二三四五六七八九十两百"
    tokens = ["".join(t) for size in (1, 2, 3) for t in itertools.product(alphabet, repeat=size)]
    assert [outline.to_int(t) for t in tokens] == [by_cn2an(t) for t in tokens]
    # calc.numbers hands cn2an the numeral as written (两, 〇 included)
    small = [t for t in tokens if outline.small_numeral(t) is not None]
    assert [outline.small_numeral(t) for t in small] == [int(cn2an.cn2an(t, "normal")) for t in small]
    assert outline.small_numeral("一百") is None  # left to cn2an


def test_outline_four_levels_with_preamble_closing_and_annex() -> None:
    text = """某县产业园实施方案
为加快发展，制定本方案。
一、总体要求
（一）指导思想
坚持政府引导，集聚机构。
（二）发展目标
1.到2026年，面积不低于3000平方米。
2.到2027年，营收达到1.5亿元。
二、扶持政策
（一）入驻扶持
1.房租减免
（1）前2年免收房租。
（2）减免面积不超过300平方米。
2.开办补助。给予一次性补助3万元。
本方案自发布之日起施行。
附件：评分表
一级指标 分值
1.经营规模 30
"""
    assert labels(text) == [
        "序言", "一（一）", "一（二）1", "一（二）2", "二（一）1（1）", "二（一）1（2）", "二（一）2",
        "附则", "附件",
    ]


def test_outline_whose_top_level_is_a_bracketed_numeral() -> None:
    text = """某市补贴措施
各有关单位：
为促进发展，现将有关事项通知如下：
（一）落户补贴
（1）新设立机构给予20万元。
（2）百强企业给予50万元。
（二）租金补贴。每平方米每月20元，最长2年。
本通知自印发之日起施行。
"""
    assert labels(text) == ["序言", "（一）（1）", "（一）（2）", "（二）", "附则"]


def test_outline_whose_top_level_is_an_arabic_number_with_circled_points() -> None:
    text = """某区就业措施
为稳定就业，制定本措施。
1.吸纳就业补贴
（1）每人1000元。
①签订1年以上合同的；
②缴纳社保满6个月的。
（2）每家每年不超过10万元。
2.见习补贴。每人每月1500元。
附表1 补贴申领登记表
序号 单位名称 人数
附表2 见习人员名册
"""
    assert labels(text) == ["序言", "1（1）", "1（1）①", "1（1）②", "1（2）", "2", "附表1", "附表2"]


def test_outline_whose_headings_are_numerals_with_a_dot() -> None:
    """一. / 二． (a dot instead of 、) are the same top level; a decimal (一.5) is not one."""
    text = """某县暂行办法
一.总体要求
坚持市场导向。
二．支持政策
①对新入驻机构给予一次性奖励5万元。
②对年营收超过1000万元的机构给予奖励10万元。
三.保障措施
加强组织领导。
"""
    assert labels(text) == ["一", "二①", "二②", "三"]


def test_tab_separated_table_rows_keep_their_cells_apart() -> None:
    text = "附表1\n认定标准\n项目\t标准\t备注\n建筑面积\t\t不低于10000平方米\t含公共区域\n入驻机构\t不少于30家\n"
    assert clean_text(text) == [
        "附表1", "认定标准", "项目 | 标准 | 备注", "建筑面积 | 不低于10000平方米 | 含公共区域", "入驻机构 | 不少于30家",
    ]


def test_parts_with_items_and_circled_points_and_appendix() -> None:
    text = """某省发展规划
第一部分 发展基础
1.机构数量达到500家。
第二部分 主要任务
1.培育市场主体。
①引进龙头企业；
②扶持中小机构。
2.建设产业园。
附录 名词解释
产业园：指集聚人力资源服务机构的区域。
"""
    assert labels(text) == ["第一部分1", "第二部分1", "第二部分1①", "第二部分1②", "第二部分2", "附录"]


def test_text_without_outline_becomes_paragraphs() -> None:
    text = """某市关于人才引进的通知
某人社发〔2024〕45号
各有关单位：
对新引进的博士，给予安家补贴30万元。
对新引进的硕士，给予安家补贴10万元。
申报时间为每年3月1日至3月31日。
某市人力资源和社会保障局
2024年12月16日
"""
    chunks = chunk_text("doc", "标题", "\n".join(clean_text(text)))
    assert [c.article for c in chunks] == ["第1段", "第2段", "第3段"]
    assert chunks[2].text == "申报时间为每年3月1日至3月31日。"


def test_questions_and_their_answers_are_one_unit_each() -> None:
    text = """某县政策解读
问：为什么出台本办法？
答：为促进人力资源服务业发展。
问：房租补贴标准是多少？
答：每月每平方米20元，最长3年。
"""
    chunks = chunk_text("doc", "标题", "\n".join(clean_text(text)))
    assert [c.article for c in chunks] == ["第1段", "第2段"]
    assert chunks[1].text == "问：房租补贴标准是多少？\n答：每月每平方米20元，最长3年。"


def test_a_list_restarting_inside_a_unit_is_its_text() -> None:
    """"1." under 2. again, with no deeper level opened: body text, not a new unit."""
    text = """为规范管理，制定本办法。
一、申报条件
1.注册满一年。
2.材料齐全，包括：
3.无违法记录。
二、其他
本办法自发布之日起施行。
"""
    assert labels(text) == ["序言", "一1", "一2", "一3", "二"]


def test_attachment_list_gives_way_to_the_attachments() -> None:
    text = """第一条 为规范管理，制定本办法。
第二条 本办法自发布之日起施行。
附件1：申报材料清单
1.申请表；
2.营业执照。
附件2：补贴标准表
每家5万元。
"""
    chunks = chunk_text("doc", "标题", "\n".join(clean_text(text)))
    assert [c.article for c in chunks] == ["第一条", "第二条", "附件1", "附件2"]
    assert "2.营业执照。" in chunks[2].text  # an annex's own list is its text


# The fixture policies were written (with their labels) by someone who did not see the code.
def _labels_md(folder: Path = FIXTURES) -> dict[str, list[str]]:
    text = (folder / "LABELS.md").read_text(encoding="utf-8")
    out: dict[str, list[str]] = {}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        name = section.split("\n", 1)[0].strip().removesuffix(".txt")
        listing = re.split(r"单元（按文档顺序[^）]*）：", section)[-1].strip().split("\n")[0]
        out[name] = [s.strip() for s in listing.split(" / ")]
    return out


BLIND9 = ROOT / "evals" / "blind9"


@pytest.mark.parametrize(
    ("folder", "name"),
    [(FIXTURES, name) for name in sorted(_labels_md())]
    + [(BLIND9 / "docs", name) for name in sorted(_labels_md(BLIND9))],
)
def test_fixture_policies_yield_their_authors_labels(folder: Path, name: str) -> None:
    expected = _labels_md(folder if folder == FIXTURES else BLIND9)[name]
    got = [c.article for c in chunk_document(load_document(folder / f"{name}.txt"))]
    # Every unit found is one the author listed, in the author's order ...
    assert got == [lb for lb in expected if lb in got]
    # ... and every leaf the author listed (a unit with no sub-units) is found.
    # (An annex holding forwarded articles, "附件 / 第一条 / …", is their container.)
    leaves = [lb for i, lb in enumerate(expected) if not any(o != lb and o.startswith(lb) for o in expected)
              and not (lb in outline.ANNEXES and expected[i + 1 : i + 2] == ["第一条"])]
    assert [lb for lb in leaves if lb not in got] == []


@pytest.mark.parametrize(
    ("question", "steps"),
    [
        ("第十二条讲了什么", (("tiao", 12),)),
        ("第12条", (("tiao", 12),)),
        ("第一百零五条", (("tiao", 105),)),
        ("（四）第2点是什么", (("（cn）", 4), ("item", 2))),
        ("二（二）5的内容", (("cn", 2), ("（cn）", 2), ("item", 5))),
        ("（二）下面第3条讲的什么", (("（cn）", 2), ("tiao", 3))),
        ("附件2写了啥", (("附件", 2),)),
        ("附件二", (("附件", 2),)),
        ("第三部分", (("bufen", 3),)),
        ("第二部分第1条", (("bufen", 2), ("tiao", 1))),
        ("第五条第（三）项", (("tiao", 5), ("（cn）", 3))),
        ("第五条第二款", (("tiao", 5), ("kuan", 2))),
        ("第3段说了什么", (("para", 3),)),
        ("第四部分第1条第②点", (("bufen", 4), ("tiao", 1), ("circ", 2))),
        ("（三）（2）", (("（cn）", 3), ("（ar）", 2))),
        ("二、3 那块怎么说", (("cn", 2), ("item", 3))),
        ("第二部分第二大点（三）第2条", (("bufen", 2), ("cn", 2), ("（cn）", 3), ("tiao", 2))),
        ("某办法 三③", (("cn", 3), ("circ", 3))),
        ("某措施 3（3）", (("ar", 3), ("（ar）", 3))),
        ("第一部分第（2）条原文", (("bufen", 1), ("（ar）", 2))),
        ("第四大点第3小点讲的什么", (("cn", 4), ("item", 3))),
    ],
)
def test_references_in_questions(question: str, steps: tuple[outline.Step, ...]) -> None:
    assert [r.steps for r in outline.find_references(question)] == [steps]


def test_references_resolve_loosely_to_the_numbering_a_document_has() -> None:
    labels = ["一（1）", "一（2）", "二（1）", "二（2）", "三", "四"]
    assert outline.resolve(outline.find_references("第一部分第（2）条")[0], labels) == ["一（2）"]
    assert outline.resolve(outline.find_references("第四点")[0], labels) == ["四"]
    assert outline.is_within("九①", "九") and outline.is_within("第三部分四1", "第三部分四")
    assert not outline.is_within("九", "九") and not outline.is_within("十①", "九")


def test_figures_are_not_references() -> None:
    assert outline.find_references("文号〔2022〕38号") == ()
    assert outline.find_references("营收3000万元（含税）能拿多少，面积4800平方米够吗") == ()
    assert outline.find_references("申请表1、2份") == ()  # a count after 、, not a point


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("二（一）1", ["二（一）1（1）", "二（一）1（2）"]),  # a heading: its points
        ("（一）（2）", ["一（一）（2）"]),
        ("一（一）第2点", ["一（一）（2）"]),
        ("最后一段", ["附则"]),
        ("附件", ["附件1", "附件2"]),
        ("附件二", ["附件2"]),
        ("第1段", ["序言"]),  # an outline document's first unit
        ("二（三）", []),  # no such unit: nothing, never a neighbour
        ("第二大点（一）第2条", ["二（一）2"]),
    ],
)
def test_references_resolve_against_real_labels(question: str, expected: list[str]) -> None:
    real = ["序言", "一（一）（1）", "一（一）（2）", "二（一）1（1）", "二（一）1（2）", "二（一）2", "附则", "附件1", "附件2"]
    ref = outline.find_references(question)[0]
    assert outline.resolve(ref, real) == expected


def test_an_article_reference_with_its_item_names_the_article() -> None:
    ref = outline.find_references("第五条（三）")[0]
    assert outline.resolve(ref, ["第四条", "第五条", "第六条"]) == ["第五条"]
    assert outline.resolve(outline.find_references("第十五条")[0], ["第五条"]) == []


@pytest.mark.parametrize(
    ("label", "ok"),
    [("第一百零五条", True), ("第五条（三）", True), ("二（二）5", True), ("（三）（2）", True),
     ("第二部分1①", True), ("附表2", True), ("第3段", True), ("附则", True),
     ("第五条啊", False), ("第6条", False), ("柳州", False), ("", False)],
)
def test_a_label_rules_may_cite_is_one_the_grammar_reads_whole(label: str, ok: bool) -> None:
    assert outline.is_label(label) is ok


def test_outline_in_decimal_section_numbers() -> None:
    """1 / 1.1 / 1.1.1 (实施方案、申报指南): each number is its own path label; a figure such as
    1.5万元 at the start of a line is not a section."""
    text = """某市人力资源服务产业园申报指南
为做好申报工作，制定本指南。
1 总体要求
1.1 坚持市场导向，发挥产业园集聚作用。
1.2 申报条件
1.2.1 申报单位应当在本市注册登记，办公面积不少于200平方米。
1.2.2 上一年度营业收入不低于500万元。
1.5万元以下的小额补贴不单独申报。
2 支持政策
2.1 对新入驻机构给予一次性奖励10万元。
2.2 房租补贴
2.2.1 第一年按照每月每平方米20元给予补贴。
2.2.2 第二年按照每月每平方米10元给予补贴。
3 附则
本指南自2026年1月1日起施行。
"""
    assert labels(text) == ["序言", "1.1", "1.2.1", "1.2.2", "2.1", "2.2.1", "2.2.2", "3"]
    units = {c.article: c for c in chunk_text("doc", "标题", "\n".join(clean_text(text)))}
    assert "1.5万元以下" in units["1.2.2"].text  # body text, not a section
    assert units["2.2.1"].chapter == "2 支持政策 / 2.2 房租补贴"


def test_a_figure_opening_a_broken_line_is_no_decimal_section() -> None:
    """A layout break before a figure ("奖励\n2.5 万元", "不超过\n1.5公顷") glues back on: a figure
    with its unit, spaced or not, is neither a section (2.5 would swallow 2.3) nor a line start."""
    text = """某市人力资源服务产业园申报指南
为做好申报工作，制定本指南。
1 支持政策
1.1 规模奖励
营业收入达到5000万元的，给予一次性奖励
2.5 万元；用地面积不超过
1.5公顷，每年服务不少于
2.5小时。
1.2 人才奖励
每引进1名高层次人才，给予奖励1万元。
"""
    assert labels(text) == ["序言", "1.1", "1.2"]
    units = {c.article: c for c in chunk_text("doc", "标题", "\n".join(clean_text(text)))}
    assert "给予一次性奖励2.5" in units["1.1"].text and "不超过1.5公顷" in units["1.1"].text
    for line in ("2.5 万元", "2.5  万元", "1.5公顷", "0.5亩", "3.5吨", "1.5GW", "10 万元"):
        assert outline.match_marker(line) is None and not outline.STRUCTURAL.match(line), line
    for line in ("1.1 人才引进", "1.2 小微企业", "2 工作目标", "3.1 公共服务"):
        assert outline.match_marker(line) is not None and outline.STRUCTURAL.match(line), line


@pytest.mark.parametrize(
    ("question", "expected"),
    [("2.2.1讲的什么", ["2.2.1"]), ("第1.2.2条", ["1.2.2"]), ("2.2那部分", ["2.2.1", "2.2.2"]), ("1.5万元", [])],
)
def test_decimal_references_in_questions(question: str, expected: list[str]) -> None:
    real = ["序言", "1.1", "1.2.1", "1.2.2", "2.1", "2.2.1", "2.2.2", "附则"]
    refs = outline.find_references(question)
    assert (outline.resolve(refs[0], real) if refs else []) == expected
    assert all(outline.is_label(label) for label in real)


def test_articles_numbered_in_arabic_with_bulleted_items() -> None:
    """第1条 … as written; "●"/"——" items stay inside their article and are never glued on."""
    text = """某县人力资源服务业培育办法（试行）
第一章 总则
第1条 为培育人力资源服务业，制定本办法。
第二章 扶持政策
第2条 入驻机构可以享受以下支持：
● 房租补贴，按季度拨付
● 一次性入驻奖励，入驻满一年后兑现
第3条 申报材料包括：
——申请表
——营业执照复印件
"""
    assert labels(text) == ["第1条", "第2条", "第3条"]
    units = {c.article: c for c in chunk_text("doc", "标题", "\n".join(clean_text(text)))}
    assert units["第2条"].text.split("\n")[1:] == ["● 房租补贴，按季度拨付", "● 一次性入驻奖励，入驻满一年后兑现"]
    ref = outline.find_references("第三条")[0]
    assert outline.resolve(ref, list(units)) == ["第3条"]


def test_a_point_written_inside_a_units_text_is_found_in_that_unit() -> None:
    """"（三）下面第3点" of a notice whose （三） runs its points inline ("1.…；2.…；3.…"): （三)."""
    labels = ["序言", "（一）", "（二）", "（三）", "附件1"]
    assert outline.resolve(outline.find_references("（三）下面第3点说的啥")[0], labels) == ["（三）"]
    assert outline.resolve(outline.find_references("（三）下面第3点")[0], labels, strict=False) == ["（三）"]
    # a unit with points of its own: a point it lacks is nothing, never the unit
    assert outline.resolve(outline.find_references("二（一）第9点")[0], ["二（一）1", "二（一）2"]) == []
    # nor a neighbour of the unit named: 二（二）5 is not in 二（一）
    assert outline.resolve(outline.find_references("二（二）5")[0], ["二（一）"], strict=False) == []


# ---------------------------------------------------------------- numbered after a word of their own


def test_numbered_questions_run_on_through_their_groups() -> None:
    """A 政策问答: 问1…问4 numbered through the groups 一、二、, each with its 答; labelled 问N."""
    text = """岚溪县人力资源服务产业园政策问答
为便于企业了解政策，现以问答形式说明如下。
一、入驻
问1：哪些机构可以入驻？
答：持有人力资源服务许可证的机构。
问2：入驻面积有什么要求？
答：实际租用面积不少于100平方米。
二、补贴
问3：房租补贴标准是多少？
答：每月每平方米18元，每年最高不超过8万元。
问4：多久申报一次？
答：每年申报一次，时间为4月1日至4月20日。
"""
    chunks = chunk_text("doc", "标题", "\n".join(clean_text(text)))
    assert [c.article for c in chunks] == ["序言", "问1", "问2", "问3", "问4"]
    assert chunks[3].text == "问3：房租补贴标准是多少？\n答：每月每平方米18元，每年最高不超过8万元。"
    assert chunks[3].chapter == "二、补贴"


def test_numbered_questions_restarting_under_each_group_keep_their_path() -> None:
    text = """为便于企业了解政策，现说明如下。
一、入驻
问1：哪些机构可以入驻？
答：持证机构。
问2：面积要求？
答：不少于100平方米。
二、补贴
问1：房租补贴多少？
答：每月每平方米18元。
问2：何时申报？
答：每年4月。
"""
    assert labels(text) == ["序言", "一问1", "一问2", "二问1", "二问2"]


def test_guide_items_with_bracketed_fields() -> None:
    """A 服务指南: 事项一… (the blank after the numeral folded away by cleaning), each with
    【…】 fields; a last item named, not numbered (其他事项)."""
    text = """为方便办事，制定本指南。
事项一　入驻认定
【办理对象】申请入驻的人力资源服务机构。
【办理条件】租用面积不少于150平方米；从业人员不少于8人。
事项二　房租补贴
【补贴标准】每月每平方米25元，每年最高不超过6万元。
【申报时间】每年3月1日至3月31日。
其他事项
【施行日期】本指南自2026年1月1日起施行。
"""
    assert labels(text) == [
        "序言", "事项一【办理对象】", "事项一【办理条件】", "事项二【补贴标准】", "事项二【申报时间】",
        "其他事项【施行日期】",
    ]


def test_a_table_written_with_bars_is_a_unit_per_row_and_a_caption_heads_its_list() -> None:
    """A 政策清单: rows "N | …" (a bar or a full-width bar) are 第N项, with the header kept for
    search; "说明：" then 1. 2. after the table are 说明1, 说明2."""
    text = """为提高政策知晓度，现发布本清单。
序号|政策事项|支持标准|申报时间
1|房租补贴|每月每平方米20元，每年最高10万元|每季度首月
2｜人才补贴｜硕士每人1万元|全年
3|营收奖励|营业收入5000万元以上的，奖励10万元|每年5月
说明：
1.同一机构每年合计不超过100万元。
2.本清单自发布之日起施行。
"""
    chunks = chunk_text("doc", "标题", "\n".join(clean_text(text)))
    assert [c.article for c in chunks] == ["序言", "第1项", "第2项", "第3项", "说明1", "说明2"]
    assert chunks[2].text == "2 | 人才补贴 | 硕士每人1万元 | 全年"
    assert chunks[2].chapter == "序号 | 政策事项 | 支持标准 | 申报时间"


def test_a_word_numbering_prose_once_is_no_sequence() -> None:
    """"问1：" alone, or a word and a number inside sentences, opens nothing."""
    text = """为规范管理，制定本方案。
一、总体要求
问1：这一行只出现一次。
每年3月1日前报送材料。
二、工作措施
加强服务。
"""
    assert labels(text) == ["序言", "一", "二"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("岚溪问答问3怎么说的", ["问3"]),
        ("第3问", ["问3"]),
        ("问题3的答复", ["问3"]),
        ("事项二的补贴标准", ["事项二【补贴标准】", "事项二【申报时间】"]),
        ("清单第2项", ["第2项"]),
        ("说明第1条", ["说明1"]),
        ("第二个事项", ["事项二【补贴标准】", "事项二【申报时间】"]),
    ],
)
def test_references_to_units_numbered_after_their_word(question: str, expected: list[str]) -> None:
    unit_labels = ["序言", "问1", "问2", "问3", "事项一【办理对象】", "事项二【补贴标准】", "事项二【申报时间】",
                   "第1项", "第2项", "说明1", "说明2"]
    (ref,) = outline.find_references(question)
    assert outline.resolve(ref, unit_labels) == expected


def test_a_figure_after_a_sequence_word_is_no_reference() -> None:
    assert outline.find_references("问5万元能不能拿到") == ()
    assert outline.find_references("说明3个月内补正") == ()


def test_a_compilation_of_policies_each_numbered_from_the_first_article() -> None:
    """A 政策汇编: two policies each with its own 第一条…; labels keep them apart by their 篇
    (第二篇第三条), or by their order when the compilation writes no 篇; "第三条" names both,
    "第二篇第三条" one."""
    policy = """第{n}条 为规范管理，制定本办法。
第{m}条 入驻机构租用面积不少于100平方米。"""
    with_volumes = "\n".join([
        "某市人力资源服务产业园政策汇编", "第一篇 某市产业园入驻管理暂行办法",
        policy.format(n="一", m="二"), "第二篇 某市产业园扶持资金管理暂行办法", policy.format(n="一", m="二"),
    ])
    assert labels(with_volumes) == ["第一篇第一条", "第一篇第二条", "第二篇第一条", "第二篇第二条"]
    without = "\n".join([
        "某市人力资源服务产业园政策汇编", "某市产业园入驻管理暂行办法", policy.format(n="一", m="二"),
        "某市产业园扶持资金管理暂行办法", policy.format(n="一", m="二"),
    ])
    assert labels(without) == ["第一篇第一条", "第一篇第二条", "第二篇第一条", "第二篇第二条"]
    units = labels(with_volumes)
    (second,) = outline.find_references("第二篇第二条")
    assert outline.resolve(second, units) == ["第二篇第二条"]
    (either,) = outline.find_references("第二条")
    assert outline.resolve(either, units) == ["第一篇第二条", "第二篇第二条"]
    assert outline.is_label("第二篇第二条")


def test_articles_numbered_once_keep_plain_labels_under_volumes() -> None:
    text = "第一编 总则\n第一条 为规范管理，制定本办法。\n第二编 扶持\n第二条 给予补贴。"
    assert labels(text) == ["第一条", "第二条"]


@pytest.mark.parametrize(
    ("question", "position", "text"),
    [
        ("那个意见开头说为什么要出台的那一段", "序言", "开头"),
        ("开头那段讲什么", "序言", "开头那段"),
        ("这个办法的前言", "序言", "前言"),
        ("开篇写了啥", "序言", "开篇"),
        ("文件开头讲了什么", "序言", "开头"),
        ("附则怎么说", "附则", "附则"),
        ("结尾那段", "last", "结尾那段"),
    ],
)
def test_units_named_by_where_they_stand(question: str, position: str, text: str) -> None:
    """The preamble, the closing paragraph and the last unit named by words (positions.yaml),
    not numbers; only the naming words are the reference, what is asked of it stays."""
    (ref,) = outline.find_references(question)
    assert (ref.position, ref.text) == (position, text)


def test_a_beginning_that_is_no_unit_is_not_a_reference() -> None:
    assert outline.find_references("以91开头的信用代码") == ()


def test_lines_within_an_article_are_its_items_and_paragraphs() -> None:
    article = [
        "第六条　符合条件的机构，按照下列标准给予补助：",
        "（一）年收入500万元以上的，补助5万元；",
        "（二）年收入1000万元以上的，补助10万元：",
        "1．新入驻的，另加2万元；",
        "2．迁入总部的，另加3万元。",
        "（三）年收入5000万元以上的，补助20万元。",
        "补助每年申报一次。",
    ]
    from assistant.outline import lines_within

    assert lines_within(article, [("（cn）", 1)]) == [article[1]]
    assert lines_within(article, [("xiang", 2)]) == article[2:5]  # 第二项: with the points under it
    assert lines_within(article, [("（cn）", 2), ("item", 2)]) == [article[4]]
    assert lines_within(article, [("kuan", 1)]) == article[:6]  # a 款 with its items
    assert lines_within(article, [("kuan", 2)]) == [article[6]]
    assert lines_within(article, [("（cn）", 4)]) == [] and lines_within(article, [("kuan", 3)]) == []


# ---------------------------------------------------------------- shapes of blind set 9


def test_items_numbered_on_through_their_groups_are_labelled_under_each_group() -> None:
    """若干措施: groups 一、二、三、 with "N.【标题】" items numbered 1…7 straight through them; a
    reader's 第6条 (the text has no 条) is item 6, 第二部分 the group 二."""
    text = """柘川市支持人力资源服务业发展若干措施
为支持人力资源服务业发展，制定以下措施。
一、培育主体
1.【落户奖励】新落户的机构，给予一次性奖励50万元。
2.【租金补贴】入驻机构按照每月每平方米20元给予补贴。
二、做大做强
3.【营收奖励】营业收入5000万元以上的，奖励10万元。
4.【增长奖励】营业收入增长20%以上的，奖励5万元。
5.【上市奖励】首次上市的，奖励200万元。
三、保障措施
6.【申报时间】每年4月1日至4月30日集中申报。
7.【施行日期】本措施自2026年1月1日起施行。
"""
    got = labels(text)
    assert got == ["序言", "一1", "一2", "二3", "二4", "二5", "三6", "三7"]
    assert outline.resolve(outline.find_references("第6条")[0], got) == ["三6"]
    assert outline.resolve(outline.find_references("第4项")[0], got) == ["二4"]
    assert outline.resolve(outline.find_references("4.【增长奖励】讲了什么")[0], got) == ["二4"]
    assert outline.resolve(outline.find_references("第二部分")[0], got) == ["二3", "二4", "二5"]


def test_a_list_restarting_under_the_next_group_keeps_its_own_numbers() -> None:
    text = """为支持发展，制定本方案。
一、目标
1.到2026年，入驻机构达到50家。
2.营业收入达到20亿元。
二、措施
1.落实房租补贴。
2.落实营收奖励。
"""
    assert labels(text) == ["序言", "一1", "一2", "二1", "二2"]


def test_a_notice_forwarding_articles_has_its_own_points_before_them() -> None:
    """转发通知: the notice's preamble and points 一、…三、, its signature, "附件：" and the forwarded
    办法 in 章 and 条; "通知第二点" is the notice's 二, "第二条" the 办法's article."""
    text = """柘川市人力资源和社会保障局关于转发《某省人力资源服务产业园扶持办法》的通知
各区人力资源和社会保障局：
现将《某省人力资源服务产业园扶持办法》转发给你们，并提出以下意见，请一并抓好落实。
一、关于市级配套。市财政按照省级奖励金额的50%给予配套，每年最高不超过30万元。
二、关于叠加补贴。市财政按照每月每平方米5元给予叠加补贴。
三、关于施行。本通知自2026年7月1日起施行，《柘川市产业园扶持暂行办法》同时废止。
柘川市人力资源和社会保障局
2026年6月18日
附件：
某省人力资源服务产业园扶持办法
第一章　总则
第一条　为加快人力资源服务业发展，制定本办法。
第二条　本办法适用于省级产业园。
第二章　附则
第三条　本办法自2026年5月1日起施行。
"""
    chunks = chunk_text("doc", "标题", "\n".join(clean_text(text)))
    got = [c.article for c in chunks]
    assert got == ["序言", "一", "二", "三", "第一条", "第二条", "第三条"]
    assert chunks[3].text == "三、关于施行。本通知自2026年7月1日起施行，《柘川市产业园扶持暂行办法》同时废止。"
    assert outline.resolve(outline.find_references("通知第二点")[0], got) == ["二"]
    assert outline.resolve(outline.find_references("第二条")[0], got) == ["第二条"]


def test_circled_numbers_as_the_top_level_are_its_articles_and_points() -> None:
    text = """某县助企六条（征求意见稿）
为助企发展，提出以下措施。
①入驻条件。入驻机构租用面积不少于80平方米。
②房租减免。前两年免收租金。
③开办补助。给予一次性开办补助5万元。
④营收奖励。营业收入500万元以上的，奖励2万元。
⑤监督管理。每家机构每年合计不超过60万元。
⑥附则。本措施自2027年1月1日起施行。
"""
    got = labels(text)
    assert got == ["序言", "①", "②", "③", "④", "⑤", "⑥"]
    for question in ("第5条", "第5点", "第五项", "第⑤条"):
        assert outline.resolve(outline.find_references(question)[0], got) == ["⑤"], question


def test_a_third_level_written_with_a_closing_bracket_only() -> None:
    """申报指南: 一、 → （1） → "1）"; labels keep the bracket (二（2）1）) and a question's path
    with it resolves to that unit."""
    text = """为做好申报工作，明确如下。
一、申报对象
（1）在本市登记注册的入驻机构。
二、支持内容
（1）房租补贴。
1）补贴标准：按照每月每平方米16元给予补贴。
2）补贴面积：每家机构不超过350平方米。
（2）星级奖励。
1）得分90分以上的评为五星级，奖励20万元。
2）星级有效期2年。
"""
    got = labels(text)
    assert got == ["序言", "一（1）", "二（1）", "二（1）1）", "二（1）2）", "二（2）", "二（2）1）", "二（2）2）"]
    assert outline.is_label("二（2）1）")
    assert outline.resolve(outline.find_references("二（2）1）怎么评")[0], got) == ["二（2）1）"]
    assert outline.resolve(outline.find_references("二（2）第2点")[0], got) == ["二（2）2）"]
