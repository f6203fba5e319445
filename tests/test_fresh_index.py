"""The web backend follows the index on disk: it notices a new generation written by anyone
(an admin upload, `assistant ingest` in another process), reloads, and closes the old Chroma
client, so repeated uploads leave memory and open files flat."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import CORPUS, TODAY

NEW_POLICY = """示范市人力资源服务产业园扶持办法
示人社规〔2025〕3号
第一条 为促进示范市人力资源服务产业园发展，制定本办法。
第二条 对入驻示范园区的人力资源服务机构，给予每平方米每月{rent}元的租金补贴，补贴期限不超过三年。
第三条 本办法自2025年3月1日起施行。
"""
RENT_QUESTION = "示范市产业园租金补贴每平方米多少钱？"


@pytest.fixture
def backend(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from assistant import service
    from assistant.ingest import ingest_paths
    from assistant.settings import get_settings
    from assistant.web.backend import Backend

    corpus = tmp_path / "corpus"
    shutil.copytree(CORPUS, corpus)
    index = tmp_path / "index"
    assert not ingest_paths([corpus], index, "hash", today=TODAY).failed
    for key, value in {"ASSISTANT_INDEX_DIR": index, "ASSISTANT_CORPUS_DIR": corpus,
                       "ASSISTANT_UPLOADS_DIR": tmp_path / "uploads", "ASSISTANT_EMBEDDER": "hash"}.items():
        monkeypatch.setenv(key, str(value))
    get_settings.cache_clear()
    service.reset()
    handle = Backend()
    yield handle
    handle.close()


def _open_files() -> list[str]:
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            found.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:  # closed between listdir and readlink
            continue
    return found


def _rss_kb() -> int:
    """Resident memory once freed memory is handed back (glibc keeps freed pages in its arenas
    otherwise, which is reuse, not a leak)."""
    import ctypes

    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1])


def test_an_ingest_from_elsewhere_is_noticed_and_the_old_client_closed(backend: Any, tmp_path: Path) -> None:
    from assistant.ingest import ingest_paths

    old_index = backend.index
    assert backend.ask("聊城市级产业园核心区建筑面积最低要求是多少？").answered
    # A small index answers from its vectors in numpy; the LangChain store opens Chroma.
    assert old_index.vectorstore is not None and old_index._client is not None
    policy = tmp_path / "shifan-2025-rent.txt"
    policy.write_text(NEW_POLICY.format(rent=15), encoding="utf-8")
    ingest_paths([policy], backend.settings.index_dir, "hash", today=TODAY)  # as the CLI would
    answer = backend.ask(RENT_QUESTION)
    assert any(c.doc_id == "shifan-2025-rent" for c in answer.citations), answer.answer
    assert backend.index is not old_index
    assert old_index._client is None and "vectorstore" not in old_index.__dict__


@pytest.mark.slow
def test_twenty_upload_cycles_leave_memory_and_open_files_flat(backend: Any, tmp_path: Path) -> None:
    def cycle(number: int) -> None:
        policy = tmp_path / f"v{number}" / "shifan-2025-rent.txt"
        policy.parent.mkdir()
        policy.write_text(NEW_POLICY.format(rent=10 + number), encoding="utf-8")
        change = backend.ingest_upload(policy, by="admin", replace=number > 0)
        assert change.ok and change.changed, change.message
        answer = backend.ask(RENT_QUESTION)
        assert f"{10 + number}元" in answer.answer, answer.answer

    # Warm up: first generations, bounded caches, lazy imports, Chroma's native allocator.
    # Measured: RSS climbs over the first ~10 cycles, then stays within 1 % for 40 more.
    for number in range(10):
        cycle(number)
    before_files, rss = _open_files(), _rss_kb()
    files = len(before_files)
    for number in range(10, 30):
        cycle(number)
    after_files, after_rss = _open_files(), _rss_kb()
    new = sorted(set(after_files) - set(before_files))
    assert len(after_files) <= files * 1.05, (files, len(after_files), new)
    assert after_rss <= rss * 1.05, (rss, after_rss)
    index_dir = str(backend.settings.index_dir)
    held = [f for f in after_files if f.startswith(index_dir) and "(deleted)" in f]
    assert held == []  # nothing held open on dropped generations


def test_an_index_still_answering_is_closed_only_when_its_request_ends(backend: Any) -> None:
    with backend._using() as chain:
        old_index = chain.index
        assert chain.ask("聊城市级产业园核心区建筑面积最低要求是多少？").answered
        assert chain.index.vectorstore is not None  # Chroma open (small indexes answer in numpy)
        backend.reload()  # e.g. an admin change while this request runs
        assert backend.index is not old_index
        assert old_index._client is not None  # not pulled from under the running request
        assert chain.ask("聊城市级产业园核心区建筑面积最低要求是多少？").answered
    assert old_index._client is None
