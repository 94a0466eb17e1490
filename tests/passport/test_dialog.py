"""/passport through the pure engine: one effect, then buttons for a second language or to stop."""

from __future__ import annotations

from bot.framework.actions import PassportRequested, PassportRevoked, SendText
from tests.fakes.chat import ChatClient


def test_passport_asks_the_host_and_offers_the_country_language() -> None:
    client = ChatClient(local_language="sl")
    client.onboard()
    client.send("/name Ana")
    actions = client.send("/passport")
    assert actions[0] == PassportRequested("en", "", "Ana")
    assert isinstance(actions[-1], SendText)
    labels = [button.label for button in client.last_keyboard_buttons()]
    assert any("Slovenščina" in label for label in labels)
    actions = client.tap("Slovenščina")
    assert actions[0] == PassportRequested("en", "sl", "Ana")
    assert not any("Slovenščina" in b.label for b in client.last_keyboard_buttons())
    actions = client.tap("Stop sharing")
    assert actions == [PassportRevoked("en")]


def test_the_menu_has_the_passport_once_a_topic_is_done() -> None:
    client = ChatClient()
    client.onboard()
    assert not any("passport" in b.label for b in client.last_keyboard_buttons())
    client.tap("Social")
    while client.session is not None and client.session.step == "question":
        client.tap("1️⃣")
    client.send("/menu")
    client.tap("⚙️")  # the More page
    assert any("Skills passport" in b.label for b in client.last_keyboard_buttons())
    actions = client.tap("Skills passport")
    assert isinstance(actions[0], PassportRequested)


def test_passport_needs_consent_first() -> None:
    client = ChatClient()
    client.send("/start")
    client.tap("English")
    actions = client.send("/passport")
    assert not any(isinstance(action, PassportRequested) for action in actions)
