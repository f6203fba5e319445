"""Which answer line rests on which citation, and which sentence of a citation is the operative one.

The answer text comes from the chain as plain lines; the chain does not (yet) say which line
came from which unit. The web layer recovers that from what the lines themselves name (an
LLM composer's line its 【doc_id 条款】 tags, which become markers): a
line that names a cited document (and, where the document is cited twice, the unit's label)
rests on that unit, and a calculator line rests on the unit its tool call cites. Lines that
name nothing inherit nothing, except the first line (the direct answer), which rests on every
cited unit when nothing else claims it. Pure functions, no gradio.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from assistant.llm import CITE_TAG
from assistant.types import Answer, Citation

# A unit whose document ends within this many days is flagged 即将到期 (the window).
EXPIRING_DAYS = 60
# A sentence shares at least this many characters in a row with the answer to be "operative":
# shorter overlaps are words (经济贡献奖励), not the clause the answer relies on.
MIN_OVERLAP = 6
_SENTENCE_END = re.compile(r"(?<=[。；;！？!?\n])")


@dataclass(frozen=True)
class MarkedLine:
    text: str
    marks: tuple[int, ...]  # 1-based citation numbers


def _names(line: str, citation: Citation) -> bool:
    return f"《{citation.title}》" in line or citation.title in line


def _label_in(line: str, label: str) -> bool:
    """The label as a whole label: 二（二）5 must not match inside 二（二）50."""
    return re.search(re.escape(label) + r"(?![0-9（(])", line) is not None


def mark_lines(answer: Answer) -> list[MarkedLine]:
    """Each answer line with the citation numbers it rests on (none for blank lines)."""
    citations = answer.citations
    tool_units: dict[str, set[tuple[str, str]]] = {}
    for tool in answer.tools:
        out = tool.output or {}
        unit = (str(out.get("doc_id") or ""), str(out.get("article") or ""))
        for text in [out.get("verdict"), *(out.get("lines") or [])]:
            if text and unit[0]:
                tool_units.setdefault(str(text).strip(), set()).add(unit)
    lines = answer.answer.split("\n")
    marked: list[MarkedLine] = []
    numbers = {(c.doc_id, c.article): i + 1 for i, c in enumerate(citations)}
    for line in lines:
        marks: list[int] = []
        # An LLM composer's line names its units as 【doc_id 条款】 (assistant.llm): a marker.
        tags = [(m, numbers.get((m.group(1), m.group(2)))) for m in CITE_TAG.finditer(line)]
        for match, number in reversed(tags):
            if number is not None:
                line = line[: match.start()] + line[match.end() :]
        marks += [n for _, n in tags if n is not None]
        if line.strip():
            named = [i for i, c in enumerate(citations) if _names(line, c)]
            for i in named:
                same_doc = [j for j in named if citations[j].doc_id == citations[i].doc_id]
                labelled = [j for j in same_doc if _label_in(line, citations[j].article)]
                if i in labelled or not labelled:
                    marks.append(i + 1)
            for doc_id, article in tool_units.get(line.strip(), ()):
                marks += [i + 1 for i, c in enumerate(citations) if (c.doc_id, c.article) == (doc_id, article)]
        marked.append(MarkedLine(line, tuple(dict.fromkeys(marks))))
    if answer.answered and citations:
        first = next((k for k, m in enumerate(marked) if m.text.strip()), None)
        if first is not None and not marked[first].marks:
            claimed = {n for m in marked for n in m.marks}
            # The direct answer rests on the units the rest of the text cites, else on all of them.
            rests = tuple(sorted(claimed)) or tuple(range(1, len(citations) + 1))
            marked[first] = MarkedLine(marked[first].text, rests)
    return marked


def cited_numbers(marked: Sequence[MarkedLine], count: int) -> list[int]:
    """Citation numbers in the order the answer first cites them, then any never cited."""
    order = [n for m in marked for n in m.marks]
    return list(dict.fromkeys([*order, *range(1, count + 1)]))


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE_END.split(text) if s.strip()]


def operative_sentence(citation: Citation, answer_text: str) -> str | None:
    """The sentence of the unit that shares the longest run of characters with the direct
    answer (the first line), else with the whole answer: notes quoting a side remark must not
    outrank the clause the answer states."""
    lines = [line for line in answer_text.split("\n") if line.strip()]
    for target in ([lines[0]] if lines else []) + [answer_text]:
        best, best_len = None, 0
        for sentence in sentences(citation.text):
            matcher = SequenceMatcher(None, sentence, target, autojunk=False)
            size = matcher.find_longest_match(0, len(sentence), 0, len(target)).size
            if size > best_len:
                best, best_len = sentence, size
        if best_len >= MIN_OVERLAP:
            return best
    return None


def badges(citation: Citation, today: dt.date) -> list[str]:
    """Status words for a card: its status, plus 即将到期 when it ends within EXPIRING_DAYS."""
    words: list[str] = [citation.status]
    if citation.status in ("in_force", "draft") and citation.valid_until:
        try:
            end = dt.date.fromisoformat(citation.valid_until)
        except ValueError:
            return words
        if 0 <= (end - today).days <= EXPIRING_DAYS:
            words.append("expiring")
    return words
