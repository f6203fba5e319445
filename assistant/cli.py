"""`assistant …` — the command line. Heavy libraries load inside the commands that need them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from assistant.errors import AssistantError


class _Group(click.Group):
    """Turns our typed errors into one clear line instead of a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AssistantError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=_Group)
@click.version_option(package_name="assistant")
def main() -> None:
    """园区政策助手: cited answers over industrial-park policy documents.

    Start with `assistant ingest`, then `assistant retrieve "问题"`.
    """


def _index_dir(index: Path | None) -> Path:
    from assistant.settings import get_settings

    return index or get_settings().index_dir


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--index", type=click.Path(path_type=Path), help="index directory (default: indexes/)")
def ingest(paths: tuple[Path, ...], index: Path | None) -> None:
    """Add or update policy files (.txt, .pdf, .docx) in the index; default: the corpus/ folder."""
    from assistant.ingest import ingest_paths
    from assistant.settings import get_settings

    settings = get_settings()
    index_dir = _index_dir(index)
    targets = list(paths) or [settings.corpus_dir]
    click.echo(f"ingest {', '.join(map(str, targets))} → {index_dir} (embedder {settings.embedder})")
    report = ingest_paths(
        targets,
        index_dir,
        settings.embedder,
        today=settings.today_or_now(),
        chroma_url=settings.chroma_url,
        progress=click.echo,
    )
    for failure in report.failed:
        click.echo(f"  ✗ {failure.path}: {failure.reason}", err=True)
    for note in report.notes:
        click.echo(f"  ! {note}")
    parts = [
        f"{len(report.added)} added",
        f"{len(report.updated)} updated",
        f"{len(report.unchanged)} unchanged",
        f"{len(report.removed)} removed",
        f"{len(report.failed)} failed",
    ]
    state = "up to date" if not report.changed else f"generation {report.generation}"
    click.echo(
        f"{', '.join(parts)}; {report.chunks} articles indexed, {report.embedded} embedded, "
        f"{report.seconds:.1f} s ({state})"
    )
    if report.failed:
        sys.exit(1)


@main.command()
@click.argument("question")
@click.option("-k", "k", default=5, show_default=True, type=click.IntRange(1, 50))
@click.option("--json", "as_json", is_flag=True, help="print JSON (one object per input line with -)")
@click.option("--index", type=click.Path(path_type=Path))
def retrieve(question: str, k: int, as_json: bool, index: Path | None) -> None:
    """Show the articles that answer QUESTION (use - to read JSONL questions from stdin)."""
    from assistant.service import get_retriever

    retriever = get_retriever(_index_dir(index), read_only=True)
    try:
        _retrieve(retriever, question, k, as_json)
    finally:
        retriever.index.close()


def _retrieve(retriever: Any, question: str, k: int, as_json: bool) -> None:
    from assistant.batch import run_jsonl

    def handle(text: str, history: list[list[str]], item_id: Any) -> dict[str, Any]:
        from assistant.dialogue import contextualise

        # A follow-up is searched as the conversation makes it, exactly as `ask` reads it.
        hits = retriever.retrieve(contextualise(text, history, retriever.index), k=k)
        return {
            "question": text,
            "hits": [
                {
                    "doc_id": h.chunk.doc_id,
                    "article": h.chunk.article,
                    "score": h.score,
                    "via": h.via,
                    "text": h.chunk.text,
                }
                for h in hits
            ],
        }

    if question == "-":
        _exit_if_failed(run_jsonl(_stdin(), sys.stdout, handle))
        return
    result = handle(question, [], None)
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    if not result["hits"]:
        click.echo("没有找到相关条款（no matching article）")
    for rank, hit in enumerate(result["hits"], start=1):
        title = retriever.index.documents[hit["doc_id"]].title
        snippet = hit["text"].replace("\n", " ")[:90]
        click.echo(f"{rank}. 《{title}》{hit['article']}  [{hit['via']} {hit['score']:.3f}]")
        click.echo(f"   {snippet}…")


@main.command()
@click.argument("question")
@click.option("--json", "as_json", is_flag=True, help="print the answer object (JSONL with -)")
@click.option("--index", type=click.Path(path_type=Path))
def ask(question: str, as_json: bool, index: Path | None) -> None:
    """Answer QUESTION with citations (use - to read JSONL questions from stdin)."""
    from assistant.service import get_chain

    chain = get_chain(_index_dir(index), read_only=True)
    try:
        _ask(chain, question, as_json)
    finally:
        chain.index.close()


def _ask(chain: Any, question: str, as_json: bool) -> None:
    from assistant.batch import run_jsonl

    def handle(text: str, history: list[list[str]], item_id: Any) -> dict[str, Any]:
        answer = chain.ask(text, history, item_id=item_id).to_json()
        answer.pop("id", None)
        return answer

    if question == "-":
        _exit_if_failed(run_jsonl(_stdin(), sys.stdout, handle))
        return
    answer = chain.ask(question)
    if as_json:
        click.echo(json.dumps(answer.to_json(), ensure_ascii=False))
        return
    click.echo(answer.answer)
    if answer.citations:
        click.echo("\n引用：")
        for cite in answer.citations:
            number = f"（{cite.doc_number}）" if cite.doc_number else ""
            click.echo(f"  · 《{cite.title}》{number}{cite.article}  [{cite.status}]")


def _stdin() -> Any:
    """stdin as UTF-8 that never raises: under a strict locale one undecodable byte would end
    the whole batch; escaped bytes become U+FFFD per line (batch._scrub) and get an error."""
    import io

    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:
        return sys.stdin
    return io.TextIOWrapper(buffer, encoding="utf-8", errors="surrogateescape")


def _exit_if_failed(errors: int) -> None:
    """A batch answers every line, then says by its exit status whether any line failed."""
    if errors:
        click.echo(f"{errors} line(s) failed; see their \"error\" fields", err=True)
        sys.exit(1)


def _register_calculator() -> None:
    from assistant.calc.cli import calc_command, check_command

    main.add_command(calc_command, "calc")
    main.add_command(check_command, "check")


_register_calculator()


@main.group()
def rules() -> None:
    """Calculable rules of a policy: find them in its text for review."""


@rules.command("extract")
@click.argument("doc", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="write the draft here (default: stdout)")
def rules_extract(doc: Path, out: Path | None) -> None:
    """Write a YAML draft of DOC's rules (status: extracted) for review into corpus/rules/."""
    from assistant.calc.draft import counts, draft_document
    from assistant.settings import get_settings

    text, doc_id, extraction = draft_document(doc)
    if out:
        out.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)
    found = "，".join(f"{k} {n}" for k, n in counts(extraction).items() if n)
    click.echo(f"{doc_id}: {len(extraction.rules)} 条规则（{found or '无'}），"
               f"{len(extraction.dropped)} 条因数字不在原文中而丢弃" + (f" → {out}" if out else ""), err=True)
    reviewed = Path(get_settings().corpus_dir) / "rules" / f"{doc_id}.yaml"
    if reviewed.exists():
        click.echo(f"已有审核规则 {reviewed}，它优先于本草稿（a reviewed file wins）", err=True)


@main.command()
@click.argument("file", default="-", type=click.File("r", encoding="utf-8-sig"))
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="status on this date (default: today)")
@click.option("--json", "as_json", is_flag=True, help="print the report as JSON")
@click.option("--index", type=click.Path(path_type=Path))
def verify(file: Any, on: Any, as_json: bool, index: Path | None) -> None:
    """Check every policy citation in FILE (or stdin): document, unit, quote, status.

    Exit status 1 when any citation fails (a unit that does not exist, a quote that differs,
    an expired or replaced document); a document outside the corpus is reported, not failed.
    """
    from assistant.service import load_index
    from assistant.settings import get_settings
    from assistant.verify import verify_text

    settings = get_settings()
    ix = load_index(_index_dir(index), settings.embedder, settings.chroma_url)
    today = on.date() if on else settings.today_or_now()
    report = verify_text(file.read(), ix, today, max_chars=None)
    if as_json:
        click.echo(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    else:
        click.echo(report.render())
    if report.failed:
        sys.exit(1)


@main.command("mcp")
@click.option("--http", is_flag=True, help="streamable HTTP on --host:--port (path /mcp) instead of stdio")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535))
@click.option("--index", type=click.Path(path_type=Path))
def mcp_command(http: bool, host: str, port: int, index: Path | None) -> None:
    """Serve the assistant's tools to MCP clients (stdio by default): ask, search_policies,
    get_unit, verify_citations, calculate, self_check, list_documents. Read-only."""
    from assistant.mcp_server import run

    run(index, http=http, host=host, port=port)


@main.command()
def serve() -> None:
    """Start the web app and the JSON API (same as `python app.py`)."""
    from assistant.web.server import serve as run

    run()
