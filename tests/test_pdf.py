"""PDF ingest: the checked-in renders of the seed documents read back as their .txt, page
furniture removed; every broken or hostile PDF is refused with its reason, in a child process."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from assistant.errors import BadDocument
from assistant.ingest import load_document
from assistant.loaders import Limits
from assistant.loaders.pdf import pdf_text, read_pdf_pages, running_lines, strip_furniture, unwrap
from assistant.structure import chunk_document

from .conftest import CORPUS
from .fixtures import samples

DOCS = ["guangxi-2021-regional-park", "liaocheng-city-park", "liuzhou-2024-park-measures"]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _refusal(path: Path, limits: Limits | None = None) -> str:
    with pytest.raises(BadDocument) as info:
        load_document(path, limits)
    assert info.value.path == path
    assert "\n" not in info.value.reason and "Traceback" not in info.value.reason
    return info.value.reason


@pytest.mark.parametrize("doc", DOCS)
def test_pdf_yields_the_same_articles_as_the_text(doc: str) -> None:
    from_txt = load_document(CORPUS / f"{doc}.txt")
    from_pdf = load_document(samples.PDF / f"{doc}.pdf")
    assert from_pdf.meta.doc_id == doc
    txt_chunks, pdf_chunks = chunk_document(from_txt), chunk_document(from_pdf)
    assert [c.article for c in pdf_chunks] == [c.article for c in txt_chunks]
    assert [_squash(c.text) for c in pdf_chunks] == [_squash(c.text) for c in txt_chunks]
    assert [c.chapter for c in pdf_chunks] == [c.chapter for c in txt_chunks]
    assert from_pdf.meta == from_txt.meta  # title, 文号, issuer, dates, draft status, supersedes


def test_fixtures_carry_real_page_furniture_that_is_removed() -> None:
    """The renders have running headers, page numbers and layout line breaks to undo."""
    limits = Limits()
    for doc, number, header in (
        ("guangxi-2021-regional-park", "- 2 -", "自治区级人力资源服务产业园管理暂行办法"),
        ("liaocheng-city-park", "第2页", "聊城市人力资源和社会保障局文件"),
        ("liuzhou-2024-park-measures", "2/3", "柳州市人力资源和社会保障局（征求意见）"),
    ):
        pages = read_pdf_pages(samples.PDF / f"{doc}.pdf", limits.max_pages)
        assert len(pages) >= 3
        assert number in pages[1].splitlines()[-1] and pages[1].splitlines()[0] == header
        lines = pdf_text(pages).split("\n")
        assert number not in lines
        # the header is gone from every page; where it is also the body's title, that stays
        assert lines.count(header) == load_document(CORPUS / f"{doc}.txt").text.split("\n").count(header)
        assert all(header in page for page in pages)
        # more physical lines than paragraphs: the renderer wrapped long articles
        assert sum(len(p.splitlines()) for p in pages) > len(lines) + 2 * len(pages)


@pytest.mark.parametrize(
    "footer",
    ["- {n} -", "—{n}—", "第{n}页", "第 {n} 页 共 4 页", "共4页 第{n}页", "{n}/4", "Page {n} of 4", "{n}"],
)
def test_page_number_styles_are_dropped(footer: str) -> None:
    articles = ["第一条 总则。", "第二条 申报条件。", "第三条 认定程序。", "第四条 附则。"]
    pages = [f"{article}\n{footer.format(n=n)}" for n, article in enumerate(articles, start=1)]
    assert pdf_text(pages) == "\n".join(articles)


def test_running_header_is_dropped_but_the_same_words_in_the_body_stay() -> None:
    pages = [
        ["某某市人力资源和社会保障局", " 某某市人力资源和社会保障局", " 第一条 内容。"],
        ["某某市人力资源和社会保障局", " 第二条 内容。", "（征求意见稿） 第2页"],
        ["某某市人力资源和社会保障局", " 第三条 内容。", "（征求意见稿） 第3页"],
    ]
    running = running_lines(pages)
    assert "某某市人力资源和社会保障局" in running and "（征求意见稿）第#页" in running
    assert strip_furniture(pages[0], running) == [" 某某市人力资源和社会保障局", " 第一条 内容。"]
    assert strip_furniture(pages[2], running) == [" 第三条 内容。"]


def test_unwrap_uses_indents_then_width() -> None:
    full = "一" * 30
    # indented first lines: a full line followed by an indented one ends the paragraph
    assert unwrap([f" {full}", full[:20] + "。", f" {full}", "二十"]) == [
        f"{full}{full[:20]}。", f"{full}二十"
    ]
    # no indents anywhere: width decides, and a label after a finished sentence starts anew
    lines = [full, "一一一。", full[:-1] + "。", "第二条 新条文。", full[:-1] + "按", "第三条规定办理。"]
    assert unwrap(lines) == [
        f"{full}一一一。", full[:-1] + "。", "第二条 新条文。", full[:-1] + "按第三条规定办理。"
    ]


def test_pdf_with_an_empty_user_password_opens(tmp_path: Path) -> None:
    """Permissions-only protection (printing, copying) needs no password to read."""
    source = samples.PDF / f"{samples.LIAOCHENG}.pdf"
    protected = samples.encrypted_pdf(source, tmp_path / f"{samples.LIAOCHENG}.pdf", user_password="")
    assert load_document(protected).text == load_document(source).text


def test_encrypted_pdf_needs_a_password(tmp_path: Path) -> None:
    path = samples.encrypted_pdf(samples.PDF / f"{samples.LIAOCHENG}.pdf", tmp_path / "secret.pdf")
    assert _refusal(path).startswith("加密文件，需要密码")


def test_scanned_and_blank_pdfs_need_ocr(tmp_path: Path) -> None:
    assert "没有文本层，需先 OCR" in _refusal(samples.SCANNED)
    assert "没有文本层，需先 OCR" in _refusal(samples.blank_pdf(tmp_path / "blank.pdf"))


def test_truncated_and_corrupt_pdfs(tmp_path: Path) -> None:
    truncated = samples.truncated_pdf(samples.PDF / f"{samples.LIAOCHENG}.pdf", tmp_path / "cut.pdf")
    assert "PDF 文件不完整" in _refusal(truncated)
    assert "PDF 文件已损坏" in _refusal(samples.corrupt_pdf(tmp_path / "corrupt.pdf"))
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("第一条 这其实是文本。", encoding="utf-8")
    assert "不是 PDF 文件" in _refusal(not_pdf)
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert "空文件" in _refusal(empty)


def test_size_and_page_caps(tmp_path: Path) -> None:
    source = samples.PDF / "guangxi-2021-regional-park.pdf"  # 4 pages, ~10 KB
    assert "页数过多（4 页 > 3 页）" in _refusal(source, Limits(max_pages=3))
    assert "文件过大" in _refusal(source, Limits(max_bytes=4096))
    assert load_document(source, Limits(max_pages=4)).meta.doc_id == "guangxi-2021-regional-park"


def test_decompression_bomb_is_refused(tmp_path: Path) -> None:
    """300 MB of blanks in a 300 KB stream: pypdf's inflate cap trips, the page is named."""
    bomb = samples.bomb_pdf(tmp_path / "bomb.pdf", megabytes=300)
    assert bomb.stat().st_size < 1024 * 1024
    assert "解压后过大" in _refusal(bomb)


def test_memory_limit_costs_one_file(tmp_path: Path) -> None:
    """A 70 KB stream that inflates to 70 MB, parsed under a 100 MB address-space limit:
    the child runs out of memory, the parent reports it and reads the next file."""
    bomb = samples.bomb_pdf(tmp_path / "bomb.pdf", megabytes=70)
    assert "内存超过上限（100 MB" in _refusal(bomb, Limits(memory_bytes=100 * 1024 * 1024))
    assert load_document(samples.PDF / f"{samples.LIAOCHENG}.pdf").meta.doc_id == samples.LIAOCHENG


def test_time_limit_costs_one_file(tmp_path: Path) -> None:
    """A 3 KB page that keeps the text extractor busy for seconds is stopped at the limit."""
    slow = samples.slow_pdf(tmp_path / "slow.pdf")
    started = time.monotonic()
    reason = _refusal(slow, Limits(timeout_s=1.0))
    assert "解析超时（超过 1 秒）" in reason
    assert time.monotonic() - started < 3.0
    assert load_document(samples.PDF / f"{samples.LIAOCHENG}.pdf").meta.doc_id == samples.LIAOCHENG


def test_pdf_disguised_as_txt_is_named(tmp_path: Path) -> None:
    disguised = tmp_path / "policy.txt"
    shutil.copy(samples.PDF / f"{samples.LIAOCHENG}.pdf", disguised)
    assert "内容是 PDF，扩展名却是 .txt" in _refusal(disguised)


SHAPES = sorted(p.stem for p in samples.POLICIES.glob("*.txt"))


@pytest.mark.parametrize("doc", SHAPES)
@pytest.mark.parametrize("kind", ["pdf", "docx"])
def test_policies_of_other_shapes_read_alike_from_txt_pdf_and_word(doc: str, kind: str) -> None:
    """The fixture policies (条 with annexes, （一）-top, four-level outline, 第X部分, no outline)
    give the same units, texts and metadata from a printed PDF and a Word file as from .txt."""
    from_txt = load_document(samples.POLICIES / f"{doc}.txt")
    other = load_document(samples.POLICIES / kind / f"{doc}.{kind}")
    txt_chunks, other_chunks = chunk_document(from_txt), chunk_document(other)
    assert [c.article for c in other_chunks] == [c.article for c in txt_chunks]
    assert [_squash(c.text) for c in other_chunks] == [_squash(c.text) for c in txt_chunks]
    assert other.meta == from_txt.meta


def test_a_line_opening_with_closing_punctuation_goes_on_and_an_indented_line_holds_two_cells_fewer() -> None:
    full = "一" * 30
    # a renderer without 禁则 pushes "，" to the next line: it can only be the sentence going on
    assert unwrap([f" {full[:12]}", "，二二二。", f" {full}", "三三。"]) == [f"{full[:12]}，二二二。", f"{full}三三。"]
    # a paragraph's indented first line is full two cells short of the others; quotes count as a full cell
    assert unwrap([f" {full[:25]}“一", "四四”。", f" {full}", full, "五。"]) == [
        f"{full[:25]}“一四四”。", f"{full}{full}五。"
    ]
    # a short indented line that is not full still ends its paragraph
    assert unwrap([f" {full[:20]}", "六六。", f" {full}", "七。"]) == [full[:20], "六六。", f"{full}七。"]


def test_a_table_set_without_rules_keeps_its_columns_from_pdf_and_txt() -> None:
    from assistant.ingest import clean_text
    from assistant.loaders.tables import table_rows

    rows = ["项目　　　条件或档次　　　　标准", "房租补贴　　第一年　　　　每月每平方米25元",
            "营收奖励　　5000万元（含）至1.5亿元（不含）　　25万元", "数字化补助　　项目投入50万元以上　　—"]
    assert clean_text("\n".join(["附件2", "奖励标准表", *rows, "注：以上标准按年度执行。"]))[2:6] == [
        "项目 | 条件或档次 | 标准", "房租补贴 | 第一年 | 每月每平方米25元",
        "营收奖励 | 5000万元（含）至1.5亿元（不含） | 25万元", "数字化补助 | 项目投入50万元以上 | —",
    ]
    # prose, spaced headings, labelled articles and a lone line with blanks are not tables
    prose = ["总　则", "第九条 本办法自2026年4月1日起施行。", "第十条 由市人社局负责解释。",
             "建筑面积不低于 4000 平方米，", "使用面积 3000 平方米"]
    assert table_rows(prose) == prose
    assert table_rows([" 第一档 1000万元 5万元", " 第二档 3000万元 12万元"]) == [
        " 第一档\t1000万元\t5万元", " 第二档\t3000万元\t12万元"
    ]
