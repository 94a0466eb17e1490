"""A whole category in each shipped language, through the engine: nothing in another language."""

from __future__ import annotations

import pytest

from bot.framework.actions import MarkAnswered, SendText
from tests.fakes.chat import ChatClient
from tests.language_check import LANGUAGES, strays


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_whole_category_is_all_in_the_chosen_language(language: str) -> None:
    client = ChatClient(locale_hint=language)
    client.send("/start")
    client.tap_payload(f"lang:{language}")
    start = len(client.sent)
    client.tap_payload("consent:yes")
    client.tap_payload("cat:ORG")
    for turn in range(2 * len(client.content.questions_of("ORG"))):  # one answer taken back
        assert client.session is not None
        if client.session.step != "question":
            break
        client.tap("⬅️" if turn == 1 else f"{turn % 3 + 1}️⃣")
    client.send("/help")
    client.tap_payload("nav:results")
    assert client.session is not None
    assert "ORG" in client.session.results
    sent = client.sent[start:]
    shown = [a.text for a in sent if isinstance(a, SendText)]
    shown += [a.label for a in sent if isinstance(a, MarkAnswered)]
    shown += [
        b.label
        for a in sent
        if isinstance(a, SendText) and a.keyboard
        for b in a.keyboard.buttons()
    ]
    assert {a.lang for a in sent if isinstance(a, SendText)} == {language}
    assert not strays(shown, language)
