"""An `Embedder` as a LangChain `Embeddings`, handed to `langchain_chroma.Chroma` so Chroma never
embeds on its own. A module of its own: answering embeds with the `Embedder` directly, and
importing langchain_core costs ~0.1 s of a cold answer."""

from __future__ import annotations

from langchain_core.embeddings import Embeddings

from assistant.embed import Embedder


class LangChainEmbeddings(Embeddings):
    """Adapter handed to `langchain_chroma.Chroma`."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder
        self.calls = 0  # texts embedded, so tests can prove idempotent re-ingest

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += len(texts)
        vectors: list[list[float]] = self.embedder.encode(texts).tolist()
        return vectors

    def embed_query(self, text: str) -> list[float]:
        vector: list[float] = self.embedder.encode([text])[0].tolist()
        return vector
