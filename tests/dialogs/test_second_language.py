"""Two languages at once: every message also in a second language, turned on from the menu."""

from __future__ import annotations

from bot.framework.actions import SendText
from bot.framework.bilingual import LRM, RLM, SEPARATOR, join_blocks
from tests.fakes.chat import ChatClient


def texts(client: ChatClient, start: int) -> list[SendText]:
    """The text messages sent since `start`."""
    return [a for a in client.sent[start:] if isinstance(a, SendText)]


def walk(client: ChatClient) -> None:
    """Open the Social topic, answer three questions, go back once, set a name, ask for help."""
    client.tap_payload("cat:SOC")
    client.tap("2️⃣")
    client.tap("3️⃣")
    client.tap("🤷")
    client.tap("⬅️")
    client.send("/name Ana")
    client.send("/help")


def onboarded(language: str, second: str | None = None) -> ChatClient:
    client = ChatClient(local_language="sl")
    client.onboard(language)
    assert client.session is not None
    client.session.second_language = second
    return client


def test_each_message_is_both_languages_composed_from_the_same_ids() -> None:
    arabic, slovenian, both = onboarded("العربية"), onboarded("Slovenščina"), onboarded("العربية")
    assert both.session is not None
    both.session.second_language = "sl"
    starts = [len(c.sent) for c in (arabic, slovenian, both)]
    for client in (arabic, slovenian, both):
        walk(client)
    pairs = zip(texts(arabic, starts[0]), texts(slovenian, starts[1]), strict=True)
    expected = [join_blocks(a.text, True, s.text, False) for a, s in pairs]
    shown = texts(both, starts[2])
    assert [m.text for m in shown] == expected
    assert [m.keyboard for m in shown] == [m.keyboard for m in texts(arabic, starts[0])]
    assert [m.speak for m in shown] == [m.speak for m in texts(arabic, starts[0])]
    assert any("Ana" in m.text.split(SEPARATOR)[1] for m in shown)  # a placeholder refilled


def test_menu_entry_turns_it_on_with_the_local_language_first_and_off_again() -> None:
    client = ChatClient(local_language="sl")
    client.onboard("Deutsch")
    client.tap("⚙️")  # the switch is on the More page
    client.tap("🔤")
    picker = client.last_keyboard_buttons()
    assert picker[0].label == "🗣️ Slovenščina"
    client.tap("🗣️ Slovenščina")
    assert client.session is not None
    assert client.session.second_language == "sl"
    menu = client.last_text().text
    german, slovenian = menu.split(f"\n{SEPARATOR}\n")
    assert "Wähle" in german or "Thema" in german
    assert slovenian == client.catalogs.get("sl").gettext(
        "Choose a topic. Each takes about 5 minutes."
    ).join(("🏠 ", ""))
    assert RLM not in menu
    assert LRM not in menu  # both left-to-right: nothing to isolate
    client.tap("⚙️")  # the switch is on the More page
    client.tap("🔤")
    assert client.session.second_language is None
    assert SEPARATOR not in client.last_text().text


def test_right_to_left_over_left_to_right_marks_every_line_of_each_block() -> None:
    client = onboarded("فارسی", "sl")
    client.send("/help")
    help_message = texts(client, len(client.sent) - 2)
    farsi, slovenian = help_message[0].text.split(f"\n{SEPARATOR}\n")
    assert all(line.startswith(RLM) for line in farsi.split("\n") if line)
    assert all(line.startswith(LRM) for line in slovenian.split("\n") if line)


def test_the_second_language_stays_when_the_first_changes_and_goes_on_at_the_question() -> None:
    client = onboarded("English", "sl")
    client.tap_payload("cat:SOC")
    client.tap("1️⃣")
    client.send("/language")
    client.tap("🗣️ Hrvatski")
    question = client.last_text()
    assert question.ref.startswith("q:")
    croatian, slovenian = question.text.split(f"\n{SEPARATOR}\n")
    assert croatian != slovenian
    assert question.lang == "hr"


def test_choosing_the_own_language_as_second_keeps_one_language() -> None:
    client = ChatClient(local_language="sl")
    client.onboard("Slovenščina")
    client.tap("⚙️")  # the switch is on the More page
    client.tap("🔤")
    assert client.last_keyboard_buttons()[0].label == "🗣️ English"  # the local one is already read
    client.tap("🗣️ Slovenščina")
    assert client.session is not None
    assert client.session.second_language is None
    assert SEPARATOR not in client.last_text().text
