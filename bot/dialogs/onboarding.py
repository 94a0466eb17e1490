"""Onboarding: choose a language, agree in plain words, keep the invite code."""

from __future__ import annotations

import re

from bot.dialogs.languages import language_page
from bot.dialogs.ui import audio_button, help_button
from bot.framework.i18n import Catalogs, Translator
from bot.framework.keyboards import Button, Keyboard
from bot.framework.turn import Turn, without_symbols

_INVITE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def _(message: str) -> str:
    """Mark a string for the catalogs; it is translated where it is said."""
    return message


INVITE_NOT_VALID = _(
    "This invitation link does not work any more. No problem: the bot is free for everyone."
)


def clean_invite(args: str) -> str | None:
    """The invite code of a deep link (`/start CODE`), if it has the allowed form."""
    code = args.strip()
    return code if _INVITE.match(code) else None


def ask_language(
    turn: Turn, catalogs: Catalogs, hint: str | None, page: int = 0, *, prefer: str | None = None
) -> None:
    """Show the languages by their own names, a page at a time; the likeliest first.

    The likeliest is `prefer` when given (the local language, for a second language), else
    the language already chosen, else the channel's (Telegram's `language_code`, the
    browser's language).
    """
    turn.state.step = "language"
    guess = prefer or turn.state.locale or catalogs.best_match(hint)
    shown = language_page(catalogs, guess, page, turn.t.gettext("Back"))
    turn.say("👋 🌐 " + turn.t.gettext("Hello! Choose your language."), shown.keyboard)


def ask_consent(turn: Turn) -> None:
    """Say in plain words what is kept and why, and ask for a yes.

    The 🔇/🔊 button here is the first offer to hear the questions: a tap turns speech on and
    sends this screen again, read aloud.
    """
    turn.state.step = "consent"
    t = turn.t
    text = consent_text(t)
    keyboard = Keyboard(
        (
            (Button("✅ " + t.gettext("Yes, start"), "consent:yes"),),
            (Button("❌ " + t.gettext("No"), "consent:no"),),
            (audio_button(t, turn.state), help_button(t)),
        )
    )
    turn.hear(without_symbols(text))
    turn.say(text, keyboard, ref="consent")


def consent_text(t: Translator) -> str:
    """What is kept and why, in plain words, ending with the question."""
    return "\n".join(
        [
            "🔒 " + t.gettext("I ask you short questions about your skills at work."),
            t.gettext("I keep your answers, so you can stop and come back later."),
            t.gettext("I do not ask your name. Only you and your counsellor see your answers."),
            t.gettext("You can delete everything at any time with /delete."),
            "",
            t.gettext("Is this OK for you?"),
        ]
    )


def decline(turn: Turn) -> None:
    """No consent: keep nothing at all, and say how to start again."""
    turn.say("👋 " + turn.t.gettext("OK. I did not keep anything. Send /start when you want."))
    turn.session = None
