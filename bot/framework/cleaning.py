"""Inbound text made safe to store: no NUL bytes, no lone surrogates, on every channel."""

from __future__ import annotations

import re

from bot.framework.events import ChoiceSelected, CommandReceived, Event, TextReceived

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""NUL (PostgreSQL text refuses it) and surrogates a valid pair never leaves alone (UTF-8
cannot encode them); a decoded astral character is one code point, so pairs never match."""


def clean_text(text: str) -> str:
    """`text` without the characters no database or encoder can hold."""
    return _UNSTORABLE.sub("", text)


def clean_event(event: Event) -> Event:
    """The event with its person-written text cleaned; other events as they are.

    A text that was only such characters becomes empty, which the dialogs answer kindly.
    """
    match event:
        case TextReceived(text):
            return TextReceived(clean_text(text))
        case CommandReceived(command, args):
            return CommandReceived(clean_text(command), clean_text(args))
        case ChoiceSelected(payload):
            return ChoiceSelected(clean_text(payload))
    return event


__all__ = ["clean_event", "clean_text"]
