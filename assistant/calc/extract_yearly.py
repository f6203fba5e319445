"""A standard paid in a share a year ("补贴期限3年：第一年全额补贴，第二年按照50%补贴，第三年按照
30%补贴"; "第一年、第二年按标准全额补贴，第三年按标准的50%补贴"), found in a unit's text for
assistant.calc.extract. Only a schedule starting at the first year, each year named once and in
order, is kept: anything else is not a reading we can be sure of."""

from __future__ import annotations

import re
from decimal import Decimal

from assistant.calc.extract_shares import year_numbers
from assistant.calc.extract_text import alt, lexicon
from assistant.calc.extract_types import Figure

_YEARS = r"第[一二三四五]年(?:、第[一二三四五]年)*"


def _step() -> re.Pattern[str]:
    whole = alt(lexicon()["whole_words"])
    return re.compile(rf"(?P<y>{_YEARS})(?P<mid>[^，。；：%\d第]{{0,14}}?)(?P<s>{whole}|\d+(?:\.\d+)?%)")


def _of_standard(mid: str) -> bool:
    """The words between a year and its share say nothing but "by the standard" ("按标准的",
    "按照"), or nothing at all."""
    lex = lexicon()
    rest = re.sub(alt([*lex["standard_words"], *lex["rate_words"], "的"]), "", mid)
    return not rest.strip()


def yearly_shares(text: str) -> tuple[tuple[tuple[tuple[int, ...], Figure], ...], list[tuple[int, int]]]:
    """The share of the standard paid in each year of a schedule, and the spans read (so that its
    percentages are not read again as rates of their own)."""
    found = list(_step().finditer(text))
    if len(found) < 2:
        return (), []
    steps: list[tuple[tuple[int, ...], Figure]] = []
    for m in found:
        if not _of_standard(m.group("mid")):
            return (), []  # "第一年按照实际缴纳租金的100%": a rate of another sum, read as such
        years = year_numbers(m.group("y"))
        word = m.group("s")
        value = Decimal(1) if not word.endswith("%") else Decimal(word[:-1]) / 100
        steps.append((years, Figure(value, "%", word)))
    named = [y for years, _ in steps for y in years]
    if named != list(range(1, len(named) + 1)):
        return (), []
    return tuple(steps), [m.span() for m in found]
