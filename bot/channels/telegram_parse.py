"""Turn one Telegram Update into a neutral Inbound event, or None when it is not for the bot."""

from __future__ import annotations

from datetime import datetime

from telegram import CallbackQuery, Chat, Message, MessageEntity, Update

from bot.framework.cleaning import clean_event
from bot.framework.events import (
    ChoiceSelected,
    CommandReceived,
    Event,
    Inbound,
    MediaReceived,
    TextReceived,
)
from bot.framework.session import SessionKey

CHANNEL = "telegram"
GROUP_TYPES = frozenset({Chat.GROUP, Chat.SUPERGROUP})
# Message attributes that carry something other than text, in the order they are checked.
# Locations and contacts are personal data: only their kind is passed on, never the content.
_MEDIA_KINDS = (
    "photo",
    "sticker",
    "voice",
    "audio",
    "video",
    "video_note",
    "animation",
    "document",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
)


def update_kind(update: Update) -> str:
    """The update's payload field (`message`, `callback_query`, ...), for logs."""
    fields = ("message", "callback_query", "edited_message", "channel_post", "my_chat_member")
    for name in fields:
        if getattr(update, name, None) is not None:
            return name
    return "other"


def is_group_update(update: Update) -> bool:
    """A new message or button tap in a group or supergroup (the counsellors' place)."""
    chat = update.effective_chat
    fresh = update.message is not None or update.callback_query is not None
    return fresh and chat is not None and chat.type in GROUP_TYPES


def to_inbound(update: Update, received_at: datetime) -> Inbound | None:
    """The event a person made in a private chat; None for anything else (edits, channels...)."""
    event = _event(update)
    chat, user = update.effective_chat, update.effective_user
    if event is None or chat is None or chat.type != Chat.PRIVATE:
        return None
    return Inbound(
        key=SessionKey(CHANNEL, str(chat.id)),
        event=clean_event(event),
        event_id=str(update.update_id),
        received_at=received_at,
        locale_hint=user.language_code if user else None,
    )


def _event(update: Update) -> Event | None:
    if update.message is not None:
        return _message_event(update.message)
    if update.callback_query is not None:
        return _choice(update.callback_query)
    return None  # edited messages, channel posts, membership changes, polls, ...


def _choice(query: CallbackQuery) -> ChoiceSelected | None:
    if query.message is None or not query.data:
        return None  # inline-mode messages and games carry no chat or no data
    return ChoiceSelected(query.data)


def _message_event(message: Message) -> Event:
    if message.text is not None:
        return _command(message) or TextReceived(message.text)
    for kind in _MEDIA_KINDS:
        if getattr(message, kind, None):
            return MediaReceived(kind, _file_ref(message, kind))
    return MediaReceived("unsupported")


def _command(message: Message) -> CommandReceived | None:
    """`/start abc` (or `/start@our_bot abc`), recognised like Telegram does: by its entity."""
    entities = message.entities
    if not entities or entities[0].type != MessageEntity.BOT_COMMAND or entities[0].offset != 0:
        return None
    word = message.parse_entity(entities[0])
    rest = (message.text or "")[len(word) :]
    return CommandReceived(word[1:].split("@", 1)[0].lower(), rest.strip())


def _file_ref(message: Message, kind: str) -> str:
    if kind == "photo":
        return message.photo[-1].file_id  # the largest size comes last
    file_id = getattr(getattr(message, kind), "file_id", "")
    return file_id if isinstance(file_id, str) else ""
