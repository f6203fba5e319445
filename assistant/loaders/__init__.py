"""Text out of PDF and Word files.

Each file is parsed in a child process with a time and a memory limit (`sandbox.py`); the
parent only cleans what comes back (`pdf.pdf_text`), so a hostile file costs that file and
nothing else. Every failure is a `BadDocument` with a one-line reason.
"""

from __future__ import annotations

from pathlib import Path

from assistant.errors import BadDocument
from assistant.loaders.errors import Refusal
from assistant.loaders.sandbox import Limits, run_parser

PARSED_SUFFIXES = {".pdf": "pdf", ".docx": "docx"}

__all__ = ["PARSED_SUFFIXES", "Limits", "extract_text"]


def extract_text(path: Path, limits: Limits) -> str:
    """The file's text, one line per paragraph as far as the format tells."""
    kind = PARSED_SUFFIXES[path.suffix.lower()]
    try:
        answer = run_parser(kind, path, limits)
    except Refusal as exc:
        raise BadDocument(path, exc.reason) from None
    if kind == "pdf":
        from assistant.loaders.pdf import pdf_text

        return pdf_text([str(page) for page in answer["pages"]])
    return str(answer["text"])
