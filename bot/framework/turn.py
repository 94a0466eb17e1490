"""One event's working context: the state being changed and the actions being collected."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.framework.actions import Action, SendText
from bot.framework.engine_types import AnswerRecord
from bot.framework.events import Event
from bot.framework.i18n import Translator
from bot.framework.keyboards import Keyboard
from bot.framework.session import Session


@dataclass(slots=True)
class Turn:
    """What a dialog step reads and writes while handling one event.

    `session` None at the end means: erase everything about this person.
    """

    session: Session | None
    event: Event
    now: datetime
    new_id: Callable[[], str]
    t: Translator
    actions: list[Action] = field(default_factory=list)
    answers: list[AnswerRecord] = field(default_factory=list)

    @property
    def state(self) -> Session:
        """The session, which must exist at this point of a dialog."""
        if self.session is None:
            raise RuntimeError("no session")
        return self.session

    def say(self, text: str, keyboard: Keyboard | None = None, ref: str = "") -> None:
        """Queue a message."""
        self.actions.append(SendText(text, keyboard, ref, lang=self.t.locale))

    def emit(self, action: Action) -> None:
        """Queue any other action."""
        self.actions.append(action)
