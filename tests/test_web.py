"""The web app in-process: rendering, the backend, and the live server through gradio_client.

The server runs on a free loopback port over a temp copy of the corpus and a hash-embedder
index, so uploads never touch the real corpus or index.
"""

from __future__ import annotations

import json
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS, TODAY

QUESTION = "柳州园区企业主营业务收入6亿元，经济贡献奖励最多多少？"
LZ = "liuzhou-2024-park-measures"
GOOD_POLICY = """\
示范市人力资源服务产业园扶持办法
示人社规〔2025〕3号
示范市人力资源和社会保障局
2025年3月1日
第一章 总则
第一条 为促进示范市人力资源服务产业园发展，制定本办法。
第二章 扶持措施
第二条 对入驻示范园区的人力资源服务机构，给予每平方米每月15元的租金补贴，补贴期限不超过三年。
第三条 本办法自2025年3月1日起施行，有效期至2027年12月31日。
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manifest_generation(index_dir: Path) -> str:
    return str(json.loads((index_dir / "manifest.json").read_text(encoding="utf-8"))["generation"])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A corpus copy, its hash index, the settings pointing at them, and a running app."""
    from assistant import service, settings
    from assistant.ingest import ingest_paths
    from assistant.web.backend import Backend
    from assistant.web.ui import build_app, launch_options

    root = tmp_path_factory.mktemp("web")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    index_dir = root / "index"
    report = ingest_paths([corpus], index_dir, "hash", today=TODAY)
    assert not report.failed
    port = free_port()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ASSISTANT_INDEX_DIR", str(index_dir))
        env.setenv("ASSISTANT_CORPUS_DIR", str(corpus))
        env.setenv("ASSISTANT_UPLOADS_DIR", str(root / "uploads"))
        env.setenv("ASSISTANT_EMBEDDER", "hash")
        env.setenv("ASSISTANT_TODAY", TODAY.isoformat())
        env.setenv("ASSISTANT_PORT", str(port))
        env.setenv("GRADIO_ANALYTICS_ENABLED", "False")
        settings.get_settings.cache_clear()
        service.reset()
        backend = Backend()
        app = build_app(backend)
        app.queue()
        app.launch(**{**launch_options(), "prevent_thread_lock": True, "quiet": True})
        try:
            yield {
                "backend": backend,
                "app": app,
                "url": f"http://127.0.0.1:{port}/",
                "index": index_dir,
                "corpus": corpus,
                "uploads": root / "uploads",
                "root": root,
            }
        finally:
            app.close()
            settings.get_settings.cache_clear()
            service.reset()


@pytest.fixture
def client(site: dict[str, Any]) -> Any:
    from gradio_client import Client

    return Client(site["url"], verbose=False)


# ---------------------------------------------------------------- rendering


def test_citation_reference_is_what_a_clerk_pastes() -> None:
    from assistant.web.render import citation_reference

    text = "第五条 申报自治区级人力资源服务产业园应具备下列条件：\n（一）有园区发展规划。"
    ref = citation_reference("自治区级人力资源服务产业园管理暂行办法", "桂人社规〔2021〕1号", "第五条", text)
    assert ref == (
        "《自治区级人力资源服务产业园管理暂行办法》（桂人社规〔2021〕1号）第五条："
        "“申报自治区级人力资源服务产业园应具备下列条件：\n（一）有园区发展规划。”"
    )


def test_citation_reference_marks_a_draft() -> None:
    from assistant.web.render import citation_reference

    ref = citation_reference("若干措施", None, "二（二）5", "5.经济贡献奖励。", "draft")
    assert ref == "《若干措施》（草案）二（二）5：“经济贡献奖励。”"


def test_answer_and_refusal_render_differently_and_escape_text() -> None:
    from assistant.types import Answer, Citation
    from assistant.web.render import answer_html

    cite = Citation(LZ, "措施<b>", "二（二）5", "5.奖励<script>x</script>", "draft", valid_until="2026-12-31")
    answered = answer_html(Answer("q", "不超过50万元\n依据", True, citations=(cite,), latency_ms=12))
    refused = answer_html(Answer("q", "未找到相关规定", False))
    assert 'class="answer answer-answered"' in answered and "cite-card" in answered
    assert "badge-draft" in answered and "草案" in answered and "2026-12-31" in answered
    assert "<script>" not in answered and "&lt;script&gt;" in answered
    assert "不超过50万元<br>依据" in answered
    assert "\n" not in answered  # one HTML block: the chat's markdown pass leaves it alone
    assert 'class="answer answer-refused"' in refused and "未找到依据" in refused
    assert "cite-card" not in refused


def test_answer_copy_text_is_plain_with_its_sources() -> None:
    from assistant.types import Answer, Citation
    from assistant.web.render import answer_copy_text

    cite = Citation("g", "办法", "第五条", "第五条 …", "in_force", doc_number="桂人社规〔2021〕1号")
    text = answer_copy_text(Answer("q", "应具备下列条件", True, citations=(cite, cite)))
    assert text == "应具备下列条件\n引用条款：《办法》（桂人社规〔2021〕1号）第五条"


def test_outline_names_each_chapter_once() -> None:
    from assistant.types import Chunk
    from assistant.web.render import outline_rows

    chunks = [
        Chunk("d", "第一条", "第一条 甲。", chapter="第一章 总则"),
        Chunk("d", "第二条", "第二条 乙。", chapter="第一章 总则"),
        Chunk("d", "第三条", "第三条 丙。", chapter="第二章 申报"),
    ]
    assert outline_rows(chunks) == [
        ["第一章 总则", "第一条", "甲。"],
        ["", "第二条", "乙。"],
        ["第二章 申报", "第三条", "丙。"],
    ]


# ---------------------------------------------------------------- backend


def test_search_by_article_number_and_keyword(site: dict[str, Any]) -> None:
    backend = site["backend"]
    assert [c.article for c in backend.search("第5条", "guangxi-2021-regional-park").chunks] == ["第五条"]
    assert [c.article for c in backend.search("二（二）5", LZ).chunks] == ["二（二）5"]
    keyword = backend.search("经济贡献", None)
    assert [c.article for c in keyword.chunks] == ["二（二）5"] and keyword.terms == ("经济贡献",)
    assert backend.search("核心区面积", "liaocheng-city-park").chunks  # words in any order
    missing = backend.search("火星基地", LZ)
    assert not missing.chunks and "没有找到" in missing.message


def test_self_check_gives_amount_and_article(site: dict[str, Any]) -> None:
    from assistant.web.render import self_check_rows

    result = site["backend"].self_check("柳州", "企业", {"revenue": "6亿元", "tax": ""})
    rows = self_check_rows(result.results)
    reward = next(r for r in rows if r[0] == "经济贡献奖励")
    assert "不超过50万元" in reward[2] and reward[3].startswith("二（二）5")


def test_self_check_shows_the_gap(site: dict[str, Any]) -> None:
    from assistant.web.render import self_check_rows

    values = {"core_area": "3800平方米", "institutions": "16家", "occupancy": "62%", "staff": "8人"}
    rows = self_check_rows(site["backend"].self_check("聊城", "自动判断", values).results)
    assert any("还差200平方米" in r[2] and r[3].startswith("第六条") for r in rows)


def test_self_check_without_figures_asks_for_them(site: dict[str, Any]) -> None:
    assert "至少填写一项" in site["backend"].self_check("柳州", "自动判断", {"revenue": " "}).error


def test_upload_rejects_wrong_type_and_oversize(site: dict[str, Any], tmp_path: Path) -> None:
    exe = tmp_path / "policy.exe"
    exe.write_bytes(b"MZ")
    assert "不支持的文件类型 .exe" in site["backend"].ingest_upload(exe).message
    big = tmp_path / "big.txt"
    with open(big, "wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)
    outcome = site["backend"].ingest_upload(big)
    assert not outcome.ok and "上限 20 MB" in outcome.message


def test_bad_upload_leaves_index_and_corpus_unchanged(site: dict[str, Any], tmp_path: Path) -> None:
    before = manifest_generation(site["index"])
    files = sorted(p.name for p in site["corpus"].iterdir())
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02binary\x00" * 200)
    outcome = site["backend"].ingest_upload(bad)
    assert not outcome.ok
    assert "导入失败，索引未改变" in outcome.message and "broken.txt: 不是文本文件" in outcome.message
    assert manifest_generation(site["index"]) == before
    assert sorted(p.name for p in site["corpus"].iterdir()) == files


def test_chat_turn_echoes_with_progress_then_answers(site: dict[str, Any]) -> None:
    from assistant.web.chat import again, halted, respond

    steps = list(respond(site["backend"], QUESTION, None))
    assert len(steps) == 2
    echo, _, pending = steps[0]
    assert QUESTION in echo[-2]["content"] and "正在检索条款并计算" in echo[-1]["content"]
    assert pending["pending"] is True and pending["last"] == QUESTION
    # 停止 while it is pending: the question stays, marked stopped
    stopped = halted(pending)
    assert QUESTION in stopped[-2]["content"] and "已停止" in stopped[-1]["content"]
    done = steps[1][2]
    assert done["pending"] is False and len(done["messages"]) == 2 and len(done["records"]) == 1
    assert "cite-card" in done["messages"][-1]["content"] and "50万" in done["records"][0]["answer"]
    # 重新回答 replaces the finished answer instead of adding one; after a stop it asks again
    assert len(list(again(site["backend"], done))[-1][2]["records"]) == 1
    assert len(list(again(site["backend"], pending))[-1][2]["records"]) == 1
    # a follow-up uses the kept turns
    follow = list(respond(site["backend"], "那1.2亿呢？", done))[-1][2]
    assert "30万" in follow["records"][-1]["answer"] and len(follow["turns"]) == 2
    assert "正在检索相关条款" in list(respond(site["backend"], "聊城办法第六条是什么？", None))[0][0][-1]["content"]


# ---------------------------------------------------------------- the live server


def test_ask_api_answers_with_50wan_citing_the_article(client: Any) -> None:
    result = client.predict(QUESTION, api_name="/ask")
    assert result["answered"] is True and "50万" in result["answer"]
    assert any(c["article"] == "二（二）5" and c["doc_id"] == LZ for c in result["citations"])
    assert set(result) >= {"question", "answer", "answered", "citations", "tools", "latency_ms"}
    assert result["citations"][0]["status"] == "draft"


def test_ask_api_uses_history_for_follow_ups(client: Any) -> None:
    first = client.predict(QUESTION, api_name="/ask")
    result = client.predict("那1.2亿呢？", [[QUESTION, first["answer"]]], api_name="/ask")
    assert "30万" in result["answer"]
    assert any(c["article"] == "二（二）5" for c in result["citations"])


def test_ask_api_refusal_and_bad_question(client: Any) -> None:
    from gradio_client.exceptions import AppError

    assert client.predict("火星上的产业园有什么补贴？", api_name="/ask")["answered"] is False
    with pytest.raises(AppError, match="问题是空的"):
        client.predict("   ", api_name="/ask")


def test_only_ask_is_public_api(client: Any) -> None:
    endpoints = client.view_api(print_info=False, return_format="dict")
    assert list(endpoints["named_endpoints"]) == ["/ask"]
    assert not endpoints["unnamed_endpoints"]


def test_index_and_env_are_not_servable(site: dict[str, Any]) -> None:
    import httpx

    from assistant.settings import PROJECT_ROOT

    targets = [
        site["index"] / "manifest.json",
        PROJECT_ROOT / ".env",
        PROJECT_ROOT / "pyproject.toml",
        site["corpus"] / f"{LZ}.txt",
    ]
    for target in targets:
        for prefix in ("gradio_api/file=", "file="):
            response = httpx.get(f"{site['url']}{prefix}{target}")
            assert response.status_code in (403, 404), (target, response.status_code)


def test_safe_launch_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.settings import get_settings
    from assistant.web.ui import launch_options

    monkeypatch.delenv("ASSISTANT_PORT", raising=False)
    monkeypatch.delenv("ASSISTANT_HOST", raising=False)
    get_settings.cache_clear()
    options = launch_options()
    assert options["server_name"] == "127.0.0.1" and options["server_port"] == 7860
    assert options["share"] is False and options["allowed_paths"] == []
    assert options["max_file_size"] == 20 * 1024 * 1024
    assert str(get_settings().index_dir.resolve()) in options["blocked_paths"]
    assert any(p.endswith(".env") for p in options["blocked_paths"])
    monkeypatch.setenv("ASSISTANT_HOST", "0.0.0.0")
    get_settings.cache_clear()
    assert launch_options()["server_name"] == "0.0.0.0"


def test_good_upload_updates_the_index_without_restart(
    site: dict[str, Any], client: Any, tmp_path: Path
) -> None:
    """Runs last in this file: it adds a document to the module's index."""
    policy = tmp_path / "shifan-2025-rent.txt"
    policy.write_text(GOOD_POLICY, encoding="utf-8")
    before = manifest_generation(site["index"])
    outcome = site["backend"].ingest_upload(policy)
    assert outcome.ok, outcome.message
    assert outcome.doc_ids == ("shifan-2025-rent",) and "已导入" in outcome.message
    assert manifest_generation(site["index"]) != before
    assert (site["uploads"] / "shifan-2025-rent.txt").read_text(encoding="utf-8") == GOOD_POLICY
    assert not (site["corpus"] / "shifan-2025-rent.txt").exists()
    result = client.predict("示范市产业园租金补贴每平方米多少钱？", api_name="/ask")
    assert any(c["doc_id"] == "shifan-2025-rent" and c["article"] == "第二条" for c in result["citations"])
    again = site["backend"].ingest_upload(policy)
    assert not again.ok and "已有同名文件" in again.message  # never overwritten without "replace"
    same = site["backend"].ingest_upload(policy, replace=True)
    assert same.ok and "索引未改变" in same.message
