"""What one engine step returns: the new state, the actions, and the answers to log."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.framework.actions import Action
from bot.framework.session import Answer, Session


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    """One line of the append-only answers log."""

    category: str
    answer: Answer


@dataclass(frozen=True, slots=True)
class Sprint:
    """The result of applying one event: `session` None means the person's data is erased."""

    session: Session | None
    actions: list[Action] = field(default_factory=list)
    answers: list[AnswerRecord] = field(default_factory=list)
