"""Text that storage cannot hold is removed at the edge, whatever the channel."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.framework.cleaning import clean_event, clean_text
from bot.framework.events import ChoiceSelected, CommandReceived, MediaReceived, TextReceived


def test_nul_and_lone_surrogates_go_and_everything_else_stays() -> None:
    assert clean_text("a\x00b\ud800c\udfffd") == "abcd"
    assert clean_text("héllo 👋🏽 مرحبا\tok\n") == "héllo 👋🏽 مرحبا\tok\n"


@given(st.text())
def test_the_result_always_encodes_and_has_no_nul(text: str) -> None:
    cleaned = clean_text(text)
    cleaned.encode("utf-8")
    assert "\x00" not in cleaned


def test_every_person_written_field_is_cleaned() -> None:
    assert clean_event(TextReceived("a\x00")) == TextReceived("a")
    assert clean_event(CommandReceived("name", "Ana\ud800")) == CommandReceived("name", "Ana")
    assert clean_event(ChoiceSelected("x\x00")) == ChoiceSelected("x")
    assert clean_event(MediaReceived("photo", "f")) == MediaReceived("photo", "f")
