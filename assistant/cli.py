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
    from assistant.batch import run_jsonl
    from assistant.service import get_retriever

    retriever = get_retriever(_index_dir(index))

    def handle(text: str, history: list[list[str]], item_id: Any) -> dict[str, Any]:
        hits = retriever.retrieve(text, k=k)
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
        run_jsonl(sys.stdin, sys.stdout, handle)
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
    from assistant.batch import run_jsonl
    from assistant.service import get_chain

    chain = get_chain(_index_dir(index))

    def handle(text: str, history: list[list[str]], item_id: Any) -> dict[str, Any]:
        answer = chain.ask(text, history, item_id=item_id).to_json()
        answer.pop("id", None)
        return answer

    if question == "-":
        run_jsonl(sys.stdin, sys.stdout, handle)
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


def _register_calculator() -> None:
    from assistant.calc.cli import calc_command, check_command

    main.add_command(calc_command, "calc")
    main.add_command(check_command, "check")


_register_calculator()


@main.command()
def serve() -> None:
    """Start the web app and the JSON API (same as `python app.py`)."""
    from assistant.web.server import serve as run

    run()
