"""Issue 12 items 3 and 11 on Telegram: help without a speaker, the commands kept, buttons too."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.e2e.telegram_people import Person, payloads, serve, telegram_env
from tests.fakes.telegram_api import FakeTelegramApi


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramApi]:
    async with FakeTelegramApi() as fake:
        yield fake


async def test_help_names_the_commands_no_speaker_and_has_the_buttons(
    api: FakeTelegramApi, tmp_path: Path
) -> None:
    async with serve(telegram_env(api, tmp_path, TELEGRAM_CHAT_RATE="50")):
        person = Person(api, 5151)
        await person.onboard()
        await person.say("/help")
        help_message = await person.next_with("nav:badges")

    text = help_message.text or ""
    assert "speaker" not in text
    assert "/delete" in text
    assert "/export" in text
    for payload in ("nav:badges", "nav:export", "nav:delete", "nav:language", "nav:human"):
        assert payload in payloads(help_message)


async def test_delete_by_buttons_then_start_again(api: FakeTelegramApi, tmp_path: Path) -> None:
    async with serve(telegram_env(api, tmp_path, TELEGRAM_CHAT_RATE="50")):
        person = Person(api, 5252)
        menu = await person.onboard()
        await person.tap(menu, "nav:more")
        more = await person.next_with("nav:delete")
        await person.tap(more, "nav:delete")
        question = await person.next_with("del:")
        await person.tap(question, "del:yes")
        deleted = await person.next_with("nav:start")
        await person.tap(deleted, "nav:start")
        picker = await person.next_with("lang:")

    assert "badges will stop working" in (question.text or "")
    assert "/start" not in (deleted.text or "")
    assert picker.text
