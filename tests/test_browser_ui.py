"""The chat as a new user meets it, at 1366×768 and 390×844: first screen, echo and progress,
sources, Chinese and accessible (axe-core), kept conversations, feedback, self-check, phone.

Same server set-up as tests/test_browser.py (its fixtures); screenshots in evals/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.test_browser import CHROMIUM, HAVE_PLAYWRIGHT, SHOTS, ask, browser, open_tab, site  # noqa: F401
from tests.test_web import QUESTION

if not HAVE_PLAYWRIGHT:
    pytestmark = pytest.mark.skip(reason="playwright is not installed: run `make browser`")
elif not CHROMIUM.exists():
    pytestmark = pytest.mark.skip(reason=f"{CHROMIUM} is missing: run `make browser`")

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
LZ_TITLE = "关于推进国家级柳州人力资源服务产业园高质量发展若干措施"


@pytest.fixture(params=list(SIZES))
def sized(request: pytest.FixtureRequest, browser: Any, site: dict[str, Any]) -> Iterator[tuple[Any, str]]:  # noqa: F811
    width, height = SIZES[request.param]
    context = browser.new_context(
        viewport={"width": width, "height": height}, locale="zh-CN",
        permissions=["clipboard-read", "clipboard-write"], has_touch=request.param == "phone",
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(site["url"])
    page.wait_for_selector("#question textarea")
    yield page, request.param
    context.close()


def in_view(page: Any, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return bool(box) and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] \
        and box["x"] >= 0 and box["x"] + box["width"] <= size["width"]


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def axe_check(page: Any) -> None:
    """axe-core (the copy shipped in axe-playwright-python) in the page: no serious or
    critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [v for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    assert not bad, [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in bad]


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def test_first_screen(sized: tuple[Any, str]) -> None:
    page, size = sized
    page.locator("#chat .empty-state").wait_for()
    assert in_view(page, "#question textarea") and in_view(page, "#send")
    chat = page.locator("#chat").bounding_box()
    assert chat and chat["height"] >= 0.45 * page.viewport_size["height"]  # the chat fills the window
    covered = page.locator("#chat .covered li")
    assert covered.count() == 3
    texts = covered.all_inner_texts()
    assert any("现行" in t and "桂人社规〔2021〕1号" in t for t in texts)
    assert any("草案" in t and "即将到期" in t and LZ_TITLE in t for t in texts)
    assert 4 <= page.locator("#chat button.example").count() <= 6
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.get_by_role("textbox", name="输入问题").count() == 1
    no_sideways_scroll(page)
    axe_check(page)
    shot(page, f"first-screen-{size}")


def test_question_echoes_with_progress_then_cited_answer(sized: tuple[Any, str], site: dict[str, Any]) -> None:  # noqa: F811
    page, size = sized
    # Record every bubble state, so the echo + progress line is seen however fast the answer is.
    page.evaluate("""() => { window.seen = []; new MutationObserver(() => {
        const p = document.querySelector('#chat .progress'); const q = document.querySelector('#chat .question');
        if (p && q) { window.seen.push(q.textContent + '|' + p.textContent); } })
        .observe(document.querySelector('#chat'), {subtree: true, childList: true, characterData: true}); }""")
    answer = ask(page, QUESTION, 1)
    # Painting the echo depends on timing (tests/test_web.py checks the handler yields it first);
    # whatever was painted is the question with a Chinese progress line, never Gradio's English.
    seen = page.evaluate("window.seen")
    assert all(s.startswith(QUESTION + "|正在检索条款并计算") for s in seen), seen
    assert "processing" not in page.locator("#chat").inner_text()
    text = answer.locator(".answer-text")
    assert "50万" in text.inner_text() and text.locator("button.cite-mark", has_text="[1]").count() >= 1
    cards = answer.locator(".cite-card")
    assert cards.count() == 1
    card = cards.first
    assert "草案" in card.locator(".cite-head").inner_text() and "即将到期" in card.locator(".cite-head").inner_text()
    assert "一次性奖励不超过50万元" in card.locator(".cite-text mark").inner_text()
    link = card.locator("a.open-unit").get_attribute("href") or ""
    no_sideways_scroll(page)
    axe_check(page)
    shot(page, f"answer-{size}")
    # the link opens the unit in 条款浏览
    unit = page.context.new_page()
    unit.goto(site["url"] + link)
    unit.wait_for_function("document.querySelector('#browse-article .article-label')?.textContent === '二（二）5'")
    assert unit.get_by_role("tab", name="条款浏览").get_attribute("aria-selected") == "true"
    assert "即将到期" in unit.locator("#browse-article .article-head").inner_text()
    no_sideways_scroll(unit)
    axe_check(unit)
    shot(unit, f"open-unit-{size}")
    unit.close()


def test_retry_replaces_and_conversation_survives_reload(sized: tuple[Any, str]) -> None:
    page, size = sized
    ask(page, QUESTION, 1)
    ask(page, "那1.2亿呢？", 2)
    # The retried answer is a new node: mark the old one (the progress line of a 5 ms answer
    # may never be painted, so it is not what the test waits for).
    page.evaluate("() => { document.querySelectorAll('#chat .answer')[1].dataset.old = '1'; }")
    page.click("#retry")
    page.wait_for_function("(() => { const a = document.querySelectorAll('#chat .answer'); "
                           "return a.length === 2 && !a[1].dataset.old && "
                           "!document.querySelector('#chat .progress'); })()")
    assert "30万" in page.locator("#chat .answer").nth(1).inner_text()
    page.click("#stop")  # nothing running: nothing changes
    assert page.locator("#chat .answer").count() == 2
    page.reload()
    page.wait_for_function("document.querySelectorAll('#chat .answer').length === 2")
    # the follow-up context survives too: the next follow-up still knows the subject
    third = ask(page, "那12亿呢？", 3)
    assert "80万" in third.locator(".answer-text").inner_text()
    page.wait_for_timeout(1500)  # the export file follows the stored conversation
    with page.expect_download() as download:
        page.click("#export")
    markdown = open(download.value.path(), encoding="utf-8").read()
    assert f"## 1. {QUESTION}" in markdown and f"[1] 《{LZ_TITLE}》二（二）5" in markdown
    assert "## 3. 那12亿呢？" in markdown
    shot(page, f"kept-{size}")
    page.click("#new-chat")
    page.locator("#chat .empty-state").wait_for()
    page.reload()
    page.locator("#chat .empty-state").wait_for()
    assert page.locator("#chat .answer").count() == 0
    # Gradio's own clear icon forgets the kept conversation too
    ask(page, QUESTION, 1)
    page.locator("#chat button[aria-label='清空对话']").click()
    page.locator("#chat .empty-state").wait_for()
    page.wait_for_timeout(500)
    page.reload()
    page.locator("#chat .empty-state").wait_for()
    assert page.locator("#chat .answer").count() == 0


def test_feedback_goes_to_jsonl_and_becomes_candidates(sized: tuple[Any, str], site: dict[str, Any]) -> None:  # noqa: F811
    from evals.feedback import candidates, latest, read_jsonl

    page, size = sized
    path = site["index"].parent / "feedback.jsonl"
    before = len(read_jsonl(path)) if path.exists() else 0
    ask(page, "聊城市级产业园核心区建筑面积最低要求是多少？", 1)
    page.locator("#chat button[aria-label='踩']").first.click()  # Gradio's own button, in Chinese
    page.locator("#feedback-comment textarea").wait_for()
    page.fill("#feedback-comment textarea", "希望同时给出广西的要求")
    page.click("#feedback-send")
    page.locator("#feedback-note", has_text="说明已记录").wait_for()
    rows = read_jsonl(path)[before:]
    assert [r["liked"] for r in rows] == [False, False] and rows[1]["comment"] == "希望同时给出广西的要求"
    assert rows[0]["citations"] == [{"doc_id": "liaocheng-city-park", "article": "第六条"}]
    found = [c for c in candidates(latest(rows)) if c["question"].startswith("聊城市级产业园核心区")]
    assert found and found[0]["gold"] == [{"doc": "liaocheng-city-park", "article": "第六条"}]
    assert found[0]["review"]["comment"] == "希望同时给出广西的要求"
    no_sideways_scroll(page)


def test_self_check_marks_unchecked_conditions_and_unused_entries(sized: tuple[Any, str]) -> None:
    page, size = sized
    open_tab(page, "资格自检")
    page.fill("#check-location input", "柳州")
    page.keyboard.press("Enter")
    page.fill("#check-regulated_enterprises textarea", "3家")
    page.click("#check-run")
    card = page.locator("#check-results .check-card", has_text="上规入统").first
    card.wait_for()
    # 在库满一年 was never given: the reward is 待核实, not a green "met"
    assert "check-met" not in (card.get_attribute("class") or "")
    assert card.locator(".check-status").inner_text() == "待核实"
    assert "未核实：企业上规入统后在库一年" in card.inner_text()
    no_sideways_scroll(page)
    axe_check(page)
    shot(page, f"self-check-{size}")
    # an entry no rule of the place reads is reported, not silently dropped
    page.fill("#check-location input", "聊城")
    page.keyboard.press("Enter")
    page.fill("#check-regulated_enterprises textarea", "")
    page.fill("#check-tax textarea", "250万元")
    page.click("#check-run")
    page.locator("#check-notes", has_text="没有用到").wait_for()
    assert "新引进入园企业首次年纳税总额" in page.locator("#check-notes").inner_text()


def test_phone_tabs_fit_the_screen(sized: tuple[Any, str]) -> None:
    page, size = sized
    if size != "phone":
        pytest.skip("phone layout only")
    for name in ("资格自检", "条款浏览", "文件管理"):
        tab = page.get_by_role("tab", name=name)
        if not tab.is_visible():  # Gradio folds tabs that do not fit into its "…" menu
            page.locator(".overflow-menu button, button.overflow-menu").first.click()
        page.get_by_role("tab", name=name).click() if page.get_by_role("tab", name=name).is_visible() \
            else page.get_by_text(name, exact=True).last.click()
        page.wait_for_timeout(300)
        no_sideways_scroll(page)
        axe_check(page)
    # the documents table (eight columns) is one card per document on a phone
    cards = page.locator("#docs-cards .doc-card")
    cards.first.wait_for()
    assert cards.count() == 3 and not page.locator("#docs-table").is_visible()
    guangxi = cards.filter(has_text="桂人社规〔2021〕1号")
    assert guangxi.count() == 1 and "现行" in guangxi.inner_text() and "发文机关" in guangxi.inner_text()
    shot(page, "phone-last-tab")


BATCH_ROWS = "名称,所在地,主体,营收,上规入统企业\n甲公司,柳州,企业,6亿元,\n乙公司,柳州,企业,很多,\n丙园区,聊城,园区,8000万,\n"


def test_self_check_batch_csv_reports_a_bad_row_and_downloads_results(sized: tuple[Any, str], tmp_path: Any) -> None:
    import csv
    import io

    page, size = sized
    open_tab(page, "资格自检")
    page.get_by_text("批量核对：上传 CSV").click()
    page.locator("#check-csv-run").wait_for()
    # the template's columns: name, place, subject, then the rules' inputs in their own words
    with page.expect_download() as template:
        page.click("#check-csv-template")
    header = open(template.value.path(), encoding="utf-8-sig").readline().strip().split(",")
    assert header[:3] == ["名称", "所在地", "主体"] and "企业主营业务收入" in header and "核心区建筑面积" in header
    upload = tmp_path / "园区企业.csv"
    upload.write_bytes(BATCH_ROWS.encode("gbk"))  # as WPS saves it on a Chinese desktop
    page.set_input_files("#check-csv-file", str(upload))
    assert page.locator("#check-csv-name").inner_text() == "园区企业.csv"
    page.click("#check-csv-run")
    notes = page.locator("#check-csv-notes")
    notes.locator(".batch-errors").wait_for()
    assert "共 3 行：2 行已核对，1 行有错误未核对" in notes.inner_text()
    assert "第2行（乙公司）：无法识别金额“很多”" in notes.inner_text()
    results = page.locator("#check-csv-results .batch-table tbody tr")
    assert results.count() == 2
    assert "符合" in results.nth(0).inner_text() and "50万元" in results.nth(0).inner_text()
    with page.expect_download() as result:
        page.click("#check-csv-download")
    rows = list(csv.reader(io.StringIO(open(result.value.path(), encoding="utf-8-sig").read())))
    assert rows[0][:4] == ["行", "名称", "规则", "结论"]
    assert [r[:2] for r in rows if r[3] == "错误"] == [["2", "乙公司"]]
    assert any(r[1] == "甲公司" and r[3] == "符合" for r in rows)
    page.locator("#check-csv-results").scroll_into_view_if_needed()
    no_sideways_scroll(page)
    axe_check(page)
    shot(page, f"self-check-batch-{size}")
    # a file that is no CSV at all: one Chinese line, nothing computed
    sheet = tmp_path / "企业.xlsx"
    sheet.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    page.set_input_files("#check-csv-file", str(sheet))
    page.click("#check-csv-run")
    page.locator("#check-csv-notes .notice-error", has_text="不是 CSV 文本文件").wait_for()
    assert page.locator("#check-csv-results .batch-table").count() == 0
