"""The MCP server driven by the official `mcp` client: over stdio (the server is `python -m
assistant mcp` in its own process) and over streamable HTTP on a loopback port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest

from tests.conftest import ROOT, TODAY
from tests.test_web import free_port
from tests.verify_support import EXPECTED, SIX_CITATIONS, build_index

TOOLS = {"ask", "search_policies", "get_unit", "verify_citations", "calculate", "self_check", "list_documents"}

pytestmark = pytest.mark.slow  # starts the server as a subprocess


@pytest.fixture(scope="module")
def verify_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_index(tmp_path_factory.mktemp("mcp-index"))


def server_env(index_dir: Path) -> dict[str, str]:
    return {
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
        "ASSISTANT_INDEX_DIR": str(index_dir),
        "ASSISTANT_EMBEDDER": "hash",
        "ASSISTANT_TODAY": TODAY.isoformat(),
        "HF_HUB_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }


def over_stdio(index_dir: Path, session: Callable[[Any], Awaitable[None]]) -> None:
    from mcp import Client, StdioServerParameters

    params = StdioServerParameters(
        command=sys.executable, args=["-m", "assistant", "mcp"], env=server_env(index_dir), cwd=str(ROOT)
    )

    async def run() -> None:
        async with Client(params, read_timeout_seconds=120) as client:
            await session(client)

    anyio.run(run)


def payload(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    data: dict[str, Any] = json.loads(result.content[0].text)
    return data


def test_stdio_lists_the_tools_and_calls_each(verify_index: Path) -> None:
    seen: dict[str, Any] = {}

    async def session(client: Any) -> None:
        listed = await client.list_tools()
        seen["tools"] = {t.name: t for t in listed.tools}
        calls = {
            "list_documents": {},
            "ask": {"question": "柳州园区企业主营业务收入6亿元，经济贡献奖励最多多少？"},
            "search_policies": {"query": "聊城核心区建筑面积", "k": 3},
            "get_unit": {"document": "桂人社规〔2021〕1号", "label": "第5条第（三）项"},
            "verify_citations": {"text": SIX_CITATIONS, "date": TODAY.isoformat()},
            "calculate": {"rule": "liuzhou.economic_contribution", "inputs": {"revenue": "6亿"}},
            "self_check": {"profile": {"location": "聊城", "core_area": "3800平方米", "institutions": "16家"}},
        }
        for name, args in calls.items():
            seen[name] = payload(await client.call_tool(name, args))
        seen["missing_unit"] = await client.call_tool(
            "get_unit", {"document": "聊城市市级人力资源服务产业园管理暂行办法", "label": "第二十五条"})
        seen["too_long"] = await client.call_tool("ask", {"question": "问" * 2001})
        seen["bad_rule"] = await client.call_tool("calculate", {"rule": "no.such.rule", "inputs": {}})

    over_stdio(verify_index, session)

    tools = seen["tools"]
    assert set(tools) == TOOLS
    for tool in tools.values():
        assert tool.annotations.read_only_hint is True and tool.description
    assert tools["verify_citations"].input_schema["properties"]["text"]["maxLength"] == 20_000
    assert tools["ask"].input_schema["properties"]["question"]["maxLength"] == 2000

    docs = {d["doc_id"]: d for d in seen["list_documents"]["documents"]}
    assert docs["shifan-2019-rent-subsidy"]["status"]["word"] == "已被替代"
    assert docs["guangxi-2021-regional-park"]["doc_number"] == "桂人社规〔2021〕1号"
    assert "liuzhou.economic_contribution" in {r["id"] for r in seen["list_documents"]["rules"]}

    assert seen["ask"]["answered"] and "50万" in seen["ask"]["answer"]
    assert seen["ask"]["citations"][0]["article"] == "二（二）5"
    assert seen["search_policies"]["hits"][0]["doc_id"] == "liaocheng-city-park"
    unit = seen["get_unit"]
    assert (unit["doc_id"], unit["label"]) == ("guangxi-2021-regional-park", "第五条（三）")
    assert unit["text"].startswith("（三）有一定的园区面积。")
    verdicts = [c["verdict"] for c in seen["verify_citations"]["citations"]]
    assert verdicts == [v for v, _ in EXPECTED]
    assert seen["verify_citations"]["failed"] is True
    assert "不超过50万元" in seen["calculate"]["verdict"]
    assert "核心区建筑面积：3800平方米，要求≥4000平方米" in seen["self_check"]["text"]
    assert "还差200平方米" in seen["self_check"]["text"]

    missing = seen["missing_unit"]
    assert missing.is_error and "没有“第二十五条”" in missing.content[0].text
    assert "第一条—第十七条" in missing.content[0].text
    assert seen["too_long"].is_error
    assert seen["bad_rule"].is_error and "no.such.rule" in seen["bad_rule"].content[0].text


def test_streamable_http(verify_index: Path, tmp_path: Path) -> None:
    import httpx
    from mcp import Client

    port = free_port()
    log = open(tmp_path / "mcp.log", "w", encoding="utf-8")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "mcp", "--http", "--port", str(port)],
        cwd=ROOT, env={**os.environ, **server_env(verify_index)}, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/mcp"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.HTTPError:
                assert process.poll() is None, (tmp_path / "mcp.log").read_text()
                time.sleep(0.3)
        result: dict[str, Any] = {}

        async def run() -> None:
            async with Client(url, read_timeout_seconds=120) as client:
                result["tools"] = {t.name for t in (await client.list_tools()).tools}
                result["verify"] = payload(await client.call_tool(
                    "verify_citations", {"text": SIX_CITATIONS}))

        anyio.run(run)
        assert result["tools"] == TOOLS
        assert [c["verdict"] for c in result["verify"]["citations"]] == [v for v, _ in EXPECTED]
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
