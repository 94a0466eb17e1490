"""Telegram updates become neutral events (or nothing), read over real HTTP by polling."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bot.channels.telegram import TelegramChannel
from bot.framework.events import (
    ChoiceSelected,
    CommandReceived,
    Event,
    MediaReceived,
    TextReceived,
)
from bot.framework.session import SessionKey
from tests.channels.telegram_support import Recorder, render_picture, telegram_config
from tests.fakes.telegram_api import FakeTelegramApi, Json

Send = Callable[[FakeTelegramApi], Awaitable[Json]]

CASES: list[tuple[str, Send, Event]] = [
    ("text", lambda api: api.user_sends_text(1001, "I am ready"), TextReceived("I am ready")),
    ("command", lambda api: api.user_sends_text(1001, "/help"), CommandReceived("help", "")),
    (
        "deep link",
        lambda api: api.user_sends_text(1001, "/start demo42"),
        CommandReceived("start", "demo42"),
    ),
    (
        "command with the bot's name",
        lambda api: api.user_sends_text(1001, "/language@spocc_test_bot sl"),
        CommandReceived("language", "sl"),
    ),
    ("sticker", lambda api: api.user_sends_sticker(1001), MediaReceived("sticker", "sticker-1")),
    ("photo", lambda api: api.user_sends_photo(1001), MediaReceived("photo", "photo-big")),
    ("voice", lambda api: api.user_sends_voice(1001), MediaReceived("voice", "voice-1")),
    ("location", lambda api: api.user_sends_location(1001), MediaReceived("location", "")),
    ("document", lambda api: api.user_sends_document(1001), MediaReceived("document", "doc-1")),
]

IGNORED: list[tuple[str, Send]] = [
    ("edited message", lambda api: api.user_edits(1001, 1, "changed")),
    ("group message", lambda api: api.group_message(-4001, 1001, "/start")),
    ("supergroup message", lambda api: api.group_message(-1004001, 1001, "hello")),
    ("channel post", lambda api: api.channel_post(-1005001, "news")),
    ("blocked the bot", lambda api: api.user_blocks_bot(1002)),
    ("unknown update type", lambda api: api.raw_update({"message_reaction_count": {"x": 1}})),
    ("message without a chat", lambda api: api.raw_update({"message": {"message_id": 1}})),
    ("not even an object", lambda api: api.raw_update({"message": "hello"})),
]


@pytest.mark.parametrize(("send", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
async def test_private_messages_become_events(
    api: FakeTelegramApi, recorder: Recorder, polling: TelegramChannel, send: Send, expected: Event
) -> None:
    update = await send(api)
    [inbound] = await recorder.wait_for_count(1)
    assert inbound.event == expected
    assert inbound.key == SessionKey("telegram", "1001")
    assert inbound.event_id == str(update["update_id"])
    assert inbound.locale_hint == "en"
    assert inbound.received_at.tzinfo is not None


async def test_language_code_becomes_the_locale_hint(
    api: FakeTelegramApi, recorder: Recorder, polling: TelegramChannel
) -> None:
    await api.user_sends_text(1001, "Živjo", language_code="sl")
    [inbound] = await recorder.wait_for_count(1)
    assert inbound.locale_hint == "sl"


async def test_a_tap_is_answered_before_it_is_processed(api: FakeTelegramApi) -> None:
    taps: list[str] = []

    async def step(_inbound: object) -> None:
        # Processing waits for the answer: if the answer waited for processing, this would hang.
        await api.wait_for(lambda: len(api.answered_callbacks) == len(taps) + 1, timeout=2)
        taps.append(api.answered_callbacks[-1])

    recorder = Recorder(step)
    channel = TelegramChannel(telegram_config(api), recorder, render_picture, poll_timeout=2)
    await channel.start()
    update = await api.user_taps(1001, 7, "q:SC-SOC-01:b")
    [inbound] = await recorder.wait_for_count(1)
    await channel.stop()
    assert inbound.event == ChoiceSelected("q:SC-SOC-01:b")
    assert taps == [update["callback_query"]["id"]]


@pytest.mark.parametrize("send", [c[1] for c in IGNORED], ids=[c[0] for c in IGNORED])
async def test_other_updates_are_ignored_without_harm(
    api: FakeTelegramApi, recorder: Recorder, polling: TelegramChannel, send: Send
) -> None:
    await send(api)
    await api.user_sends_text(1001, "after")
    await recorder.wait_for_count(1)
    await api.wait_for(lambda: api.pending_updates == 0)
    assert recorder.events() == [TextReceived("after")]


async def test_a_tap_in_a_group_is_not_processed(
    api: FakeTelegramApi, recorder: Recorder, polling: TelegramChannel
) -> None:
    await api.raw_update(
        {
            "callback_query": {
                "id": "77",
                "from": {"id": 1001, "is_bot": False, "first_name": "C"},
                "chat_instance": "1",
                "data": "case:1",
                "message": {
                    "message_id": 3,
                    "date": 1764326400,
                    "chat": {"id": -4001, "type": "group", "title": "Counsellors"},
                },
            }
        }
    )
    await api.user_sends_text(1001, "after")
    await recorder.wait_for_count(1)
    assert recorder.events() == [TextReceived("after")]
