"""The assistant as an MCP server (official `mcp` SDK): other assistants can ask, search, read a
unit, verify citations, run the calculator and the self-check, over stdio or streamable HTTP.

    assistant mcp                      # stdio, for Claude Desktop / Cursor / Claude Code
    assistant mcp --http --port 8765   # streamable HTTP on 127.0.0.1:8765/mcp

Every tool is read-only (nothing is ingested or written) and its inputs are bounded like the
web app's: a question 2000 characters, a text to verify 20 000. The index, retriever and
answer chain load once, on the first call, and serve every later one.
"""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field

from assistant.errors import AssistantError
from assistant.verify import MAX_TEXT_CHARS

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from assistant.chain import AnswerChain
    from assistant.index import Index

MAX_QUESTION_CHARS = 2000  # the chat box's limit
MAX_QUERY_CHARS = 500
NAME = "yuanqu-zhengce"
INSTRUCTIONS = (
    "园区政策助手：人力资源服务产业园政策（标题、文号、条款原文、有效期）。"
    "Answers quote the exact unit (第五条, 二（二）5) of an indexed policy; numbers come from a "
    "deterministic calculator. Use list_documents to see what the corpus covers, get_unit to read "
    "a unit, verify_citations to check citations in a draft, calculate/self_check for figures."
)

Question = Annotated[str, Field(min_length=1, max_length=MAX_QUESTION_CHARS, description="问题（中文）")]
DateText = Annotated[str | None, Field(None, pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD；默认今天")]
Scalar = str | int | float
InputValue = Scalar | list[Scalar] | dict[str, Scalar]


class _Handles:
    """The index and chain of one server process, loaded on first use."""

    def __init__(self, index_dir: Path | None) -> None:
        self.index_dir = index_dir
        self._lock = threading.Lock()
        self._chain: AnswerChain | None = None

    @property
    def chain(self) -> AnswerChain:
        with self._lock:
            if self._chain is None:
                from assistant.service import get_chain

                self._chain = get_chain(self.index_dir)
            return self._chain

    @property
    def index(self) -> Index:
        return self.chain.index

    @property
    def today(self) -> dt.date:
        return self.chain.today


def _fail(exc: Exception) -> Exception:
    """A typed error as the tool's one-line error result (the SDK marks it is_error)."""
    from mcp.server.mcpserver.exceptions import ToolError

    return ToolError(str(exc))


def _doc_json(index: Index, doc_id: str, today: dt.date) -> dict[str, Any]:
    from assistant.verify import document_status

    meta = index.documents[doc_id]
    status = document_status(index, doc_id, today)
    return {
        "doc_id": doc_id,
        "title": meta.title,
        "doc_number": meta.doc_number,
        "issuer": meta.issuer,
        "valid_from": meta.valid_from.isoformat() if meta.valid_from else None,
        "valid_until": meta.valid_until.isoformat() if meta.valid_until else None,
        "status": status.to_json(),
        "units": len(index.by_doc.get(doc_id, [])),
    }


def _resolve(index: Index, document: str) -> str:
    from assistant.citations import Mention, find_mentions
    from assistant.verify import resolve_document

    text = document.strip()
    if text in index.documents:
        return text
    mentions = find_mentions(text if "《" in text else f"《{text}》")
    numbers = find_mentions(text)
    mention = mentions[0] if mentions else Mention(text, text, None, 0, len(text))
    if numbers and numbers[0].doc_number and not mention.doc_number:
        mention = Mention(text, None, numbers[0].doc_number, 0, len(text))
    doc_id, _ = resolve_document(mention, index.documents)
    if doc_id is None:
        titles = "；".join(f"{d}《{m.title}》" for d, m in index.documents.items())
        raise AssistantError(f"语料库中没有“{document}”（not in the corpus）。收录的文件：{titles}")
    return doc_id


def build_server(index_dir: Path | None = None) -> MCPServer:
    from mcp.server.mcpserver import MCPServer
    from mcp.types import ToolAnnotations

    handles = _Handles(index_dir)
    server: MCPServer = MCPServer(NAME, title="园区政策助手", instructions=INSTRUCTIONS, version="0.1.0")
    read_only = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True,
                                open_world_hint=False)

    @server.tool(annotations=read_only)
    def ask(
        question: Question,
        history: Annotated[
            list[Annotated[list[Annotated[str, Field(max_length=MAX_QUESTION_CHARS)]], Field(min_length=2, max_length=2)]],
            Field(max_length=20, description="之前的对话 [[问题, 回答], …]"),
        ] | None = None,
    ) -> dict[str, Any]:
        """Answer a question about the park policies with cited units (title, 文号, label, exact
        text, status); figures go through the calculator. `answered` is false when the corpus
        does not cover the question."""
        try:
            pairs = [(h[0], h[1]) for h in history or []]
            return handles.chain.ask(question, pairs).to_json()
        except AssistantError as exc:
            raise _fail(exc) from exc

    @server.tool(annotations=read_only)
    def search_policies(
        query: Annotated[str, Field(min_length=1, max_length=MAX_QUERY_CHARS, description="关键词或问题")],
        k: Annotated[int, Field(ge=1, le=20, description="返回条数")] = 5,
    ) -> dict[str, Any]:
        """The units that best match a query, best first (exact unit lookup when the query names
        one, else BM25 + dense retrieval), with their text and document."""
        try:
            from assistant.service import get_retriever

            hits = get_retriever(handles.index_dir).retrieve(query, k=k)
            documents = handles.index.documents
            return {"query": query, "hits": [
                {"doc_id": h.chunk.doc_id, "title": documents[h.chunk.doc_id].title,
                 "doc_number": documents[h.chunk.doc_id].doc_number, "label": h.chunk.article,
                 "score": h.score, "via": h.via, "text": h.chunk.text}
                for h in hits]}
        except AssistantError as exc:
            raise _fail(exc) from exc

    @server.tool(annotations=read_only)
    def get_unit(
        document: Annotated[str, Field(min_length=1, max_length=200, description="文件：doc_id、标题、文号或简称")],
        label: Annotated[str, Field(min_length=1, max_length=50, description="条款：第五条、第5条、二（二）5、第五条第（三）项、附则")],
    ) -> dict[str, Any]:
        """The exact text of one unit of one document, with the document's status today. A
        unit that does not exist is an error that lists the document's nearest real labels."""
        from assistant.verify import find_unit, label_span, nearest_labels, parse_label

        try:
            index = handles.index
            doc_id = _resolve(index, document)
            chunks = index.by_doc.get(doc_id, [])
            unit = parse_label(label)
            hit = find_unit(chunks, unit) if unit else None
            if hit is None:
                near = "、".join(nearest_labels(chunks, unit.label if unit else label))
                raise AssistantError(f"《{index.documents[doc_id].title}》没有“{label}”"
                                     f"（现有{label_span(chunks)}；相近条款：{near}）")
            return {**_doc_json(index, doc_id, handles.today), "label": hit[0], "text": hit[1]}
        except AssistantError as exc:
            raise _fail(exc) from exc

    @server.tool(annotations=read_only)
    def verify_citations(
        text: Annotated[str, Field(min_length=1, max_length=MAX_TEXT_CHARS, description="含引用的文字（《标题》或文号 + 条款 + “引文”）")],
        date: DateText = None,
    ) -> dict[str, Any]:
        """Check every citation in a text: document in the corpus or not, unit exists (else the
        nearest real labels), quote exact or the differences (changed numbers called out),
        status on the date (现行/草案/即将到期/已失效/已被替代). `failed` is true when any fails."""
        from assistant.verify import verify_text

        try:
            on = dt.date.fromisoformat(date) if date else handles.today
            report = verify_text(text, handles.index, on)
            return {**report.to_json(), "text": report.render()}
        except AssistantError as exc:
            raise _fail(exc) from exc

    @server.tool(annotations=read_only)
    def calculate(
        rule: Annotated[str, Field(min_length=1, max_length=100, description="规则 id（见 list_documents 的 rules），或 deadline")],
        inputs: Annotated[dict[str, InputValue], Field(max_length=30, description="输入项，如 {\"revenue\": \"6亿\"}、{\"start\": \"2026-03-02\", \"period\": \"45日\"}")],
    ) -> dict[str, Any]:
        """Run one calculator rule (reward tiers, thresholds, per-unit rewards with caps,
        deadlines) on the given figures; the result cites the unit it applies."""
        from assistant.calc.cli import _run_calc  # the `assistant calc` entry: rule or deadline
        from assistant.errors import CalcError

        try:
            result = _run_calc(rule, dict(inputs))
            return {**result.to_json(), "text": result.render()}
        except (CalcError, AssistantError) as exc:
            raise _fail(exc) from exc

    @server.tool(annotations=read_only)
    def self_check(
        profile: Annotated[dict[str, InputValue | list[dict[str, Scalar]]], Field(max_length=40, description="档案：location（柳州/聊城…）、subject（enterprise/park）、revenue、area、institutions、occupancy …")],
    ) -> dict[str, Any]:
        """Every calculator rule a park or enterprise profile touches: verdict, gap or amount,
        what is missing, and the cited unit."""
        from assistant.calc.tools import self_check_report
        from assistant.errors import CalcError

        try:
            report = self_check_report(profile, today=handles.today)
            return {**report.to_json(), "text": report.render()}
        except (CalcError, AssistantError) as exc:
            raise _fail(exc) from exc

    @server.tool(annotations=read_only)
    def list_documents() -> dict[str, Any]:
        """The documents in the corpus (title, 文号, issuer, validity, status today, number of
        units) and the calculator's rule ids."""
        from assistant.calc.rules import load_rules

        try:
            index = handles.index
            return {
                "date": handles.today.isoformat(),
                "documents": [_doc_json(index, d, handles.today) for d in sorted(index.documents)],
                "rules": [{"id": r.id, "doc_id": r.doc_id, "label": r.article, "name": r.label,
                           "inputs": list(r.inputs)} for r in load_rules()],
            }
        except AssistantError as exc:
            raise _fail(exc) from exc

    return server


def run(index_dir: Path | None = None, *, http: bool = False, host: str = "127.0.0.1", port: int = 8765) -> None:
    server = build_server(index_dir)
    if http:
        server.run("streamable-http", host=host, port=port)
    else:
        server.run("stdio")
