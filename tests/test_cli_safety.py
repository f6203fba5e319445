"""The command line under abuse: batch exit status, gibberish, unreadable paths, symlinks out
of the corpus folder, and read-only commands that must leave the index files untouched."""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from assistant.cli import main

from .conftest import CORPUS, ROOT

GOOD = "柳州园区企业主营业务收入6亿元，经济贡献奖励最多多少？"
HASH = {"ASSISTANT_EMBEDDER": "hash"}


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_ask_batch_exits_1_when_a_line_failed_and_0_when_none(use_hash_index: Path) -> None:
    ok = CliRunner().invoke(main, ["ask", "--json", "-"], input=json.dumps({"id": "a", "question": GOOD}) + "\n")
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.stdout)["answered"] is True
    mixed = CliRunner().invoke(main, ["ask", "--json", "-"], input=f"{GOOD}\n{{broken\n")
    assert mixed.exit_code == 1
    lines = [json.loads(line) for line in mixed.stdout.splitlines()]
    assert lines[0]["answered"] is True and "error" in lines[1]  # the batch still answered line 1
    assert "1 line(s) failed" in mixed.stderr


def test_random_bytes_are_refused_not_answered(use_hash_index: Path) -> None:
    rng = random.Random(17)
    lines = [bytes(rng.randrange(256) for _ in range(rng.randrange(8, 120))) for _ in range(83)]
    lines = [line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines]
    payload = b"\n".join(lines) + b"\n"
    result = CliRunner().invoke(main, ["ask", "--json", "-"], input=payload)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == 83
    answered = [o for o in out if o.get("answered")]
    assert answered == [], f"{len(answered)} of 83 random lines got an answer"
    refused = [o for o in out if "无法识别的问题" in o.get("error", "")]
    assert len(refused) >= 75, [o for o in out if o not in refused][:3]  # the rest: no words at all
    assert result.exit_code == 1


def test_unreadable_path_on_the_command_line_is_reported_and_the_rest_ingested(tmp_path: Path) -> None:
    unreadable = tmp_path / ("长" * 100 + ".txt")  # 300 bytes: the OS refuses to even stat it
    good = CORPUS / "liaocheng-city-park.txt"
    result = CliRunner().invoke(
        main, ["ingest", str(unreadable), str(good), "--index", str(tmp_path / "idx")], env=HASH
    )
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code == 1
    assert "无法读取" in result.stderr
    assert "+ liaocheng-city-park: 17 articles" in result.stdout


def test_symlink_leaving_the_corpus_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    secret = outside / "policy.txt"
    shutil.copyfile(CORPUS / "guangxi-2021-regional-park.txt", secret)  # would index fine if followed
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copyfile(CORPUS / "liaocheng-city-park.txt", corpus / "liaocheng-city-park.txt")
    (corpus / "passwd.txt").symlink_to(secret)
    index = tmp_path / "idx"
    result = CliRunner().invoke(main, ["ingest", str(corpus), "--index", str(index)], env=HASH)
    assert result.exit_code == 1
    assert "passwd.txt: 链接指向语料目录之外" in result.stderr
    documents = json.loads((index / "manifest.json").read_text(encoding="utf-8"))["documents"]
    assert "passwd" not in documents and "liaocheng-city-park" in documents


def test_ask_and_retrieve_leave_every_index_file_unchanged(tmp_path: Path) -> None:
    """In real processes: Chroma's embedded client writes chroma.sqlite3 when it opens and
    closes, which an in-process runner would not show."""
    from assistant.ingest import ingest_paths

    index = tmp_path / "idx"
    ingest_paths([CORPUS], index, "hash")
    before = _digest(index)
    assert any(name.endswith("chroma.sqlite3") for name in before)
    env = {**os.environ, "ASSISTANT_EMBEDDER": "hash", "PYTHONPATH": str(ROOT)}
    for args in (["retrieve", "聊城核心区面积要求"], ["ask", "--json", "-"]):
        done = subprocess.run(
            [sys.executable, "-c", "from assistant.cli import main; main()", *args, "--index", str(index)],
            input=f"{GOOD}\n", capture_output=True, text=True, env=env, timeout=300, check=False,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert "聊城" in done.stdout or "50万" in done.stdout
    assert _digest(index) == before
