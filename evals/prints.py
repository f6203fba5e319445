"""Print held-out policy texts as a PDF and a Word file, and check that each reads as its .txt.

    python -m evals.prints DOCS_DIR OUT_DIR        # OUT_DIR/pdf/<id>.pdf, OUT_DIR/docx/<id>.docx
    python -m evals.prints DOCS_DIR OUT_DIR --check

Issue #11 asks that documents never seen read alike from `.txt`, PDF and Word. The fixtures
(tests/fixtures/make_fixtures.py) are typeset with knowledge of each fixture's shape; this
printer knows nothing of a document: the PDF is the .txt typeset on A4 (STSong-Light, the title
line centred, body paragraphs indented two characters, wrapped by the renderer, a running
header with the title and "- N -" page numbers: real layout line breaks, headers and footers to
remove); the Word file is one paragraph per line, the title in the Title style, short lines
without sentence punctuation (section headings) in Heading 2, labels typed as in the .txt.

`--check` loads every document from the three files and reports, per document, whether the
PDF and Word files give the .txt's unit labels, unit texts (blanks ignored) and metadata; it
exits 1 when any differs. The eval set is then scored on an index built from the prints (see
evals/README.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

_SENTENCE = re.compile(r"[，。；：、！？]")
_BLANKS = re.compile(r"\s+")


def lines_of(source: Path) -> list[str]:
    return [line.strip() for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]


def _is_heading(line: str) -> bool:
    """A short line with no sentence punctuation: a section heading or the title."""
    return len(line) <= 24 and not _SENTENCE.search(line)


def draw_centred(canvas: Any, font: str, size: int, y: float, text: str) -> None:
    """A line of page furniture (running header, page number) centred across an A4 page."""
    from reportlab.lib.pagesizes import A4

    canvas.saveState()
    canvas.setFont(font, size)
    canvas.drawCentredString(A4[0] / 2, y, text)
    canvas.restoreState()


def make_pdf(source: Path, target: Path) -> None:
    from reportlab import rl_config

    rl_config.invariant = 1
    total = _build_pdf(source, target, total=0)
    _build_pdf(source, target, total=total)


def _build_pdf(source: Path, target: Path, total: int) -> int:
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    body = ParagraphStyle("body", fontName=font, fontSize=12, leading=21, wordWrap="CJK",
                          firstLineIndent=24, alignment=TA_JUSTIFY)
    centred = ParagraphStyle("title", parent=body, firstLineIndent=0, alignment=TA_CENTER, fontSize=16,
                             leading=26, spaceAfter=10)
    lines = lines_of(source)
    title = lines[0]
    pages: list[int] = []

    def header(canvas: Any, document: object) -> None:
        draw_centred(canvas, font, 9, A4[1] - 15 * mm, title[:40])

    def footer(canvas: Any, document: object) -> None:
        pages.append(canvas.getPageNumber())
        draw_centred(canvas, font, 10, 12 * mm, f"- {pages[-1]} -")

    frame = Frame(28 * mm, 25 * mm, A4[0] - 54 * mm, A4[1] - 50 * mm, id="body")
    template = PageTemplate("page", frames=[frame], onPage=header, onPageEnd=footer)
    pdf = BaseDocTemplate(str(target), pagesize=A4, pageTemplates=[template], title=source.stem,
                          author="", creator="evals.prints")
    # A table's cells (tab-separated in the .txt) are set apart by two full-width spaces.
    story = [Paragraph(escape(line.replace("\t", "\u3000\u3000")), centred if i == 0 else body)
             for i, line in enumerate(lines)]
    pdf.build(story)
    return max(pages)


def make_docx(source: Path, target: Path) -> None:
    import docx

    document = docx.Document()
    props = document.core_properties
    props.author = props.last_modified_by = "evals.prints"
    props.created = props.modified = dt.datetime(2026, 1, 1)
    props.title = source.stem
    for i, line in enumerate(lines_of(source)):
        style = "Title" if i == 0 else "Heading 2" if _is_heading(line) else None
        document.add_paragraph(line, style=style)
    document.save(str(target))


def print_all(docs: Path, out: Path) -> list[Path]:
    sources = sorted(docs.glob("*.txt"))
    for kind, make in (("pdf", make_pdf), ("docx", make_docx)):
        (out / kind).mkdir(parents=True, exist_ok=True)
        for source in sources:
            make(source, out / kind / f"{source.stem}.{kind}")
    return sources


def differences(source: Path, printed: Path) -> list[str]:
    """What the printed file gives differently from its .txt: labels, unit texts, metadata."""
    from assistant.ingest import load_document
    from assistant.structure import chunk_document

    a, b = load_document(source), load_document(printed)
    ca, cb = chunk_document(a), chunk_document(b)
    out: list[str] = []
    la, lb = [c.article for c in ca], [c.article for c in cb]
    if la != lb:
        out.append(f"labels: {len(la)} in .txt, {len(lb)} in {printed.suffix}; "
                   f"only .txt {sorted(set(la) - set(lb))[:5]}, only {printed.suffix} {sorted(set(lb) - set(la))[:5]}")
    else:
        for x, y in zip(ca, cb, strict=True):
            if _BLANKS.sub("", x.text) != _BLANKS.sub("", y.text):
                out.append(f"text of {x.article} differs")
    ma, mb = a.meta.to_json(), b.meta.to_json()
    for field in sorted(set(ma) - {"doc_id"}):
        va, vb = ma.get(field), mb.get(field)
        if va != vb:
            out.append(f"{field}: {va!r} vs {vb!r}")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("docs", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    sources = print_all(args.docs, args.out)
    if not args.check:
        return 0
    bad = 0
    for source in sources:
        for kind in ("pdf", "docx"):
            diff = differences(source, args.out / kind / f"{source.stem}.{kind}")
            bad += bool(diff)
            print(f"{source.stem} {kind}: {'same units, texts and metadata' if not diff else '; '.join(diff)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
