"""The small frozen records that pass between stages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

Status = Literal["draft", "in_force", "expired", "superseded"]
Via = Literal["exact", "bm25", "dense", "fused"]


@dataclass(frozen=True)
class DocumentMeta:
    doc_id: str
    title: str
    doc_number: str | None = None  # 文号, e.g. 桂人社规〔2021〕1号
    issuer: str | None = None
    issue_date: dt.date | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None
    is_draft: bool = False
    draft_label: str | None = None  # e.g. 第三稿
    supersedes: tuple[str, ...] = ()
    places: tuple[str, ...] = ()  # place names the document is about (routing, refusal)
    validity_rule: str | None = None  # how a derived 施行/end date was counted (有效期5年 …)
    # Filled by the index from the other documents' "…同时废止" (a supersession link).
    superseded_by: str | None = None

    def status(self, today: dt.date, superseded_by: str | None = None) -> Status:
        if superseded_by or self.superseded_by:
            return "superseded"
        if self.is_draft:
            return "draft"
        if self.valid_until is not None and self.valid_until < today:
            return "expired"
        return "in_force"

    def expiring(self, today: dt.date, within_days: int = 60) -> bool:
        """In force today and ending within `within_days` (将于…到期)."""
        return self.valid_until is not None and 0 <= (self.valid_until - today).days <= within_days

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "doc_number": self.doc_number,
            "issuer": self.issuer,
            "issue_date": _iso(self.issue_date),
            "valid_from": _iso(self.valid_from),
            "valid_until": _iso(self.valid_until),
            "is_draft": self.is_draft,
            "draft_label": self.draft_label,
            "supersedes": list(self.supersedes),
            "places": list(self.places),
            "validity_rule": self.validity_rule,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DocumentMeta:
        return cls(
            doc_id=data["doc_id"],
            title=data["title"],
            doc_number=data.get("doc_number"),
            issuer=data.get("issuer"),
            issue_date=_date(data.get("issue_date")),
            valid_from=_date(data.get("valid_from")),
            valid_until=_date(data.get("valid_until")),
            is_draft=bool(data.get("is_draft")),
            draft_label=data.get("draft_label"),
            supersedes=tuple(data.get("supersedes") or ()),
            places=tuple(data.get("places") or ()),
            validity_rule=data.get("validity_rule"),
            superseded_by=data.get("superseded_by"),  # not in a manifest's meta: the index links them
        )


@dataclass(frozen=True)
class Document:
    meta: DocumentMeta
    text: str  # cleaned full text, paragraphs separated by "\n"
    source: str  # path it was read from
    sha256: str  # of the raw bytes


@dataclass(frozen=True)
class Chunk:
    doc_id: str
    article: str  # 第五条 | 二（二）5 | 序言 | 附则
    text: str  # the article's own text, as in the document
    chapter: str = ""  # 第二章 申报认定 | 二、工作措施 / （二）支持产业园高质量发展
    title: str = ""  # the document's title
    order: int = 0  # position in the document

    @cached_property
    def chunk_id(self) -> str:
        import hashlib

        digest = hashlib.sha256(f"{self.doc_id}\x1f{self.article}\x1f{self.text}".encode())
        return f"{self.doc_id}:{self.order}:{digest.hexdigest()[:16]}"

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "article": self.article,
            "text": self.text,
            "chapter": self.chapter,
            "title": self.title,
            "order": self.order,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Chunk:
        return cls(
            doc_id=data["doc_id"],
            article=data["article"],
            text=data["text"],
            chapter=data.get("chapter", ""),
            title=data.get("title", ""),
            order=int(data.get("order", 0)),
        )


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float
    via: Via


@dataclass(frozen=True)
class Citation:
    doc_id: str
    title: str
    article: str
    text: str
    status: Status
    doc_number: str | None = None
    valid_from: str | None = None
    valid_until: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "doc_number": self.doc_number,
            "article": self.article,
            "text": self.text,
            "status": self.status,
            "valid_from": self.valid_from,
            "valid_until": self.valid_until,
        }


@dataclass(frozen=True)
class ToolCall:
    name: str
    input: dict[str, Any]
    output: dict[str, Any]


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    answered: bool
    citations: tuple[Citation, ...] = ()
    tools: tuple[ToolCall, ...] = ()
    warnings: tuple[str, ...] = ()
    latency_ms: float = 0.0
    id: str | None = None
    notes: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "answer": self.answer,
            "answered": self.answered,
            "citations": [c.to_json() for c in self.citations],
            "tools": [{"name": t.name, "input": t.input, "output": t.output} for t in self.tools],
            "warnings": list(self.warnings),
            "latency_ms": round(self.latency_ms, 1),
            **({"notes": self.notes} if self.notes else {}),
        }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    return dt.date.fromisoformat(str(value))
