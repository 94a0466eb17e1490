"""Polling and webhook intake: order, offsets, secrets, start-up calls."""

from __future__ import annotations

import aiohttp
import pytest

from bot.channels.telegram import TelegramChannel
from bot.framework.events import TextReceived
from tests.channels.telegram_support import (
    SECRET,
    Recorder,
    WebhookSite,
    render_picture,
    telegram_config,
)
from tests.fakes.telegram_api import FakeTelegramApi


async def test_start_publishes_commands_per_language(
    api: FakeTelegramApi, polling: TelegramChannel
) -> None:
    await api.wait_for(lambda: len(api.commands) == 3)  # in the background, after polling began
    assert set(api.commands) == {"en", "sl", ""}
    names = [c["command"] for c in api.commands["sl"]]
    assert names == ["start", "help", "language", "stop", "delete", "human"]
    assert api.commands["sl"][0]["description"] == "Začni ali nadaljuj"


async def test_polling_delivers_in_order_and_advances_the_offset(
    api: FakeTelegramApi, recorder: Recorder, polling: TelegramChannel
) -> None:
    assert api.calls_of("deleteWebhook")
    sent = [await api.user_sends_text(1001 + i % 2, f"m{i}") for i in range(20)]
    await recorder.wait_for_count(20)
    assert recorder.for_chat(1001) == [TextReceived(f"m{i}") for i in range(0, 20, 2)]
    assert recorder.for_chat(1002) == [TextReceived(f"m{i}") for i in range(1, 20, 2)]
    assert [i.event_id for i in recorder.inbound if i.key.chat_id == "1001"] == [
        str(u["update_id"]) for u in sent[::2]
    ]
    await api.wait_for(lambda: api.pending_updates == 0)
    offsets = [call.params.get("offset", 0) for call in api.calls_of("getUpdates")]
    assert offsets == sorted(offsets)
    assert offsets[-1] == sent[-1]["update_id"] + 1


async def test_updates_are_confirmed_at_stop(api: FakeTelegramApi, recorder: Recorder) -> None:
    channel = TelegramChannel(telegram_config(api), recorder, render_picture, poll_timeout=2)
    await channel.start()
    await api.user_sends_text(1001, "last words")
    await recorder.wait_for_count(1)
    await channel.stop()
    assert api.pending_updates == 0
    assert len(recorder.inbound) == 1


@pytest.mark.parametrize("status", [429, 500])
async def test_polling_backs_off_and_goes_on_after_errors(
    api: FakeTelegramApi, recorder: Recorder, status: int
) -> None:
    api.fail_next("getUpdates", 1, retry_after=1, status=status)
    channel = TelegramChannel(telegram_config(api), recorder, render_picture, poll_timeout=2)
    await channel.start()
    await api.user_sends_text(1001, "still here")
    await recorder.wait_for_count(1, seconds=5)
    await channel.stop()
    assert recorder.events() == [TextReceived("still here")]


async def test_webhook_is_registered_with_the_secret(
    api: FakeTelegramApi, webhook: WebhookSite
) -> None:
    assert api.webhook_url == webhook.url
    assert api.webhook_secret == SECRET
    assert not api.calls_of("getUpdates")


async def test_webhook_with_the_right_secret_is_processed(
    api: FakeTelegramApi, recorder: Recorder, webhook: WebhookSite
) -> None:
    update = await api.user_sends_text(1001, "/start demo42")
    [inbound] = await recorder.wait_for_count(1)
    assert inbound.event_id == str(update["update_id"])
    await api.wait_for(lambda: api.pending_updates == 0)
    assert api.webhook_statuses == [200]


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}])
async def test_webhook_without_the_right_secret_is_refused(
    api: FakeTelegramApi, recorder: Recorder, webhook: WebhookSite, headers: dict[str, str]
) -> None:
    body = {
        "update_id": 5,
        "message": {
            "message_id": 1,
            "date": 1,
            "text": "x",
            "chat": {"id": 1001, "type": "private"},
        },
    }
    async with (
        aiohttp.ClientSession() as http,
        http.post(webhook.url, json=body, headers=headers) as reply,
    ):
        assert reply.status == 401
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            webhook.url, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
        ) as reply,
    ):
        assert reply.status == 200
    await recorder.wait_for_count(1)
    assert [i.event_id for i in recorder.inbound] == ["5"]


async def test_webhook_pushed_with_a_wrong_secret_is_not_processed(
    api: FakeTelegramApi, recorder: Recorder, webhook: WebhookSite
) -> None:
    api.webhook_secret = "someone-else"
    await api.user_sends_text(1001, "sneaky")
    await api.wait_for(lambda: api.pending_updates == 0)
    assert set(api.webhook_statuses) == {401}
    assert recorder.inbound == []


async def test_webhook_answers_400_to_a_body_that_is_not_json(webhook: WebhookSite) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with (
        aiohttp.ClientSession() as http,
        http.post(webhook.url, data=b"{not json", headers=headers) as reply,
    ):
        assert reply.status == 400
