"""The real web chat on a small phone: no word split in any button, the question's start in view.

Set SCREENSHOT_DIR to keep the screenshots (they are taken in any case).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from bot.config import DEFAULT_LOCALES
from bot.framework.i18n import Catalogs
from tests.app_support import app_config, running_app

LANGUAGES = Catalogs(DEFAULT_LOCALES).languages
ACTIVE_OPTION = "[data-testid=option]:not([disabled])"
NARROW = {"width": 320, "height": 640}
PHONE = {"width": 360, "height": 740}

# Every visible button and link: the words of its label that run over two lines, and whether
# it sticks out of the screen. A word is split when two of its boxes do not share a line.
MEASURE = """() => {
  const found = [];
  const seen = [...document.querySelectorAll('button, a, [role=button]')]
    .filter((node) => node.offsetParent !== null || node.closest('.menu:not([hidden])'));
  for (const node of seen) {
    const box = node.getBoundingClientRect();
    if (box.width === 0) continue;
    const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    for (let text = walker.nextNode(); text; text = walker.nextNode()) {
      for (const match of text.data.matchAll(/[\\p{L}\\p{M}\\p{N}'’-]+/gu)) {
        const range = document.createRange();
        range.setStart(text, match.index);
        range.setEnd(text, match.index + match[0].length);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0);
        const top = Math.max(...rects.map((r) => r.top));
        const bottom = Math.min(...rects.map((r) => r.bottom));
        if (rects.length > 1 && top >= bottom - 1) found.push(['split', match[0], node.innerText]);
      }
    }
    if (box.left < -0.5 || box.right > innerWidth + 0.5 || node.scrollWidth > node.clientWidth + 1)
      found.push(['outside', node.innerText, Math.round(box.left), Math.round(box.right)]);
  }
  return found;
}"""


async def shot(page: Page, name: str) -> None:
    """A screenshot of what the phone shows, kept where SCREENSHOT_DIR says."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        await page.screenshot(path=str(Path(folder) / f"{name}.png"))


async def open_in(browser: Browser, url: str, language: str, size: Any) -> Page:
    """A fresh phone whose browser speaks `language`, past the language picker and consent."""
    context = await browser.new_context(
        viewport=size, device_scale_factor=2, is_mobile=True, has_touch=True, locale=language
    )
    context.set_default_timeout(10_000)
    page = await context.new_page()
    await page.goto(url)
    await page.locator(ACTIVE_OPTION).first.click()  # the browser's language comes first
    await expect(page.locator("html")).to_have_attribute("lang", language)
    await page.locator(ACTIVE_OPTION).first.click()  # ✅ yes
    await expect(page.locator(ACTIVE_OPTION, has_text="⚙️")).to_be_visible()
    return page


async def test_no_button_splits_a_word_at_320_px_in_any_language(
    browser: Browser, tmp_path: Path
) -> None:
    assert len(LANGUAGES) >= 12
    problems: dict[str, list[Any]] = {}
    async with running_app(app_config(tmp_path)) as url:
        for language in LANGUAGES:
            page = await open_in(browser, url, language, NARROW)
            found = await page.evaluate(MEASURE)  # the topic menu
            await page.get_by_test_id("menu-button").click()
            found += await page.evaluate(MEASURE)  # the page's own menu
            await page.keyboard.press("Escape")
            await page.locator(ACTIVE_OPTION).first.click()  # the first topic
            await expect(page.locator(ACTIVE_OPTION, has_text="1️⃣")).to_be_visible()
            found += await page.evaluate(MEASURE)  # a question and its navigation
            await page.locator(ACTIVE_OPTION).last.scroll_into_view_if_needed()
            await shot(page, f"item2-question-320-{language}")
            if found:
                problems[language] = found
            await page.context.close()
    assert not problems, problems


@pytest.mark.parametrize("language", ["en", "sl", "ar"])
async def test_after_an_answer_the_new_question_starts_at_the_top(
    browser: Browser, tmp_path: Path, language: str
) -> None:
    async with running_app(app_config(tmp_path)) as url:
        page = await open_in(browser, url, language, PHONE)
        await page.locator(ACTIVE_OPTION).first.click()  # the first topic
        await page.locator(ACTIVE_OPTION, has_text="2️⃣").click()
        question = page.locator("[data-testid=bot-message]").last
        await expect(question).to_contain_text("2 / ")
        view = await page.get_by_test_id("messages").bounding_box()
        first_line = await question.locator(".text").bounding_box()
        await shot(page, f"item1-question-{language}")
        assert view is not None
        assert first_line is not None
        # the progress line and the situation are in view, at its top
        assert view["y"] - 1 <= first_line["y"] <= view["y"] + 40, (view, first_line)
        await page.context.close()
