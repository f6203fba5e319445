"""Decimal sections, 第1条 with bulleted items, annex tables written as lines, a Q&A (问N/答
through groups), a guide (事项N with 【】 fields) and a list written as a table with bars read alike
from .txt, a printed PDF and a Word file (tests/fixtures/outline_shapes, made by
tests/fixtures/make_fixtures.py outline_shapes)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from assistant.ingest import load_document
from assistant.loaders import Limits
from assistant.loaders.pdf import _width, read_pdf_pages, unwrap
from assistant.loaders.word import bullet_mark
from assistant.structure import chunk_document
from assistant.types import Document

from .fixtures.make_fixtures import OUTLINE_SHAPES

GUIDE = "tongwan-park-reward-guide"  # 1 / 1.1 / 1.1.1, 附件2 a table written as lines
MEASURES = "fengting-hr-service-measures"  # 第X章 / 第1条, "●" and "——" items, 试行期
QA = "yanxi-park-policy-qa"  # 问1…问11 numbered through 一、二、三、, each with its 答
SERVICE = "qihu-park-service-guide"  # 事项一… with 【】 fields, a last 其他事项
LIST = "yutang-park-policy-list"  # a table written with bars, then 说明： 1.–4.
EXPECTED = {
    QA: ["序言", *(f"问{n}" for n in range(1, 12))],
    SERVICE: [
        "序言", "事项一【办理对象】", "事项一【办理条件】", "事项一【办理时限】",
        "事项二【补贴标准】", "事项二【申报时间】", "事项二【申报材料】",
        "事项三【奖励标准】", "事项三【申报时间】", "事项三【申报材料】",
        "事项四【补贴标准】", "事项四【申报时间】", "事项四【办理流程】",
        "其他事项【资金上限】", "其他事项【监督管理】", "其他事项【施行日期】",
    ],
    LIST: ["序言", *(f"第{n}项" for n in range(1, 9)), "说明1", "说明2", "说明3", "说明4"],
}
ROWS = [
    "年营业收入1亿元及以上：奖励80万元",
    "年营业收入5000万元至1亿元（含5000万元，不含1亿元）：奖励50万元",
    "年营业收入2000万元至5000万元（含2000万元，不含5000万元）：奖励30万元",
    "年营业收入1000万元至2000万元（含1000万元，不含2000万元）：奖励20万元",
]


def _squash(text: str) -> str:
    """Blanks out; a Word table's cell break (" | ") reads as the colon the .txt row has."""
    return re.sub(r"\s+", "", text.replace(" | ", "："))


def _load(doc: str, kind: str) -> Document:
    return load_document(OUTLINE_SHAPES / (f"{doc}.txt" if kind == "txt" else f"{kind}/{doc}.{kind}"))


@pytest.mark.parametrize("doc", [GUIDE, MEASURES, QA, SERVICE, LIST])
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_pdf_and_word_give_the_units_texts_and_metadata_of_the_txt(doc: str, kind: str) -> None:
    from_txt, other = _load(doc, "txt"), _load(doc, kind)
    txt_chunks, other_chunks = chunk_document(from_txt), chunk_document(other)
    assert [c.article for c in other_chunks] == [c.article for c in txt_chunks]
    assert [c.chapter for c in other_chunks] == [c.chapter for c in txt_chunks]
    assert [_squash(c.text) for c in other_chunks] == [_squash(c.text) for c in txt_chunks]
    # every paragraph break of the .txt is there too: nothing glued, nothing split
    assert [len(c.text.split("\n")) for c in other_chunks] == [len(c.text.split("\n")) for c in txt_chunks]
    assert other.meta == from_txt.meta


def test_the_txt_units_and_metadata() -> None:
    guide, measures = _load(GUIDE, "txt"), _load(MEASURES, "txt")
    units = {c.article: c for c in chunk_document(guide)}
    assert list(units) == [
        "1.1", "1.2", "2.1.1", "2.1.2", "2.2.1", "2.2.2", "3.1", "3.2", "3.3",
        "4.1.1", "4.1.2", "4.2.1", "4.2.2", "5.1", "5.2", "附件1", "附件2",
    ]
    assert units["2.2.1"].chapter == "2 申报条件 / 2.2 营业收入条件"
    assert units["2.2.2"].text.endswith("并按照每1.5万元为一档向下取整计算。")
    assert (guide.meta.title, guide.meta.doc_number) == ("桐湾市人力资源服务产业园入驻机构奖励申报指南", "桐湾人社发〔2025〕17号")
    assert (guide.meta.valid_from, guide.meta.valid_until) == (dt.date(2025, 4, 1), dt.date(2028, 3, 31))

    articles = {c.article: c for c in chunk_document(measures)}
    assert list(articles) == [f"第{n}条" for n in range(1, 14)]
    assert articles["第4条"].text.split("\n")[1].startswith("● 房租补贴")
    assert articles["第8条"].text.split("\n")[1:] == [
        "——扶持资金申请表；", "——营业执照和人力资源服务许可证复印件；", "——上一年度财务审计报告及纳税证明。"
    ]
    assert (measures.meta.title, measures.meta.doc_number) == ("枫汀县人力资源服务业培育扶持办法（试行）", "枫汀政办规〔2025〕4号")
    assert (measures.meta.valid_from, measures.meta.valid_until) == (dt.date(2025, 5, 1), dt.date(2027, 4, 30))


@pytest.mark.parametrize("kind", ["txt", "pdf", "docx"])
def test_annex_title_and_rows_stay_apart(kind: str) -> None:
    annex = {c.article: c for c in chunk_document(_load(GUIDE, kind))}["附件2"]
    lines = annex.text.replace(" | ", "：").split("\n")
    assert lines == ["附件2：入驻机构奖励标准表", *ROWS]


def test_the_prints_carry_the_shapes_to_undo() -> None:
    """Layout made the cases the loaders must handle: a figure opening a wrapped line, a
    section heading after a full line with no closing mark, a table row as wide as the page;
    in Word the numbers and bullets are list numbering and the annex is a table."""
    import docx

    pages = read_pdf_pages(OUTLINE_SHAPES / "pdf" / f"{GUIDE}.pdf", Limits().max_pages)
    lines = [line.strip() for page in pages for line in page.splitlines()]
    assert any(line.startswith("1.5万元为一档") for line in lines)
    heading = lines.index("2.2 营业收入条件")
    assert lines[heading - 1].endswith("受到行政处罚")
    assert len(lines[lines.index(ROWS[2])]) >= len(lines[heading - 1]) - 1

    word = docx.Document(str(OUTLINE_SHAPES / "docx" / f"{GUIDE}.docx"))
    assert [p.text for p in word.paragraphs][7:9] == ["总体要求", "坚持市场导向，发挥桐湾市人力资源服务产业园的集聚效应，引导规模较大、业态先进的人力资源服务机构入驻发展。"]
    assert [[cell.text for cell in row.cells] for row in word.tables[0].rows][0] == ["年营业收入1亿元及以上", "奖励80万元"]
    measures = docx.Document(str(OUTLINE_SHAPES / "docx" / f"{MEASURES}.docx"))
    texts = [p.text for p in measures.paragraphs]
    assert texts[3].startswith("为加快培育本县") and texts[8].startswith("房租补贴：")
    assert not any(t.startswith(("●", "第1条")) for t in texts)


def test_unwrap_keeps_sections_bullets_and_rows_apart() -> None:
    """No indents: width decides, but a section number, a bullet or the next row of a table
    opens its own line even after a full line without a closing mark; a figure goes on."""
    full = "一" * 28
    assert unwrap([full + "二二", "1.2 申报条件", full + "按照每", "1.5万元为一档计算。"]) == [
        full + "二二", "1.2 申报条件", full + "按照每1.5万元为一档计算。"
    ]
    assert unwrap([full, "● 房租补贴；", full + "一", "——装修补贴。"]) == [full, "● 房租补贴；", full + "一", "——装修补贴。"]
    row = "年营业收入2000万元至5000万元（含2000万元，不含5000万元）：奖励30万元"
    assert unwrap([row, ROWS[3]]) == [row, ROWS[3]]
    # a wrapped line that happens to begin with 附件 is not an annex title: the sentence goes on
    middle = "附件2所列标准" + "一" * 22
    assert unwrap([full + "按", middle, "承担。", "二"]) == [f"{full}按{middle}承担。", "二"]
    # with indents: the indented first line of prose ending "…20个" goes on, the flush row does not
    assert unwrap([" " + full + "一一一20个", "工作日内办结。", row, ROWS[3], " 二"]) == [
        f"{full}一一一20个工作日内办结。", row, ROWS[3], "二"
    ]


@pytest.mark.parametrize(
    ("level_text", "mark"),
    [("\uf06c", "●"), ("\uf0b7", "•"), ("\uf0d8", "➢"), ("\uf0e0", "•"), ("■", "■"), ("o", "○"), ("", "•")],
)
def test_word_bullets_keep_a_mark(level_text: str, mark: str) -> None:
    assert bullet_mark(level_text) == mark


@pytest.mark.parametrize("doc", [QA, SERVICE, LIST])
@pytest.mark.parametrize("kind", ["txt", "pdf", "docx"])
def test_units_numbered_after_their_own_word_and_table_rows(doc: str, kind: str) -> None:
    assert [c.article for c in chunk_document(_load(doc, kind))] == EXPECTED[doc]


def test_the_txt_units_and_metadata_of_the_qa_guide_and_list() -> None:
    qa, service, listing = _load(QA, "txt"), _load(SERVICE, "txt"), _load(LIST, "txt")
    questions = {c.article: c for c in chunk_document(qa)}
    assert questions["问5"].chapter == "二、补贴标准"
    assert questions["问5"].text.split("\n")[1].startswith("答：按照机构上一年度")
    assert questions["问9"].text.split("\n")[0].endswith("复印件有什么要求？")
    assert (qa.meta.title, qa.meta.doc_number) == ("砚溪县人力资源服务产业园扶持政策问答", "砚溪人社〔2025〕21号")
    assert (qa.meta.valid_from, qa.meta.valid_until) == (dt.date(2025, 6, 1), dt.date(2028, 5, 31))

    fields = {c.article: c for c in chunk_document(service)}
    assert fields["事项二【补贴标准】"].chapter == "事项一入驻认定".replace("一入驻认定", "二房租补贴")
    assert fields["其他事项【施行日期】"].text == "【施行日期】本指南自2025年8月1日起施行，有效期至2027年7月31日。"
    assert (service.meta.title, service.meta.doc_number) == (
        "栖湖区人力资源服务产业园入驻及补贴申领服务指南", "栖湖人社发〔2025〕9号"
    )
    assert (service.meta.valid_from, service.meta.valid_until) == (dt.date(2025, 8, 1), dt.date(2027, 7, 31))

    rows = {c.article: c for c in chunk_document(listing)}
    assert rows["第3项"].chapter == "序号 | 政策事项 | 支持标准 | 申报时间"
    assert rows["第3项"].text.startswith("3 | 营业收入奖励 | 上一年度营业收入1亿元及以上的，奖励80万元；")
    assert rows["第3项"].text.endswith(" | 每年5月1日至5月31日")
    assert rows["说明3"].chapter == "说明："
    assert (listing.meta.title, listing.meta.doc_number) == ("榆塘市人力资源服务产业园惠企政策清单（2025年版）", "榆人社函〔2025〕33号")
    assert (listing.meta.valid_from, listing.meta.valid_until) == (dt.date(2025, 3, 1), dt.date(2026, 12, 31))


def _pdf_lines(doc: str) -> list[str]:
    pages = read_pdf_pages(OUTLINE_SHAPES / "pdf" / f"{doc}.pdf", Limits().max_pages)
    return [line.strip() for page in pages for line in page.splitlines()]


def _after_a_full_line(lines: list[str], opening: str) -> str:
    """The line before the one opening with `opening`, checked to fill the page's width as
    unwrap measures it (digits count half a cell, so a full line may measure a few cells less)."""
    at = next(i for i, line in enumerate(lines) if line.startswith(opening))
    full = max(_width(line) for line in lines)
    assert _width(lines[at - 1]) >= full - 3.5, lines[at - 1]
    return lines[at - 1]


def test_the_prints_of_the_qa_guide_and_list_carry_the_shapes_to_undo() -> None:
    """In the PDFs (问/答, 事项, 【】 and rows set flush left, no indent to tell a paragraph by): a
    question after an answer that filled its last line, an answer after a question that filled
    its line, a 事项 heading and a field after a full field, a row after a row that filled its
    last line, and rows wrapped over lines (one going on with a figure). In Word the 问N and 事项N
    are list numbering, the table a real table."""
    import docx

    qa = _pdf_lines(QA)
    assert _after_a_full_line(qa, "问3：").endswith("不少于2人。")
    assert _after_a_full_line(qa, "答：需要提交").endswith("有什么要求？")
    service = _pdf_lines(SERVICE)
    assert _after_a_full_line(service, "事项二").endswith("专家评审时间。")
    assert _after_a_full_line(service, "【申报材料】房租").endswith("自动放弃。")
    listing = _pdf_lines(LIST)
    assert _after_a_full_line(listing, "6|").endswith("|每年10月1日至10月31日")
    assert any(line.startswith("过10.56万元|") for line in listing)

    word = docx.Document(str(OUTLINE_SHAPES / "docx" / f"{QA}.docx"))
    texts = [p.text for p in word.paragraphs]
    assert "哪些机构可以申请入驻产业园？" in texts and not any(t.startswith("问") for t in texts)
    assert word.paragraphs[texts.index("二、补贴标准")].style.name == "Heading 1"
    guide = docx.Document(str(OUTLINE_SHAPES / "docx" / f"{SERVICE}.docx"))
    assert [p.text for p in guide.paragraphs if p.style.name == "Heading 2"][::4] == ["入驻认定", "其他事项"]
    table = docx.Document(str(OUTLINE_SHAPES / "docx" / f"{LIST}.docx")).tables[0]
    assert [cell.text for cell in table.rows[0].cells] == ["序号", "政策事项", "支持标准", "申报时间"]
    assert len(table.rows) == 9


def test_unwrap_opens_a_line_for_units_of_the_documents_own_numbering() -> None:
    """After a full line, even one ending its sentence with no indent to tell: the next 问N (once
    问 numbers a sequence), the reply under a question, a 事项 heading, a 【】 field, the next row
    of a table written with bars; a wrapped row goes on, and so does a row number out of order."""
    full = "一" * 33
    assert unwrap(["问1：甲？", "答：" + full + "。", "问2：乙？", "答：丙。"]) == ["问1：甲？", f"答：{full}。", "问2：乙？", "答：丙。"]
    assert unwrap(["问1：" + full + "？", "答：丙。", "问2：乙？", "答：丁。"])[:2] == [f"问1：{full}？", "答：丙。"]
    fields = ["事项一 入驻", "【条件】" + full + "。", "【时限】十日。", "事项二 补贴", "【标准】" + full + "。", "其他事项", "【施行】本指南自印发之日起施行。"]
    assert unwrap(fields) == fields
    rows = ["序号|事项|标准", "1|房租|" + full, "每月20元|全年", "2|装修|" + full + "|", "30万元", "3|奖励|一|", "说明："]
    assert unwrap(rows) == ["序号|事项|标准", f"1|房租|{full}每月20元|全年", f"2|装修|{full}|30万元", "3|奖励|一|", "说明："]
    # a row's line ending its clause goes on with the rest of the row, bars and all
    assert unwrap(["序号|事项|标准", "1|房租|" + full + "；", "奖励10万元|全年", "2|装修|一"]) == [
        "序号|事项|标准", f"1|房租|{full}；奖励10万元|全年", "2|装修|一"
    ]
    # "3|" out of order is a cell going on, not a row
    assert unwrap(["1|甲|" + full, "3|乙|", "2|丙|丁"]) == [f"1|甲|{full}3|乙|", "2|丙|丁"]
