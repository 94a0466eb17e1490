"""Verify a Cloud API webhook and turn its notification into neutral events and statuses."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from bot.framework.events import (
    ChoiceSelected,
    CommandReceived,
    Event,
    MediaReceived,
    Reconnected,
    TextReceived,
)

SIGNATURE_HEADER = "X-Hub-Signature-256"
_MEDIA = ("image", "audio", "video", "document", "sticker", "location", "contacts")


@dataclass(frozen=True, slots=True)
class Incoming:
    """One message from a person.

    `chat_id` is the business-scoped user id when the payload has one, else a pseudonym of the
    wa_id (the phone number is never a chat id); `recipient` says how to reach them.
    """

    chat_id: str
    recipient: tuple[str, str]
    message_id: str
    event: Event
    media: tuple[str, str] | None = None
    """(media id, MIME type) of a voice note or audio, to keep for the counsellor."""


@dataclass(frozen=True, slots=True)
class Status:
    """sent, delivered, read or failed, for one of our messages."""

    wamid: str
    status: str
    error_code: int | None


def signed(raw: bytes, header: str | None, app_secret: str) -> bool:
    """True when `header` is `sha256=<HMAC-SHA256 of the raw body>`, compared in constant time."""
    if not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(header[len("sha256=") :].encode(), expected.encode())


def pseudonym(wa_id: str) -> str:
    """A stable chat id for a person known only by their phone number (`wa.` + a hash)."""
    return "wa." + hashlib.sha256(f"whatsapp:{wa_id}".encode()).hexdigest()[:32]


def parse(
    notification: dict[str, Any], phone_number_id: str
) -> tuple[list[Incoming], list[Status]]:
    """The messages and statuses of a notification meant for our number."""
    incoming: list[Incoming] = []
    statuses: list[Status] = []
    for entry in notification.get("entry") or []:
        for change in entry.get("changes") or []:
            value = change.get("value") or {}
            if change.get("field") != "messages":
                continue
            if (value.get("metadata") or {}).get("phone_number_id") != phone_number_id:
                continue
            bsuids = {c.get("wa_id"): c.get("user_id") for c in value.get("contacts") or []}
            incoming.extend(
                filter(None, (_message(m, bsuids) for m in value.get("messages") or []))
            )
            statuses.extend(filter(None, (_status(s) for s in value.get("statuses") or [])))
    return incoming, statuses


def _message(message: dict[str, Any], bsuids: dict[Any, Any]) -> Incoming | None:
    wa_id = message.get("from")
    user_id = message.get("from_user_id") or bsuids.get(wa_id)
    if len(bsuids) == 1 and not user_id and not wa_id:
        user_id = next(iter(bsuids.values()))
    if user_id:
        chat_id, recipient = str(user_id), ("recipient", str(user_id))
    elif wa_id:
        chat_id, recipient = pseudonym(str(wa_id)), ("to", str(wa_id))
    else:
        return None
    event, media = _event(message)
    if event is None or not message.get("id"):
        return None
    return Incoming(chat_id, recipient, str(message["id"]), event, media)


def _event(message: dict[str, Any]) -> tuple[Event | None, tuple[str, str] | None]:
    kind = message.get("type")
    if kind == "text":
        return _text((message.get("text") or {}).get("body", "")), None
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        return (ChoiceSelected(str(reply["id"])) if reply.get("id") else None), None
    if kind == "button":  # a template's quick reply: the person is back
        return Reconnected(), None
    if kind == "audio":
        audio = message.get("audio") or {}
        media = (str(audio.get("id", "")), str(audio.get("mime_type", "audio/ogg")))
        return MediaReceived("voice" if audio.get("voice") else "audio", media[0]), media
    if kind in _MEDIA:
        return MediaReceived(str(kind), str((message.get(kind) or {}).get("id", ""))), None
    return None, None  # reactions, system messages, unsupported


def _text(body: str) -> Event:
    """A text; `/word rest` is a command, as on Telegram."""
    if body.startswith("/") and len(body) > 1 and not body[1].isspace():
        word, _, rest = body[1:].partition(" ")
        return CommandReceived(word.lower(), rest.strip())
    return TextReceived(body)


def _status(status: dict[str, Any]) -> Status | None:
    if not status.get("id") or not status.get("status"):
        return None
    errors = status.get("errors") or [{}]
    code = errors[0].get("code")
    return Status(str(status["id"]), str(status["status"]), int(code) if code else None)
