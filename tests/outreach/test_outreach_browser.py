"""Issue 13 in headless Chromium at phone width: worker console, landing page, web chat."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.async_api import Page

from bot.config import DEFAULT_LOCALES
from bot.framework.i18n import Catalogs
from bot.outreach.landing import Doors, render
from bot.outreach.words import words
from tests.browser.conftest import browser, context, page
from tests.outreach.app_support import ADMIN, PASSWORD, WORKER, Browser, browser_session, running
from tests.outreach.qr_read import pdf_page_png, qr_texts
from tests.outreach.support import make_invite

pytestmark = pytest.mark.browser
__all__ = ["browser", "context", "page"]  # the Playwright fixtures, shared with tests/browser
SHOTS = os.environ.get("OUTREACH_SHOTS")  # a folder to keep screenshots in, for a person to see


async def shot(tab: Page, name: str) -> None:
    """Keep a full-page screenshot when OUTREACH_SHOTS names a folder."""
    if SHOTS:
        await tab.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


async def fits_the_phone(tab: Page) -> bool:
    width: int = await tab.evaluate("document.documentElement.scrollWidth")
    return width <= 360


async def test_worker_makes_an_arabic_invite_and_a_person_starts_in_arabic(
    page: Page, tmp_path: Path
) -> None:
    async with running(tmp_path) as app, browser_session() as http:
        admin = Browser(app.url, http)
        await admin.counsellor_login(ADMIN)
        await admin.post(
            "/counsellor/outreach/workers", "/counsellor/outreach",
            {"name": WORKER, "password": PASSWORD},
        )  # fmt: skip

        await page.goto(app.url + "/counsellor/outreach")
        assert page.url.endswith("/counsellor/outreach/login")
        await page.get_by_label("Your name").fill(WORKER)
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Log in").click()
        await page.get_by_label("Organisation").fill("Red Cross")
        await page.get_by_label("Campaign").fill("Market day")
        await page.get_by_label("Language for the person").select_option("ar")
        await page.get_by_role("button", name="Make invite").click()
        await page.get_by_text("The invite is ready.").wait_for()
        assert await fits_the_phone(page)
        assert await page.locator('a[href="/counsellor"]').count() == 0  # no way to the cases
        await shot(page, "console_worker_360")

        card = page.locator("li.card").first
        code = await card.get_attribute("data-code")
        assert code is not None
        flyer = await page.request.get(
            f"{app.url}/counsellor/outreach/invites/{code}/flyer-a4.pdf"
        )
        landing = f"{app.url}/i/{code}"
        assert qr_texts(pdf_page_png(await flyer.body())) == [landing]

        await page.goto(landing)
        assert await page.get_attribute("html", "dir") == "rtl"
        assert await fits_the_phone(page)
        door = page.locator("a.door.web")
        box = await door.bounding_box()
        assert box is not None
        assert box["height"] >= 48  # a thumb-sized button
        await shot(page, "landing_ar_360")
        await door.click()
        await page.wait_for_url(re.compile(r"/\?invite="))
        await page.get_by_text("هل هذا مناسب لك؟").wait_for()  # the consent, in Arabic
        await shot(page, "webchat_from_invite_ar_360")

        session_rows = await _sessions_with(app.store, code)
        assert session_rows == 1

        await page.goto(app.url + "/counsellor/outreach")
        started = await page.locator("#figures tbody tr").first.locator("td").nth(2).inner_text()
        assert started == "1"


async def test_landing_pages_in_english_and_slovenian_fit_a_phone(
    page: Page, tmp_path: Path
) -> None:
    async with running(tmp_path) as app:
        for language, heading in (("en", "Find out your skills"), ("sl", "Spoznaj svoje")):
            code = f"Landing{language}1234567"
            await make_invite(app.store.engine, code, language)
            await page.goto(f"{app.url}/i/{code}")
            await page.get_by_role("heading", name=re.compile(heading)).wait_for()
            assert await page.get_attribute("html", "dir") == "ltr"
            assert await fits_the_phone(page)
            await shot(page, f"landing_{language}_360")


async def test_the_admin_report_page_fits_a_phone(page: Page, tmp_path: Path) -> None:
    async with running(tmp_path) as app:
        await page.goto(app.url + "/counsellor/login")
        await page.get_by_label("Your name").fill(ADMIN)
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Log in").click()
        await page.goto(app.url + "/counsellor/outreach/report")
        await page.get_by_role("heading", name="Programme report").wait_for()
        assert "<5" in await page.inner_text("#report")
        assert await fits_the_phone(page)
        await shot(page, "report_admin_360")


async def _sessions_with(store: object, code: str) -> int:
    from bot.db.store import SqlStore
    from bot.outreach.people import read_people

    assert isinstance(store, SqlStore)
    return len([p async for p in read_people(store.engine, lambda p: p.invite == code)])


@pytest.mark.parametrize("language", ["en", "sl", "ar"])
async def test_every_open_door_is_a_thumb_sized_button(page: Page, language: str) -> None:
    w = words(Catalogs(DEFAULT_LOCALES).get(language))
    doors = Doors("https://bot.example.org", "spocc_bot", "38640123456")
    html, _ = render(w, doors.links("Code1234abcdefgh", w), ok=True)
    await page.set_content(html)
    hrefs = [await a.get_attribute("href") for a in await page.locator("a.door").all()]
    assert hrefs == [
        "https://t.me/spocc_bot?start=Code1234abcdefgh",
        "https://wa.me/38640123456?text=Code1234abcdefgh",
        "https://bot.example.org/?invite=Code1234abcdefgh",
    ]
    for door in await page.locator("a.door").all():
        box = await door.bounding_box()
        assert box is not None
        assert box["height"] >= 48
    assert await fits_the_phone(page)
    await shot(page, f"landing_all_doors_{language}_360")
