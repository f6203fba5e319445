"""The question vocabulary (`lexicon.yaml`), loaded once and compiled.

Everything here is general Chinese or general policy-document vocabulary; what one document
calls things comes from the document itself (see `route` and `metadata`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

_SOURCE = Path(__file__).with_name("lexicon.yaml")


@dataclass(frozen=True)
class AskedKind:
    name: str
    asks: re.Pattern[str]  # a question asking for this kind
    states: re.Pattern[str]  # a sentence stating one
    noun: str  # what a unit lacks when it states none ("金额"); empty: never said


@dataclass(frozen=True)
class Lexicon:
    question_words: frozenset[str]
    function_tags: tuple[str, ...]
    kinds: tuple[AskedKind, ...]  # in priority order
    which_article: re.Pattern[str]
    validity: re.Pattern[str]
    draft: re.Pattern[str]
    draft_mark: re.Pattern[str]  # 草稿/征求意见: a draft question only with a yes/no cue
    yes_no: re.Pattern[str]
    asking: re.Pattern[str]  # a clause with one of these asks something
    noun_tags: tuple[str, ...]
    whole: re.Pattern[str]
    extreme: re.Pattern[str]  # group 1: the top end, group 2: the bottom end
    tier: re.Pattern[str]
    bound_high: re.Pattern[str]
    bound_low: re.Pattern[str]
    every_benefit: re.Pattern[str]
    wants_list: re.Pattern[str]
    follow_up: re.Pattern[str]  # anchored at the start
    across_documents: re.Pattern[str]
    validity_unit: re.Pattern[str]
    validity_sentence: re.Pattern[str]
    levels: tuple[str, ...]
    level: re.Pattern[str]  # group 1: the level word
    level_document: re.Pattern[str]  # "自治区级的那个办法"
    document_noun: re.Pattern[str]  # 办法/措施/意见 …: what ends a document's (or a part's) name
    named_by_kind: re.Pattern[str]  # "措施里" / "那个办法中": a document named by its kind only
    part_pointer: re.Pattern[str]  # 那篇/这部分: what ends a part's name written without a document noun
    comparison: re.Pattern[str]  # "…和…分别": a question about more than one document
    anaphora: re.Pattern[str]  # 它/其/该项: the previous turn's subject
    ordinal: re.Pattern[str]  # 第三年 / 第二档; group 1: the measure
    turn_asking: re.Pattern[str]  # a turn that asks something (else, with figures, a statement)
    self_reference: re.Pattern[str]  # 我们/本公司: the asker speaking of themselves
    narrowing: re.Pattern[str]  # 其中…那条: one part of what was just quoted
    reckon: re.Pattern[str]  # 能拿多少 / 够不够: a question to reckon with figures
    days_asked: re.Pattern[str]  # 还有几天到期: a count of days of a validity
    days_whole: re.Pattern[str]  # 从实施到到期总共几天: the whole span, not the days left
    benefit_nouns: tuple[str, ...]  # 奖励/补贴: what a policy grants
    benefit_verbs: frozenset[str]
    title_without_quotes: re.Pattern[str]
    demonstratives: tuple[str, ...]  # 那个/这份: a document already in mind
    inside_document: re.Pattern[str]  # after a document's name: its contents are asked
    listed_asked: re.Pattern[str]  # "哪些材料": a list of things asked, the thing in group 1
    not_places: frozenset[str]
    synonyms: tuple[tuple[str, str], ...]
    equivalents: dict[str, tuple[str, ...]]  # word → the others of its group

    def kind(self, name: str) -> AskedKind:
        return next(k for k in self.kinds if k.name == name)


def _any(alternatives: list[str]) -> str:
    return "|".join(alternatives)


def _words(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in words)


@cache
def lexicon() -> Lexicon:
    data = yaml.safe_load(_SOURCE.read_text(encoding="utf-8"))
    cues = data["cues"]
    levels = tuple(data["levels"])
    return Lexicon(
        question_words=frozenset(data["question_words"].split()),
        function_tags=tuple(data["function_tags"]),
        kinds=tuple(
            AskedKind(
                name, re.compile(_any(spec["asks"])), re.compile(_any(spec["states"])), spec.get("noun", "")
            )
            for name, spec in data["asked_kinds"].items()
        ),
        which_article=re.compile(_any(cues["which_article"])),
        validity=re.compile(_any(cues["validity"])),
        draft=re.compile(_any(cues["draft"])),
        draft_mark=re.compile(_any(cues["draft_mark"])),
        yes_no=re.compile(_any(cues["yes_no"])),
        asking=re.compile(_any(cues["asking"])),
        noun_tags=tuple(data["noun_tags"]),
        whole=re.compile(_any(cues["whole"])),
        extreme=re.compile(f"({_any(cues['extreme_high'])})|({_any(cues['extreme_low'])})"),
        tier=re.compile(_any(cues["tier"])),
        bound_high=re.compile(_any(cues["bound_high"])),
        bound_low=re.compile(_any(cues["bound_low"])),
        every_benefit=re.compile(_any(cues["every_benefit"])),
        wants_list=re.compile(_any(cues["list"])),
        follow_up=re.compile(f"^({_any(cues['follow_up'])})"),
        across_documents=re.compile(_any(cues["across_documents"])),
        comparison=re.compile(_any(cues["comparison"])),
        anaphora=re.compile(
            _any(cues["anaphora"])
            # a filler "那个，…" points at nothing
            + f"|(?:{_words(data['demonstratives'])})(?!{_words(data['document_nouns'])}|[，,、\\s]|$)"
        ),
        ordinal=re.compile(_any(cues["ordinal"])),
        turn_asking=re.compile(_any(cues["turn_asking"])),
        self_reference=re.compile(_any(cues["self_reference"])),
        narrowing=re.compile(_any(cues["narrowing"])),
        reckon=re.compile(_any(cues["reckon"])),
        days_asked=re.compile(_words(cues["days_asked"])),
        days_whole=re.compile(_words(cues["days_whole"])),
        benefit_nouns=tuple(cues["benefit_nouns"]),
        benefit_verbs=frozenset(cues["benefit_verbs"]),
        validity_unit=re.compile(_any(data["validity_unit"])),
        validity_sentence=re.compile(_any(data["validity_sentence"])),
        levels=levels,
        level=re.compile(f"({_words(list(levels))})"),
        level_document=re.compile(
            f"({_words(list(levels))})的?({_words(data['demonstratives'])})?({_words(data['document_nouns'])})"
        ),
        document_noun=re.compile(_words(data["document_nouns"])),
        named_by_kind=re.compile(
            f"(?:{_words(data['demonstratives'])})?(?:{_words(data['document_nouns'])})(?:里面|里|中|上)?的?"
        ),
        part_pointer=re.compile(_any(data["part_pointers"])),
        title_without_quotes=re.compile(
            rf"[\u4e00-\u9fff]{{8,}}(?:{_words(data['title_endings'])})(?:[（(]试行[)）])?"
        ),
        demonstratives=tuple(data["demonstratives"]),
        listed_asked=re.compile(f"(?:哪些|什么|啥)(?:申报|申请|证明)?({_words(data['listed_nouns'])})"),
        inside_document=re.compile(f"^(?:{_words(data['inside_document'])})"),
        not_places=frozenset(data["not_places"]),
        synonyms=tuple((a, b) for a, b in data["synonyms"]),
        equivalents={w: tuple(o for o in group if o != w) for group in data["equivalents"] for w in group},
    )
