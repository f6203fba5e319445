"""The web app in a real browser: Playwright drives Debian's Chromium against `python app.py`.

The app runs as its own process on a free loopback port over a temp corpus copy and a
hash-embedder index (one extra test repeats the main flows over the default USE-m3 index).
Screenshots land in evals/screenshots/. `make browser` installs Chromium and Playwright; these
tests skip only when that could not be done.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPUS, ROOT, TODAY
from tests.test_web import GOOD_POLICY, QUESTION, free_port, manifest_generation

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = ROOT / "evals" / "screenshots"
STARTUP_SECONDS = 120
ADMIN_PASSWORD = "browser-test-password"

try:
    from playwright.sync_api import Browser, Page, sync_playwright

    HAVE_PLAYWRIGHT = True
except ImportError:  # pragma: no cover - depends on the machine
    HAVE_PLAYWRIGHT = False

if not HAVE_PLAYWRIGHT:
    pytestmark = pytest.mark.skip(reason="playwright is not installed: run `make browser`")
elif not CHROMIUM.exists():
    pytestmark = pytest.mark.skip(
        reason=f"{CHROMIUM} is missing and could not be installed: run `make browser` "
        "(apt-get install -y chromium)"
    )


class Server:
    """`python app.py` in its own process, stopped by its pid."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = int(env["ASSISTANT_PORT"])
        self.url = f"http://127.0.0.1:{self.port}/"
        self.log = log
        self.handle = open(log, "w", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, str(ROOT / "app.py")],
            cwd=ROOT,
            env=env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
        )

    def wait(self) -> None:
        import httpx

        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"app.py exited: {self.log.read_text(encoding='utf-8')[-3000:]}")
            try:
                if httpx.get(self.url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"app.py did not start in {STARTUP_SECONDS}s: {self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.handle.close()


def app_env(index_dir: Path, corpus: Path, embedder: str | None) -> dict[str, str]:
    env = {
        **os.environ,
        "ASSISTANT_INDEX_DIR": str(index_dir),
        "ASSISTANT_CORPUS_DIR": str(corpus),
        "ASSISTANT_UPLOADS_DIR": str(index_dir.parent / "uploads"),
        "ASSISTANT_ADMIN_PASSWORD": ADMIN_PASSWORD,
        # one test client clicks faster than a person: the per-client limit has its own tests
        "ASSISTANT_RATE_LIMIT_PER_MINUTE": "100000",
        "ASSISTANT_TODAY": TODAY.isoformat(),
        "ASSISTANT_HOST": "127.0.0.1",
        "ASSISTANT_PORT": str(free_port()),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "ANONYMIZED_TELEMETRY": "False",
    }
    env.pop("ASSISTANT_EMBEDDER", None)
    env["ASSISTANT_FEEDBACK_FILE"] = str(index_dir.parent / "feedback.jsonl")
    if embedder:
        env["ASSISTANT_EMBEDDER"] = embedder
    return env


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from assistant.ingest import ingest_paths

    root = tmp_path_factory.mktemp("browser")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    index_dir = root / "index"
    assert not ingest_paths([corpus], index_dir, "hash", today=TODAY).failed
    server = Server(app_env(index_dir, corpus, "hash"), root / "app.log")
    try:
        server.wait()
        yield {"url": server.url, "index": index_dir, "corpus": corpus, "root": root}
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def open_page(browser: Browser, url: str) -> tuple[Page, list[str]]:
    """A fresh page as a clerk's browser sees it (Chinese locale), recording every request that
    leaves the machine: the app must work with no network."""
    context = browser.new_context(
        viewport={"width": 1360, "height": 1000},
        locale="zh-CN",
        permissions=["clipboard-read", "clipboard-write"],
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    outside: list[str] = []
    local = ("http://127.0.0.1", "data:", "blob:", "about:")
    page.on("request", lambda request: None if request.url.startswith(local) else outside.append(request.url))
    page.goto(url)
    page.wait_for_selector("#question textarea")
    return page, outside


@pytest.fixture
def page(browser: Browser, site: dict[str, Any]) -> Iterator[Page]:
    page, outside = open_page(browser, site["url"])
    yield page
    page.context.close()
    assert not outside, f"the page reached outside the machine: {outside}"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def ask(page: Page, question: str, answers: int) -> Any:
    """Type a question, press Enter, and return the new answer bubble."""
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")
    page.wait_for_function(f"document.querySelectorAll('#chat .answer').length >= {answers}")
    return page.locator("#chat .answer").nth(answers - 1)


def open_tab(page: Page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def cell(page: Page, table: str, row: int, column: int) -> Any:
    return page.locator(f"{table} [data-testid='cell-{row}-{column}']")


# ---------------------------------------------------------------- chat


def test_answer_shows_citation_card_and_copies_the_reference(page: Page) -> None:
    answer = ask(page, QUESTION, 1)
    assert "50万" in answer.locator(".answer-text").inner_text()
    assert "answer-answered" in (answer.get_attribute("class") or "")
    card = answer.locator(".cite-card").first
    assert "二（二）5" in card.locator(".cite-head").inner_text()
    assert card.locator(".badge-draft").inner_text() == "草案"
    assert "2026-12-31" in card.locator(".cite-meta").inner_text()
    # the operative clause is in view and highlighted; the whole unit one click away
    assert "一次性奖励不超过50万元" in card.locator(".cite-text mark").inner_text()
    assert not card.locator(".cite-full-text").is_visible()
    card.locator(".cite-full summary").click()
    assert "所需资金从专项发展资金中列支" in card.locator(".cite-full-text").inner_text()
    card.locator("button.copy-cite").click()
    page.wait_for_function("document.querySelector('#chat .cite-card button.copy-cite').textContent === '已复制'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("《关于推进国家级柳州人力资源服务产业园高质量发展若干措施》（草案）二（二）5：“经济贡献奖励。")
    assert copied.endswith("”")
    answer.locator(".answer-meta button.copy-cite").click()
    page.wait_for_function("document.querySelector('#chat .answer-meta button.copy-cite').textContent === '已复制'")
    pasted = page.evaluate("navigator.clipboard.readText()")
    assert pasted.startswith("符合第4档") and "\n引用条款：《关于推进国家级柳州人力资源服务产业园高质量发展若干措施》二（二）5" in pasted
    shot(page, "chat-answer")


def test_follow_up_uses_the_conversation(page: Page) -> None:
    ask(page, QUESTION, 1)
    follow = ask(page, "那1.2亿呢？", 2)
    assert "30万" in follow.locator(".answer-text").inner_text()
    assert "二（二）5" in follow.locator(".cite-card .cite-head").first.inner_text()
    third = ask(page, "那12亿呢？", 3)
    assert "80万" in third.locator(".answer-text").inner_text()
    shot(page, "chat-follow-up")


def test_refusal_looks_different_and_examples_ask(page: Page) -> None:
    # the examples live in the empty chat; made from the documents, each one is answered
    example = page.locator("#chat button.example", has_text="讲了什么").first
    asked = example.inner_text()
    example.click()
    page.wait_for_function("document.querySelectorAll('#chat .answer').length >= 1")
    first = page.locator("#chat .answer").first
    assert "answer-answered" in (first.get_attribute("class") or "")
    assert first.locator(".cite-card .cite-article").first.inner_text() in asked
    refused = ask(page, "火星上的产业园有什么补贴？", 2)
    assert "answer-refused" in (refused.get_attribute("class") or "")
    assert refused.locator(".refusal-tag").is_visible()
    assert refused.locator(".cite-card").count() == 0
    style = refused.locator(".answer-main").evaluate("el => getComputedStyle(el).borderTopStyle")
    assert style == "dashed"
    shot(page, "chat-refusal")


# ---------------------------------------------------------------- self-check


def test_self_check_form_gives_verdicts_and_opens_the_article(page: Page) -> None:
    open_tab(page, "资格自检")
    page.fill("#check-location input", "柳州")
    page.keyboard.press("Enter")
    page.fill("#check-revenue textarea", "6亿元")
    page.fill("#check-tax textarea", "250万元")
    page.click("#check-run")
    reward = page.locator("#check-results .check-card", has_text="经济贡献奖励").first
    reward.wait_for()
    assert "不超过50万元" in reward.locator(".check-amount").inner_text()
    reward.locator(".check-detail summary").click()
    detail = reward.locator(".article-view")
    assert "二（二）5" in detail.locator(".article-label").inner_text()
    assert "经济贡献奖励" in detail.locator(".article-text").inner_text()
    shot(page, "self-check")


def test_self_check_shows_a_gap(page: Page) -> None:
    open_tab(page, "资格自检")
    page.fill("#check-location input", "聊城")
    page.keyboard.press("Enter")
    page.fill("#check-core_area textarea", "3800平方米")
    page.fill("#check-institutions textarea", "16家")
    page.click("#check-run")
    gap = page.locator("#check-results .check-card", has_text="还差200平方米").first
    gap.wait_for()
    assert "第六条" in gap.locator(".check-head").inner_text()


# ---------------------------------------------------------------- article browser


def test_article_browser_outline_and_search(page: Page) -> None:
    open_tab(page, "条款浏览")
    page.locator("#browse-article .article-view").wait_for()
    assert "第一章" in cell(page, "#browse-outline", 0, 0).inner_text()
    cell(page, "#browse-outline", 4, 1).click()  # 第五条
    page.wait_for_function(
        "document.querySelector('#browse-article .article-label').textContent === '第五条'"
    )
    page.fill("#browse-query textarea", "第13条")
    page.click("#browse-find")
    page.wait_for_function(
        "document.querySelector('#browse-article .article-label').textContent === '第十三条'"
    )
    # another document, an outline-style label
    page.click("#browse-doc input")
    page.get_by_role("option", name="关于推进国家级柳州人力资源服务产业园高质量发展若干措施").click()
    page.wait_for_function(
        "document.querySelector('#browse-article .article-label').textContent === '序言'"
    )
    page.fill("#browse-query textarea", "二（二）5")
    page.press("#browse-query textarea", "Enter")
    page.wait_for_function(
        "document.querySelector('#browse-article .article-label').textContent === '二（二）5'"
    )
    assert page.locator("#browse-article .badge-draft").is_visible()
    # keyword across all documents, highlighted
    page.locator("#browse-all input").check()
    page.fill("#browse-query textarea", "专职工作人员")
    page.click("#browse-find")
    page.locator("#browse-article mark", has_text="专职工作人员").first.wait_for()
    shot(page, "article-browser")


# ---------------------------------------------------------------- documents


def upload(page: Page, path: Path) -> Any:
    """Through the admin page (/admin), logged in as the admin; then back to the public page."""
    base = page.url.split("#")[0].rstrip("/")
    page.goto(f"{base}/admin/")
    page.wait_for_selector("input[type='password'], #admin-upload")
    if page.locator("input[type='password']").count():
        page.locator("input[type='text']").first.fill("admin")
        page.locator("input[type='password']").fill(ADMIN_PASSWORD)
        page.locator("button", has_text=re.compile("Login|登录")).click()
    page.wait_for_selector("#admin-upload")
    page.set_input_files("#admin-upload input[type='file']", str(path))
    page.locator("#admin-upload", has_text=path.name).wait_for()
    page.click("#admin-ingest")
    result = page.locator("#admin-result .notice")
    result.wait_for()
    text, classes = result.inner_text(), result.get_attribute("class") or ""
    page.goto(f"{base}/")
    page.wait_for_selector("#question textarea")
    open_tab(page, "文件管理")
    return text, classes


def test_bad_upload_shows_the_error_and_keeps_the_index(
    page: Page, site: dict[str, Any], tmp_path: Path
) -> None:
    before = manifest_generation(site["index"])
    files = sorted(p.name for p in site["corpus"].iterdir())
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"\x00\x9f\x92\x96binary\x00" * 300)
    text, classes = upload(page, bad)
    assert "notice-error" in classes
    assert "scan.txt: 不是文本文件" in text
    assert manifest_generation(site["index"]) == before
    assert sorted(p.name for p in site["corpus"].iterdir()) == files
    cell = page.locator("#docs-table [role='gridcell']", has_text="桂人社规〔2021〕1号")
    cell.first.wait_for()  # the table is filled on page load, which a loaded machine delays
    assert cell.count() == 1
    shot(page, "upload-bad-file")


def test_good_upload_is_answerable_without_restart(
    page: Page, site: dict[str, Any], tmp_path: Path
) -> None:
    """Last in the file: it adds a document to the module's index."""
    policy = tmp_path / "shifan-2025-rent.txt"
    policy.write_text(GOOD_POLICY, encoding="utf-8")
    text, classes = upload(page, policy)
    assert "notice-ok" in classes, text
    assert "已导入 shifan-2025-rent" in text
    page.locator("#docs-table [role='gridcell']", has_text="示人社规〔2025〕3号").wait_for()
    shot(page, "upload-good-file")
    assert json.loads((site["index"] / "manifest.json").read_text())["counts"]["documents"] == 4
    open_tab(page, "政策问答")
    answer = ask(page, "示范市产业园租金补贴每平方米多少钱？", 1)
    assert "示范市人力资源服务产业园扶持办法" in answer.locator(".cite-card .cite-head").first.inner_text()


# ---------------------------------------------------------------- the default index


@pytest.mark.slow
def test_main_flows_on_the_default_index(browser: Browser, use_index: Path, tmp_path: Path) -> None:
    """The same flows over the default USE-m3 embedder index (dense retrieval on)."""
    server = Server(app_env(use_index, CORPUS, None), tmp_path / "app.log")
    try:
        server.wait()
        page, outside = open_page(browser, server.url)
        answer = ask(page, QUESTION, 1)
        assert "50万" in answer.locator(".answer-text").inner_text()
        assert "二（二）5" in answer.locator(".cite-card .cite-head").first.inner_text()
        assert "30万" in ask(page, "那1.2亿呢？", 2).locator(".answer-text").inner_text()
        open_tab(page, "资格自检")
        page.fill("#check-location input", "柳州")
        page.keyboard.press("Enter")
        page.fill("#check-revenue textarea", "6亿元")
        page.click("#check-run")
        page.locator("#check-results .check-card", has_text="不超过50万元").first.wait_for()
        open_tab(page, "条款浏览")
        page.fill("#browse-query textarea", "第5条")
        page.click("#browse-find")
        page.wait_for_function(
            "document.querySelector('#browse-article .article-label').textContent === '第五条'"
        )
        shot(page, "default-index-browser")
        page.context.close()
        assert not outside
    finally:
        server.stop()
