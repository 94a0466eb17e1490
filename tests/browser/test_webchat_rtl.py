"""Arabic and Persian in the real web chat: the page turns right to left, in the catalog's words.

Set SCREENSHOT_DIR to keep 360 px screenshots of each language (they are taken in any case).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from bot.config import DEFAULT_LOCALES
from bot.dialogs.languages import LANGUAGE_ICON
from bot.framework.i18n import Catalogs
from tests.app_support import app_config, running_app

CATALOGS = Catalogs(DEFAULT_LOCALES)
ACTIVE_OPTION = "[data-testid=option]:not([disabled])"


async def shot(page: Page, tmp_path: Path, name: str) -> None:
    """A screenshot of the whole chat, kept where SCREENSHOT_DIR says."""
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    await page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["ar", "fa"])
async def test_choosing_a_right_to_left_language_turns_the_page(
    page: Page, tmp_path: Path, language: str
) -> None:
    t = CATALOGS.get(language)
    name = CATALOGS.native_name(language)
    async with running_app(app_config(tmp_path)) as url:
        await page.goto(url)
        await page.locator(ACTIVE_OPTION, has_text=f"{LANGUAGE_ICON} {name}").click()
        html = page.locator("html")
        await expect(html).to_have_attribute("dir", "rtl")
        await expect(html).to_have_attribute("lang", language)
        last = page.locator("[data-testid=bot-message]").last
        await expect(last).to_contain_text(t.gettext("Is this OK for you?"))
        await expect(page.get_by_test_id("composer")).to_have_attribute(
            "placeholder", t.gettext("Write here…")
        )
        composer = await page.get_by_test_id("composer").bounding_box()
        send = await page.get_by_test_id("send").bounding_box()
        assert composer is not None
        assert send is not None
        assert send["x"] < composer["x"]  # mirrored: the send button on the left
        await page.locator(ACTIVE_OPTION).first.click()  # ✅ yes
        await page.locator(ACTIVE_OPTION).first.click()  # the first topic
        await expect(last).to_contain_text("1 / ")
        assert await page.evaluate("document.documentElement.scrollWidth") <= 360
        await shot(page, tmp_path, f"webchat-{language}")
