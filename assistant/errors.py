"""Small typed errors; the CLI and the web app turn each into one clear message."""

from __future__ import annotations

from pathlib import Path


class AssistantError(Exception):
    """Base class: the message is shown to the user as is, so it says what to do next."""


class CorpusError(AssistantError):
    """The corpus directory or a path given to ingest is unusable."""


class BadDocument(AssistantError):
    """One document could not be read; ingest reports it and goes on with the others."""

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path.name}: {reason}")


class IndexMissing(AssistantError):
    def __init__(self, index_dir: Path | str) -> None:
        super().__init__(
            f"没有找到索引 {index_dir}（no index at {index_dir}）: run `assistant ingest` first"
        )


class IndexMismatch(AssistantError):
    """The index on disk was built with another embedder or chunker version."""


class IndexBusy(AssistantError):
    """Another ingest holds the index lock."""


class UnknownEmbedder(AssistantError):
    pass


class BadQuestion(AssistantError):
    pass


class CalcError(AssistantError):
    """A figure, a date or a rule the calculator cannot use.

    The message is bilingual and names the accepted form, e.g. "请写成 3000万元、1.2亿 …".
    """
