"""Issue 12 item 6: a flagged result says what happened and what comes next, with its own mark."""

from __future__ import annotations

from datetime import timedelta

from bot.framework.actions import SendResultPicture, SendText
from bot.framework.events import LevelValidated
from tests.fakes.chat import ChatClient


def _flagged_walk() -> ChatClient:
    client = ChatClient(step=timedelta(milliseconds=500))  # too fast: flagged
    client.onboard()
    client.tap("Personal")
    while client.session is not None and client.session.step == "question":
        client.tap("1️⃣")
    assert client.session is not None
    assert client.session.results["PER"]["flags"]
    return client


def _texts(client: ChatClient) -> str:
    return "\n".join(a.text for a in client.sent if isinstance(a, SendText))


def test_a_flagged_result_says_finished_counsellor_and_go_on_without_cheering() -> None:
    client = _flagged_walk()
    said = _texts(client)
    assert "Well done" not in said
    assert "Your level" not in said
    assert "You finished this topic: Personal skills" in said
    assert "A counsellor will look at your answers with you." in said
    assert "You can go on with another topic now." in said


def test_a_flagged_topic_has_its_own_mark_in_the_menu_and_the_picture() -> None:
    client = _flagged_walk()
    personal = next(b.label for b in client.last_keyboard_buttons() if "Personal" in b.label)
    assert "✅" not in personal
    assert personal.endswith("🧑‍🏫")
    picture = [a for a in client.sent if isinstance(a, SendResultPicture)][-1]
    assert picture.flagged == ("PER",)


def test_a_confirmed_level_turns_the_mark_into_a_tick() -> None:
    client = _flagged_walk()
    client.apply(LevelValidated("PER", 2))
    client.send("/menu")
    personal = next(b.label for b in client.last_keyboard_buttons() if "Personal" in b.label)
    assert personal.endswith("✅")


def test_the_results_picture_carries_its_words_for_alt_text_and_speech() -> None:
    client = ChatClient()
    client.onboard()
    client.tap("Social")
    while client.session is not None and client.session.step == "question":
        client.tap("2️⃣")
    pictures = [a for a in client.sent if isinstance(a, SendResultPicture)]
    assert pictures
    assert "Social skills" in pictures[-1].caption  # the alt text names the finished topic
