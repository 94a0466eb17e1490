"""Neutral actions shown on Telegram, and delivery failures mapped onto the channel contract."""

from __future__ import annotations

import logging

import pytest

from bot.channels.base import RetryLater, Unreachable
from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_errors import NETWORK_BACKOFF
from bot.framework.actions import (
    MarkAnswered,
    SendDocument,
    SendResultPicture,
    SendText,
)
from bot.framework.keyboards import Button, Keyboard
from bot.framework.session import SessionKey
from tests.channels.telegram_support import render_picture
from tests.fakes.telegram_api import FakeTelegramApi

PERSON = SessionKey("telegram", "1001")
QUESTION = SendText(
    "A colleague is sad. What do you do?",
    Keyboard.column([Button("🙂 I ask what is wrong", "q:1:a"), Button("🤷 Nothing", "q:1:b")]),
    ref="q:SC-SOC-01",
)


@pytest.fixture(autouse=True)
async def _person_started_the_bot(api: FakeTelegramApi) -> None:
    await api.user_sends_text(1001, "/start")


async def test_question_then_answer_marks_the_message(
    api: FakeTelegramApi, channel: TelegramChannel
) -> None:
    await channel.deliver(PERSON, QUESTION)
    [message] = api.messages_for(1001)
    assert message.text == QUESTION.text
    assert message.buttons() == [("🙂 I ask what is wrong", "q:1:a"), ("🤷 Nothing", "q:1:b")]
    assert all(len(row) == 1 for row in (message.reply_markup or {})["inline_keyboard"])
    await channel.deliver(PERSON, MarkAnswered("q:SC-SOC-01", "🙂 I ask what is wrong"))
    [message] = api.messages_for(1001)
    assert message.text == f"{QUESTION.text}\n\n✅ 🙂 I ask what is wrong"
    assert message.reply_markup is None
    await channel.deliver(PERSON, MarkAnswered("q:SC-SOC-01", "again"))
    await channel.deliver(PERSON, MarkAnswered("q:unknown", "x"))
    assert len(api.calls_of("editMessageText")) == 1


async def test_long_options_go_into_the_text_as_a_numbered_list(
    api: FakeTelegramApi, channel: TelegramChannel
) -> None:
    long = "I listen first, then I tell my team leader what happened and ask for advice"
    keyboard = Keyboard.column([Button(long, "q:2:a"), Button("I leave", "q:2:b")])
    await channel.deliver(PERSON, SendText("What do you do?", keyboard, ref="q:2"))
    [message] = api.messages_for(1001)
    assert message.text == f"What do you do?\n\n1️⃣ {long}\n2️⃣ I leave"
    labels = [label for label, _ in message.buttons()]
    assert labels == ["1️⃣ I listen first, then I tell …", "2️⃣ I leave"]
    assert [data for _, data in message.buttons()] == ["q:2:a", "q:2:b"]


async def test_options_numbered_by_the_dialogs_keep_their_numbers_and_nav_stays_plain(
    api: FakeTelegramApi, channel: TelegramChannel
) -> None:
    long = "I listen first, then I tell my team leader what happened and ask for advice"
    keyboard = Keyboard(
        (
            (Button(f"1️⃣ {long}", "q:3:a"),),
            (Button("2️⃣ I leave", "q:3:b"),),
            (Button("🤷 I don't know", "q:3:-"),),
            (Button("⬅️ Back", "nav:back"), Button("❓ Help", "nav:help")),
        )
    )
    await channel.deliver(PERSON, SendText("What do you do?", keyboard, ref="q:3"))
    [message] = api.messages_for(1001)
    assert message.text == f"What do you do?\n\n1️⃣ {long}\n2️⃣ I leave"
    labels = [label for label, _ in message.buttons()]
    assert labels == [
        "1️⃣ I listen first, then I …",
        "2️⃣ I leave",
        "🤷 I don't know",
        "⬅️ Back",
        "❓ Help",
    ]


async def test_text_over_the_limit_is_cut(api: FakeTelegramApi, channel: TelegramChannel) -> None:
    await channel.deliver(PERSON, SendText("😀" * 3000))
    [message] = api.messages_for(1001)
    assert message.text is not None
    assert message.text.endswith("…")
    assert len(message.text.encode("utf-16-le")) // 2 <= 4096


async def test_result_picture_is_sent_as_a_photo(
    api: FakeTelegramApi, channel: TelegramChannel
) -> None:
    action = SendResultPicture({"social": 2, "creative": None}, "en", caption="Your strengths")
    await channel.deliver(PERSON, action)
    [message] = api.messages_for(1001)
    assert message.photo == render_picture(action)
    assert message.caption == "Your strengths"


async def test_document_keeps_bytes_name_and_type(
    api: FakeTelegramApi, channel: TelegramChannel
) -> None:
    badge = SendDocument("badge.png", b"\x89PNG baked", "image/png", caption="Your badge")
    await channel.deliver(PERSON, badge)
    [message] = api.messages_for(1001)
    assert (message.document, message.filename, message.mime_type) == (
        b"\x89PNG baked",
        "badge.png",
        "image/png",
    )
    assert message.caption == "Your badge"


async def test_429_becomes_retry_later_with_the_servers_wait(
    api: FakeTelegramApi, channel: TelegramChannel
) -> None:
    api.fail_next("sendMessage", retry_after=3)
    with pytest.raises(RetryLater) as caught:
        await channel.deliver(PERSON, QUESTION)
    assert caught.value.seconds == 3
    await channel.deliver(PERSON, QUESTION)
    assert len(api.messages_for(1001)) == 1


async def test_rate_limit_mode_gives_retry_later(
    api: FakeTelegramApi, channel: TelegramChannel
) -> None:
    api.rate_limit(2, retry_after=1)
    outcomes = []
    for i in range(4):
        try:
            await channel.deliver(PERSON, SendText(f"n{i}"))
            outcomes.append("sent")
        except RetryLater as exc:
            outcomes.append(f"wait {exc.seconds:g}")
    assert outcomes == ["sent", "sent", "wait 1", "wait 1"]


async def test_blocked_person_is_unreachable(
    api: FakeTelegramApi, channel: TelegramChannel
) -> None:
    api.block(1001)
    with pytest.raises(Unreachable):
        await channel.deliver(PERSON, QUESTION)


async def test_server_trouble_is_retried_later(
    api: FakeTelegramApi, channel: TelegramChannel
) -> None:
    api.fail_next("sendPhoto", status=502, description="Bad Gateway")
    with pytest.raises(RetryLater) as caught:
        await channel.deliver(PERSON, SendResultPicture({"social": 1}, "en"))
    assert caught.value.seconds == NETWORK_BACKOFF


async def test_refused_edit_is_ignored(api: FakeTelegramApi, channel: TelegramChannel) -> None:
    await channel.deliver(PERSON, QUESTION)
    api.fail_next(
        "editMessageText", status=400, description="Bad Request: message to edit not found"
    )
    await channel.deliver(PERSON, MarkAnswered("q:SC-SOC-01", "🤷 Nothing"))
    assert api.messages_for(1001)[0].reply_markup is not None


async def test_refused_send_is_dropped_and_logged_without_personal_data(
    api: FakeTelegramApi, channel: TelegramChannel, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    api.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
    await channel.deliver(PERSON, SendText("My secret answer"))
    assert "chat not found" in caplog.text.lower()
    assert "1001" not in caplog.text
    assert "secret answer" not in caplog.text


async def test_arabic_text_reads_right_to_left_with_commands_kept_whole(
    api: FakeTelegramApi, channel: TelegramChannel
) -> None:
    text = "يمكنك حذف كل شيء في أي وقت باستخدام /delete.\n/start"
    await channel.deliver(PERSON, SendText(text, ref="q:ar", lang="ar"))
    await channel.deliver(PERSON, MarkAnswered("q:ar", "✅ SOC 2"))
    [message] = api.messages_for(1001)
    lines = (message.text or "").split("\n")
    assert lines[0] == "\u200fيمكنك حذف كل شيء في أي وقت باستخدام \u2066/delete\u2069."
    assert lines[1] == "\u200f\u2066/start\u2069"
    assert lines[-1] == "\u200f✅ ✅ \u2066SOC 2\u2069"


async def test_left_to_right_text_gets_no_marks(
    api: FakeTelegramApi, channel: TelegramChannel
) -> None:
    await channel.deliver(PERSON, SendText("Send /start when you want.", lang="sl"))
    [message] = api.messages_for(1001)
    assert message.text == "Send /start when you want."
