"""The console in headless Chromium at phone width: log in, the queue, claim, reply, validate."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Page

from bot.config import DEFAULT_CONTENT
from bot.dialogs.definition import load_content
from tests.app_support import WebChatClient, onboard, payloads, web_chat
from tests.browser.conftest import browser, context, page
from tests.counsel.console_support import ANA, PASSWORD, running_console

pytestmark = pytest.mark.browser
__all__ = ["browser", "context", "page"]  # the Playwright fixtures, shared with tests/browser


async def fits_the_phone(tab: Page) -> bool:
    width: int = await tab.evaluate("document.documentElement.scrollWidth")
    return width <= 360


async def flagged_person(person: WebChatClient) -> None:
    """Finish a topic at once: every answer too fast, so a counsellor is asked."""
    questions = len(load_content(DEFAULT_CONTENT).questions_of("ORG"))
    await onboard(person)
    await person.tap("cat:ORG")
    for _ in range(questions):
        await person.tap(payloads(await person.question())[0])
    await person.next("image")
    await person.menu()


async def test_log_in_claim_reply_and_validate_on_a_phone(page: Page, tmp_path: Path) -> None:
    async with running_console(tmp_path) as app, web_chat(app.url) as person:
        await flagged_person(person)
        [case] = await app.cases.queue()

        await page.goto(app.url + "/counsellor")
        assert page.url.endswith("/counsellor/login")
        assert await fits_the_phone(page)
        await page.get_by_label("Your name").fill(ANA)
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Log in").click()

        await page.get_by_text("Cases: 1, oldest first.").wait_for()
        assert await fits_the_phone(page)
        assert "Free: nobody has it yet" in await page.inner_text("main")
        await page.get_by_role("link", name=f"Case {case.id}").click()
        await page.get_by_role("heading", name=f"Case {case.id}").wait_for()
        assert await fits_the_phone(page)

        await page.get_by_role("button", name="Take this case").click()
        await page.get_by_text("You have this case now.").wait_for()
        assert "counsellor is here" in (await person.next("message"))["text"]
        assert await fits_the_phone(page)

        await page.get_by_label("Your message to the person").fill("Hello, I am Ana.")
        await page.get_by_role("button", name="Send").click()
        await page.get_by_text("Sent to the person.").wait_for()
        assert (await person.next("message"))["text"] == "🧑‍🏫 Hello, I am Ana."
        assert await page.locator("ol.chat li.counsellor").inner_text() != ""

        await page.get_by_label("Topic").select_option("ORG")
        await page.get_by_label("Level").select_option("2")
        await page.get_by_role("button", name="Confirm this level").click()
        await page.get_by_text("Level confirmed.").wait_for()
        assert await fits_the_phone(page)
        badge = await person.next("document")
        assert badge["filename"].endswith("-validated.png")

        await page.get_by_role("button", name="Log out").click()
        await page.get_by_role("heading", name="Log in").wait_for()


async def test_the_queue_fits_a_desktop_too(page: Page, tmp_path: Path) -> None:
    async with running_console(tmp_path) as app:
        for chat in ("a", "b", "c"):
            await app.open_case(chat)
        await page.set_viewport_size({"width": 1280, "height": 800})
        await page.goto(app.url + "/counsellor/login")
        await page.get_by_label("Your name").fill(ANA)
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Log in").click()
        await page.get_by_text("Cases: 3, oldest first.").wait_for()
        width: int = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280
        assert await page.locator("ul.cases li").count() == 3
