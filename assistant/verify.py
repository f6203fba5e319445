"""Check every policy citation in a text against the index.

For each citation (found by `assistant.citations`): is the document in the corpus (a document
outside it is "not in the corpus", never "false"), does the unit exist (else the document's
nearest real labels), does the quote match the unit's text (exact, or the differences with
changed numbers called out), and what is the document's status on a given date (现行 / 草案 /
即将到期 / 已失效 / 已被替代 and by what).

    report = verify_text(text, index, today)
    report.to_json(); report.render(); report.failed
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from assistant import outline
from assistant.citations import FoundCitation, Mention, UnitRef, find_citations, parse_units
from assistant.errors import AssistantError
from assistant.parts import Part, named_parts, part_meta, parts_of
from assistant.quotes import QuoteCheck, check_quote, closest_unit
from assistant.retrieve import matches_ref
from assistant.route import ArticleRef, named_documents
from assistant.types import Chunk, DocumentMeta

if TYPE_CHECKING:
    from assistant.index import Index

MAX_TEXT_CHARS = 20_000  # one letter or report; the web form, /api/verify and MCP cap input here
EXPIRING_DAYS = 60
STATUS_WORDS = {"in_force": "现行", "draft": "草案", "expired": "已失效", "superseded": "已被替代",
                "expiring": "即将到期"}
_FUZZY_TITLE = 90  # rapidfuzz ratio for a title with a typo or a missing word

DocResult = Literal["found", "not_in_corpus"]
UnitResult = Literal["found", "not_found", "not_cited"]
Verdict = Literal["ok", "warning", "fail", "not_in_corpus"]
VERDICT_WORDS = {"ok": "通过", "warning": "需注意", "fail": "未通过", "not_in_corpus": "无法核验（不在语料库中）"}


class TextTooLong(AssistantError):
    def __init__(self, length: int, limit: int = MAX_TEXT_CHARS) -> None:
        super().__init__(f"文本过长（{length} 字 > {limit} 字）: split it into parts of at most {limit} characters")


@dataclass(frozen=True)
class DocStatus:
    code: str  # in_force | draft | expiring | expired | superseded
    valid_until: dt.date | None = None
    days_left: int | None = None
    superseded_by: DocumentMeta | None = None

    @property
    def word(self) -> str:
        return STATUS_WORDS[self.code]

    def to_json(self) -> dict[str, Any]:
        by = self.superseded_by
        return {"code": self.code, "word": self.word,
                "valid_until": self.valid_until.isoformat() if self.valid_until else None,
                "days_left": self.days_left,
                "superseded_by": {"doc_id": by.doc_id, "title": by.title, "doc_number": by.doc_number}
                if by else None}

    def render(self) -> str:
        text = self.word
        if self.superseded_by is not None:
            by = self.superseded_by
            name = f"《{by.title}》{f'（{by.doc_number}）' if by.doc_number else ''}"
            if self.code == "superseded":
                text += f"，由{name}替代"
            elif by.is_draft:
                text += f"；草案{name}拟替代本文件"
            elif by.valid_from is not None:
                text += f"；{by.valid_from.isoformat()}起由{name}替代"
        if self.valid_until is not None:
            left = f"，剩{self.days_left}天" if self.days_left is not None and self.days_left >= 0 else ""
            text += f"（有效期至{self.valid_until.isoformat()}{left}）"
        return text


@dataclass(frozen=True)
class CitationCheck:
    cited: str  # the citation as written
    start: int
    end: int
    document: DocResult
    doc_id: str | None = None
    title: str | None = None
    doc_number: str | None = None
    unit: UnitResult = "not_cited"
    label: str | None = None  # the unit as normalised (第五条（三）)
    unit_text: str = ""
    nearest: tuple[str, ...] = ()  # real labels near a unit that does not exist
    labels: str = ""  # the document's first and last label, for a unit that does not exist
    quote: QuoteCheck | None = None
    status: DocStatus | None = None
    problems: tuple[str, ...] = ()
    verdict: Verdict = "ok"

    def to_json(self) -> dict[str, Any]:
        return {"cited": self.cited, "start": self.start, "end": self.end,
                "document": self.document, "doc_id": self.doc_id, "title": self.title,
                "doc_number": self.doc_number, "unit": self.unit, "label": self.label,
                "unit_text": self.unit_text, "nearest": list(self.nearest), "labels": self.labels,
                "quote": self.quote.to_json() if self.quote else None,
                "status": self.status.to_json() if self.status else None,
                "problems": list(self.problems), "verdict": self.verdict,
                "verdict_word": VERDICT_WORDS[self.verdict]}

    def render(self) -> str:
        mark = {"ok": "✓", "warning": "!", "fail": "✗", "not_in_corpus": "?"}[self.verdict]
        lines = [f"{mark} {self.cited} — {VERDICT_WORDS[self.verdict]}"]
        if self.document == "not_in_corpus":
            lines.append("   文件：不在语料库中，无法核对条款和引文")
            return "\n".join(lines)
        number = f"（{self.doc_number}）" if self.doc_number else ""
        status = f" · {self.status.render()}" if self.status else ""
        lines.append(f"   文件：《{self.title}》{number}{status}")
        if self.unit == "found":
            lines.append(f"   条款：{self.label} 存在")
        elif self.unit == "not_found":
            near = f"；相近条款：{'、'.join(self.nearest)}" if self.nearest else ""
            lines.append(f"   条款：该文件没有{self.label}（现有{self.labels}）{near}")
        if self.quote is not None:
            lines.append(f"   引文：{_quote_line(self.quote)}")
        lines.extend(f"   问题：{p}" for p in self.problems)
        return "\n".join(lines)


def _quote_line(q: QuoteCheck) -> str:
    where = f"（见该文件{q.found_in}）" if q.found_in else ""
    if q.result == "exact":
        return f"与原文一致{where}"
    if q.result == "differs":
        also = q.alternative_figures()
        tail = f"（同样相近的原文还有：{'、'.join(f'“{a}”' for a in also)}）" if also else ""
        return f"与原文不同{where} — " + "；".join(d.render() for d in q.differences) + tail
    return f"原文中没有这段文字{where}"


@dataclass(frozen=True)
class VerifyReport:
    date: dt.date
    citations: tuple[CitationCheck, ...]

    @property
    def failed(self) -> bool:
        return any(c.verdict == "fail" for c in self.citations)

    def counts(self) -> dict[str, int]:
        return {v: sum(c.verdict == v for c in self.citations) for v in VERDICT_WORDS}

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "counts": self.counts(), "failed": self.failed,
                "citations": [c.to_json() for c in self.citations]}

    def render(self) -> str:
        if not self.citations:
            return f"引用核验（{self.date.isoformat()}）：没有找到引用（用《标题》或文号加条款，如《…办法》第五条）"
        counts = self.counts()
        summary = "，".join(f"{VERDICT_WORDS[v]} {n}" for v, n in counts.items() if n)
        head = f"引用核验（{self.date.isoformat()}）：{len(self.citations)} 处引用 — {summary}"
        return "\n".join([head, *(f"{i}. {c.render()}" for i, c in enumerate(self.citations, 1))])


# ---------------------------------------------------------------- documents


def _norm_title(title: str) -> str:
    title = unicodedata.normalize("NFKC", title)
    title = re.sub(r"[\s<>〈〉《》\"“”'‘’]", "", title)
    return re.sub(r"\((第.{1,3}稿|草案|征求意见稿|送审稿)\)$", "", title)


def _norm_number(number: str) -> str:
    return re.sub(r"[\s〔\[【(（〕\]】)）第]", "", unicodedata.normalize("NFKC", number))


def _title_forms(meta: DocumentMeta) -> set[str]:
    core = re.sub(r"^(关于)?(印发)?", "", meta.title)
    core = re.sub(r"的通知$", "", core)
    return {_norm_title(t) for t in (meta.title, core, meta.doc_id) if t}


def _names_in(title: str) -> list[str]:
    """The title as written, and the policy a notice wraps (关于印发〈X〉的通知 → X)."""
    names = [title]
    if m := re.search(r"[<〈]([^<>〈〉]+)[>〉]", title):
        names.append(m.group(1))
    return [_norm_title(n) for n in names]


def _abbreviates(name: str, meta: DocumentMeta) -> bool:
    """A short name (柳州措施) is the title's characters in order once its places are removed."""
    for place in sorted(meta.places, key=len, reverse=True):
        name = name.replace(place, "")
    if len(name) < 2:
        return False
    rest = iter(_norm_title(meta.title))
    return all(ch in rest for ch in name)


def resolve_document(
    mention: Mention, documents: Mapping[str, DocumentMeta], by_doc: Mapping[str, Sequence[Chunk]] | None = None
) -> tuple[str | None, str | None]:
    """(doc_id or None, problem) for a document as named: by 文号, title, wrapped title, a title
    with a small typo, or a short name of a document the text names by place — or, given the
    documents' units, by the title of a policy a compilation bundles (its 第一篇, 第二篇 …)."""
    candidates = named_documents(mention.written, documents)
    if mention.title and by_doc is not None and not any(_title_forms(documents[d]) & set(_names_in(mention.title))
                                                         for d in candidates):
        bundling = [d for d in candidates if cited_part(mention.title, by_doc.get(d, ())) is not None]
        if len(bundling) == 1:
            return _with_number(mention, bundling[0], documents)
    by_number = None
    if mention.doc_number:
        wanted = _norm_number(mention.doc_number)
        by_number = next((d for d, m in documents.items()
                          if m.doc_number and _norm_number(m.doc_number) == wanted), None)
    by_title = None
    if mention.title:
        names = _names_in(mention.title)
        by_title = next((d for d in candidates if _title_forms(documents[d]) & set(names)), None)
        if by_title is None:
            from rapidfuzz import fuzz

            scored = [(max(fuzz.ratio(n, f) for n in names for f in _title_forms(m)), d)
                      for d, m in documents.items()]
            best = max(scored, default=(0.0, None))
            if best[0] >= _FUZZY_TITLE:
                by_title = best[1]
        if by_title is None:
            short = [d for d in candidates if any(_abbreviates(n, documents[d]) for n in names)]
            by_title = short[0] if len(short) == 1 else None
    if by_number and by_title and by_number != by_title:
        other = documents[by_number]
        return by_title, f"文号{mention.doc_number}是《{other.title}》的文号，与标题不符"
    if by_title:
        return _with_number(mention, by_title, documents)
    return by_number, None


def _with_number(mention: Mention, doc_id: str, documents: Mapping[str, DocumentMeta]) -> tuple[str, str | None]:
    """The document a title named, with a problem when the 文号 written beside it is not its own."""
    own = documents[doc_id].doc_number
    if mention.doc_number and own and _norm_number(mention.doc_number) != _norm_number(own):
        return doc_id, f"文号不符：引用写{mention.doc_number}，收录文件为{own}"
    return doc_id, None


def cited_part(title: str, units: Sequence[Chunk]) -> Part | None:
    """The policy of a compilation a citation names by its own title: the full title, or a short
    name that only one part's title explains (see `assistant.parts`); None for any other document."""
    parts = parts_of(units)
    names = set(_names_in(title))
    exact = [p for p in parts if _norm_title(p.title) in names]
    if exact:
        return exact[0]
    named = named_parts(_norm_title(title), parts)
    return named[0] if len(named) == 1 else None


# ---------------------------------------------------------------- units


def _ref(unit: UnitRef) -> ArticleRef:
    return ArticleRef(unit.label, unit.kind)


def _matching(chunks: Sequence[Chunk], ref: ArticleRef) -> list[Chunk]:
    if ref.kind == "annex":
        return [c for c in chunks if c.article == ref.label or c.article.startswith(ref.label)]
    found = [c for c in chunks if matches_ref(c, ref)]
    if not found and ref.kind == "outline":
        # a heading with no text of its own ("二、工作措施"): its items
        found = [c for c in chunks if c.article.startswith(ref.label + "（")]
    return found


def _part_of(text: str, unit: UnitRef) -> str | None:
    """A 项 or 款 inside its article's text: the article is the citable unit (its items and
    paragraphs stay in it), so the part is read from the article."""
    step = ("kuan", int(unit.part)) if unit.kind == "paragraph" else outline.label_path(unit.part)[0]
    return "\n".join(outline.lines_within(text.split("\n"), [step])) or None


def find_unit(chunks: Sequence[Chunk], unit: UnitRef) -> tuple[str, str] | None:
    """(label, text) of the cited unit in one document's chunks, or None."""
    # A 项 or 款 lies inside its article's unit: the grammar would name the whole article, so
    # the part is taken from the article's text below.
    found = [] if unit.kind in ("item", "paragraph") else _matching(chunks, _ref(unit))
    if found:
        return unit.label if len(found) > 1 else found[0].article, "\n".join(c.text for c in found)
    if unit.parent is None:
        return None
    parent = find_unit(chunks, UnitRef(unit.parent.label, unit.parent.label, unit.parent.kind))
    if parent is None:
        return None
    part = _part_of(parent[1], unit)
    return (unit.label, part) if part else None


def nearest_labels(chunks: Sequence[Chunk], label: str, limit: int = 3) -> tuple[str, ...]:
    """The document's labels written most like one it does not have."""
    from rapidfuzz import process

    labels = list(dict.fromkeys(c.article for c in chunks))
    return tuple(m[0] for m in process.extract(label, labels, limit=limit))


def label_span(chunks: Sequence[Chunk]) -> str:
    """"第一条—第十七条（17个条款）": what the document does have."""
    labels = list(dict.fromkeys(c.article for c in chunks))
    return f"{labels[0]}—{labels[-1]}（{len(labels)}个条款）" if labels else "没有条款"


def parse_label(label: str) -> UnitRef | None:
    """One unit as a caller writes it (第5条, 二(二)5, 第五条第（三）项, 附件1)."""
    units = parse_units(label.strip())
    return units[0][1] if units else None


# ---------------------------------------------------------------- status


def document_status(index: Index, doc_id: str, today: dt.date, meta: DocumentMeta | None = None) -> DocStatus:
    """Index.status on `today`, made date-aware where it is not: a replacement replaces only
    once it is in force (not while a draft, not before its 施行 date), a draft past its own
    有效期 is expired, and an in-force document within 60 days of its end is 即将到期. `meta`
    replaces the document's dates with a part's own (a policy of a compilation)."""
    meta = meta or index.documents[doc_id]
    code: str = meta.status(today)
    by_id = index.superseded_by(doc_id)
    by = index.documents[by_id] if by_id else None
    if code == "superseded" and by is not None and (
        by.is_draft or (by.valid_from is not None and by.valid_from > today)
    ):
        code = "in_force"
    days = (meta.valid_until - today).days if meta.valid_until else None
    if code == "in_force" and days is not None and 0 <= days <= EXPIRING_DAYS:
        code = "expiring"
    elif code == "draft" and days is not None and days < 0:
        code = "expired"
    return DocStatus(code, meta.valid_until, days, by)


# ---------------------------------------------------------------- the check


def check_citation(found: FoundCitation, index: Index, today: dt.date, text: str = "") -> CitationCheck:
    cited = text[found.start:found.end] if text else found.written
    doc_id, doc_problem = resolve_document(found.mention, index.documents, index.by_doc)
    if doc_id is None:
        return CitationCheck(cited, found.start, found.end, "not_in_corpus",
                             title=found.mention.title, doc_number=found.mention.doc_number,
                             label=found.unit.label if found.unit else None, verdict="not_in_corpus")
    meta = index.documents[doc_id]
    chunks = index.by_doc.get(doc_id, [])
    part = None
    if found.mention.title and (part := cited_part(found.mention.title, chunks)) is not None:
        chunks = list(part.units)  # 《…入驻扶持暂行办法》第三条: the 第三条 of that policy only
    problems = [doc_problem] if doc_problem else []
    unit_result: UnitResult = "not_cited"
    label = unit_text = None
    nearest: tuple[str, ...] = ()
    span = ""
    if found.unit is not None:
        hit = find_unit(chunks, found.unit)
        if hit is None:
            unit_result, label = "not_found", f"{part.label if part else ''}{found.unit.label}"
            nearest = nearest_labels(chunks, found.unit.label)
            span = label_span(chunks)
            problems.append(f"该文件没有{label}")
        else:
            unit_result, (label, unit_text) = "found", hit
    quote = None
    if found.quote:
        if unit_text is not None:
            quote = check_quote(found.quote, unit_text, [c for c in chunks if c.article != label])
        elif unit_result == "not_cited" and chunks:
            # no unit named: the quote is checked against the unit most like it
            best = closest_unit(found.quote, chunks)
            quote = replace(check_quote(found.quote, best.text), found_in=best.article)
        else:  # a unit that does not exist: does another unit hold the quote?
            quote = check_quote(found.quote, "", chunks)
        if quote.result == "differs":
            numbers = [d for d in quote.differences if d.number]
            also = quote.alternative_figures()
            if numbers and also:
                figures = "、".join(dict.fromkeys(f"“{f}”" for f in (numbers[0].actual, *also)))
                problems.append(f"引文数字“{numbers[0].quoted}”不在原文中；原文相近处为{figures}")
            elif numbers:
                problems.append("引文数字与原文不符：" + "；".join(f"“{d.quoted}”应为“{d.actual}”" for d in numbers))
            else:
                problems.append("引文与原文文字不同")
        elif quote.result == "not_found":
            problems.append("引文不在所引条款中" + (f"（见{quote.found_in}）" if quote.found_in else ""))
    status = document_status(index, doc_id, today, part_meta(meta, part) if part else None)
    if status.code in ("expired", "superseded"):
        problems.append(f"文件{status.render()}")
    verdict: Verdict = "fail" if problems else ("warning" if status.code in ("draft", "expiring") else "ok")
    return CitationCheck(cited, found.start, found.end, "found", doc_id, meta.title, meta.doc_number,
                         unit_result, label, unit_text or "", nearest, span, quote, status, tuple(problems),
                         verdict)


def verify_text(text: str, index: Index, today: dt.date, *, max_chars: int | None = MAX_TEXT_CHARS) -> VerifyReport:
    if max_chars is not None and len(text) > max_chars:
        raise TextTooLong(len(text), max_chars)
    checks = tuple(check_citation(found, index, today, text) for found in find_citations(text))
    return VerifyReport(today, checks)
