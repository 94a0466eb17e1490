"""Small steps and events for store tests (the real engine lives elsewhere)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.db.store import Step
from bot.framework.actions import SendText
from bot.framework.engine_types import AnswerRecord, Sprint
from bot.framework.events import Inbound, TextReceived
from bot.framework.session import Answer, Session, SessionKey

KEY = SessionKey("telegram", "42")
OTHER = SessionKey("telegram", "43")


def inbound(event_id: str, key: SessionKey = KEY) -> Inbound:
    """A text event with the given id."""
    return Inbound(key, TextReceived("hi"), event_id, datetime.now(UTC))


def count(key: SessionKey = KEY, event_id: str = "", texts: int = 1) -> Step:
    """A step that counts events and which ones it saw, and sends `texts` messages."""

    def step(session: Session | None) -> Sprint:
        session = session or Session(key=key)
        tally = session.results.setdefault("tally", {"n": 0, "seen": []})
        tally["n"] += 1
        tally["seen"].append(event_id)
        sends = [SendText(f"{key.chat_id} n={tally['n']} #{i}") for i in range(texts)]
        return Sprint(session, list(sends))

    return step


def tally(session: Session | None) -> int:
    """How many events the counting step has applied."""
    assert session is not None
    return int(session.results["tally"]["n"])


def answer(question_id: str, level: int | None = 2) -> AnswerRecord:
    """A logged answer (a skip when level is None)."""
    return AnswerRecord(
        "social",
        Answer(
            question_id=question_id,
            option_key=None if level is None else f"o{level}",
            level=level,
            position=None if level is None else 1,
            shown_order=("o0", "o1", "o2"),
            elapsed_ms=1500,
            answered_at="2025-01-02T03:04:05+00:00",
        ),
    )


def logging_answers(*records: AnswerRecord) -> Step:
    """A step that logs the given answers and keeps the session as it is."""

    def step(session: Session | None) -> Sprint:
        return Sprint(session or Session(key=KEY), [], list(records))

    return step


def forget(session: Session | None) -> Sprint:
    """A step that erases the person and says goodbye."""
    return Sprint(None, [SendText("bye")])
