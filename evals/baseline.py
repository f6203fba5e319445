"""The pipeline a LangChain tutorial would build, scored with the runner's metrics.

`RecursiveCharacterTextSplitter(chunk_size=300, chunk_overlap=50)` over each corpus file's raw
text, one Chroma collection in a temp dir embedded with the project's embedder, the top chunk as
the answer. It never declines.

A chunk knows nothing of articles, so it is mapped onto them: a chunk *covers* an article of its
own document when the two share a common substring of at least MIN_OVERLAP characters
(whitespace removed on both sides; shorter articles must appear whole). Article texts come from
the project's own chunker (`load_document` + `chunk_document`), so the gold labels mean the same
thing for both systems. A retrieved chunk is a hit for a gold article it covers; the articles the
top chunk covers are its citations.
"""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from evals.run import Answered, K, Label, Question, Retrieved

CHUNK_SIZE = 300
CHUNK_OVERLAP = 50
MIN_OVERLAP = 20

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Article:
    doc_id: str
    label: str
    text: str  # whitespace removed


@dataclass
class BaselineResult:
    retrieved: dict[str, Retrieved]
    answers: dict[str, Answered]
    chunks: int
    build_s: float
    min_overlap: int = MIN_OVERLAP


def load_articles(paths: Sequence[Path]) -> dict[str, list[Article]]:
    from assistant.ingest import load_document
    from assistant.structure import chunk_document

    articles: dict[str, list[Article]] = {}
    for path in paths:
        doc = load_document(path)
        articles[doc.meta.doc_id] = [
            Article(c.doc_id, c.article, _SPACE.sub("", c.text)) for c in chunk_document(doc)
        ]
    return articles


def covered(chunk_text: str, articles: Sequence[Article]) -> frozenset[Label]:
    """The articles (of the chunk's own document) that a chunk overlaps."""
    text = _SPACE.sub("", chunk_text)
    found: set[Label] = set()
    for article in articles:
        need = min(MIN_OVERLAP, len(article.text))
        if need == 0 or len(text) < need:
            continue
        match = SequenceMatcher(None, text, article.text, autojunk=False).find_longest_match(
            0, len(text), 0, len(article.text)
        )
        if match.size >= need:
            found.add((article.doc_id, article.label))
    return frozenset(found)


def split_corpus(paths: Sequence[Path]) -> list[object]:
    """LangChain documents: the tutorial's chunks, with doc_id in the metadata."""
    from langchain_core.documents import Document as LCDocument
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from assistant.ingest import doc_id_for, read_text_file

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    docs: list[object] = []
    for path in paths:
        raw, _ = read_text_file(path)
        docs.extend(splitter.split_documents([LCDocument(raw, metadata={"doc_id": doc_id_for(path)})]))
    return docs


def run_baseline(questions: Sequence[Question], paths: Sequence[Path], embedder_name: str) -> BaselineResult:
    from langchain_chroma import Chroma

    from assistant.embed import get_embedder
    from assistant.index import chroma_settings
    from assistant.lc_embeddings import LangChainEmbeddings

    articles = load_articles(paths)
    started = time.perf_counter()
    docs = split_corpus(paths)
    embeddings = LangChainEmbeddings(get_embedder(embedder_name))
    retrieved: dict[str, Retrieved] = {}
    answers: dict[str, Answered] = {}
    with tempfile.TemporaryDirectory(prefix="baseline-chroma-", ignore_cleanup_errors=True) as tmp:
        store = Chroma.from_documents(
            docs,  # type: ignore[arg-type]
            embeddings,
            persist_directory=tmp,
            client_settings=chroma_settings(),
            collection_name="tutorial",
        )
        build_s = time.perf_counter() - started
        coverage: dict[str, frozenset[Label]] = {}
        for q in questions:
            t0 = time.perf_counter()
            hits = store.similarity_search(q.question, k=K)
            ms = (time.perf_counter() - t0) * 1000
            ranked = []
            for hit in hits:
                key = hit.page_content
                if key not in coverage:
                    coverage[key] = covered(key, articles.get(hit.metadata["doc_id"], []))
                ranked.append(coverage[key])
            retrieved[q.id] = Retrieved(tuple(ranked))
            top = hits[0].page_content if hits else ""
            answers[q.id] = Answered(
                answer=top,
                answered=True,
                citations=tuple(sorted(ranked[0])) if ranked else (),
                latency_ms=ms,
            )
    return BaselineResult(retrieved, answers, len(docs), build_s)
