"""Render neutral actions as Telegram message text, inline keyboards and bot commands."""

from __future__ import annotations

from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup

from bot.framework.keyboards import Button, Keyboard

MAX_TEXT = 4096
MAX_CAPTION = 1024
LONG_LABEL = 60
SHORT_LABEL = 28
KEYCAPS = ("1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟")
# Telegram's command menu, set per language for these; others see English. The lead will move
# these into the gettext catalogs (then every shipped catalog gets its menu).
COMMANDS: dict[str, dict[str, str]] = {
    "en": {
        "start": "Start or continue",
        "help": "How this works",
        "language": "Change the language",
        "stop": "Take a break",
        "delete": "Delete my data",
        "human": "Talk to a person",
    },
    "sl": {
        "start": "Začni ali nadaljuj",
        "help": "Kako to deluje",
        "language": "Zamenjaj jezik",
        "stop": "Premor",
        "delete": "Izbriši moje podatke",
        "human": "Pogovor s svetovalcem",
    },
}


def render_text(text: str, keyboard: Keyboard | None) -> tuple[str, InlineKeyboardMarkup | None]:
    """The message text and its buttons, one button per row.

    When an option is too long for a button, the full options go into the text as a numbered
    list and the buttons show the number and the first words.
    """
    if keyboard is None or not keyboard.buttons():
        return fit(text, MAX_TEXT), None
    buttons = keyboard.buttons()
    if any(len(button.label) > LONG_LABEL for button in buttons):
        return _numbered(text, buttons)
    return fit(text, MAX_TEXT), _markup([(b.label, b.payload) for b in buttons])


def answered_text(question: str, label: str) -> str:
    """The question as it reads once answered: the chosen answer below it, no buttons."""
    return fit(f"{question}\n\n✅ {label}", MAX_TEXT)


def bot_commands(language: str) -> list[BotCommand]:
    """The command menu for one language."""
    return [BotCommand(name, text) for name, text in COMMANDS[language].items()]


def fit(text: str, limit: int) -> str:
    """Cut `text` to `limit` UTF-16 code units (Telegram's way of counting), ending in `…`."""
    if _utf16_len(text) <= limit:
        return text
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit - 1:
            return text[:index] + "…"
    return text


def number(index: int) -> str:
    """A keycap emoji for 1-10, then plain `11.`."""
    return KEYCAPS[index] if index < len(KEYCAPS) else f"{index + 1}."


def _numbered(text: str, buttons: list[Button]) -> tuple[str, InlineKeyboardMarkup]:
    """Long options go into the text in full; their buttons keep the number and first words.

    Labels that already start with a number (the dialogs number their options) keep it;
    other buttons (skip, back, help) are not numbered.
    """
    if any(b.label.startswith(KEYCAPS) for b in buttons):
        listed = [b.label for b in buttons if b.label.startswith(KEYCAPS)]
        short = [(_shorten(b.label), b.payload) for b in buttons]
    else:
        listed = [f"{number(i)} {b.label}" for i, b in enumerate(buttons)]
        short = [(f"{number(i)} {_shorten(b.label)}", b.payload) for i, b in enumerate(buttons)]
    return fit(text + "\n\n" + "\n".join(listed), MAX_TEXT), _markup(short)


def _shorten(label: str) -> str:
    """The first words of `label`, cut at a word boundary."""
    if len(label) <= SHORT_LABEL:
        return label
    words = label[:SHORT_LABEL].rsplit(" ", 1)[0]
    return words.rstrip(" ,.;:") + " …"


def _markup(buttons: list[tuple[str, str]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=payload)] for label, payload in buttons]
    )


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2
