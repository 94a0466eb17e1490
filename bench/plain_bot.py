"""The baseline: a plain python-telegram-bot 22 quiz bot (ConversationHandler, PicklePersistence).

PTB's defaults otherwise (Application, polling, HTTPXRequest, no rate limiter, updates one at
a time). /start asks the first question; each tap answers the button and sends the next
question, one inline-keyboard question per message; after the last comes a closing message.
Run by bench/telegram.py in a process of its own:

    python bench/plain_bot.py BASE_URL TOKEN DATA_DIR QUESTIONS
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file's directory comes first on sys.path when run as a script; bench/telegram.py
# would hide the `telegram` package (python-telegram-bot).
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update  # noqa: E402
from telegram.ext import (  # noqa: E402
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    ConversationHandler,
    PicklePersistence,
)

ASKING = 1
OPTIONS = ("a", "b", "c", "d")


def question(number: int) -> tuple[str, InlineKeyboardMarkup]:
    """The text and keyboard of question `number` (1-based)."""
    buttons = [
        [InlineKeyboardButton(f"Option {key}", callback_data=f"q:{number}:{key}")]
        for key in OPTIONS
    ]
    return f"Question {number}: what would you do?", InlineKeyboardMarkup(buttons)


def build(base_url: str, token: str, data_dir: Path, questions: int) -> Application:  # type: ignore[type-arg]
    """The plain bot's Application."""

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        assert update.effective_message is not None
        assert context.user_data is not None
        context.user_data["answers"] = []
        text, markup = question(1)
        await update.effective_message.reply_text(text, reply_markup=markup)
        return ASKING

    async def answer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        query = update.callback_query
        assert query is not None
        assert query.data is not None
        assert context.user_data is not None
        await query.answer()
        _, number, key = query.data.split(":")
        context.user_data.setdefault("answers", []).append(key)
        assert query.message is not None
        if int(number) >= questions:
            done = InlineKeyboardMarkup([[InlineKeyboardButton("Again", callback_data="done:")]])
            await context.bot.send_message(query.message.chat.id, "Done.", reply_markup=done)
            return ConversationHandler.END
        text, markup = question(int(number) + 1)
        await context.bot.send_message(query.message.chat.id, text, reply_markup=markup)
        return ASKING

    quiz = ConversationHandler(
        entry_points=[CommandHandler("start", start)],
        states={ASKING: [CallbackQueryHandler(answer, pattern=r"^q:")]},
        fallbacks=[CommandHandler("start", start)],
        name="quiz",
        persistent=True,
    )
    app = (
        Application.builder()
        .token(token)
        .base_url(f"{base_url}/bot")
        .base_file_url(f"{base_url}/file/bot")
        .persistence(PicklePersistence(data_dir / "plain_bot.pickle"))
        .build()
    )
    app.add_handler(quiz)
    return app


def main() -> None:
    base_url, token, data_dir, questions = sys.argv[1:5]
    build(base_url, token, Path(data_dir), int(questions)).run_polling()


if __name__ == "__main__":
    main()
