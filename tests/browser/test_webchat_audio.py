"""The real bot in headless Chromium: the speaker plays the server's speech, not the phone's."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.async_api import Page, expect

from tests.app_support import app_config, running_app
from tests.browser.test_webchat_e2e import tap_option

SPEECH = r"^/audio/[0-9a-f]{32}\.ogg$"
FETCH_HEAD = """async (src) => {
    const response = await fetch(src);
    const bytes = new Uint8Array(await response.arrayBuffer());
    return [response.headers.get("content-type"), String.fromCharCode(...bytes.slice(0, 64))];
}"""


async def player_src(page: Page) -> str:
    """The path the page's audio element plays."""
    src: str = await page.get_by_test_id("player").evaluate("a => new URL(a.src).pathname")
    return src


async def test_the_speaker_plays_server_speech_and_audio_on_plays_questions(
    page: Page, tmp_path: Path
) -> None:
    async with running_app(app_config(tmp_path)) as url:
        await page.goto(url)
        await tap_option(page, "English")
        await page.get_by_test_id("speak").last.click()  # the consent screen's speaker
        consent_speech = await player_src(page)
        content_type, head = await page.evaluate(FETCH_HEAD, consent_speech)
        await tap_option(page, "Read messages aloud")  # audio on: the screen comes again, heard
        await tap_option(page, "Yes")
        await tap_option(page, "Social")
        await expect(page.locator("[data-testid=bot-message]").last).to_contain_text("1 / ")
        speaker = page.locator("[data-testid=bot-message]").last.get_by_test_id("speak")
        question_speech = await speaker.get_attribute("data-src")
        played = await player_src(page)

    assert content_type == "audio/ogg"
    assert head.startswith("OggS")
    assert "OpusHead" in head
    assert re.match(SPEECH, consent_speech)
    assert played == question_speech  # the question's speech played before it showed
    assert played != consent_speech
