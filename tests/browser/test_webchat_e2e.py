"""The real bot in headless Chromium: a whole category by tapping, a reload midway, the picture."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Page, expect

from bot.config import DEFAULT_CONTENT
from bot.dialogs.definition import load_content
from tests.app_support import app_config, running_app

ACTIVE_OPTION = "[data-testid=option]:not([disabled])"


async def tap_option(page: Page, label_part: str) -> None:
    """Tap the first enabled button whose text contains `label_part`."""
    await page.locator(ACTIVE_OPTION, has_text=label_part).first.click()


async def current_question(page: Page) -> str:
    """The text of the last bot message that still has enabled buttons."""
    await expect(page.locator(ACTIVE_OPTION).first).to_be_visible()
    return await page.locator("[data-testid=bot-message]").last.inner_text()


async def test_a_whole_category_with_a_reload_midway(page: Page, tmp_path: Path) -> None:
    questions = len(load_content(DEFAULT_CONTENT).questions_of("COO"))
    async with running_app(app_config(tmp_path)) as url:
        await page.goto(url)
        await tap_option(page, "English")
        await tap_option(page, "Yes")
        await tap_option(page, "Co-operative")
        for number in range(1, questions + 1):
            await expect(page.locator("[data-testid=bot-message]").last).to_contain_text(
                f"{number} / {questions}"
            )
            if number == 4:
                await page.reload()
                await expect(page.locator("[data-testid=bot-message]").last).to_contain_text(
                    f"{number} / {questions}"
                )
            await tap_option(page, "1️⃣")
        image = page.locator("[data-testid=result-image]")
        await expect(image).to_be_visible()
        width = await image.evaluate("img => img.naturalWidth")
        assert width > 300
        finished = re.compile("✅|🧑‍🏫")  # done; fast taps are flagged for a counsellor
        await expect(page.locator(ACTIVE_OPTION, has_text="Co-operative")).to_contain_text(
            finished
        )
        scroll = await page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= 360


async def test_typing_a_number_answers_and_unclear_text_is_reasked(
    page: Page, tmp_path: Path
) -> None:
    async with running_app(app_config(tmp_path)) as url:
        await page.goto(url)
        await tap_option(page, "English")
        await tap_option(page, "Yes")
        await tap_option(page, "Social")
        first = await current_question(page)
        composer = page.get_by_test_id("composer")
        await composer.fill("hello?")
        await page.get_by_test_id("send").click()
        await expect(
            page.locator("[data-testid=bot-message]", has_text="tap one of")
        ).to_be_visible()
        assert await current_question(page) == first
        await composer.fill("2")
        await page.get_by_test_id("send").click()
        await expect(page.locator("[data-testid=bot-message]").last).to_contain_text("2 / ")


async def test_the_page_speaks_the_persons_language(page: Page, tmp_path: Path) -> None:
    async with running_app(app_config(tmp_path)) as url:
        await page.goto(url)
        await tap_option(page, "Slovenščina")
        await expect(page.get_by_test_id("composer")).to_have_attribute(
            "placeholder", "Piši tukaj …"
        )
        await expect(page.get_by_test_id("menu-help")).to_contain_text("Pomoč")
        assert await page.title() == "Klepet o spretnostih"
