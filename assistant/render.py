"""Render: an answer's text, citations and status warnings, in clean Chinese.

The direct answer comes first, then where it comes from (依据《title》（文号）label：“quote”),
then warnings about the cited documents' status (draft, expired, replaced)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from assistant.types import Answer, Chunk, Citation, DocumentMeta, Status, ToolCall

STATUS_WORDS: dict[Status, str] = {"draft": "草案", "in_force": "现行", "expired": "已失效", "superseded": "已被替代"}


def citation_for(chunk: Chunk, meta: DocumentMeta, today: dt.date) -> Citation:
    return Citation(
        doc_id=chunk.doc_id,
        title=meta.title,
        article=chunk.article,
        text=chunk.text,
        status=meta.status(today),
        doc_number=meta.doc_number,
        valid_from=meta.valid_from.isoformat() if meta.valid_from else None,
        valid_until=meta.valid_until.isoformat() if meta.valid_until else None,
    )


def source_line(meta: DocumentMeta, article: str) -> str:
    number = f"（{meta.doc_number}）" if meta.doc_number else ""
    return f"依据《{meta.title}》{number}{article}"


def cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def status_warnings(
    metas: Sequence[DocumentMeta], today: dt.date, documents: Mapping[str, DocumentMeta] | None = None
) -> list[str]:
    warnings = []
    for meta in dict.fromkeys(metas):
        newer = (documents or {}).get(meta.superseded_by or "")
        if newer is not None:
            number = f"（{newer.doc_number}）" if newer.doc_number else ""
            warnings.append(f"注意：《{meta.title}》已被《{newer.title}》{number}替代，请以新文件为准。")
        if meta.is_draft:
            warnings.append(
                f"注意：《{meta.title}》标注为{meta.draft_label or '草案'}，是草案而非正式发布文本，"
                "内容以正式印发版本为准。"
            )
        if meta.valid_until and meta.valid_until < today:
            warnings.append(f"注意：《{meta.title}》有效期至{cn_date(meta.valid_until)}，已失效。")
        elif meta.valid_until and meta.expiring(today):
            warnings.append(f"注意：《{meta.title}》将于{cn_date(meta.valid_until)}到期。")
        elif meta.valid_from and meta.valid_from > today:
            warnings.append(f"注意：《{meta.title}》自{cn_date(meta.valid_from)}起施行，尚未生效。")
    return warnings


# A refusal names what the corpus holds; a park's library of hundreds of documents is
# summarised (its size and the first few) rather than pasted into every refusal.
LISTED_DOCUMENTS = 8


def describe_corpus(documents: Mapping[str, DocumentMeta]) -> str:
    metas = list(documents.values())
    names = "；".join(
        f"《{m.title}》" + (f"（{m.doc_number}）" if m.doc_number else "") for m in metas[:LISTED_DOCUMENTS]
    )
    if len(metas) > LISTED_DOCUMENTS:
        return f"现有资料共{len(metas)}份文件，包括：{names}等。"
    return f"现有资料只包含：{names}。"


def refusal(question: str, reason: str, documents: Mapping[str, DocumentMeta]) -> Answer:
    return Answer(
        question=question,
        answer=f"未找到相关规定：{reason}{describe_corpus(documents)}请换个问法，或咨询当地人力资源社会保障部门。",
        answered=False,
        notes={"refusal": reason},
    )


def answered(
    question: str,
    text: str,
    cited: Sequence[Chunk],
    documents: Mapping[str, DocumentMeta],
    today: dt.date,
    tools: Sequence[ToolCall],
) -> Answer:
    """The answer with its citations (each unit once, in order) and status warnings."""
    metas = [documents[c.doc_id] for c in cited]
    warnings = status_warnings(metas, today, documents)
    body = text + ("\n\n" + "\n".join(warnings) if warnings else "")
    return Answer(
        question=question,
        answer=body.strip(),
        answered=True,
        citations=tuple(citation_for(c, documents[c.doc_id], today) for c in dict.fromkeys(cited)),
        tools=tuple(tools),
        warnings=tuple(warnings),
    )
