"""Decimal sections, 第1条 with bulleted items and annex tables written as lines read alike
from .txt, a printed PDF and a Word file (tests/fixtures/outline_shapes, made by
tests/fixtures/make_fixtures.py outline_shapes)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from assistant.ingest import load_document
from assistant.loaders import Limits
from assistant.loaders.pdf import read_pdf_pages, unwrap
from assistant.loaders.word import bullet_mark
from assistant.structure import chunk_document
from assistant.types import Document

from .fixtures.make_fixtures import OUTLINE_SHAPES

GUIDE = "tongwan-park-reward-guide"  # 1 / 1.1 / 1.1.1, 附件2 a table written as lines
MEASURES = "fengting-hr-service-measures"  # 第X章 / 第1条, "●" and "——" items, 试行期
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


@pytest.mark.parametrize("doc", [GUIDE, MEASURES])
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
