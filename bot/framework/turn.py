"""One event's working context: the state being changed and the actions being collected."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from bot.framework import bilingual
from bot.framework.actions import Action, SendText, SendVoice
from bot.framework.engine_types import AnswerRecord
from bot.framework.events import Event
from bot.framework.i18n import Translator
from bot.framework.keyboards import Keyboard
from bot.framework.session import Session


@dataclass(slots=True)
class Turn:
    """What a dialog step reads and writes while handling one event.

    `session` None at the end means: erase everything about this person. With `second` set,
    every message is also shown in that language, under the first (`use_languages`).
    """

    session: Session | None
    event: Event
    now: datetime
    new_id: Callable[[], str]
    t: Translator
    actions: list[Action] = field(default_factory=list)
    answers: list[AnswerRecord] = field(default_factory=list)
    second: Translator | None = None

    @property
    def state(self) -> Session:
        """The session, which must exist at this point of a dialog."""
        if self.session is None:
            raise RuntimeError("no session")
        return self.session

    def say(
        self, text: str, keyboard: Keyboard | None = None, ref: str = "", speak: str = ""
    ) -> None:
        """Queue a message; `speak` (what is read aloud) defaults to the text without symbols."""
        spoken = speak or without_symbols(text)
        self.actions.append(SendText(self._both(text), keyboard, ref, spoken, self.t.locale))

    def use_languages(self, t: Translator, second: Translator | None = None) -> None:
        """Write from now on in `t`, and also in `second` when it is set and differs."""
        self.second = second if second is not None and second.locale != t.locale else None
        self.t = bilingual.RecordingTranslator.wrap(t) if self.second else t

    def _both(self, text: str) -> str:
        t, second = self.t, self.second
        if second is None or not isinstance(t, bilingual.RecordingTranslator):
            return text
        other = bilingual.echo(text, t, second)
        return text if other == text else bilingual.join_blocks(text, t.rtl, other, second.rtl)

    def hear(self, speak: str) -> None:
        """Queue `speak` as speech, when the person turned audio on."""
        if self.session is not None and self.session.audio:
            self.actions.append(SendVoice(speak, self.t.locale))

    def emit(self, action: Action) -> None:
        """Queue any other action."""
        self.actions.append(action)


_SPACES = re.compile(r"[ \t]+")


@lru_cache(maxsize=4096)
def without_symbols(text: str) -> str:
    """Text for reading aloud: emoji, pictographs and progress marks left out."""
    kept = "".join(
        ch
        for ch in text
        if unicodedata.category(ch) not in ("So", "Sk", "Mn", "Cf", "Co") and ch not in "●○\u20e3"
    )
    return "\n".join(_SPACES.sub(" ", line).strip() for line in kept.splitlines()).strip()
