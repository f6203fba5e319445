"""An LLM composer's answer in the web chat, in a real browser at 1366×768 and 390×844: the
draft streams in marked 核对中…, then the guarded answer replaces it — or, when a guard
rejects the draft, the extractive answer with a Chinese note why; stop and retry work while
it streams. The app (`python app.py`) talks to a scripted OpenAI-compatible fake
(tests/fake_llm.py) through the real client; every guard runs for real.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import CORPUS, TODAY
from tests.test_browser import CHROMIUM, HAVE_PLAYWRIGHT, Server, app_env, browser  # noqa: F401
from tests.test_browser_ui import SIZES, axe_check, no_sideways_scroll, shot
from tests.test_web import QUESTION

if not HAVE_PLAYWRIGHT:
    pytestmark = pytest.mark.skip(reason="playwright is not installed: run `make browser`")
elif not CHROMIUM.exists():
    pytestmark = pytest.mark.skip(reason=f"{CHROMIUM} is missing: run `make browser`")

LZ = "liuzhou-2024-park-measures"
GROUNDED = ["根据柳州措施，", "主营业务收入6亿元的园区企业", "属于第4档，", "可获一次性奖励", "最多不超过50万元", f"【{LZ} 二（二）5】。"]
INVENTED = ["根据柳州措施，", "该企业", "最多可获", "60万元奖励", f"【{LZ} 二（二）5】。"]
# Every state of the chat's last bubble, recorded as it is painted.
WATCH = """() => { window.drafts = []; new MutationObserver(() => {
    const d = document.querySelector('#chat .answer-draft');
    if (d) { window.drafts.push(d.innerText); } })
    .observe(document.querySelector('#chat'), {subtree: true, childList: true, characterData: true}); }"""


@pytest.fixture(scope="module")
def llm_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    from assistant.ingest import ingest_paths
    from tests.fake_llm import fake_llm

    root = tmp_path_factory.mktemp("browser-llm")
    corpus = root / "corpus"
    shutil.copytree(CORPUS, corpus)
    assert not ingest_paths([corpus], root / "index", "hash", today=TODAY).failed
    with fake_llm(delay=0.4) as fake:
        env = {**app_env(root / "index", corpus, "hash"), "ASSISTANT_LLM_BASE_URL": fake.url,
               "ASSISTANT_LLM_MODEL": "fake-model"}
        server = Server(env, root / "app.log")
        try:
            server.wait()
            yield {"url": server.url, "fake": fake}
        finally:
            server.stop()


@pytest.fixture(params=list(SIZES))
def sized(request: pytest.FixtureRequest, browser: Any, llm_site: dict[str, Any]) -> Iterator[tuple[Any, str, Any]]:  # noqa: F811
    width, height = SIZES[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                  has_touch=request.param == "phone")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(llm_site["url"])
    page.wait_for_selector("#question textarea")
    llm_site["fake"].replies.clear()
    yield page, request.param, llm_site["fake"]
    context.close()


def send(page: Any, question: str) -> None:
    page.fill("#question textarea", question)
    page.press("#question textarea", "Enter")


def final_answer(page: Any, count: int) -> Any:
    """The `count`-th answer once it is final (a draft bubble is not an answer yet)."""
    page.wait_for_function(f"document.querySelectorAll('#chat .answer:not(.answer-draft)').length >= {count}")
    return page.locator("#chat .answer:not(.answer-draft)").nth(count - 1)


def test_the_draft_streams_then_the_checked_answer_replaces_it(sized: tuple[Any, str, Any]) -> None:
    page, size, fake = sized
    fake.script(GROUNDED)
    page.evaluate(WATCH)
    send(page, QUESTION)
    draft = page.locator("#chat .answer-draft")
    draft.wait_for()
    page.wait_for_function("(document.querySelector('#chat .answer-draft')?.innerText || '').includes('属于第4档')")
    shot(page, f"llm-draft-{size}")
    answer = final_answer(page, 1)
    seen = page.evaluate("window.drafts")
    full = "".join(GROUNDED)
    texts = {s.split("\n", 1)[1].strip() for s in seen if "\n" in s}
    # the draft was visible, marked unchecked, growing piece by piece
    assert all(s.startswith("核对中") for s in seen) and len(texts) >= 3, seen
    assert all(full.startswith(t) for t in texts)
    assert page.locator("#chat .answer-draft").count() == 0
    text = answer.locator(".answer-text").inner_text()
    assert text.startswith("根据柳州措施，主营业务收入6亿元的园区企业属于第4档，可获一次性奖励最多不超过50万元。")
    assert "【" not in text and answer.locator(".answer-text button.cite-mark", has_text="[1]").count() >= 1
    assert "语言模型撰写" in answer.locator(".answer-meta").inner_text()
    assert "二（二）5" in answer.locator(".cite-card .cite-head").first.inner_text()
    assert fake.requests[-1]["stream"] is True and fake.requests[-1]["model"] == "fake-model"
    no_sideways_scroll(page)
    axe_check(page)
    shot(page, f"llm-answer-{size}")


def test_a_rejected_draft_gives_way_to_the_extractive_answer(sized: tuple[Any, str, Any]) -> None:
    page, size, fake = sized
    fake.script(INVENTED)
    page.evaluate(WATCH)
    send(page, QUESTION)
    answer = final_answer(page, 1)
    assert any("60万元" in s for s in page.evaluate("window.drafts"))  # the draft said 60万 …
    text = answer.locator(".answer-text").inner_text()
    assert "50万" in text and "60万" not in text  # … the answer shown is the article's
    note = answer.locator(".llm-note").inner_text()
    assert "（60）" in note and "以下是直接摘自条文的回答" in note
    assert "语言模型撰写" not in answer.inner_text()
    page.wait_for_timeout(500)  # the chat's own scroll to the newest message comes first
    answer.locator(".llm-note").evaluate("el => el.scrollIntoView({block: 'start'})")
    no_sideways_scroll(page)
    axe_check(page)
    shot(page, f"llm-rejected-{size}")


def test_stop_while_streaming_then_retry(sized: tuple[Any, str, Any]) -> None:
    page, size, fake = sized
    fake.script([*GROUNDED, *["（续）"] * 8])  # a long draft: ~6 s
    send(page, QUESTION)
    page.locator("#chat .answer-draft").wait_for()
    page.click("#stop")
    page.locator("#chat .progress-stopped").wait_for()
    page.wait_for_timeout(4000)  # the stopped stream never comes back into the chat
    assert page.locator("#chat .progress-stopped").count() == 1
    assert page.locator("#chat .answer:not(.answer-draft)").count() == 0
    fake.script(GROUNDED)
    page.click("#retry")
    answer = final_answer(page, 1)
    assert answer.locator(".answer-text").inner_text().startswith("根据柳州措施")
    assert page.locator("#chat .progress-stopped").count() == 0
    assert page.locator("#chat .question").count() == 1  # the retried question once, not twice
