"""What the web app does, without the web: answer, self-check, browse articles, ingest uploads.

One `Backend` per process holds the chain (index, retriever, models) built once at start-up.
An upload that changes the index builds a new chain and swaps it in; requests already running
finish on the old one (the index keeps the previous generation on disk).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.errors import AssistantError
from assistant.library import Change, Library, max_upload_bytes, upload_suffixes
from assistant.settings import Settings, get_settings
from assistant.types import Answer, Chunk, DocumentMeta, Status

if TYPE_CHECKING:
    from assistant.chain import AnswerChain
    from assistant.index import Index

log = logging.getLogger(__name__)

SUBJECTS = {"自动判断": "", "企业": "enterprise", "园区": "park"}


@dataclass(frozen=True)
class SelfCheck:
    results: tuple[Any, ...] = ()  # CalcResult
    notes: tuple[str, ...] = ()
    error: str = ""


UploadResult = Change  # what an admin change returns
__all__ = ["max_upload_bytes", "upload_suffixes"]


@dataclass(frozen=True)
class SearchResult:
    chunks: tuple[Chunk, ...]
    terms: tuple[str, ...] = ()  # keywords to highlight
    message: str = ""


@dataclass
class Backend:
    settings: Settings = field(default_factory=get_settings)
    chain: AnswerChain = field(init=False)
    library: Library = field(init=False)
    _reload_lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    _state_lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    # Requests running per chain (by id), and chains replaced but still answering: an old
    # index is closed when its last request ends, not under it.
    _active: dict[int, int] = field(default_factory=dict, init=False)
    _retired: dict[int, AnswerChain] = field(default_factory=dict, init=False)
    _seen: tuple[int, int] | None = field(default=None, init=False)
    _examples: tuple[str, ...] = field(default=(), init=False)  # of the newest chain

    def __post_init__(self) -> None:
        self._seen = self._manifest_stamp()
        self.chain = self._build_chain()
        self.library = Library(self.settings, self.today)

    # ------------------------------------------------------------ loading

    def _build_chain(self) -> AnswerChain:
        from assistant.service import get_chain
        from assistant.web.examples import answerable

        chain = get_chain(self.settings.index_dir)
        # The first question loads jieba, opencc, BM25, the embedder and the calculator: pay
        # that at start-up, asking the example questions of these documents (offline).
        examples = answerable(chain)
        follow = next((e for e in examples if e.follow_up), None)
        if follow is not None:
            chain.without_llm().ask(follow.follow_up, [[follow.question, ""]])
        self._examples = tuple(e.question for e in examples)
        # A place written with a typo or a homophone (黄溪 for 篁溪) is matched by pinyin, whose
        # dictionaries (~0.3 s) load on first use: at start-up, not in someone's first answer.
        from pypinyin import lazy_pinyin

        lazy_pinyin("园区")
        return chain

    def _manifest_stamp(self) -> tuple[int, int] | None:
        """Identity of the live manifest: an ingest (here, in the CLI, in another worker)
        replaces the file, so a new inode or mtime means a new generation or provenance."""
        try:
            info = (self.settings.index_dir / "manifest.json").stat()
        except OSError:
            return None
        return info.st_ino, info.st_mtime_ns

    def refresh_if_stale(self) -> bool:
        """Reload when the manifest changed since the chain was built; one os.stat per call.
        Requests arriving together reload once: the others wait, then find it fresh."""
        if self._manifest_stamp() == self._seen:
            return False
        with self._reload_lock:
            if self._manifest_stamp() == self._seen:
                return False
            self._reload()
        return True

    def reload(self) -> None:
        with self._reload_lock:
            self._reload()

    def _reload(self) -> None:
        from assistant import service

        stamp = self._manifest_stamp()
        service.reset()
        fresh = self._build_chain()
        with self._state_lock:
            old, self.chain, self._seen = self.chain, fresh, stamp
            busy = bool(self._active.get(id(old), 0))
            if busy:
                self._retired[id(old)] = old
        if not busy and old is not fresh:
            old.index.close()

    @contextmanager
    def _using(self) -> Iterator[AnswerChain]:
        """The current chain for one request, kept open until the request ends."""
        self.refresh_if_stale()
        with self._state_lock:
            chain = self.chain
            self._active[id(chain)] = self._active.get(id(chain), 0) + 1
        try:
            yield chain
        finally:
            with self._state_lock:
                left = self._active[id(chain)] = self._active[id(chain)] - 1
                if not left:
                    del self._active[id(chain)]
                retired = self._retired.pop(id(chain), None) if not left else None
            if retired is not None:
                retired.index.close()

    def examples(self) -> tuple[str, ...]:
        """4–6 questions about the documents in the index that it answers (empty chat)."""
        self.refresh_if_stale()
        return self._examples

    def close(self) -> None:
        self.chain.index.close()

    @property
    def index(self) -> Index:
        return self.chain.index

    @property
    def today(self) -> dt.date:
        return self.chain.today

    def status(self, doc_id: str) -> Status:
        return self.index.documents[doc_id].status(self.today)

    # ------------------------------------------------------------ chat

    def ask(self, question: str, history: Sequence[Sequence[str]] = ()) -> Answer:
        """One answer; raises AssistantError (e.g. BadQuestion) with a message for the user."""
        from assistant.chain import bounded_history

        pairs = bounded_history(history)  # before anything copies or tokenises a huge history
        with self._using() as chain:
            return chain.ask(question, pairs)

    def ask_stream(self, question: str, history: Sequence[Sequence[str]] = ()) -> Iterator[str | Answer]:
        """`ask` for the chat: an LLM composer's unchecked drafts (str) while it writes, then the
        guarded `Answer`; the chain stays open until the stream ends or is closed (停止)."""
        from assistant.chain import bounded_history

        pairs = bounded_history(history)
        with self._using() as chain:
            yield from chain.stream(question, pairs)

    # ------------------------------------------------------------ self-check

    def self_check(self, location: str, subject: str, values: Mapping[str, Any]) -> SelfCheck:
        from assistant.calc.tools import self_check_report

        # A list holds one value per branch park (分园区) or enterprise.
        profile: dict[str, Any] = {
            k: v if isinstance(v, list) else str(v).strip()
            for k, v in values.items() if v and (isinstance(v, list) or str(v).strip())
        }
        if not profile:
            return SelfCheck(error="请至少填写一项数字（如企业主营业务收入、核心区建筑面积）。")
        if location.strip():
            profile["location"] = location.strip()
        if SUBJECTS.get(subject, subject):
            profile["subject"] = SUBJECTS.get(subject, subject)
        try:
            report = self_check_report(profile, today=self.today)
        except AssistantError as exc:
            return SelfCheck(error=str(exc))
        return SelfCheck(results=report.results, notes=report.notes)

    def locations(self) -> list[str]:
        """Places the rules know, the documents' own places first."""
        from assistant.calc.rules import load_rules

        first = [m.places[0] for m in self.index.documents.values() if m.places]
        places = [p for r in load_rules() for p in r.places]
        return list(dict.fromkeys([*first, *places]))

    # ------------------------------------------------------------ articles

    def chunk(self, doc_id: str, article: str) -> Chunk | None:
        return next((c for c in self.index.by_doc.get(doc_id, []) if c.article == article), None)

    def document_choices(self) -> list[tuple[str, str]]:
        self.refresh_if_stale()
        return [(f"{m.title}（{m.doc_number}）" if m.doc_number else m.title, d)
                for d, m in self.index.documents.items()]

    def outline(self, doc_id: str) -> list[Chunk]:
        return list(self.index.by_doc.get(doc_id, []))

    def search(self, query: str, doc_id: str | None) -> SearchResult:
        """Articles by number (第5条, 二（二）5, 附则) or, failing that, by keyword."""
        from assistant.retrieve import matches_ref
        from assistant.route import normalise_question, parse_article_refs

        text = normalise_question(query or "")
        pool = self.outline(doc_id) if doc_id else list(self.index.chunks)
        if not text:
            return SearchResult(tuple(pool))
        refs = parse_article_refs(text)
        if refs:
            found = [c for c in pool if any(matches_ref(c, r) for r in refs)]
            if not found:  # "二" names a heading whose items carry the text
                found = [c for c in pool if any(c.article.startswith(r.label + "（") for r in refs)]
            if found:
                return SearchResult(tuple(found))
        terms = tuple(t for t in re.split(r"[\s,，、;；]+", text) if t)
        found = [c for c in pool if all(t in c.text or t in c.chapter for t in terms)]
        if not found:
            # "核心区面积" → 核心 / 核心区 / 面积: every word present, in any order.
            from assistant.index import tokenize

            words = tuple(dict.fromkeys(w for w in tokenize(text) if len(w) > 1))
            if words:
                terms = words
                found = [c for c in pool if all(w in c.text or w in c.chapter for w in words)]
        if not found:
            where = "本文件" if doc_id else "全部文件"
            return SearchResult((), terms, f"{where}中没有找到“{query.strip()}”。")
        return SearchResult(tuple(found), terms)

    # ------------------------------------------------------------ documents

    def documents(self) -> tuple[dict[str, DocumentMeta], dict[str, Any], dict[str, Status]]:
        self.refresh_if_stale()
        index = self.index
        entries = dict(index.manifest.get("documents", {}))
        return index.documents, entries, {d: self.status(d) for d in index.documents}

    def index_summary(self) -> str:
        manifest = self.index.manifest
        counts = manifest.get("counts", {})
        return (
            f"索引 {manifest.get('generation')} · 嵌入模型 {manifest.get('embedder')} · "
            f"{counts.get('documents', 0)} 个文件 · {counts.get('chunks', 0)} 个条款 · "
            f"构建于 {manifest.get('built_at', '—')}"
        )

    # ------------------------------------------------------------ admin changes

    def ingest_upload(self, path: str | Path | None, by: str = "admin", replace: bool = False) -> Change:
        """An admin's upload: a new document, or with `replace` a new version of one (the old
        one kept). A failure leaves the index and the files as they were."""
        return self._after(self.library.add(path, by, replace))

    def delete_document(self, doc_id: str, by: str) -> Change:
        return self._after(self.library.delete(doc_id, by))

    def restore_version(self, doc_id: str, stamp: str, by: str) -> Change:
        return self._after(self.library.restore(doc_id, stamp, by))

    def mark_reviewed(self, doc_id: str, by: str) -> Change:
        return self._after(self.library.review(doc_id, by))

    def _after(self, change: Change) -> Change:
        if not change.changed:
            return change
        self.reload()
        lines = [change.message]
        for doc_id in change.doc_ids:
            if doc_id in self.index.documents:
                meta = self.index.documents[doc_id]
                count = len(self.index.by_doc.get(doc_id, []))
                lines.append(f"《{meta.title}》：{count} 个条款，状态：{_status_word(self.status(doc_id))}")
        lines.append("索引已更新，新的提问即可检索到变化。")
        return replace(change, message="\n".join(lines))


def _status_word(status: Status) -> str:
    from assistant.web.render import STATUS_WORD

    return STATUS_WORD.get(status, status)
