"""A whole category in each shipped language, on Telegram (stand-in) and the web chat (socket).

One app per channel and one person per language, all walking at once: the same check as the
engine-level test (tests/dialogs/test_every_language.py), on what the real channels deliver.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from bot.app import CONTENT
from bot.config import DEFAULT_CONTENT
from bot.dialogs.definition import load_content
from tests.app_support import app_config, payloads, running_app, web_chat
from tests.e2e import telegram_people
from tests.e2e.telegram_people import Person, option_payloads, serve, telegram_env
from tests.fakes.telegram_api import FakeTelegramApi
from tests.language_check import LANGUAGES, strays

CATEGORY = "SOC"
QUICK = {"TELEGRAM_CHAT_RATE": "50", "TELEGRAM_GLOBAL_RATE": "400"}  # pacing is tested elsewhere


async def telegram_walk(api: FakeTelegramApi, chat_id: int, language: str, count: int) -> None:
    """Start, choose `language`, agree, answer every question of CATEGORY; check the chat."""
    person = Person(api, chat_id)
    await person.say("/start")
    picker = await person.next_with("lang:")
    if f"lang:{language}" not in telegram_people.payloads(picker):  # on the second page
        await person.tap(picker, "langs:1")
        picker = await person.next_with("langs:0")
    await person.tap(picker, f"lang:{language}")
    chosen = len(api.messages_for(chat_id))
    await person.tap(await person.next_with("consent:"), "consent:yes")
    await person.tap(await person.next_with("cat:"), f"cat:{CATEGORY}")
    question = await person.next_with("q:")
    for number in range(1, count + 1):
        payload = option_payloads(question)[number % 3]
        await person.tap(question, payload)
        question = await person.next_with("q:" if number < count else "cat:")
    chat = api.messages_for(chat_id)[chosen:]
    shown = [m.text or m.caption or "" for m in chat] + person.texts[chosen:]
    shown += [label for m in chat for label, _ in m.buttons()]
    assert not strays(shown, language), language


async def test_telegram_a_whole_category_in_every_language(tmp_path: Path) -> None:
    async with FakeTelegramApi() as api, serve(telegram_env(api, tmp_path, **QUICK)) as served:
        count = len(served.app[CONTENT].questions_of(CATEGORY))
        walks = [telegram_walk(api, 7000 + n, lang, count) for n, lang in enumerate(LANGUAGES)]
        await asyncio.gather(*walks)


async def web_walk(url: str, language: str, count: int) -> None:
    """The same walk over the web chat's socket, the page's own words included."""
    async with web_chat(url) as client:
        await client.hello(lang=language)
        await client.question()
        await client.tap(f"lang:{language}")
        chosen = len(client.frames)
        await client.question()
        await client.tap("consent:yes")
        await client.question()
        await client.tap(f"cat:{CATEGORY}")
        for number in range(count):
            question = await client.question()
            await client.tap(option_payloads_of(question)[number % 3])
        await client.next("image")
        assert f"cat:{CATEGORY}" in payloads(await client.menu())
    assert not strays(shown_on_page(client.frames[chosen:]), language), language


def option_payloads_of(frame: dict[str, Any]) -> list[str]:
    """The answer buttons of a question frame, without the skip."""
    return [p for p in payloads(frame) if p.startswith("q:") and not p.endswith(":-")]


def shown_on_page(frames: list[dict[str, Any]]) -> list[str]:
    """Every text, button label, answered label and page word the frames carry."""
    shown: list[str] = []
    for frame in frames:
        if frame["type"] == "message":
            shown.append(frame["text"])
            shown += [button["label"] for row in frame["buttons"] or () for button in row]
        elif frame["type"] == "answered":
            shown.append(frame["label"])
        elif frame["type"] == "ui":
            shown += frame["labels"].values()
    return shown


async def test_web_chat_a_whole_category_in_every_language(tmp_path: Path) -> None:
    count = len(load_content(DEFAULT_CONTENT).questions_of(CATEGORY))
    async with running_app(app_config(tmp_path)) as url:
        await asyncio.gather(*(web_walk(url, language, count) for language in LANGUAGES))
