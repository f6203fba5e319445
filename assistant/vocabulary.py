"""Document frequencies over the indexed articles, for idf weights and coverage.

Built at ingest and stored with the generation (`assistant/tables.py`): tokenising every article
again in each worker cost 47 s before the first answer at 100k articles. The tables are arrays —
sorted tokens, their document frequencies, and each document's token ids — so a worker loads
them without building a Python set per document.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from assistant.index import tokenize
from assistant.types import Chunk

_TOKENS = "vocab.tokens.json"
_DF = "vocab.df.npy"
_DOC_PTR = "vocab.doc_ptr.npy"
_DOC_TOKENS = "vocab.doc_tokens.npy"
FILES = (_TOKENS, _DF, _DOC_PTR, _DOC_TOKENS)


class Vocabulary:
    """How many articles hold each token, and which tokens each document holds."""

    def __init__(
        self,
        tokens: Sequence[str],
        df: np.ndarray,
        doc_ids: Sequence[str],
        doc_ptr: np.ndarray,
        doc_tokens: np.ndarray,
        total: int,
    ) -> None:
        self.tokens = tokens  # sorted
        self.df = df  # aligned with tokens
        self.doc_ids = doc_ids
        self.doc_ptr = doc_ptr  # document i's token ids: doc_tokens[doc_ptr[i]:doc_ptr[i + 1]], sorted
        self.doc_tokens = doc_tokens
        self.total = max(1, total)

    @classmethod
    def build(cls, chunks: Iterable[Chunk]) -> Vocabulary:
        df: dict[str, int] = {}
        by_doc: dict[str, set[str]] = {}
        count = 0
        for chunk in chunks:
            count += 1
            tokens = set(tokenize(f"{chunk.title} {chunk.text}"))
            by_doc.setdefault(chunk.doc_id, set()).update(tokens)
            for token in tokens:
                df[token] = df.get(token, 0) + 1
        ordered = sorted(df)
        ids = {token: i for i, token in enumerate(ordered)}
        doc_ids = list(by_doc)
        runs = [np.sort(np.fromiter((ids[t] for t in by_doc[d]), dtype=np.int32)) for d in doc_ids]
        lengths = np.fromiter((r.size for r in runs), dtype=np.int64, count=len(runs))
        return cls(
            ordered,
            np.fromiter((df[t] for t in ordered), dtype=np.int64, count=len(ordered)),
            doc_ids,
            np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(lengths)]),
            np.concatenate(runs) if runs else np.zeros(0, dtype=np.int32),
            count,
        )

    def save(self, folder: Path) -> None:
        (folder / _TOKENS).write_text(
            json.dumps({"total": self.total, "doc_ids": list(self.doc_ids), "tokens": list(self.tokens)},
                       ensure_ascii=False),
            encoding="utf-8",
        )
        np.save(folder / _DF, np.asarray(self.df, dtype=np.int64))
        np.save(folder / _DOC_PTR, np.asarray(self.doc_ptr, dtype=np.int64))
        np.save(folder / _DOC_TOKENS, np.asarray(self.doc_tokens, dtype=np.int32))

    @classmethod
    def load(cls, folder: Path) -> Vocabulary:
        """The arrays are memory-mapped: workers serving one generation share their pages."""
        head: dict[str, Any] = json.loads((folder / _TOKENS).read_text(encoding="utf-8"))
        return cls(
            head["tokens"],
            np.load(folder / _DF, mmap_mode="r"),
            head["doc_ids"],
            np.load(folder / _DOC_PTR, mmap_mode="r"),
            np.load(folder / _DOC_TOKENS, mmap_mode="r"),
            int(head["total"]),
        )

    @cached_property
    def _ids(self) -> dict[str, int]:
        return {token: i for i, token in enumerate(self.tokens)}

    @cached_property
    def _doc_index(self) -> dict[str, int]:
        return {doc_id: i for i, doc_id in enumerate(self.doc_ids)}

    def idf(self, token: str) -> float:
        i = self._ids.get(token)
        return math.log(1 + self.total / ((0 if i is None else int(self.df[i])) + 0.5))

    def known(self, token: str, doc_ids: Sequence[str] = ()) -> bool:
        i = self._ids.get(token)
        if i is None:
            return False
        if not doc_ids:
            return True
        for doc_id in doc_ids:
            d = self._doc_index.get(doc_id)
            if d is None:
                continue
            run = self.doc_tokens[int(self.doc_ptr[d]) : int(self.doc_ptr[d + 1])]
            at = int(np.searchsorted(run, i))
            if at < run.size and int(run[at]) == i:
                return True
        return False

    @cached_property
    def _sounds(self) -> dict[tuple[str, ...], list[str]]:
        from pypinyin import lazy_pinyin

        sounds: dict[tuple[str, ...], list[str]] = {}
        for token in self.tokens:
            if len(token) >= 2 and not token.isascii():
                sounds.setdefault(tuple(lazy_pinyin(token)), []).append(token)
        return sounds

    def homophones(self, word: str) -> list[str]:
        """Words of the corpus that sound like `word` but are written otherwise: a pinyin input
        method's commonest typo (人设局 for 人社局). Built on first use, only when a question
        has a word the corpus lacks."""
        from pypinyin import lazy_pinyin

        return [w for w in self._sounds.get(tuple(lazy_pinyin(word)), []) if w != word]
