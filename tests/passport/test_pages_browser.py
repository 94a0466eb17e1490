"""The passport page and the verification page in headless Chromium at phone width."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from playwright.async_api import Page

from bot.framework.actions import BadgeEarned, PassportRequested, SendText
from tests.browser.conftest import browser, context, page
from tests.passport.conftest import Served
from tests.passport.test_passport import ANA, SHARE

pytestmark = pytest.mark.browser
__all__ = ["browser", "context", "page"]  # the Playwright fixtures, shared with tests/browser

SHOTS = os.environ.get("PASSPORT_SHOTS", "")
"""A folder for screenshots to look at (outside the repository), or empty."""


async def shot(tab: Page, name: str) -> None:
    if SHOTS:
        await tab.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


async def fits_the_phone(tab: Page) -> bool:
    width: int = await tab.evaluate("document.documentElement.scrollWidth")
    return width <= 360


async def share_link(served: Served) -> tuple[str, list[str]]:
    verify = []
    for category, level, validated in (("SOC", 2, False), ("PER", 3, True), ("CRE", 1, False)):
        award = await served.badges.earn(ANA, BadgeEarned(category, level, validated, "en"))
        verify.append(served.passports.verify(award))
    _, text = await served.passports.build(ANA, PassportRequested("en"))
    assert isinstance(text, SendText)
    match = SHARE.search(text.text)
    assert match
    return match.group(0), verify


@pytest.mark.parametrize(("lang", "direction"), [("en", "ltr"), ("ar", "rtl")])
async def test_the_passport_page_shows_every_badge_with_a_qr_code_that_scans(
    served: Served, page: Page, lang: str, direction: str
) -> None:
    link, verify = await share_link(served)
    await page.goto(f"{link}?lang={lang}")
    assert await page.get_attribute("html", "dir") == direction
    badges = page.get_by_test_id("badge")
    assert await badges.count() == 3
    assert await fits_the_phone(page)
    scanned = set()
    for n in range(3):
        qr = badges.nth(n).locator("svg")
        await qr.scroll_into_view_if_needed()
        picture = Image.open(io.BytesIO(await qr.screenshot()))
        scanned |= {result.text for result in zxingcpp.read_barcodes(picture)}
    assert scanned == set(verify)
    await shot(page, f"passport-page-{lang}")
    await badges.first.get_by_test_id("verify").first.click()
    await page.wait_for_url(verify[0] + "*")
    assert "✅" in await page.inner_text("[role=status]")


@pytest.mark.parametrize("lang", ["en", "sl", "de", "ar"])
async def test_the_verification_page_speaks_to_employers(
    served: Served, page: Page, lang: str
) -> None:
    award = await served.badges.earn(ANA, BadgeEarned("PER", 3, True, "en"))
    await page.goto(served.passports.verify(award) + f"?lang={lang}")
    employer = page.locator(".employer")
    await employer.scroll_into_view_if_needed()
    assert await employer.is_visible()
    assert len((await employer.inner_text()).splitlines()) >= 4  # the heading and three lines
    linkedin = page.locator("a[href^='https://www.linkedin.com/profile/add?']")
    assert await linkedin.count() == 1
    assert await linkedin.is_visible()
    assert await fits_the_phone(page)
    await shot(page, f"verify-page-{lang}")
