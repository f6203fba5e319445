"""Tables without rules: cells set apart by blanks, as a PDF's text layer gives a table and as a
.txt pasted from Word lines one up with full-width spaces ("项目　　条件　　标准")."""

from __future__ import annotations

import re

_SENTENCE = re.compile(r"[，。；：]")
# What an empty cell holds.
_PLACEHOLDERS = frozenset("—－-/／无")


def _row_cells(line: str) -> list[str] | None:
    """Cells of a table row: two or more, none a lone character but a placeholder (the spaces
    of "总　则" are layout, not columns), no sentence in them, and not an article or item whose
    label a space sets off ("第九条 本办法…")."""
    from assistant.outline import STRUCTURAL

    cells = line.split()
    if len(cells) < 2 or _SENTENCE.search(line) or STRUCTURAL.match(line.strip()):
        return None
    if any(len(c) == 1 and c not in _PLACEHOLDERS for c in cells):
        return None
    return cells


def table_rows(lines: list[str]) -> list[str]:
    """Consecutive lines that each split at blanks into the same number of cells (three lines
    of two cells, or two lines of three or more) are a table's rows: their gaps become tabs,
    the column breaks a Word table has (ingest writes them " | "). Other lines are unchanged."""
    out = list(lines)
    i = 0
    while i < len(lines):
        first = _row_cells(lines[i])
        j = i
        while first is not None and j < len(lines) and (cells := _row_cells(lines[j])) and len(cells) == len(first):
            j += 1
        if first is not None and j - i >= (3 if len(first) == 2 else 2):
            for k in range(i, j):
                indent = lines[k][: len(lines[k]) - len(lines[k].lstrip())]
                out[k] = indent + "\t".join(lines[k].split())
        i = max(j, i + 1)
    return out
