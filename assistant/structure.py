"""Split a document along its own outline into one chunk per article.

Two shapes occur in policy texts:
- 条-structured: 第X章 headings, 第X条 articles; items （一） and 1． stay inside their 条.
- outline: 一、 / （一） / 1. ; a preamble (序言) before 一、 and a closing paragraph (附则).
Labels follow DESIGN.md: 第五条; 一, 二（一）, 二（二）5, 序言, 附则.
"""

from __future__ import annotations

import re

from assistant.ingest import _CN_NUM
from assistant.types import Chunk, Document

CHUNKER_VERSION = "3"

_CHAPTER = re.compile(rf"^(第[{_CN_NUM}\d]+章)\s*(.*)$")
_ARTICLE = re.compile(rf"^(第[{_CN_NUM}\d]+条)\s*")
_LEVEL1 = re.compile(rf"^([{_CN_NUM}]+)、\s*(.*)$")
_LEVEL2 = re.compile(rf"^（([{_CN_NUM}]+)）\s*(.*)$")
_LEVEL3 = re.compile(r"^(\d+)[．.、]\s*(.*)$")
_CLOSING = re.compile(r"^本(办法|措施|规定|细则|意见|方案|通知)")
# Publication trailers after the last article are not part of it.
_TRAILER = re.compile(r"^(公开方式|抄送|附件|（此件[^）]*）|主题词)")


def chunk_document(doc: Document) -> list[Chunk]:
    paragraphs = doc.text.split("\n")
    if any(_ARTICLE.match(p) for p in paragraphs):
        pieces = _split_articles(paragraphs)
    else:
        pieces = _split_outline(paragraphs)
    return [
        Chunk(
            doc_id=doc.meta.doc_id,
            article=label,
            text="\n".join(body),
            chapter=chapter,
            title=doc.meta.title,
            order=i,
        )
        for i, (label, chapter, body) in enumerate(pieces)
    ]


Piece = tuple[str, str, list[str]]


def _split_articles(paragraphs: list[str]) -> list[Piece]:
    pieces: list[Piece] = []
    chapter = ""
    current: Piece | None = None
    for para in paragraphs:
        if m := _CHAPTER.match(para):
            chapter = f"{m.group(1)} {m.group(2)}".strip()
            current = None
        elif m := _ARTICLE.match(para):
            current = (m.group(1), chapter, [para])
            pieces.append(current)
        elif current is not None:
            if _TRAILER.match(para):
                current = None
            else:
                current[2].append(para)
    return pieces


def _split_outline(paragraphs: list[str]) -> list[Piece]:
    pieces: list[Piece] = []
    first_item = next((i for i, p in enumerate(paragraphs) if _LEVEL1.match(p)), len(paragraphs))
    preamble = [p for p in paragraphs[:first_item] if _is_prose(p)]
    if preamble:
        pieces.append(("序言", "", preamble))

    l1 = l1_heading = l2 = l2_heading = ""
    current: Piece | None = None
    for para in paragraphs[first_item:]:
        if m := _LEVEL1.match(para):
            l1, l1_heading, l2, l2_heading = m.group(1), para, "", ""
            current = (l1, "", [para])
            pieces.append(current)
        elif (m := _LEVEL2.match(para)) and l1:
            l2, l2_heading = f"{l1}（{m.group(1)}）", para
            current = (l2, l1_heading, [para])
            pieces.append(current)
        elif (m := _LEVEL3.match(para)) and l1:
            label = f"{l2 or l1}{m.group(1)}"
            chapter = " / ".join(h for h in (l1_heading, l2_heading) if h)
            current = (label, chapter, [para])
            pieces.append(current)
        elif _CLOSING.match(para):
            current = ("附则", "", [para])
            pieces.append(current)
        elif _TRAILER.match(para):
            current = None
        elif current is not None:
            current[2].append(para)
    # A heading whose content lives entirely in its sub-items ("二、工作措施") is not an article.
    return [p for p in pieces if not _heading_only(p, pieces)]


def _heading_only(piece: Piece, pieces: list[Piece]) -> bool:
    label, _, body = piece
    has_children = any(other[0] != label and other[0].startswith(label) for other in pieces)
    return has_children and len(body) == 1 and not _is_prose(body[0])


def _is_prose(paragraph: str) -> bool:
    """Body text rather than a title line or a draft marker."""
    return "，" in paragraph or "。" in paragraph
