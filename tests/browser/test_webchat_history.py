"""The real web chat keeps what it showed: after a reload the results, picture and badge are back.

Set SCREENSHOT_DIR to keep the screenshots (they are taken in any case).
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from bot.config import DEFAULT_CONTENT, DEFAULT_LOCALES
from bot.dialogs.definition import load_content
from bot.framework.i18n import Catalogs
from tests.app_support import app_config, running_app

ACTIVE_OPTION = "[data-testid=option]:not([disabled])"
CATALOGS = Catalogs(DEFAULT_LOCALES)
VERIFY_LINK = re.compile(r"^https?://[^ ]+/v/[^ ]+$")
CONTENT = load_content(DEFAULT_CONTENT)
QUESTIONS = len(CONTENT.questions_of(CONTENT.categories[0].id))


def unhurried() -> Callable[[], datetime]:
    """A clock that moves 20 seconds a reading, so quick taps are not scored as too fast."""
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    steps = itertools.count()
    return lambda: start + timedelta(seconds=20 * next(steps))


async def shot(page: Page, name: str) -> None:
    """A screenshot of what the phone shows, kept where SCREENSHOT_DIR says."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        await page.screenshot(path=str(Path(folder) / f"{name}.png"))


async def earn_a_badge(browser: Browser, url: str, language: str) -> Page:
    """A phone in `language` that finished the first topic and got its badge."""
    context = await browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale=language,
    )
    context.set_default_timeout(10_000)
    page = await context.new_page()
    await page.goto(url)
    await page.locator(ACTIVE_OPTION).first.click()  # the browser's language comes first
    await page.locator(ACTIVE_OPTION).first.click()  # ✅ yes
    await page.locator(ACTIVE_OPTION).first.click()  # the first topic
    for number, question in enumerate(CONTENT.questions_of(CONTENT.categories[0].id), 1):
        await expect(page.locator("[data-testid=bot-message]").last).to_contain_text(
            f"{number} / {QUESTIONS}"
        )
        good = next(option.key for option in question.options if option.level == 2)
        await page.locator(f'{ACTIVE_OPTION}[data-payload$=":{good}"]').click()
    await expect(page.get_by_test_id("download")).to_be_visible()
    return page


async def expect_badge_in_words(page: Page, language: str) -> None:
    """The download says what it saves; the check link can be tapped and is big enough."""
    t = CATALOGS.get(language)
    download = page.get_by_test_id("download").last
    await expect(download).to_have_text("⬇ " + t.gettext("Save my badge"))
    link = page.get_by_test_id("link").last
    await expect(link).to_have_attribute("href", VERIFY_LINK)
    box = await link.bounding_box()
    assert box is not None
    assert box["height"] >= 44


@pytest.mark.parametrize("language", ["en", "sl", "ar"])
async def test_results_and_badge_come_back_after_a_reload(
    browser: Browser, tmp_path: Path, language: str
) -> None:
    t = CATALOGS.get(language)
    async with running_app(app_config(tmp_path), clock=unhurried()) as url:
        page = await earn_a_badge(browser, url, language)
        await page.get_by_test_id("download").last.scroll_into_view_if_needed()
        await shot(page, f"item5-badge-{language}")
        await expect_badge_in_words(page, language)
        await page.reload()
        await expect(page.locator(ACTIVE_OPTION).first).to_be_visible()
        await shot(page, f"item4-reload-top-{language}")
        await expect(page.get_by_test_id("result-image").first).to_be_visible()
        await expect(page.get_by_test_id("bot-message").first).to_contain_text(
            t.gettext("My results")
        )
        await expect_badge_in_words(page, language)
        await page.get_by_test_id("result-image").first.scroll_into_view_if_needed()
        await shot(page, f"item4-after-reload-{language}")
        await page.get_by_test_id("menu-button").click()
        await expect(page.get_by_test_id("menu-badges")).to_have_text(
            "🏅 " + t.gettext("My badges")
        )
        await shot(page, f"item4-menu-{language}")
        await page.get_by_test_id("menu-badges").click()
        await expect(page.get_by_test_id("download")).to_have_count(2)
        await page.get_by_test_id("composer").fill("/export")
        await page.get_by_test_id("send").click()
        await expect(page.get_by_test_id("download").last).to_have_text(
            "⬇ " + t.gettext("Save my answers")
        )
        await page.get_by_test_id("download").last.scroll_into_view_if_needed()
        await shot(page, f"item5-export-{language}")
        await page.context.close()
