"""Split a document along its own outline (`assistant.outline`) into citable units.

One chunk per unit with text of its own: an article in 条-structured documents (its 款 and 项
stay inside it); in outline documents every numbered point with text, the preamble (序言), the
closing paragraph (附则) and each annex; paragraphs (第N段) when the text has no outline.
A chunk's `chapter` carries the headings above it (its parents' lead), for search.
"""

from __future__ import annotations

from assistant import outline
from assistant.types import Chunk, Document

CHUNKER_VERSION = "14"


def chunk_document(doc: Document) -> list[Chunk]:
    return chunk_text(doc.meta.doc_id, doc.meta.title, doc.text)


def chunk_text(doc_id: str, title: str, text: str) -> list[Chunk]:
    tree = outline.parse(text.split("\n"))
    return [
        Chunk(
            doc_id=doc_id,
            article=node.label,
            text="\n".join(node.lines),
            chapter=" / ".join(a for a in node.ancestors if a),
            title=title,
            order=i,
        )
        for i, node in enumerate(tree.units())
    ]


def shape_of(doc: Document) -> str:
    """articles | outline | paragraphs — the ingest report says when a text had no outline."""
    return outline.parse(doc.text.split("\n")).shape
