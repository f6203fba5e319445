"""HTML and text for the web app: pure functions from package records to markup.

Nothing here imports gradio, so it is tested directly. Every piece of document or user text
goes through `html.escape`; the chat bubble is one line of HTML (no blank lines), so the
chatbot's markdown pass leaves it alone.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlencode

from assistant.render import STATUS_WORDS
from assistant.select import strip_label
from assistant.types import Answer, Chunk, Citation, DocumentMeta, Status
from assistant.web import sources

STATUS_WORD: dict[str, str] = {**{str(k): v for k, v in STATUS_WORDS.items()}, "expiring": "即将到期"}
STATUS_CLASS: dict[str, str] = {
    "draft": "draft",
    "in_force": "in-force",
    "expired": "expired",
    "superseded": "expired",
    "expiring": "expiring",
}


def esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def multiline(text: str) -> str:
    """Escaped text with its line breaks kept, on one line of HTML."""
    return "<br>".join(esc(line) for line in text.split("\n"))


def status_badge(status: Status | str) -> str:
    word = STATUS_WORD.get(status, status)
    return f'<span class="badge badge-{STATUS_CLASS.get(status, "other")}">{esc(word)}</span>'


def validity_text(valid_from: str | None, valid_until: str | None) -> str:
    if valid_from and valid_until:
        return f"有效期 {valid_from} 至 {valid_until}"
    if valid_until:
        return f"有效期至 {valid_until}"
    if valid_from:
        return f"自 {valid_from} 起施行"
    return "未注明有效期"


def citation_reference(
    title: str, doc_number: str | None, article: str, text: str, status: str = "in_force"
) -> str:
    """The text a clerk pastes into a letter: 《title》（文号）第五条：“…”.

    A draft or a lapsed document says so in the brackets, so a quote never passes for
    binding text by accident.
    """
    marks = [m for m in (doc_number, _status_mark(status)) if m]
    brackets = f"（{'，'.join(marks)}）" if marks else ""
    body = "\n".join(strip_label(p) if i == 0 else p for i, p in enumerate(text.split("\n")))
    return f"《{title}》{brackets}{article}：“{body.strip()}”"


def _status_mark(status: str) -> str:
    return "" if status == "in_force" else STATUS_WORD.get(status, status)


def reference_for(citation: Citation) -> str:
    return citation_reference(
        citation.title, citation.doc_number, citation.article, citation.text, citation.status
    )


def copy_button(reference: str, label: str = "复制引用") -> str:
    """A copy button; the page script copies the hidden `.cite-ref` text just before it (the
    chat sanitiser drops data attributes and inline handlers, so the text travels as content)."""
    return (
        f'<div class="cite-ref">{multiline(reference)}</div>'
        f'<button class="copy-cite" type="button">{esc(label)}</button>'
    )


def answer_copy_text(answer: Answer) -> str:
    """The answer as plain text with its sources, for pasting into a reply."""
    sources = [f"《{c.title}》{'（' + c.doc_number + '）' if c.doc_number else ''}{c.article}" for c in answer.citations]
    return answer.answer + (f"\n引用条款：{'；'.join(dict.fromkeys(sources))}" if sources else "")


def citation_card(
    citation: Citation, number: int, answer_text: str = "", today: dt.date | None = None
) -> str:
    """One cited unit: number, status badges, title and label; the operative sentence in view,
    the full text one click away; copy the reference; open the unit in 条款浏览."""
    number_line = f"{esc(citation.doc_number)} · " if citation.doc_number else ""
    words = sources.badges(citation, today) if today else [citation.status]
    operative = sources.operative_sentence(citation, answer_text) if answer_text else None
    if operative:
        quote = f"<mark>{multiline(strip_label(operative).strip())}</mark>"
    else:
        first = strip_label(sources.sentences(citation.text)[0] if citation.text else "").strip()
        quote = multiline(first)
    full = highlight(citation.text, [operative.strip()] if operative else [])
    link = "?" + urlencode({"doc": citation.doc_id, "article": citation.article})
    return (
        f'<div class="cite-card" role="group" aria-label="引用{number}">'
        f'<div class="cite-head"><span class="cite-no">[{number}]</span>'
        f'{"".join(status_badge(w) for w in words)}'
        f'<span class="cite-title">《{esc(citation.title)}》</span>'
        f'<span class="cite-article">{esc(citation.article)}</span></div>'
        f'<div class="cite-meta">{number_line}{esc(validity_text(citation.valid_from, citation.valid_until))}</div>'
        f'<blockquote class="cite-text">{quote}</blockquote>'
        f'<details class="cite-full"><summary>展开全文</summary>'
        f'<div class="cite-full-text">{full}</div></details>'
        f'<div class="cite-actions">{copy_button(reference_for(citation))}'
        f'<a class="open-unit" href="{esc(link)}" target="_blank" rel="noopener">在条款浏览中打开</a></div>'
        "</div>"
    )


def marked_text(answer: Answer) -> str:
    """The answer's lines, each followed by the [n] markers of the units it rests on."""
    out = []
    for line in sources.mark_lines(answer):
        marks = "".join(
            f'<button class="cite-mark" type="button" title="查看引用{n}">[{n}]</button>'
            for n in line.marks
        )
        out.append(esc(line.text) + marks)
    return "<br>".join(out)


def answer_html(answer: Answer, today: dt.date | None = None) -> str:
    """The assistant's bubble: the answer with [n] markers beside one card per cited unit, in
    the order the answer cites them; a refusal looks different."""
    kind = "answered" if answer.answered else "refused"
    head = (
        ""
        if answer.answered
        else '<div class="refusal-tag">未找到依据 · 以下不是政策答复</div>'
    )
    meta = [f"用时 {answer.latency_ms / 1000:.2f} 秒"]
    if answer.citations:
        meta.append(f"{len(answer.citations)} 条引用")
    # how a follow-up was read, in plain words (the conversation state), else the question it became
    reading = answer.notes.get("understood") if answer.notes else None
    understood = answer.notes.get("understood_as") if answer.notes else None
    if reading:
        meta.append(str(reading))
    elif understood:
        meta.append(f"按“{understood}”理解")
    if answer.notes.get("composer") == "llm":
        meta.append("语言模型撰写 · 数字与引用已核对")
    note = answer.notes.get("llm_note")
    if note:  # the model's draft was not shown: say why, once, above the extractive answer
        head += f'<div class="llm-note" role="note">{esc(note)}，未采用；以下是直接摘自条文的回答。</div>'
    cards = "".join(
        citation_card(c, i + 1, answer.answer, today) for i, c in enumerate(answer.citations)
    )
    side = f'<div class="answer-cites">{cards}</div>' if cards else ""
    text = marked_text(answer) if answer.answered else multiline(answer.answer)
    return (
        f'<div class="answer answer-{kind}"><div class="answer-main">{head}'
        f'<div class="answer-text">{text}</div>'
        f'<div class="answer-meta">{esc(" · ".join(meta))}'
        f"{copy_button(answer_copy_text(answer), '复制回答') if answer.answered else ''}</div></div>"
        f"{side}</div>"
    )


def progress_html(question: str) -> str:
    """What the bubble shows while the chain works: retrieval always, the calculator when the
    question carries a figure for it."""
    step = "正在检索条款并计算…" if re.search(r"[0-9０-９零一二三四五六七八九十百千万亿]+\s*(?:元|万|亿|平方米|家|人|个|%|年|月)", question) else "正在检索相关条款…"
    return f'<div class="progress" role="status" aria-live="polite"><span class="spinner"></span>{step}</div>'


def draft_html(text: str) -> str:
    """An LLM composer's draft while it is written: shown, but marked as not yet checked; the
    guarded answer (or the extractive one) replaces it."""
    return (
        '<div class="answer answer-draft"><div class="answer-main">'
        '<div class="progress" role="status" aria-live="polite"><span class="spinner"></span>'
        "核对中…（草稿：数字与引用核对后替换为正式回答）</div>"
        f'<div class="answer-text draft-text">{multiline(text)}</div></div></div>'
    )


def stopped_html() -> str:
    return '<div class="progress progress-stopped" role="status">已停止回答。可点击“重新回答”再试。</div>'


def error_html(message: str) -> str:
    return (
        '<div class="answer answer-refused"><div class="answer-main">'
        '<div class="refusal-tag">无法回答</div>'
        f'<div class="answer-text">{multiline(message)}</div></div></div>'
    )


def user_html(question: str) -> str:
    return f'<div class="question">{multiline(question)}</div>'


# ---------------------------------------------------------------- articles


def snippet(chunk: Chunk, limit: int = 30) -> str:
    first = strip_label(chunk.text.split("\n")[0])
    return first if len(first) <= limit else first[:limit] + "…"


def outline_rows(chunks: Sequence[Chunk], titles: dict[str, str] | None = None) -> list[list[str]]:
    """One row per article: [章节, 条款, 内容提要]; a chapter is named on its first row only,
    so the table reads as a tree. With `titles`, the chapter cell names the document too."""
    rows: list[list[str]] = []
    previous = None
    for chunk in chunks:
        chapter = chunk.chapter or "—"
        if titles is not None:
            chapter = f"《{titles.get(chunk.doc_id, chunk.doc_id)}》{'' if chapter == '—' else ' ' + chapter}"
        shown = chapter if chapter != previous else ""
        previous = chapter
        rows.append([shown, chunk.article, snippet(chunk)])
    return rows


def highlight(text: str, terms: Iterable[str]) -> str:
    """Escaped multi-line text with each search term wrapped in <mark>."""
    body = multiline(text)
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        body = re.sub(re.escape(esc(term)), lambda m: f"<mark>{m.group(0)}</mark>", body)
    return body


def article_html(
    chunk: Chunk, meta: DocumentMeta, status: Status, terms: Iterable[str] = (),
    today: dt.date | None = None,
) -> str:
    valid_from = meta.valid_from.isoformat() if meta.valid_from else None
    valid_until = meta.valid_until.isoformat() if meta.valid_until else None
    words: list[str] = [status]
    if today is not None:  # 即将到期 beside the status, as on the chat's cards
        words = sources.badges(Citation(meta.doc_id, meta.title, chunk.article, "", status,
                                        valid_until=valid_until), today)
    number = f"{esc(meta.doc_number)} · " if meta.doc_number else ""
    chapter = f'<div class="article-chapter">{esc(chunk.chapter)}</div>' if chunk.chapter else ""
    reference = citation_reference(meta.title, meta.doc_number, chunk.article, chunk.text, status)
    return (
        '<div class="article-view">'
        f'<div class="article-head">{"".join(status_badge(w) for w in words)}<span class="cite-title">《{esc(meta.title)}》</span></div>'
        f'<div class="cite-meta">{number}{esc(validity_text(valid_from, valid_until))}</div>'
        f'{chapter}<h3 class="article-label">{esc(chunk.article)}</h3>'
        f'<div class="article-text">{highlight(chunk.text, terms)}</div>'
        f"{copy_button(reference)}</div>"
    )


def notice_html(message: str, kind: str = "info") -> str:
    """A one-box message: kind is info | ok | error."""
    return f'<div class="notice notice-{kind}">{multiline(message)}</div>'


# ---------------------------------------------------------------- documents and self-check


def document_rows(
    documents: dict[str, DocumentMeta], entries: dict[str, Any], statuses: dict[str, Status]
) -> list[list[str]]:
    rows = []
    for doc_id, meta in documents.items():
        entry = entries.get(doc_id, {})
        valid_from = meta.valid_from.isoformat() if meta.valid_from else None
        valid_until = meta.valid_until.isoformat() if meta.valid_until else None
        status = STATUS_WORD.get(statuses[doc_id], statuses[doc_id])
        if meta.is_draft and meta.draft_label:
            status = f"{status}（{meta.draft_label}）"
        rows.append(
            [
                meta.title,
                meta.doc_number or "—",
                meta.issuer or "—",
                meta.issue_date.isoformat() if meta.issue_date else "—",
                validity_text(valid_from, valid_until),
                status,
                str(entry.get("chunks", "")),
                doc_id,
            ]
        )
    return rows


def document_cards(headers: Sequence[str], rows: Sequence[Sequence[str]], statuses: Sequence[str]) -> str:
    """The documents table as one card per document (a phone's width): the title with its
    status badge, then each other column as 列名：值."""
    cards = []
    for row, status in zip(rows, statuses, strict=True):
        fields = "".join(
            f"<div><dt>{esc(h)}</dt><dd>{esc(v)}</dd></div>" for h, v in zip(headers[1:], row[1:], strict=True)
        )
        cards.append(f'<li class="doc-card">{status_badge(status)}<span class="cite-title">《{esc(row[0])}》</span>'
                     f"<dl>{fields}</dl></li>")
    return f'<ul class="doc-cards" aria-label="已收录文件">{"".join(cards)}</ul>'


def amount_or_gap(result: Any) -> str:
    """The figure a self-check row is about: the reward, else what is short, else what is missing."""
    from assistant.calc.number_format import format_value

    parts: list[str] = []
    if getattr(result, "wording", ""):
        parts.append(f"一次性奖励{result.wording}")
    elif getattr(result, "amount", None) is not None:
        capped = "（已按总额上限）" if getattr(result, "capped", False) else ""
        parts.append(f"奖励{format_value('amount', result.amount)}{capped}")
    elif getattr(result, "end", None) is not None:
        parts.append(f"期限至{format_value('date', result.end)}")
    gaps = [f"{c.label}{c.gap}" for c in getattr(result, "criteria", ()) if c.met is False and c.gap]
    if getattr(result, "gap", None):
        gaps.append(f"{getattr(result, 'input_labels', {}).get(result.input, '')}{result.gap}")
    parts.extend(gaps)
    if result.missing_labels:
        parts.append(f"还需要：{'、'.join(result.missing_labels)}")
    return "；".join(parts) or "—"


def self_check_rows(results: Sequence[Any]) -> list[list[str]]:
    return [
        [
            r.label,
            r.verdict,
            amount_or_gap(r),
            f"{r.article} ▸ 查看原文",
        ]
        for r in results
    ]


# ---------------------------------------------------------------- the empty chat


def covered_html(
    documents: dict[str, DocumentMeta], statuses: dict[str, Status], today: dt.date
) -> str:
    """What the assistant covers, named with each document's status, for the empty chat."""
    items = []
    for doc_id, meta in documents.items():
        citation = Citation(
            doc_id, meta.title, "", "", statuses[doc_id], meta.doc_number,
            valid_until=meta.valid_until.isoformat() if meta.valid_until else None,
        )
        number = f'<span class="doc-number">{esc(meta.doc_number)}</span>' if meta.doc_number else ""
        items.append(
            f'<li>{"".join(status_badge(w) for w in sources.badges(citation, today))}'
            f"《{esc(meta.title)}》{number}</li>"
        )
    if not items:
        return '<div class="empty-state"><p>还没有收录任何文件，请先在“文件管理”中导入政策文件。</p></div>'
    return (
        '<div class="empty-state"><p class="empty-lead">可以问这些文件里的条款、条件、金额和期限，'
        "每个回答都附条款原文：</p>"
        f'<ul class="covered">{"".join(items)}</ul>'
        '<p class="empty-hint">输入问题后按回车发送（Shift+回车换行），或点下面的示例问题。</p></div>'
    )


CHECK_WORD = {"met": "符合", "not_met": "不符合", "soft_not_met": "接近", "incomplete": "待补充",
              "unverified": "待核实", "info": "说明"}


def check_card(result: Any, status: str, verdict: str, article: str) -> str:
    """One self-check result: the rule, a verdict coloured by status (待核实 is never green),
    the amount or gap, and the working with the unit's text one click away."""
    return (
        f'<div class="check-card check-{esc(status)}">'
        f'<div class="check-head"><span class="check-status">{esc(CHECK_WORD.get(status, status))}</span>'
        f'<span class="check-label">{esc(result.label)}</span>'
        f'<span class="cite-article">{esc(result.article)}</span></div>'
        f'<div class="check-verdict">{esc(verdict)}</div>'
        f'<div class="check-amount">{esc(amount_or_gap(result))}</div>'
        f'<details class="check-detail"><summary>计算过程与条款原文</summary>'
        f'<div class="notice notice-info">{multiline(result.render())}</div>{article}</details>'
        "</div>"
    )
