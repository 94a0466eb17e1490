"""The person's own controls: help, pause, export and delete their data."""

from __future__ import annotations

import unicodedata

from bot.dialogs.menu import (
    badges_button,
    delete_button,
    export_button,
    language_button,
    pause_button,
)
from bot.dialogs.ui import human_button, resume_button
from bot.framework.actions import DataErased, ExportRequested
from bot.framework.keyboards import Button, Keyboard
from bot.framework.turn import Turn

READS_ALOUD = frozenset({"web"})
"""Channels with a speaker button on every message (the web chat reads aloud)."""
HAS_COMMANDS = frozenset({"telegram"})
HELP_BUTTONS = (badges_button, export_button, language_button, pause_button, delete_button)
"""Under the help, what the commands do (the More page without its switches)."""
"""Channels with a command menu, whose help also names the commands."""


def help_text(turn: Turn) -> str:
    """A few short lines on how to use the bot, naming only what this channel has."""
    t, channel = turn.t, turn.state.key.channel
    lines = ["❓ " + t.gettext("Tap a button to answer. There are no wrong answers.")]
    if channel in READS_ALOUD:
        lines.append("🔊 " + t.gettext("Tap the speaker to hear a message."))
    lines.append("⬅️ " + t.gettext("Back: the question before."))
    if channel in HAS_COMMANDS:
        lines += [
            "🌐 /language " + t.gettext("change the language."),
            "⏸️ /stop " + t.gettext("take a break. Your answers are saved."),
            "🗑️ /delete " + t.gettext("delete all your data."),
            "📦 /export " + t.gettext("get a copy of your data."),
            "🏅 /badges " + t.gettext("get your badges again."),
            "🪪 /passport " + t.gettext("your skills passport: a page to print or share."),
            "🪪 /name Ana " + t.gettext("puts your first name on new badges (only if you want)."),
            "🙋 /human " + t.gettext("talk to a person."),
        ]
    else:
        lines += [
            "🙋 " + t.gettext("Talk to a person: a counsellor helps you."),
            "⚙️ " + t.gettext("More: your badges, save or delete your data, language, a break."),
        ]
    lines.append("👇 " + t.gettext("Or tap a button here."))
    return "\n".join(lines)


def show_help(turn: Turn) -> None:
    """The help, with the buttons for what the commands do (badges, data, language, a person)."""
    rows = [(entry(turn),) for entry in HELP_BUTTONS]
    keyboard = Keyboard((*rows, (human_button(turn.t),)))
    turn.say(help_text(turn), keyboard, ref="help")


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
        "⚠️ "
        + t.gettext("Delete all your answers and results? This cannot be undone.")
        + "\n🏅 "
        + t.gettext("Your badges will stop working: their links will say they were withdrawn."),
        keyboard,
        ref="delete",
    )


def delete(turn: Turn) -> None:
    """Erase the person (the store removes state, answers and pending messages)."""
    t = turn.t
    again = Keyboard(((Button("🔄 " + t.gettext("Start again"), "nav:start"),),))
    turn.say("✅ " + t.gettext("Everything is deleted. You can start again any time."), again)
    turn.emit(DataErased(at=turn.now))
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
