"""The 引用核验 tab in a real browser (Playwright + Debian's Chromium against `python app.py`),
over the seed corpus plus the verify fixtures (a replaced and an expired document)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import CORPUS, TODAY
from tests.test_browser import (  # noqa: F401 - `browser` is a fixture used by name
    CHROMIUM,
    HAVE_PLAYWRIGHT,
    Server,
    app_env,
    browser,
    open_page,
    open_tab,
    shot,
)
from tests.verify_support import EXPECTED, FIXTURES, SIX_CITATIONS

if HAVE_PLAYWRIGHT:
    from playwright.sync_api import Browser, Page

# the same conditions as tests/test_browser.py
if not HAVE_PLAYWRIGHT:
    pytestmark = pytest.mark.skip(reason="playwright is not installed: run `make browser`")
elif not CHROMIUM.exists():
    pytestmark = pytest.mark.skip(reason=f"{CHROMIUM} is missing: run `make browser`")


@pytest.fixture(scope="module")
def verify_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from assistant.ingest import ingest_paths

    root = tmp_path_factory.mktemp("browser-verify")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    for policy in FIXTURES.glob("*.txt"):
        shutil.copy(policy, corpus / policy.name)
    index_dir = root / "index"
    assert not ingest_paths([corpus], index_dir, "hash", today=TODAY).failed
    server = Server(app_env(index_dir, corpus, "hash"), root / "app.log")
    try:
        server.wait()
        yield server.url
    finally:
        server.stop()


@pytest.fixture
def page(browser: Browser, verify_site: str) -> Iterator[Page]:  # noqa: F811
    page, outside = open_page(browser, verify_site)
    yield page
    page.context.close()
    assert not outside, f"the page reached outside the machine: {outside}"


def run_check(page: Page, text: str, date: str = "") -> Any:
    open_tab(page, "引用核验")
    page.fill("#verify-text textarea", text)
    page.fill("#verify-date textarea", date)
    page.click("#verify-run")
    page.locator("#verify-result .verify-report, #verify-result .notice").first.wait_for()
    return page.locator("#verify-result")


def test_six_citations_in_the_tab(page: Page) -> None:
    result = run_check(page, SIX_CITATIONS)
    items = result.locator(".verify-item")
    assert items.count() == 6
    assert [items.nth(i).get_attribute("data-verdict") for i in range(6)] == [v for v, _ in EXPECTED]
    assert "共 6 处引用" in result.locator(".verify-summary").inner_text()
    assert "与原文一致" in items.nth(0).inner_text()
    number = items.nth(2)
    assert number.locator(".verify-quoted").first.inner_text() == "70%"
    assert number.locator(".verify-actual").first.inner_text() == "60%"
    assert "该文件没有 第二十五条" in items.nth(3).inner_text()
    assert "已被替代，由《示范市促进人力资源服务产业园发展若干措施》" in items.nth(4).inner_text()
    assert "不在语料库中" in items.nth(5).inner_text()
    # the pasted text comes back with each citation marked in its verdict's colour
    marks = result.locator(".verify-text mark")
    assert marks.count() == 6
    assert result.locator(".verify-text mark.verify-fail").count() == 3
    assert "70%" in marks.nth(2).inner_text()
    colour = result.locator(".verify-item.verify-fail").first.evaluate(
        "el => getComputedStyle(el).borderLeftColor")
    assert colour == "rgb(220, 38, 38)"
    shot(page, "verify-tab")


def test_date_and_bad_date(page: Page) -> None:
    text = "《柳州措施》二（二）5规定“一次性奖励不超过50万元”。"
    result = run_check(page, text, "2026-11-24")
    assert "草案" in result.locator(".verify-item").first.inner_text()
    page.fill("#verify-date textarea", "2027-01-05")
    page.click("#verify-run")
    result.locator(".verify-item", has_text="已失效").wait_for()
    page.fill("#verify-date textarea", "明天")
    page.click("#verify-run")
    result.locator(".notice", has_text="日期格式应为 YYYY-MM-DD").wait_for()
