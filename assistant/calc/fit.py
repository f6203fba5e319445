"""The retrieved units a question's own figures fit: ranking help from the rules found at ingest.

"禾源机构营业收入2.8亿，规模奖多少" finds the sibling items of one article with the same words
("（1）…按照以下标准给予奖励：…", "（2）同一档次奖励只享受一次…"); the one holding the tier the
figure falls in is the one to read first. The calculator's own choice (`choose`) decides it, so
retrieval and the computed answer cite the same unit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from assistant.index import Index
from assistant.types import Hit


def fitting_units(question: str, doc_ids: Sequence[str], hits: Sequence[Hit], index: Index,
                  today: dt.date) -> list[tuple[str, str]]:
    """(doc_id, label) of the units whose extracted rules the question's figures fit with a
    result, best first; none when the question gives no figure or no rule fits."""
    from assistant.calc.applied import Ask
    from assistant.calc.choose import choose, rules_of
    from assistant.calc.extracted_answer import asked_figures

    rules = rules_of(index, hits)
    figures = asked_figures(question, today) if rules else None
    if not figures:
        return []
    found = choose(rules, Ask(question, figures, today), hits, list(doc_ids)[:1] if len(doc_ids) == 1 else [],
                   index.by_doc)
    return list(dict.fromkeys((a.rule.doc_id, unit) for a in found if a.result for unit in a.units))
