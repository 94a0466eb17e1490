"""A person talking to the pure engine: send text, tap buttons, read what came back."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from bot.config import DEFAULT_CONTENT, DEFAULT_LOCALES
from bot.dialogs.content import Content
from bot.dialogs.conversation import SpoccDialogs
from bot.dialogs.definition import load_content
from bot.framework.actions import Action, SendText
from bot.framework.engine import Engine
from bot.framework.engine_types import AnswerRecord
from bot.framework.events import ChoiceSelected, CommandReceived, Event, Inbound, TextReceived
from bot.framework.i18n import Catalogs
from bot.framework.keyboards import Button
from bot.framework.session import Session, SessionKey

_CONTENT: Content | None = None


def shipped_content() -> Content:
    """data/spocc.yaml, loaded once per test run."""
    global _CONTENT
    if _CONTENT is None:
        _CONTENT = load_content(DEFAULT_CONTENT)
    return _CONTENT


class ChatClient:
    """Drives the engine like a person would; time moves `step` seconds per event."""

    def __init__(
        self,
        step: timedelta = timedelta(seconds=6),
        locale_hint: str = "en",
        local_language: str | None = None,
        channel: str = "web",
        chat_id: str = "1",
    ) -> None:
        self.content = shipped_content()
        self.catalogs = Catalogs(DEFAULT_LOCALES, self.content.source_language)
        dialogs = SpoccDialogs(self.content, self.catalogs, local_language)
        self.engine = Engine(dialogs, self.catalogs)
        self.key = SessionKey(channel, chat_id)
        self.session: Session | None = None
        self.now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
        self.step = step
        self.locale_hint = locale_hint
        self.ids = (f"id{n:06d}" for n in itertools.count())
        self.events = itertools.count()
        self.sent: list[Action] = []
        self.logged: list[AnswerRecord] = []

    def apply(self, event: Event) -> list[Action]:
        """One event through the engine; the session is JSON round-tripped like the store."""
        self.now += self.step
        stored = Session.from_json(self.key, self.session.to_json()) if self.session else None
        inbound = Inbound(self.key, event, str(next(self.events)), self.now, self.locale_hint)
        sprint = self.engine.resume(stored, inbound, lambda: next(self.ids))
        self.session = sprint.session
        self.sent += sprint.actions
        self.logged += sprint.answers
        return sprint.actions

    def send(self, text: str) -> list[Action]:
        """Type a message (commands too)."""
        if text.startswith("/"):
            name, _, args = text[1:].partition(" ")
            return self.apply(CommandReceived(name, args))
        return self.apply(TextReceived(text))

    def tap(self, label_part: str) -> list[Action]:
        """Tap the button of the last keyboard whose label contains `label_part`."""
        button = next(b for b in self.last_keyboard_buttons() if label_part in b.label)
        return self.apply(ChoiceSelected(button.payload))

    def tap_payload(self, payload: str) -> list[Action]:
        """Tap a button by its payload (also an old, stale one)."""
        return self.apply(ChoiceSelected(payload))

    def last_text(self) -> SendText:
        """The last text message sent."""
        return next(a for a in reversed(self.sent) if isinstance(a, SendText))

    def last_keyboard_buttons(self) -> list[Button]:
        """Buttons of the last message that had any."""
        message = next(a for a in reversed(self.sent) if isinstance(a, SendText) and a.keyboard)
        assert message.keyboard is not None
        return message.keyboard.buttons()

    def onboard(self, language: str = "English") -> None:
        """Start, choose a language, agree."""
        self.send("/start")
        self.tap(language)
        self.tap("✅")
