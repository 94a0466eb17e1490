"""A person's conversation state: small, JSON-serializable, versioned by the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class SessionKey:
    """Which conversation: the channel name and the channel's own chat id."""

    channel: str
    chat_id: str

    def __str__(self) -> str:
        return f"{self.channel}:{self.chat_id}"


@dataclass(frozen=True, slots=True)
class Answer:
    """One answered (or skipped) question, with what was needed to score and check it.

    `option_key` and `level` are None for a skip. `position` is where the chosen option stood in
    the order shown (0 = top), for the same-position check; `elapsed_ms` is from the question
    being sent to the answer arriving, for the too-fast check.
    """

    question_id: str
    option_key: str | None
    level: int | None
    position: int | None
    shown_order: tuple[str, ...]
    elapsed_ms: int
    answered_at: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Answer:
        """Build from the dict `to_json` made."""
        return cls(
            data["question_id"],
            data["option_key"],
            data["level"],
            data["position"],
            tuple(data["shown_order"]),
            data["elapsed_ms"],
            data["answered_at"],
        )

    def to_json(self) -> dict[str, Any]:
        """A plain dict (written out by hand: `asdict` costs more than the rest of a step)."""
        return {
            "question_id": self.question_id,
            "option_key": self.option_key,
            "level": self.level,
            "position": self.position,
            "shown_order": list(self.shown_order),
            "elapsed_ms": self.elapsed_ms,
            "answered_at": self.answered_at,
        }


@dataclass(slots=True)
class Session:
    """Everything the engine needs to go on where the person stopped.

    `step` is one of: `new`, `language`, `consent`, `menu`, `question`, `confirm_delete`,
    `paused`. `handoff` is None, `waiting` (a counsellor was asked) or `claimed` (a counsellor
    is talking with the person: the bot stays quiet and passes messages on); `validated` holds
    the levels a counsellor validated, by category. While `step == "question"`, `category` and
    `position` say which question is open, `question_token` ties its buttons to it,
    `shown_order` is the order its options were shown and `asked_at` when it was sent.
    `audio` says whether questions also come as speech (None: not asked yet, meaning off).
    """

    key: SessionKey
    locale: str | None = None
    consent: bool = False
    invite: str | None = None
    first_name: str | None = None
    step: str = "new"
    category: str | None = None
    position: int = 0
    question_token: str = ""
    shown_order: tuple[str, ...] = ()
    asked_at: str | None = None
    answers: dict[str, dict[str, Answer]] = field(default_factory=dict)
    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    strikes: int = 0
    handoff: str | None = None
    validated: dict[str, int] = field(default_factory=dict)
    second_language: str | None = None
    """Each message also in this language (None: one language only)."""
    audio: bool | None = None
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Earlier results by topic, oldest first: level, badge level and when it was finished."""
    practice: dict[str, list[str]] = field(default_factory=dict)
    """Outcome id → the dates (YYYY-MM-DD) the person said they tried its tip."""
    retake_offered: list[str] = field(default_factory=list)
    """Topics whose retake was offered once for their current result."""

    def to_json(self) -> dict[str, Any]:
        """A plain dict for the store (the key is stored in its own columns)."""
        return {
            "locale": self.locale,
            "consent": self.consent,
            "invite": self.invite,
            "first_name": self.first_name,
            "step": self.step,
            "category": self.category,
            "position": self.position,
            "question_token": self.question_token,
            "shown_order": list(self.shown_order),
            "asked_at": self.asked_at,
            "answers": {
                cat: {qid: a.to_json() for qid, a in by_q.items()}
                for cat, by_q in self.answers.items()
            },
            "results": self.results,
            "strikes": self.strikes,
            "handoff": self.handoff,
            "validated": self.validated,
            "second_language": self.second_language,
            "audio": self.audio,
            "history": self.history,
            "practice": self.practice,
            "retake_offered": self.retake_offered,
        }

    @classmethod
    def from_json(cls, key: SessionKey, data: dict[str, Any]) -> Session:
        """The inverse of `to_json`."""
        answers = {
            cat: {qid: Answer.from_json(a) for qid, a in by_q.items()}
            for cat, by_q in data.get("answers", {}).items()
        }
        return cls(
            key=key,
            locale=data.get("locale"),
            consent=bool(data.get("consent", False)),
            invite=data.get("invite"),
            first_name=data.get("first_name"),
            step=data.get("step", "new"),
            category=data.get("category"),
            position=int(data.get("position", 0)),
            question_token=data.get("question_token", ""),
            shown_order=tuple(data.get("shown_order", ())),
            asked_at=data.get("asked_at"),
            answers=answers,
            results=dict(data.get("results", {})),
            strikes=int(data.get("strikes", 0)),
            handoff=data.get("handoff"),
            validated={cat: int(level) for cat, level in data.get("validated", {}).items()},
            second_language=data.get("second_language"),
            audio=data.get("audio"),
            history={cat: list(rows) for cat, rows in data.get("history", {}).items()},
            practice={oid: list(days) for oid, days in data.get("practice", {}).items()},
            retake_offered=list(data.get("retake_offered", [])),
        )
