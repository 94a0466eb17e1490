"""Many people at once: chats are handled concurrently, each chat strictly in order."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.channels.telegram import TelegramChannel
from bot.framework.actions import SendText
from bot.framework.events import Inbound, TextReceived
from tests.channels.telegram_support import Recorder, WebhookSite, render_picture, telegram_config
from tests.fakes.telegram_api import FakeTelegramApi

CHATS = 50
PER_CHAT = 10
DELAY = 0.1  # every API call takes this long, like a real network


async def _start(
    mode: str, api: FakeTelegramApi, recorder: Recorder
) -> tuple[TelegramChannel, WebhookSite | None]:
    if mode == "webhook":
        site = WebhookSite(api, recorder)
        await site.start()
        return site.channel, site
    channel = TelegramChannel(telegram_config(api), recorder, render_picture, poll_timeout=2)
    await channel.start()
    return channel, None


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_fifty_chats_each_in_order(api: FakeTelegramApi, mode: str) -> None:
    holder: list[TelegramChannel] = []

    async def echo(inbound: Inbound) -> None:
        assert isinstance(inbound.event, TextReceived)
        await holder[0].deliver(inbound.key, SendText(f"got {inbound.event.text}"))

    recorder = Recorder(echo)
    channel, site = await _start(mode, api, recorder)
    holder.append(channel)
    api.delay = DELAY
    chats = [2000 + c for c in range(CHATS)]
    began = time.monotonic()
    for n in range(PER_CHAT):
        await asyncio.gather(*(api.user_sends_text(chat, f"{chat}-{n}") for chat in chats))
    await recorder.wait_for_count(CHATS * PER_CHAT, seconds=30)
    elapsed = time.monotonic() - began
    await (site.stop() if site else channel.stop())

    for chat in chats:
        expected = [f"{chat}-{n}" for n in range(PER_CHAT)]
        assert recorder.for_chat(chat) == [TextReceived(text) for text in expected]
        assert [m.text for m in api.messages_for(chat)] == [f"got {t}" for t in expected]
    # One at a time would take CHATS * PER_CHAT * DELAY = 50 s.
    assert elapsed < CHATS * PER_CHAT * DELAY / 5
