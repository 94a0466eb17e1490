"""Issue 12 items 3, 11 and 13: every command by button, help per channel, plain delete."""

from __future__ import annotations

from bot.channels.whatsapp_limits import MAX_ROWS
from bot.framework.actions import DataErased, ExportRequested, ResendBadges, SendText
from bot.framework.events import CounsellorJoined
from tests.fakes.chat import ChatClient


def _payloads(client: ChatClient) -> list[str]:
    return [b.payload for b in client.last_keyboard_buttons()]


def _help(client: ChatClient) -> SendText:
    return next(a for a in reversed(client.sent) if isinstance(a, SendText) and a.ref == "help")


def test_the_menu_fits_a_whatsapp_list_with_a_row_to_spare() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    while client.session is not None and client.session.step == "question":
        client.tap("1️⃣")
    assert "nav:results" in _payloads(client)
    assert len(client.last_keyboard_buttons()) < MAX_ROWS


def test_every_command_has_a_button_in_the_menu_or_more() -> None:
    client = ChatClient()
    client.onboard()
    assert {"nav:help", "nav:more", "nav:human"} <= set(_payloads(client))
    client.tap("⚙️")
    more = set(_payloads(client))
    assert {"nav:badges", "nav:export", "nav:delete", "nav:language", "nav:menu"} <= more
    assert len(more) <= MAX_ROWS
    client.tap("🏅")
    assert isinstance(client.sent[-1], ResendBadges)
    client.tap_payload("nav:export")
    assert any(isinstance(a, ExportRequested) for a in client.sent[-3:])


def test_delete_by_buttons_says_badges_stop_and_offers_start_again() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("⚙️")
    client.tap("🗑️")
    assert "badges will stop working" in client.last_text().text
    client.tap("🗑️")
    assert any(isinstance(a, DataErased) for a in client.sent)
    assert client.session is None
    deleted = client.last_text()
    assert "/start" not in deleted.text
    assert _payloads(client) == ["nav:start"]
    client.tap("🔄")
    assert client.session is not None
    assert "language" in client.last_text().text


def test_web_help_shows_buttons_and_the_speaker_not_commands() -> None:
    client = ChatClient(channel="web")
    client.onboard()
    client.tap("❓")
    help_text = _help(client)
    assert "/" not in help_text.text
    assert "speaker" in help_text.text
    assert help_text.keyboard is not None
    shown = {b.payload for b in help_text.keyboard.buttons()}
    assert {"nav:badges", "nav:export", "nav:delete", "nav:language", "nav:human"} <= shown


def test_telegram_help_names_commands_and_no_speaker() -> None:
    client = ChatClient(channel="telegram")
    client.onboard()
    client.send("/help")
    help_text = _help(client)
    assert "speaker" not in help_text.text
    assert "/delete" in help_text.text


def test_whatsapp_help_has_no_speaker_and_no_commands() -> None:
    client = ChatClient(channel="whatsapp")
    client.onboard()
    client.tap("❓")
    help_text = _help(client)
    assert "speaker" not in help_text.text
    assert "/" not in help_text.text


def test_data_rights_by_button_still_work_while_a_counsellor_talks() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("🙋")
    client.apply(CounsellorJoined())
    client.tap_payload("nav:delete")
    assert client.session is not None
    assert client.session.step == "confirm_delete"
