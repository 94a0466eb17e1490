"""The inputs of a transcript: parse the `>` lines into what the person (or counsellor) did."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from bot.framework.events import (
    CommandReceived,
    CounsellorJoined,
    CounsellorLeft,
    CounsellorMessage,
    Event,
    LevelValidated,
    MediaReceived,
    Reconnected,
    TextReceived,
    ValidationRejected,
)

INPUT = "> "
COMMENT = "#"
_UNITS = {"ms": "milliseconds", "s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_WAIT = re.compile(r"^(\d+)(ms|s|m|h|d)$")
_VALIDATES = re.compile(r"^validates (\w+) (\d)(?: (.*))?$")


class TranscriptError(ValueError):
    """A transcript line that cannot be parsed or replayed."""

    def __init__(self, line_no: int, line: str, problem: str) -> None:
        super().__init__(f"line {line_no}: {problem}: {line!r}")


@dataclass(frozen=True, slots=True)
class Tap:
    """Tap the button of the last keyboard with this label (or the one label it begins)."""

    label: str


@dataclass(frozen=True, slots=True)
class Wait:
    """Let time pass before the next input (on top of the usual step)."""

    delta: timedelta


Step = Event | Tap | Wait


@dataclass(frozen=True, slots=True)
class Line:
    """One line the replay keeps as written: an input (with its step) or a comment."""

    number: int
    text: str
    step: Step | None = None


def parse(transcript: str) -> list[Line]:
    """The comments and inputs of a transcript, in order; the bot's lines are left out.

    Raises:
        TranscriptError: An input line that says nothing known.
    """
    kept = []
    for number, text in enumerate(transcript.splitlines(), start=1):
        if text.startswith(COMMENT):
            kept.append(Line(number, text.rstrip()))
        elif text.startswith(INPUT.rstrip()):
            kept.append(Line(number, text.rstrip(), _step(number, text)))
    return kept


def _step(number: int, line: str) -> Step:
    said = line[len(INPUT) :].strip() if line.startswith(INPUT) else ""
    if not said:
        raise TranscriptError(number, line, "an empty input")
    word, _, rest = said.partition(" ")
    try:
        return _known_step(word, rest.strip(), said)
    except ValueError as error:
        raise TranscriptError(number, line, str(error)) from None


def _known_step(word: str, rest: str, said: str) -> Step:
    if said.startswith("/"):
        return CommandReceived(word[1:], rest)
    if word == "tap":
        if not rest:
            raise ValueError("tap needs a button's label (or its beginning)")
        return Tap(rest)
    if word == "say":
        return TextReceived(rest)
    if word == "wait":
        return Wait(_duration(rest))
    if word == "send":
        return MediaReceived(rest, "file-1")
    if said == "reconnect":
        return Reconnected()
    if word == "counsellor":
        return _counsellor(rest)
    return TextReceived(said)


def _duration(text: str) -> timedelta:
    match = _WAIT.match(text)
    if match is None:
        raise ValueError("a wait needs a number and a unit (ms, s, m, h, d)")
    return timedelta(**{_UNITS[match[2]]: int(match[1])})


def _counsellor(said: str) -> Event:
    word, _, rest = said.partition(" ")
    if said == "joins":
        return CounsellorJoined()
    if said in ("leaves", "closes"):
        return CounsellorLeft(closed=said == "closes")
    if word == "says":
        return CounsellorMessage(rest)
    if word == "rejects":
        return ValidationRejected(rest)
    match = _VALIDATES.match(said)
    if match is None:
        raise ValueError("a counsellor joins, says, validates CAT LEVEL, rejects, leaves, closes")
    return LevelValidated(match[1], int(match[2]), match[3] or "")
