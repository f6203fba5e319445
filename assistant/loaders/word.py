"""Word (.docx): body paragraphs and tables in reading order, one line each.

Automatic numbering is part of the structure: when a clerk numbers 第X条 or 一、/（一）/1.
with Word's numbering button, the label lives in numbering.xml, not in the paragraph's text.
It is rebuilt here (level text such as "第%1条", counters per list, deeper levels restarting)
so the chunker sees the same labels as in a typed or exported text; a bulleted item keeps its
mark ("● …"), so it stays an item of its own. Headings stay paragraphs of their own. Runs in the sandboxed child; every refusal is a Refusal with the reason.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.loaders.errors import Refusal

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DIGITS = "〇一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
# Bullets drawn in Wingdings / Symbol (private-use code points) and the Unicode mark for each;
# "o" is the Courier New hollow circle of the second bullet level.
_SYMBOL_BULLETS = {
    "\uf06c": "●", "\uf0b7": "•", "\uf0a7": "▪", "\uf06e": "■", "\uf075": "◆", "\uf076": "❖",
    "\uf0d8": "➢", "\uf0e8": "➢", "\uf0fc": "✓", "\uf0a8": "□", "\uf06f": "□", "o": "○",
}


def read_docx(path: Path, max_unzipped_bytes: int) -> str:
    """The document's text, one line per paragraph (numbering labels restored) or table row."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_container(path, max_unzipped_bytes)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds on a damaged package
        raise Refusal(f"Word 文件已损坏，无法读取（{type(exc).__name__}）: open and save it again in Word") from exc
    numbering = Numbering(document)
    lines: list[str] = []
    body = document.element.body
    for block in body.iterchildren():
        if block.tag == f"{_W}p":
            paragraph = Paragraph(block, document)
            text = paragraph.text.strip()
            label, separator = numbering.label_for(paragraph)
            if text or label:
                lines.append(f"{label}{separator}{text}" if label else text)
        elif block.tag == f"{_W}tbl":
            lines.extend(_table_rows(Table(block, document)))
    if not any(re.search(r"\w", line) for line in lines):
        if body.find(f".//{_W}drawing") is not None or body.find(f".//{_W}pict") is not None:
            raise Refusal("只有图片，没有文本层，需先 OCR（image-only document）: run OCR on the scans")
        raise Refusal("文件没有可用文字: the document is empty")
    return "\n".join(lines)


def _check_container(path: Path, max_unzipped_bytes: int) -> None:
    with open(path, "rb") as handle:
        head = handle.read(8)
    if head == _OLE_MAGIC:
        data = path.read_bytes()
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise Refusal("加密文件，需要密码（encrypted Word file）: save an unprotected copy and retry")
        raise Refusal("旧版 Word（.doc）文件: open it in Word or WPS and save as .docx")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise Refusal("Word 文件已损坏（不是有效的 .docx 压缩包）: open and save it again in Word") from exc
    if "word/document.xml" not in names:
        raise Refusal("不是 Word 文档（.docx 里没有正文 word/document.xml）: save it from Word as .docx")
    if unzipped > max_unzipped_bytes:
        raise Refusal(
            f"解压后过大（{unzipped // 1024 // 1024} MB，可能是压缩炸弹）: remove embedded media and retry"
        )


def _table_rows(table: Any) -> list[str]:
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:  # a merged cell repeats in every column it spans
            text = " ".join(p.text.strip() for p in cell.paragraphs if p.text.strip())
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))  # a bare space between CJK cells would be folded away
    return rows


@dataclass(frozen=True)
class Level:
    fmt: str  # w:numFmt, e.g. decimal, chineseCounting
    text: str  # w:lvlText, e.g. "第%1条", "（%2）"
    start: int
    suffix: str  # tab | space | nothing
    legal: bool  # w:isLgl: every number in the label shown as decimal


class Numbering:
    """Word list numbering: labels for numbered paragraphs, counted in document order."""

    def __init__(self, document: Any) -> None:
        self.lists: dict[str, dict[int, Level]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, Level]] = {}
        for node in root.iterchildren(f"{_W}abstractNum"):
            levels: dict[int, Level] = {}
            for lvl in node.iterchildren(f"{_W}lvl"):
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = Level(
                    fmt=_val(lvl, "numFmt") or "decimal",
                    text=_val(lvl, "lvlText") or "",
                    start=int(_val(lvl, "start") or 1),
                    suffix=_val(lvl, "suff") or "tab",
                    legal=lvl.find(f"{_W}isLgl") is not None,
                )
            abstract[node.get(f"{_W}abstractNumId", "")] = levels
        for num in root.iterchildren(f"{_W}num"):
            levels = dict(abstract.get(_val(num, "abstractNumId") or "", {}))
            for override in num.iterchildren(f"{_W}lvlOverride"):
                ilvl = int(override.get(f"{_W}ilvl", "0"))
                start = _val(override, "startOverride")
                if start is not None and ilvl in levels:
                    old = levels[ilvl]
                    levels[ilvl] = Level(old.fmt, old.text, int(start), old.suffix, old.legal)
            self.lists[num.get(f"{_W}numId", "")] = levels

    def label_for(self, paragraph: Any) -> tuple[str, str]:
        """(label, separator) of a numbered paragraph, advancing its list; ("", "") if none."""
        num_id, ilvl = _num_pr(paragraph)
        levels = self.lists.get(num_id or "")
        if not levels or ilvl not in levels:
            return "", ""
        counters = self.counters.setdefault(num_id or "", {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else levels[ilvl].start
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]  # a new item restarts the levels below it
        level = levels[ilvl]
        if level.fmt == "bullet":
            return bullet_mark(level.text), " "
        if level.fmt == "none":
            return "", ""

        def number(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            value = counters.get(k, levels[k].start if k in levels else 1)
            fmt = "decimal" if level.legal else (levels[k].fmt if k in levels else "decimal")
            return format_number(value, fmt)

        label = re.sub(r"%([1-9])", number, level.text).strip()
        if not label:
            return "", ""
        glued = level.suffix == "nothing" or label.endswith(("、", ".", "．", "）", ")"))
        return label, "" if glued else " "


def bullet_mark(text: str) -> str:
    """The mark of a Word bullet as text: Word's bullet button draws a symbol-font character
    (Wingdings "l" at U+F06C is the filled circle, Symbol U+F0B7 the dot), which means nothing
    outside that font; the common ones become their Unicode marks, any other becomes "•"."""
    mark = text.strip()
    if not mark:
        return "•"
    return _SYMBOL_BULLETS.get(mark, "•" if "\ue000" <= mark[0] <= "\uf8ff" else mark)


def _val(node: Any, child: str) -> str | None:
    element = node.find(f"{_W}{child}")
    return None if element is None else element.get(f"{_W}val")


def _num_pr(paragraph: Any) -> tuple[str | None, int]:
    """numId and level of the paragraph's numbering: its own, else its style's."""
    for owner in (paragraph._p, getattr(paragraph.style, "element", None)):
        p_pr = owner.find(f"{_W}pPr") if owner is not None else None
        num_pr = p_pr.find(f"{_W}numPr") if p_pr is not None else None
        if num_pr is None:
            continue
        num_id = _val(num_pr, "numId")
        if num_id in (None, "0"):
            return None, 0  # numbering switched off on this paragraph
        return num_id, int(_val(num_pr, "ilvl") or 0)
    return None, 0


def format_number(n: int, fmt: str) -> str:
    """One counter in a Word number format (the ones Chinese documents use, and the basics)."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return chinese_number(n)
    if fmt == "chineseLegalSimplified":
        return chinese_number(n).translate(str.maketrans(_DIGITS + "十百千", _LEGAL + "拾佰仟"))
    if fmt in ("ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand"):
        return "".join(_DIGITS[int(d)] for d in str(n))
    if fmt == "ideographTraditional" and 1 <= n <= 10:
        return _STEMS[n - 1]
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalEnclosedParen" and 1 <= n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("lowerLetter", "upperLetter") and n >= 1:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt in ("lowerRoman", "upperRoman") and 1 <= n < 4000:
        roman = _roman(n)
        return roman.lower() if fmt == "lowerRoman" else roman
    return str(n)


def chinese_number(n: int) -> str:
    """一 … 十, 十一, 二十, 一百零五 — the counting form 第X条 uses (n < 10000)."""
    from assistant.outline import to_cn

    return to_cn(n) if 0 < n < 10000 else str(n)


def _roman(n: int) -> str:
    out = ""
    for value, symbol in (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ):
        while n >= value:
            out += symbol
            n -= value
    return out
