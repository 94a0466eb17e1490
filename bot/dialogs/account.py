"""The person's own controls: help, pause, export and delete their data."""

from __future__ import annotations

import unicodedata

from bot.dialogs.ui import resume_button
from bot.framework.actions import DataErased, ExportRequested
from bot.framework.keyboards import Button, Keyboard
from bot.framework.turn import Turn


def help_text(turn: Turn) -> str:
    """A few short lines on how to use the bot."""
    t = turn.t
    return "\n".join(
        [
            "❓ " + t.gettext("Tap a button to answer. There are no wrong answers."),
            "🔊 " + t.gettext("Tap the speaker to hear a message."),
            "⬅️ " + t.gettext("Back: the question before."),
            "🌐 /language " + t.gettext("change the language."),
            "⏸️ /stop " + t.gettext("take a break. Your answers are saved."),
            "🗑️ /delete " + t.gettext("delete all your data."),
            "📦 /export " + t.gettext("get a copy of your data."),
            "🏅 /badges " + t.gettext("get your badges again."),
            "🪪 /passport " + t.gettext("your skills passport: a page to print or share."),
            "🪪 /name Ana " + t.gettext("puts your first name on new badges (only if you want)."),
            "🙋 /human " + t.gettext("talk to a person."),
        ]
    )


def pause(turn: Turn) -> None:
    """Stop for now; everything stays where it was."""
    turn.state.step = "paused"
    text = "⏸️ " + turn.t.gettext("Your answers are saved. Come back any time.")
    turn.say(text, Keyboard(((resume_button(turn.t),),)), ref="paused")


def ask_delete(turn: Turn) -> None:
    """Ask once more before deleting: it cannot be undone."""
    turn.state.step = "confirm_delete"
    t = turn.t
    keyboard = Keyboard(
        (
            (Button("🗑️ " + t.gettext("Yes, delete everything"), "del:yes"),),
            (Button("↩️ " + t.gettext("No, keep my answers"), "del:no"),),
        )
    )
    turn.say(
        "⚠️ " + t.gettext("Delete all your answers and results? This cannot be undone."),
        keyboard,
        ref="delete",
    )


def delete(turn: Turn) -> None:
    """Erase the person (the store removes state, answers and pending messages)."""
    turn.say("✅ " + turn.t.gettext("Everything is deleted. Send /start to begin again."))
    turn.emit(DataErased())
    turn.session = None


def export(turn: Turn) -> None:
    """Ask for a file with everything stored about the person (written by the store)."""
    turn.emit(ExportRequested(turn.t.locale))


MAX_NAME_LENGTH = 40
_NAME_MARKS = "-'’"


def clean_name(args: str) -> str | None:
    """The name as words of letters (any script, with their accents), hyphens and apostrophes.

    Each word starts with a letter; at most MAX_NAME_LENGTH characters; None when not a name.
    """
    name = unicodedata.normalize("NFC", " ".join(args.split()))
    if not name or len(name) > MAX_NAME_LENGTH:
        return None
    for word in name.split(" "):
        if not unicodedata.category(word[0]).startswith("L"):
            return None
        if any(unicodedata.category(c)[0] not in "LM" and c not in _NAME_MARKS for c in word):
            return None
    return name


def set_first_name(turn: Turn, args: str) -> None:
    """Keep a first name to show on new badges (the person's choice), or forget it."""
    t, name = turn.t, clean_name(args)
    if not args.split():
        turn.state.first_name = None
        turn.say("✅ " + t.gettext("Your new badges will show no name."))
    elif name is not None:
        turn.state.first_name = name
        note = t.gettext("I will write {name} on your new badges. Send /name alone to remove it.")
        public = t.gettext("Anyone who opens your badge's link can see this name.")
        turn.say("✅ " + note.format(name=name) + "\n👀 " + public)
    else:
        turn.say("🙂 " + t.gettext("Please write only your first name, like this: /name Ana"))
