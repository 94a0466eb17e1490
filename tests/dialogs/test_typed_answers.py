"""Typed answers in every shipped language: digits of any script, keycaps, and the words."""

from __future__ import annotations

import pytest

from bot.config import DEFAULT_LOCALES
from bot.dialogs.content import Question
from bot.dialogs.matching import match_option, normalize
from bot.framework.actions import SendText
from bot.framework.i18n import Catalogs
from tests.fakes.chat import ChatClient

LANGUAGES = Catalogs(DEFAULT_LOCALES).languages


def at_first_question(language: str) -> ChatClient:
    """A person who chose `language`, agreed, and opened the first topic."""
    client = ChatClient(locale_hint=language)
    client.send("/start")
    client.tap_payload(f"lang:{language}")
    client.tap("✅")
    first_topic = client.last_keyboard_buttons()[0]
    client.tap_payload(first_topic.payload)
    assert client.session is not None
    assert client.session.step == "question"
    return client


def second_option_words(client: ChatClient) -> str:
    """The second option as shown, in the person's language, the way they would type it."""
    assert client.session is not None
    question = current_question_of(client)
    key = client.session.shown_order[1]
    option = question.option(key)
    assert option is not None
    return client.catalogs.get(client.session.locale).pgettext(f"{question.id}.{key}", option.text)


def current_question_of(client: ChatClient) -> Question:
    assert client.session is not None
    assert client.session.category is not None
    return client.content.questions_of(client.session.category)[client.session.position]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", ["2", "٢", "۲", "2️⃣", " 2. ", "B", "words"])
def test_the_second_option_typed(language: str, typed: str) -> None:
    client = at_first_question(language)
    assert client.session is not None
    expected = client.session.shown_order[1]
    if typed == "words":
        typed = second_option_words(client)
    client.send(typed)
    [record] = client.logged
    assert record.answer.option_key == expected
    assert client.session.position == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_number_past_the_options_is_not_an_answer(language: str) -> None:
    client = at_first_question(language)
    replies = client.send("٩")
    assert client.logged == []
    assert any(isinstance(a, SendText) and a.text.startswith("🙂") for a in replies)


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("كتاب", "کتاب"),  # Arabic kaf typed for Persian keheh
        ("مي خواهم", "می‌خواهم"),  # Arabic yeh and a space for Persian yeh and ZWNJ
        ("مَرحَباً", "مرحبا"),  # vowel marks left out when written
        ("مرحـــبا", "مرحبا"),  # tatweel (kashida) stretching
    ],
)
def test_arabic_script_spelling_variants_match(typed: str, label: str) -> None:
    assert normalize(typed) == normalize(label)
    assert match_option(typed, ["x", label]) == 1
