"""Word ingest: the checked-in .docx of each seed document reads back as its .txt, automatic
numbering rebuilt as labels; broken, old-format, encrypted and image-only files are refused."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from assistant.errors import BadDocument
from assistant.ingest import collect_files, load_document
from assistant.loaders.word import chinese_number, format_number
from assistant.structure import chunk_document

from .conftest import CORPUS
from .fixtures import samples

DOCS = ["guangxi-2021-regional-park", "liaocheng-city-park", "liuzhou-2024-park-measures"]
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _refusal(path: Path) -> str:
    with pytest.raises(BadDocument) as info:
        load_document(path)
    assert "\n" not in info.value.reason
    return info.value.reason


@pytest.mark.parametrize("doc", DOCS)
def test_docx_yields_the_same_articles_as_the_text(doc: str) -> None:
    from_txt = load_document(CORPUS / f"{doc}.txt")
    from_docx = load_document(samples.DOCX / f"{doc}.docx")
    assert from_docx.meta.doc_id == doc
    txt_chunks, docx_chunks = chunk_document(from_txt), chunk_document(from_docx)
    assert [c.article for c in docx_chunks] == [c.article for c in txt_chunks]
    assert [_squash(c.text) for c in docx_chunks] == [_squash(c.text) for c in txt_chunks]
    assert from_docx.meta == from_txt.meta


@pytest.mark.parametrize(
    ("doc", "typed", "label"),
    [
        ("guangxi-2021-regional-park", "为促进我区人力资源服务业规模化", "第一条 为促进我区"),
        ("liuzhou-2024-park-measures", "经济贡献奖励。园区企业主营业务收入", "5.经济贡献奖励。"),
        ("liuzhou-2024-park-measures", "支持产业园高质量发展", "（二）支持产业园高质量发展"),
    ],
)
def test_automatic_numbering_becomes_the_label(doc: str, typed: str, label: str) -> None:
    """In these fixtures the labels are Word numbering: absent from the paragraph's own text."""
    import docx

    paragraphs = [p.text for p in docx.Document(str(samples.DOCX / f"{doc}.docx")).paragraphs]
    assert any(p.startswith(typed) for p in paragraphs)
    assert not any(p.startswith(label[:3]) and typed in p for p in paragraphs)
    assert any(line.startswith(label) for line in load_document(samples.DOCX / f"{doc}.docx").text.split("\n"))


def test_bookmark_is_not_text() -> None:
    text = load_document(samples.DOCX / "liuzhou-2024-park-measures.docx").text
    assert "_GoBack" not in text and text.split("\n")[2].startswith("为进一步建立完善的人力资源服务体系")


def test_tables_are_read_row_by_row(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("第一条 奖励标准如下表：")
    table = document.add_table(rows=2, cols=2)
    for (row, col), text in {(0, 0): "营业收入", (0, 1): "奖励", (1, 0): "2000万元", (1, 1): "10万元"}.items():
        table.cell(row, col).text = text
    document.add_paragraph("第二条 本办法自印发之日起施行。")
    path = tmp_path / "table.docx"
    document.save(str(path))
    assert load_document(path).text.split("\n") == [
        "第一条 奖励标准如下表：", "营业收入 | 奖励", "2000万元 | 10万元", "第二条 本办法自印发之日起施行。"
    ]


@pytest.mark.parametrize(
    ("n", "fmt", "expected"),
    [
        (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
        (20, "chineseCountingThousand", "二十"), (105, "chineseCounting", "一百零五"),
        (110, "chineseCounting", "一百一十"), (3, "chineseLegalSimplified", "叁"),
        (3, "decimal", "3"), (3, "decimalEnclosedCircle", "③"), (3, "lowerLetter", "c"),
        (4, "upperRoman", "IV"), (12, "ideographDigital", "一二"), (2, "decimalZero", "02"),
    ],
)
def test_number_formats(n: int, fmt: str, expected: str) -> None:
    assert format_number(n, fmt) == expected
    assert chinese_number(0) == "0"


def test_broken_and_foreign_word_files(tmp_path: Path) -> None:
    not_zip = tmp_path / "broken.docx"
    not_zip.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    assert "Word 文件已损坏" in _refusal(not_zip)

    cut = tmp_path / "cut.docx"
    cut.write_bytes((samples.DOCX / f"{samples.LIAOCHENG}.docx").read_bytes()[:9000])
    assert "Word 文件已损坏" in _refusal(cut)

    zipped = tmp_path / "photos.docx"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("readme.txt", "not a document")
    assert "不是 Word 文档" in _refusal(zipped)

    old = tmp_path / "old.docx"
    old.write_bytes(OLE + b"\x00" * 4000)
    assert "旧版 Word（.doc）" in _refusal(old)

    locked = tmp_path / "locked.docx"
    locked.write_bytes(OLE + b"\x00" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512)
    assert _refusal(locked).startswith("加密文件，需要密码")


def test_empty_and_image_only_word_files(tmp_path: Path) -> None:
    import docx

    empty = tmp_path / "empty.docx"
    docx.Document().save(str(empty))
    assert "没有可用文字" in _refusal(empty)

    scanned = tmp_path / "scanned.docx"
    document = docx.Document()
    document.add_picture(str(_png(tmp_path / "page.png")))
    document.save(str(scanned))
    assert "需先 OCR" in _refusal(scanned)


def test_doc_extension_is_refused_with_the_way_out(tmp_path: Path) -> None:
    (tmp_path / "policy.doc").write_bytes(OLE + b"\x00" * 100)
    _, refused, _ = collect_files([tmp_path])
    assert [r.reason for r in refused] == ["不支持的文件类型 .doc: open it in Word or WPS and save as .docx"]


def _png(path: Path) -> Path:
    from PIL import Image

    Image.new("L", (40, 60), 128).save(path)
    return path
