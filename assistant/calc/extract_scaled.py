"""Bars of an annex table scaled for a kind of case, found across a document's units for
assistant.calc.extract: "专业性产业园，园区建筑面积、入驻机构数量和园区营业收入合计三项指标，按照附表1
所列综合性产业园（单一园区）指标的60%执行"; "位于省定欠发达县的综合性产业园，附表1所列园区营业收入合计
指标可以按照80%执行". Each measure named is matched to the table's bar for it, in the column
the sentence names (or the first)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from assistant.calc.extract_text import LEADING_MARK, alt, lexicon, trim
from assistant.calc.extract_types import Cap, Figure, Rule, ScaledBars, Threshold
from assistant.types import Chunk

_SCALED = re.compile(rf"(?P<p>\d+(?:\.\d+)?%|{alt(lexicon()['half_words'])})执行")
# "前款第2项规定的面积标准": which bar of the unit's own items is meant
_ITEM_REF = re.compile(r"(?:前款|上款|本条)?(?:第[一二三四五六七八九十\d]+项)?(?:规定的|所列的?)?")
_ANNEX = re.compile(r"(?:附表|附件)[\d一二三四五六七八九十]*")


def _bigrams(text: str) -> set[str]:
    return {run[i:i + 2] for run in re.findall(r"[\u3400-\u9fff]+", text) for i in range(len(run) - 1)}


def _best(item: str, bars: Sequence[Threshold], where: str) -> Threshold | None:
    """The bar measuring `item`: most characters shared, fewest of its own unshared; of its
    columns, the one sharing most with `where` (the sentence)."""
    if not bars:
        return None
    chars = set(item)
    generic = _bigrams("、".join(lexicon()["variant_generic"]))

    def fit(t: Threshold) -> tuple[int, int, int]:
        own = set(t.subject)
        column = _bigrams(t.applies_to) - generic  # the column the sentence names, else the first
        return len(own & chars), -len(own - chars), len(column & _bigrams(where))

    best = max(bars, key=fit)
    return best if fit(best)[0] >= 2 else None


def scaled_bars(chunks: Sequence[Chunk], rules: Sequence[Rule]) -> list[ScaledBars]:
    labels = {c.article for c in chunks}
    out: list[ScaledBars] = []
    for chunk in chunks:
        text = chunk.text
        for m in _SCALED.finditer(text):
            start = max(text.rfind(c, 0, m.start()) for c in "。；\n") + 1
            sentence = text[start:m.end()]
            annex = _ANNEX.search(sentence)
            if annex is not None and annex.group() in labels:
                # the bars of an annex table, one column each
                bars = [r for r in rules if isinstance(r, Threshold) and r.doc_id == chunk.doc_id
                        and r.unit == annex.group() and r.applies_to]
                target = annex.group()
            elif annex is None and m.group("p") in lexicon()["half_words"]:
                # "分支机构…，前款第2项规定的面积标准和第3项…标准减半执行": the unit's own bars
                bars = [r for r in rules if isinstance(r, Threshold) and r.doc_id == chunk.doc_id
                        and r.unit == chunk.article and r.op in (">=", ">")]
                target = ""
            else:
                continue
            condition, _, rest = sentence.partition("，")
            named = re.split("指标|减半|按照", rest)[0]
            named = named.replace(target, "").replace("所列", "") if target else named
            named = re.sub(r"[一二三四五六七八九十\d]+项$", "", named)
            found: list[Cap] = []
            items = (trim(re.sub(r"标准$", "", _ITEM_REF.sub("", w, count=1))) for w in re.split("[、和及]", named))
            for item in filter(None, items):
                bar = _best(item, bars, sentence)
                if bar is not None and all(b.phrase != bar.phrase or b.of != bar.applies_to for b in found):
                    found.append(Cap(replace(bar.value, label=bar.unit), bar.op, bar.subject, bar.phrase,
                                     bar.applies_to))
            if not found:
                continue
            word = m.group("p")
            factor = Figure(Decimal(word[:-1]) / 100 if word.endswith("%") else Decimal("0.5"), "%", word)
            out.append(ScaledBars(chunk.doc_id, chunk.article, LEADING_MARK.sub("", sentence.strip()),
                                  trim(LEADING_MARK.sub("", condition)), factor, tuple(found)))
    return out
