"""The console's header link is big enough to tap on a phone (44 px at least)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page

from tests.browser.conftest import browser, context, page
from tests.counsel.console_support import ANA, PASSWORD, running_console

pytestmark = pytest.mark.browser
__all__ = ["browser", "context", "page"]  # the Playwright fixtures, shared with tests/browser


async def test_the_cases_link_is_a_44_px_tap_target(page: Page, tmp_path: Path) -> None:
    async with running_console(tmp_path) as app:
        await page.goto(app.url + "/counsellor/login")
        await page.locator("input[name=name], input[type=text]").first.fill(ANA)
        await page.locator("input[type=password]").fill(PASSWORD)
        await page.locator("form button[type=submit], form button").last.click()
        link = page.locator('header a[href="/counsellor"]')
        await link.wait_for()
        box = await link.bounding_box()
        assert box is not None
        assert box["height"] >= 44, box
