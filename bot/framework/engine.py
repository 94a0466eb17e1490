"""The pure engine: stored state and one event in, new state and actions out; no I/O."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from bot.framework.engine_types import Sprint
from bot.framework.events import Inbound
from bot.framework.i18n import Catalogs, Translator
from bot.framework.session import Session
from bot.framework.turn import Turn


class Dialogs(Protocol):
    """The conversation logic: reads the turn's event and changes the turn."""

    def handle(self, turn: Turn, locale_hint: str | None) -> None:
        """Apply the turn's event."""


class Engine:
    """Applies events to sessions through the dialogs; clock and ids come from outside."""

    def __init__(self, dialogs: Dialogs, catalogs: Catalogs) -> None:
        self._dialogs = dialogs
        self._catalogs = catalogs

    def resume(
        self, session: Session | None, inbound: Inbound, new_id: Callable[[], str]
    ) -> Sprint:
        """Apply one inbound event to the session (None for a person never seen)."""
        session = session or Session(inbound.key)
        turn = Turn(
            session=session,
            event=inbound.event,
            now=inbound.received_at,
            new_id=new_id,
            t=self._catalogs.get(session.locale),
        )
        if session.second_language:
            turn.use_languages(turn.t, self._catalogs.get(session.second_language))
        self._dialogs.handle(turn, inbound.locale_hint)
        return Sprint(turn.session, turn.actions, turn.answers)

    def translator(self, session: Session) -> Translator:
        """The UI strings in the person's language (for the runtime's own short notes)."""
        return self._catalogs.get(session.locale)
