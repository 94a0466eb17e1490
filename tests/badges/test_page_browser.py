"""The verification page in headless Chromium at phone width: valid and revoked badges."""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from playwright.async_api import Page

from bot.badges.issue import BadgeIssuer
from bot.badges.keys import load_or_create
from bot.badges.page import VerifyPage, page_routes
from bot.badges.service import BadgeService, default_issuer
from bot.badges.sql_repository import SqlBadgeRepository
from bot.badges.urls import BadgeUrls
from bot.badges.web import BadgeHandlers, badge_routes
from bot.config import DEFAULT_CONTENT, DEFAULT_LOCALES
from bot.db.engine import create_engine, parse_url
from bot.db.migrate import migrate
from bot.dialogs.definition import load_content
from bot.framework.actions import BadgeEarned
from bot.framework.i18n import Catalogs
from bot.framework.session import SessionKey
from tests.browser.conftest import browser, context, page

pytestmark = pytest.mark.browser
__all__ = ["browser", "context", "page"]  # the Playwright fixtures, shared with tests/browser


@pytest.fixture
async def badges(tmp_path: Path) -> AsyncIterator[BadgeService]:
    """Badge documents and the page served on 127.0.0.1, as the app mounts them."""
    database = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await migrate(database)
    engine = create_engine(parse_url(database))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    urls = BadgeUrls(f"http://127.0.0.1:{sock.getsockname()[1]}")
    repo = SqlBadgeRepository(engine)
    issuer = BadgeIssuer(default_issuer(urls), urls, load_or_create(tmp_path), repo)
    content = load_content(DEFAULT_CONTENT)
    catalogs = Catalogs(DEFAULT_LOCALES, content.source_language)
    app = web.Application()
    app.add_routes(badge_routes(BadgeHandlers(issuer)))
    app.add_routes(page_routes(VerifyPage(issuer, content, catalogs)))
    runner = web.AppRunner(app)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    yield BadgeService(issuer, repo, content, catalogs)
    await runner.cleanup()
    sock.close()
    await engine.dispose()


async def fits_the_phone(tab: Page) -> bool:
    width: int = await tab.evaluate("document.documentElement.scrollWidth")
    return width <= 360


async def test_a_valid_badge_page_fits_a_phone_and_says_valid(
    page: Page, badges: BadgeService
) -> None:
    award = await badges.earn(SessionKey("web", "a"), BadgeEarned("SOC", 2, False, "en"))
    await page.goto(badges.issuer.urls.verify_page(award.assertion_id))
    assert await fits_the_phone(page)
    text = await page.inner_text("main")
    assert "Valid" in text
    assert "On my own" in text
    assert "Self-assessed" in text
    image = page.locator("img")
    assert await image.evaluate("img => img.complete && img.naturalWidth > 0")
    og_image = page.locator('meta[property="og:image"]')
    assert await og_image.get_attribute("content") == badges.issuer.urls.assertion_image(
        award.assertion_id
    )


async def test_a_revoked_badge_page_says_revoked(page: Page, badges: BadgeService) -> None:
    key = SessionKey("web", "b")
    award = await badges.earn(key, BadgeEarned("CRE", 3, True, "en"))
    await badges.revoke_all(key)
    await page.goto(badges.issuer.urls.verify_page(award.assertion_id) + "?lang=sl")
    assert await fits_the_phone(page)
    assert await page.get_attribute("html", "lang") == "sl"
    text = await page.inner_text("main")
    assert "⛔" in text
    assert "Download" not in text
    assert await page.locator(".state.revoked").count() == 1


async def test_the_page_reads_right_to_left_in_arabic(page: Page, badges: BadgeService) -> None:
    award = await badges.earn(SessionKey("web", "ar"), BadgeEarned("COO", 2, True, "ar"))
    await page.goto(badges.issuer.urls.verify_page(award.assertion_id) + "?lang=ar")
    assert await page.get_attribute("html", "dir") == "rtl"
    assert await page.get_attribute("html", "lang") == "ar"
    assert await fits_the_phone(page)
    text = await page.inner_text("main")
    ar = Catalogs(DEFAULT_LOCALES, "en").get("ar")
    assert ar.gettext("Validated by a counsellor") in text
    assert any("\u0600" <= char <= "\u06ff" for char in text)  # written in Arabic script
    if shots := os.environ.get("SCREENSHOT_DIR"):
        await page.screenshot(path=str(Path(shots) / "verify-ar.png"), full_page=True)


async def test_every_link_is_a_44_px_tap_target(page: Page, badges: BadgeService) -> None:
    award = await badges.earn(SessionKey("web", "c"), BadgeEarned("SOC", 2, False, "en"))
    await page.goto(badges.issuer.urls.verify_page(award.assertion_id))
    heights = await page.evaluate(
        "() => [...document.querySelectorAll('a')].map((a) => a.getBoundingClientRect().height)"
    )
    assert heights
    assert min(heights) >= 44, heights
