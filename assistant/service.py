"""Process-wide handles: the index and retriever are loaded once and shared."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.index import Index
from assistant.retrieve import Retriever
from assistant.settings import get_settings

if TYPE_CHECKING:
    from assistant.chain import AnswerChain


@lru_cache(maxsize=4)
def load_index(index_dir: Path, embedder: str | None, chroma_url: str | None, read_only: bool = False) -> Index:
    return Index(index_dir, embedder_name=embedder, chroma_url=chroma_url, read_only=read_only)


def get_retriever(index_dir: Path | None = None, read_only: bool = False) -> Retriever:
    """`read_only` (the CLI's ask and retrieve) guarantees the index files are not written."""
    settings = get_settings()
    index = load_index(index_dir or settings.index_dir, settings.embedder, settings.chroma_url, read_only)
    return Retriever(index)


def reset() -> None:
    """Forget loaded indexes (after an ingest, the next call sees the new generation)."""
    load_index.cache_clear()


def get_chain(index_dir: Path | None = None, read_only: bool = False) -> AnswerChain:
    from assistant.chain import AnswerChain

    settings = get_settings()
    retriever = get_retriever(index_dir, read_only)
    chat_model = None
    if settings.llm_base_url:
        from assistant.llm import make_chat_model

        chat_model = make_chat_model(settings.llm_base_url, settings.llm_model, settings.llm_api_key)
    return AnswerChain(retriever.index, settings.today_or_now(), retriever=retriever, chat_model=chat_model)
