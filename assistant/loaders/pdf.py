"""PDF: the text layer page by page (in the child process), then page furniture out and
layout line breaks undone (in the parent, pure functions).

What a printed policy adds to its text, and what is taken away here:
- page numbers: "- 3 -", "—3—", "第3页", "第3页 共10页", "3/10", "Page 3 of 10", a bare "3";
- running headers and footers: a line at the top or bottom of most pages (the title, the
  issuer's name, "征求意见稿"), recognised by repetition with the digits ignored;
- line breaks made by the page width: a line that is not indented continues the line before
  it when that line reaches the right margin. A paragraph's first line is indented (公文 style,
  pypdf shows the indent as a leading space), which tells a new paragraph apart even after
  a full line; documents without indents fall back on line width and clean_text's rules.
"""

from __future__ import annotations

import math
import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.loaders.errors import Refusal
from assistant.loaders.tables import table_rows

if TYPE_CHECKING:
    from assistant.outline import Marker

# How many lines at each edge of a page may be furniture.
_EDGE_LINES = 3
_PAGE_NUMBER = re.compile(
    r"^(?:"
    r"[-－—–~]\s*\d{1,4}\s*[-－—–~]"  # - 3 -   —3—
    r"|第\s*\d{1,4}\s*页(?:\s*[,，、/]?\s*共\s*\d{1,4}\s*页)?"  # 第3页  第3页，共10页
    r"|共\s*\d{1,4}\s*页\s*[,，、/]?\s*第\s*\d{1,4}\s*页"  # 共10页 第3页
    r"|\d{1,4}\s*/\s*\d{1,4}"  # 3/10
    r"|(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?"  # Page 3 of 10
    r"|\d{1,3}"  # a bare 3
    r")$",
    re.IGNORECASE,
)
_TERMINAL = tuple("。；：！？…”’」』）)")
# Punctuation that closes a clause or a bracket never begins a line in print (禁则); a renderer
# without that rule pushes it to the next line's start, where it can only be the line going on.
_CLOSING = tuple("，。、；：！？）》」』”’")
# Characters whose width Unicode leaves to the font ("A"): a CJK font sets quotes, dashes and
# the ellipsis a full cell wide.
_AMBIGUOUS_WIDE = "“”‘’…—·"
# A paragraph's first line, indented two characters (公文 style), holds two cells fewer.
_INDENT_CELLS = 2.0
# A reply labelled by a short word and a colon ("答：…") under a question.
_REPLY = re.compile(r"^[\u4e00-\u9fff]{1,3}[：:]")


def read_pdf_pages(path: Path, max_pages: int) -> list[str]:
    """The text layer of every page. Runs in the sandboxed child: raises Refusal with the reason."""
    import logging

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, LimitReachedError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    with open(path, "rb") as handle:
        head = handle.read(1024)
        handle.seek(max(0, path.stat().st_size - 2048))
        tail = handle.read()
    if b"%PDF-" not in head:
        raise Refusal("不是 PDF 文件（文件头不对，可能已损坏或扩展名有误）: not a PDF; re-export it")
    if b"%%EOF" not in tail:
        raise Refusal("PDF 文件不完整（缺少文件结尾，可能下载中断）: truncated; download or export it again")
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:  # many "protected" PDFs have an empty user password and only restrict printing
                unlocked = bool(reader.decrypt(""))
            except DependencyError:
                unlocked = False
            if not unlocked:
                raise Refusal("加密文件，需要密码（encrypted PDF）: save an unprotected copy and retry")
        count = len(reader.pages)
    except Refusal:
        raise
    except FileNotDecryptedError as exc:
        raise Refusal("加密文件，需要密码（encrypted PDF）: save an unprotected copy and retry") from exc
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        raise Refusal(f"PDF 文件已损坏，无法读取（{_short(exc)}）: re-export or download it again") from exc
    if count == 0:
        raise Refusal("PDF 没有页面（no pages）: re-export it")
    if count > max_pages:
        raise Refusal(f"页数过多（{count} 页 > {max_pages} 页）: split the file or raise ASSISTANT_MAX_PAGES")
    pages: list[str] = []
    for number, page in enumerate(reader.pages, start=1):
        try:
            # extract_text() quietly returns "" when a stream inflates past pypdf's limit;
            # decoding the contents first tells a decompression bomb from a blank page.
            page.get_contents()
            pages.append(page.extract_text() or "")
        except LimitReachedError as exc:
            raise Refusal(
                f"第{number}页解压后过大（可能是压缩炸弹）: the PDF is damaged or hostile; re-export it"
            ) from exc
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
            raise Refusal(
                f"第{number}页无法解析（{_short(exc)}）: the PDF is damaged; re-export it"
            ) from exc
    if not any(re.search(r"\w", page) for page in pages):
        raise Refusal("没有文本层，需先 OCR（scanned or image-only PDF）: run OCR, then ingest the result")
    return pages


def _short(exc: BaseException) -> str:
    message = str(exc).splitlines()[0][:80] if str(exc) else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def pdf_text(pages: list[str]) -> str:
    """The document's text from its pages' text layers: one line per paragraph."""
    page_lines = [[line for line in page.splitlines() if line.strip()] for page in pages]
    running = running_lines(page_lines)
    body: list[str] = []
    for lines in page_lines:
        body.extend(strip_furniture(lines, running))
    return "\n".join(unwrap(table_rows(body)))




def _key(line: str) -> str:
    """A line as it repeats from page to page: blanks out, every number the same."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", line))


def running_lines(page_lines: list[list[str]]) -> set[str]:
    """Keys of lines that sit at a page edge on at least half the pages (two at least)."""
    if len(page_lines) < 2:
        return set()
    counts: dict[str, int] = {}
    for lines in page_lines:
        edge = {_key(line) for line in lines[:_EDGE_LINES] + lines[-_EDGE_LINES:]}
        for key in edge:
            counts[key] = counts.get(key, 0) + 1
    needed = max(2, math.ceil(len(page_lines) / 2))
    return {key for key, n in counts.items() if n >= needed and key.strip("#")}


def strip_furniture(lines: list[str], running: set[str]) -> list[str]:
    """One page's lines without its page number and running header/footer.

    Only lines at the page's edges are candidates, each running line at most once per edge,
    so a body line that happens to read like the header (the title on page 1) stays.
    """
    lines = list(lines)
    for from_top in (True, False):
        seen: set[str] = set()
        for _ in range(_EDGE_LINES):
            if not lines:
                break
            line = lines[0] if from_top else lines[-1]
            key = _key(line)
            if _PAGE_NUMBER.match(line.strip()) or (key in running and key not in seen):
                seen.add(key)
                lines.pop(0 if from_top else -1)
            else:
                break
    return lines


def _width(line: str) -> float:
    """Printed width in CJK character cells: wide characters 1 (quotes and dashes too, as a
    CJK font sets them), the rest about half."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" or ch in _AMBIGUOUS_WIDE else 0.5 for ch in line)


def unwrap(lines: list[str]) -> list[str]:
    """Join lines the page width broke; keep the document's own paragraph breaks.

    Whatever the widths say, a line never continues the one before when it opens a section
    ("1.2 申报条件"), a bulleted item ("● …", "——…") or the next row of a table written as
    lines ("…：奖励80万元" / "年营业收入…"), or a unit of the document's own numbering (问3,
    事项二, 【办理条件】, the next row "3|…" of a table written with bars): clean_text keeps those
    apart in a .txt as well. A figure at a line's start ("1.5万元…") is the sentence going on."""
    from assistant.outline import STRUCTURAL, own_markers

    if not lines:
        return []
    own = own_markers([_bars(line.strip()) for line in lines])
    rows = 0  # the number of the row of a table written with bars being read, 0 outside one
    indents = [line[:1].isspace() for line in lines]
    indents_mean_paragraphs = any(indents) and not all(indents)
    widths = sorted(_width(line.strip()) for line in lines)
    full = widths[min(len(widths) - 1, int(len(widths) * 0.9))]
    paragraphs: list[str] = []
    previous = ""
    flush_start = False  # the previous line began its paragraph without the indent of prose
    previous_indented = False
    for line, indented in zip(lines, indents, strict=True):
        text = line.strip()
        room = full - 2.5 - (_INDENT_CELLS if indents_mean_paragraphs and previous_indented else 0.0)
        continues = bool(previous) and (
            text.startswith(_CLOSING)
            or (
                not (indents_mean_paragraphs and indented)
                and _width(previous) >= room
                and not (previous.endswith(_TERMINAL) and STRUCTURAL.match(text))
                and not _opens_line(previous, text, flush_start)
                and not _opens_own_line(paragraphs[-1], previous, text, own(_bars(text)), rows)
            )
        )
        if continues:
            glue = " " if previous[-1:].isascii() and text[:1].isascii() and previous[-1:].isalnum() else ""
            paragraphs[-1] += glue + text
        else:
            paragraphs.append(text)
            marker = own(_bars(text))
            rows = marker.number if marker is not None and marker.kind == "row" else 0
        flush_start = not continues and not (indents_mean_paragraphs and indented)
        previous, previous_indented = text, indented
    return paragraphs


def _bars(line: str) -> str:
    """Column bars as ingest writes them (" | "), so a table's row reads as one."""
    return re.sub(r"\s*[|｜\t]\s*", " | ", line)


def _opens_own_line(paragraph: str, previous: str, text: str, marker: Marker | None, rows: int) -> bool:
    """A unit of the document's own numbering opens a line even after a full one: a heading
    numbered after its word (问3, 事项二) or named last once the line before has ended its sentence,
    a field (【办理条件】) always, a table's next row (its number one more than the row being read),
    the table's first line after prose that ended, a caption (说明：) after a row or an ended
    sentence. A reply labelled after a question ("答：…" after "…？") opens a line too."""
    ended = previous.endswith(_TERMINAL)
    in_row = "|" in _bars(paragraph)
    if marker is None:
        if "|" in _bars(text) and not in_row:
            return ended
        return previous.endswith(("？", "?")) and bool(_REPLY.match(text))
    if marker.kind == "field":
        return True
    if marker.kind == "row":
        return marker.number == rows + 1
    if marker.kind == "caption":
        return ended or in_row
    return ended


def _opens_line(previous: str, text: str, flush_start: bool) -> bool:
    """A section number or a bullet always opens a line. A table's next row only follows a
    line that began its paragraph flush (rows and annex titles are set without the indent of
    prose): a line that ends "…20个" or begins "附件2所列…" inside a paragraph is mid-sentence."""
    from assistant.outline import BULLET, SECTION_NUMBER, breaks_row

    if SECTION_NUMBER.match(text) or BULLET.match(text):
        return True
    return flush_start and breaks_row(previous, text)
