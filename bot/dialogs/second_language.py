"""Two languages at once: the menu entry that turns it on (choosing the language) and off."""

from __future__ import annotations

from bot.dialogs import onboarding
from bot.framework.i18n import Catalogs
from bot.framework.keyboards import Button
from bot.framework.turn import Turn

STEP = "second_language"


def toggle_button(turn: Turn) -> Button:
    """🔤 Two languages (when off) or 🔤 One language (when on)."""
    if turn.state.second_language:
        return Button("🔤 " + turn.t.gettext("One language"), "nav:bilingual")
    return Button("🔤 " + turn.t.gettext("Two languages"), "nav:bilingual")


def toggle(turn: Turn, catalogs: Catalogs, local_language: str) -> bool:
    """Turn it off, or ask for the second language; True when the picker was sent.

    The picker is the ordinary one, with the deployment's local language first (or the
    source language when the person already reads the local one).
    """
    state = turn.state
    if state.second_language:
        state.second_language = None
        turn.use_languages(catalogs.get(state.locale))
        return False
    ask(turn, catalogs, local_language)
    return True


def ask(turn: Turn, catalogs: Catalogs, local_language: str) -> None:
    """Say what the second language is for, then show the language picker."""
    guess = local_language if local_language != turn.t.locale else catalogs.source_language
    turn.say("🔤 " + turn.t.gettext("Choose a second language. Every message will show in both."))
    onboarding.ask_language(turn, catalogs, None, prefer=guess)
    turn.state.step = STEP


def choose(turn: Turn, catalogs: Catalogs, code: str) -> None:
    """Show every message also in `code` (the person's own language turns it off)."""
    state = turn.state
    state.second_language = code if code != state.locale else None
    state.step = "menu"
    second = catalogs.get(state.second_language) if state.second_language else None
    turn.use_languages(catalogs.get(state.locale), second)
