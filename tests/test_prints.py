"""evals/prints.py: a printer that knows nothing of a document's shape typesets it as a PDF
and a Word file; each reads back as its .txt (units, texts, metadata), and a wrong file is told."""

from __future__ import annotations

from pathlib import Path

import pytest

from evals.prints import differences, print_all

POLICIES = Path(__file__).parent / "fixtures" / "policies"
SHAPES = Path(__file__).parent / "fixtures" / "outline_shapes"


@pytest.mark.parametrize("folder", [POLICIES, SHAPES])
def test_printed_policies_read_as_their_text(folder: Path, tmp_path: Path) -> None:
    sources = print_all(folder, tmp_path)
    assert sources
    for source in sources:
        for kind in ("pdf", "docx"):
            assert differences(source, tmp_path / kind / f"{source.stem}.{kind}") == [], (source.stem, kind)


def test_a_print_of_another_document_is_told_apart(tmp_path: Path) -> None:
    first, second = print_all(POLICIES, tmp_path)[:2]
    found = differences(first, tmp_path / "pdf" / f"{second.stem}.pdf")
    assert any(d.startswith("labels") or d.startswith("text of") for d in found)
    assert any(d.startswith("title") for d in found)
