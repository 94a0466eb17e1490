"""The Bot API stand-in, driven by PTB's own Bot as the adapter will drive it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, RetryAfter

from tests.fakes.telegram_api import FakeTelegramApi


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramApi]:
    async with FakeTelegramApi() as fake:
        yield fake


@pytest.fixture
async def bot(api: FakeTelegramApi) -> AsyncIterator[Bot]:
    async with Bot(api.token, base_url=api.bot_base_url) as ptb_bot:
        yield ptb_bot


async def test_get_me_and_bad_token(api: FakeTelegramApi, bot: Bot) -> None:
    assert (await bot.get_me()).username == "spocc_test_bot"
    wrong = Bot("1:wrong", base_url=api.bot_base_url)
    with pytest.raises(InvalidToken):
        await wrong.initialize()
    await wrong.shutdown()


async def test_long_poll_returns_when_an_update_arrives(api: FakeTelegramApi, bot: Bot) -> None:
    await api.user_sends_text(1001, "/start demo42")
    updates = await bot.get_updates(timeout=5)
    assert [u.message.text for u in updates if u.message] == ["/start demo42"]
    assert updates[0].message
    assert updates[0].message.entities[0].type == "bot_command"
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == ()
    assert api.pending_updates == 0


async def test_get_updates_conflicts_with_a_webhook(api: FakeTelegramApi, bot: Bot) -> None:
    await bot.set_webhook("http://127.0.0.1:9/hook", secret_token="s3cret")
    with pytest.raises(Conflict):
        await bot.get_updates(timeout=0)
    assert (await bot.get_webhook_info()).url == "http://127.0.0.1:9/hook"
    await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == ()


async def test_send_then_edit_applies_to_the_chat(api: FakeTelegramApi, bot: Bot) -> None:
    await api.user_sends_text(5, "hi")
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Yes", callback_data="q:yes")]])
    sent = await bot.send_message(5, "Ready?", reply_markup=markup)
    await bot.edit_message_text("Ready? ✅ Yes", chat_id=5, message_id=sent.message_id)
    [message] = api.messages_for(5)
    assert (message.text, message.reply_markup, message.edits) == ("Ready? ✅ Yes", None, 1)
    with pytest.raises(BadRequest, match="not modified"):
        await bot.edit_message_text("Ready? ✅ Yes", chat_id=5, message_id=sent.message_id)


async def test_limits_are_enforced(api: FakeTelegramApi, bot: Bot) -> None:
    await api.user_sends_text(5, "hi")
    with pytest.raises(BadRequest, match="too long"):
        await bot.send_message(5, "x" * 4097)
    bad = InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        await bot.send_message(5, "Pick", reply_markup=bad)
    with pytest.raises(BadRequest, match="caption is too long"):
        await bot.send_photo(5, b"\x89PNG", caption="c" * 1025)


async def test_injected_429_and_blocked_chat(api: FakeTelegramApi, bot: Bot) -> None:
    await api.user_sends_text(5, "hi")
    api.fail_next("sendMessage", retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(5, "one")
    assert caught.value.retry_after == timedelta(seconds=3)
    await bot.send_message(5, "two")
    api.block(5)
    with pytest.raises(Forbidden, match="blocked"):
        await bot.send_message(5, "three")
    with pytest.raises(Forbidden, match="initiate"):
        await bot.send_message(6, "never talked")


async def test_uploads_keep_their_bytes(api: FakeTelegramApi, bot: Bot) -> None:
    await api.user_sends_text(5, "hi")
    await bot.send_photo(5, b"\x89PNG-bytes", caption="Your result")
    await bot.send_document(5, b"%PDF-1.7", filename="export.pdf", caption="Your data")
    photo, document = api.messages_for(5)
    assert (photo.photo, photo.caption) == (b"\x89PNG-bytes", "Your result")
    assert (document.document, document.filename) == (b"%PDF-1.7", "export.pdf")


async def test_callback_query_is_answered_once(api: FakeTelegramApi, bot: Bot) -> None:
    update = await api.user_taps(5, 1, "q:yes")
    query_id = update["callback_query"]["id"]
    assert await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match="too old"):
        await bot.answer_callback_query(query_id)
    await api.wait_for(lambda: query_id in api.answered_callbacks, timeout=1)


async def test_commands_are_kept_per_language(api: FakeTelegramApi, bot: Bot) -> None:
    await bot.set_my_commands([("start", "Begin")], language_code="sl")
    assert [c.command for c in await bot.get_my_commands(language_code="sl")] == ["start"]
    assert await bot.get_my_commands() == ()
