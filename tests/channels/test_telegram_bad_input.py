"""The Telegram webhook under hostile bodies, and text that storage cannot hold."""

from __future__ import annotations

import logging

import aiohttp
import pytest

from bot.channels.telegram import TelegramChannel
from bot.framework.events import CommandReceived, TextReceived
from tests.channels.telegram_support import (
    SECRET,
    Recorder,
    WebhookSite,
    render_picture,
    telegram_config,
)
from tests.fakes.telegram_api import FakeTelegramApi


async def test_deeply_nested_json_gets_400_and_one_log_line(
    webhook: WebhookSite, caplog: pytest.LogCaptureFixture
) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    body = "[" * 5000 + "]" * 5000
    with caplog.at_level(logging.INFO):
        async with (
            aiohttp.ClientSession() as http,
            http.post(webhook.url, data=body, headers=headers) as reply,
        ):
            assert reply.status == 400
    webhook_lines = [r for r in caplog.records if "webhook" in r.getMessage()]
    assert len(webhook_lines) == 1
    assert webhook_lines[0].exc_info is None


async def test_nul_bytes_and_lone_surrogates_are_removed_from_texts(
    api: FakeTelegramApi, recorder: Recorder
) -> None:
    channel = TelegramChannel(telegram_config(api), recorder, render_picture, poll_timeout=2)
    await channel.start()
    await api.user_sends_text(1001, "a\x00b\ud800c")
    await api.user_sends_text(1001, "/name Ana\x00")
    await recorder.wait_for_count(2)
    await channel.stop()
    assert recorder.events() == [TextReceived("abc"), CommandReceived("name", "Ana")]
