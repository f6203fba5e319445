"""A compilation's parts: a 政策汇编 bundles policies as 第一篇, 第二篇 …, each numbering its own
articles from 第一条 (labels 第一篇第三条). Each part is a policy of its own: its title names it
as a title names a document ("入驻扶持暂行办法第五条" is the 第五条 of that part only), and its own
施行 article says when it applies. Read from the units' labels and headings, never from code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from assistant import outline
from assistant.lexicon import lexicon
from assistant.route import ArticleRef, Intent
from assistant.types import Chunk, DocumentMeta

_VOLUMES = ("pian", "bian")
_NAME_BEFORE = re.compile(r"[\u4e00-\u9fff]{0,16}$")
# a part is named when its title explains at least this many more characters of the name than
# any other part's title (the place and 暂行 two parts share decide nothing)
_MARGIN = 2


@dataclass(frozen=True)
class Part:
    doc_id: str
    label: str  # 第一篇
    step: outline.Step
    title: str  # its own heading's title; '' when the compilation writes none
    units: tuple[Chunk, ...]


def parts_of(units: Sequence[Chunk]) -> tuple[Part, ...]:
    """The parts of a document whose articles restart under each 篇/编 (their labels carry the
    part: 第二篇第三条); () for any other document."""
    groups: dict[outline.Step, list[Chunk]] = {}
    for unit in units:
        path = outline.label_path(unit.article)
        if len(path) >= 2 and path[0][0] in _VOLUMES and path[1][0] == "tiao":
            groups.setdefault(path[0], []).append(unit)
    if len(groups) < 2:
        return ()
    return tuple(
        Part(chunks[0].doc_id, outline.render_label((step,)), step, _heading_title(chunks[0], step), tuple(chunks))
        for step, chunks in groups.items()
    )


def _heading_title(unit: Chunk, step: outline.Step) -> str:
    """"第一篇 某市…暂行办法 / 第一章 总则" → 某市…暂行办法."""
    heading = unit.chapter.split(" / ")[0].strip()
    label = outline.render_label((step,))
    return heading[len(label):].strip() if heading.startswith(label) else ""


def named_parts(question: str, parts: Sequence[Part]) -> tuple[Part, ...]:
    """The parts a question names by a name ending in a document noun (办法, 措施 …) whose
    characters run in order through one part's title and clearly fewer through any other's:
    "入驻扶持办法", "发展奖励暂行办法", the full title. "那两个暂行办法" names none."""
    return tuple(dict.fromkeys(part for part, _ in _names(question, parts)))


def _names(question: str, parts: Sequence[Part]) -> list[tuple[Part, str]]:
    """(part, the words naming it) for each part name in the question."""
    titled = [p for p in parts if p.title]
    if len(titled) < 2:
        return []
    found: list[tuple[Part, str]] = []
    for noun in lexicon().document_noun.finditer(question):
        before = _NAME_BEFORE.search(question[: noun.start()])
        name = before.group(0) if before else ""
        reach = {p: _explained(name, noun.group(0), p.title) for p in titled}
        best = max(reach.values())
        leaders = [p for p, n in reach.items() if n == best]
        runner_up = max((n for n in reach.values() if n < best), default=-1)
        if len(leaders) == 1 and best >= 2 and best - runner_up >= _MARGIN:
            found.append((leaders[0], name[len(name) - best :] + noun.group(0)))
    return found


def _explained(name: str, noun: str, title: str) -> int:
    """How many characters before `noun`, counted back from it, run in order through `title`
    together with the noun; -1 when the title does not end its name with the noun."""
    for k in range(len(name), -1, -1):
        rest = iter(title)
        if all(ch in rest for ch in name[len(name) - k :] + noun):
            return k
    return -1


def part_units(doc_id: str, named: Sequence[tuple[str, str]], units: Sequence[Chunk]) -> Sequence[Chunk]:
    """A document's units within the parts a question named (all of them when it named none)."""
    labels = [label for d, label in named if d == doc_id]
    if not labels:
        return units
    inside = [u for u in units if any(outline.is_within(u.article, label) for label in labels)]
    return inside or units


def part_meta(meta: DocumentMeta, part: Part) -> DocumentMeta:
    """The compilation's metadata with the part's own 施行 and end dates, as its text states them."""
    from assistant.metadata import validity

    valid_from, valid_until, rule = validity("\n".join(u.text for u in part.units), meta.issue_date)
    if valid_from is None and valid_until is None:
        return meta
    return replace(meta, valid_from=valid_from, valid_until=valid_until, validity_rule=rule)


def part_name(part: Part) -> str:
    """How an answer names a part: 第一篇《某市…暂行办法》."""
    return f"{part.label}《{part.title}》" if part.title else part.label


def within_parts(intent: Intent, by_doc: Mapping[str, Sequence[Chunk]]) -> Intent:
    """The question with the parts it names: an article it names without a part ("第五条") is
    that part's article (第一篇第五条), its 最后一条 the part's last; a reference already naming a
    part, or a section (序言), stays as written."""
    names = [found for d in intent.doc_ids for found in _names(intent.question, parts_of(by_doc.get(d, ())))]
    if not names:
        return intent
    named = tuple(dict.fromkeys(part for part, _ in names))
    # a part's name picks its units, as a document's title does; it is no word to search for
    topic = intent.topic
    for _, words in names:
        # the topic has lost the document's own names (its place) already: strip what is left
        tail = next((words[k:] for k in range(len(words)) if words[k:] in topic), "")
        topic = topic.replace(tail, " ") if len(tail) > 2 else topic
    articles: list[ArticleRef] = []
    for ref in intent.articles:
        steps = ref.ref.steps
        if ref.kind == "last":  # "…暂行办法最后一条": the part's own last article
            articles.extend(_naming(part.units[-1].article, ref) for part in named)
            continue
        if ref.kind != "unit" or not steps or steps[0][0] in (*outline.CONTAINERS, "section"):
            articles.append(ref)
            continue
        articles.extend(_naming(outline.render_label((part.step, *steps)), ref) for part in named)
    return replace(intent, topic=re.sub(r"\s+", " ", topic).strip(), articles=tuple(dict.fromkeys(articles)),
                   parts=tuple((p.doc_id, p.label) for p in named))


def _naming(label: str, written: ArticleRef) -> ArticleRef:
    """A reference to `label`, keeping where the question wrote it."""
    ref = written.ref
    return ArticleRef(label, "unit", outline.Reference(ref.text, outline.label_path(label), "", ref.start, ref.end))
