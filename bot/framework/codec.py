"""JSON encoding of actions, for the outbox."""

from __future__ import annotations

import base64
from typing import Any

from bot.framework.actions import (
    Action,
    BadgeEarned,
    DataErased,
    ExportRequested,
    HandoffRequested,
    MarkAnswered,
    RelayToCounsellor,
    ResendBadges,
    SendDocument,
    SendImage,
    SendResultPicture,
    SendText,
)
from bot.framework.events import (
    CounsellorEvent,
    CounsellorJoined,
    CounsellorLeft,
    CounsellorMessage,
    LevelValidated,
    ValidationRejected,
)
from bot.framework.keyboards import Keyboard


def action_to_json(action: Action) -> dict[str, Any]:
    """A plain dict with a `type` field."""
    match action:
        case SendText(text, keyboard, ref, speak, lang):
            return {
                "type": "text",
                "text": text,
                "ref": ref,
                "speak": speak,
                "lang": lang,
                "keyboard": keyboard.to_json() if keyboard else None,
            }
        case MarkAnswered(ref, label):
            return {"type": "mark_answered", "ref": ref, "label": label}
        case SendResultPicture(levels, locale, caption):
            return {
                "type": "result_picture",
                "levels": levels,
                "locale": locale,
                "caption": caption,
            }
        case SendDocument(filename, content, mime_type, caption):
            return {
                "type": "document",
                "filename": filename,
                "mime_type": mime_type,
                "caption": caption,
                "content": base64.b64encode(content).decode(),
            }
        case HandoffRequested(reason, summary):
            return {"type": "handoff", "reason": reason, "summary": summary}
        case RelayToCounsellor(text, kind, file_ref, ref):
            return {"type": "relay", "text": text, "kind": kind, "file_ref": file_ref, "ref": ref}
        case BadgeEarned(category, level, validated, locale, first_name):
            return {
                "type": "badge_earned",
                "category": category,
                "level": level,
                "validated": validated,
                "locale": locale,
                "first_name": first_name,
            }
        case SendImage(content, caption):
            return {
                "type": "image",
                "caption": caption,
                "content": base64.b64encode(content).decode(),
            }
        case ResendBadges(locale):
            return {"type": "resend_badges", "locale": locale}
        case DataErased():
            return {"type": "data_erased"}
        case ExportRequested(locale):
            return {"type": "export_requested", "locale": locale}
    raise TypeError(f"not an action: {action!r}")


def action_from_json(data: dict[str, Any]) -> Action:
    """The inverse of `action_to_json`."""
    kind = data["type"]
    if kind == "text":
        keyboard = Keyboard.from_json(data["keyboard"]) if data.get("keyboard") else None
        return SendText(
            data["text"],
            keyboard,
            data.get("ref", ""),
            data.get("speak", ""),
            data.get("lang", ""),
        )
    if kind == "mark_answered":
        return MarkAnswered(data["ref"], data["label"])
    if kind == "result_picture":
        return SendResultPicture(dict(data["levels"]), data["locale"], data.get("caption", ""))
    if kind == "document":
        return SendDocument(
            data["filename"],
            base64.b64decode(data["content"]),
            data["mime_type"],
            data.get("caption", ""),
        )
    if kind == "handoff":
        return HandoffRequested(data["reason"], dict(data.get("summary", {})))
    if kind == "relay":
        return RelayToCounsellor(
            data["text"], data.get("kind", "text"), data.get("file_ref", ""), data.get("ref", "")
        )
    if kind == "badge_earned":
        return BadgeEarned(
            data["category"],
            int(data["level"]),
            bool(data["validated"]),
            data["locale"],
            data.get("first_name", ""),
        )
    if kind == "image":
        return SendImage(base64.b64decode(data["content"]), data.get("caption", ""))
    if kind == "resend_badges":
        return ResendBadges(data["locale"])
    if kind == "data_erased":
        return DataErased()
    if kind == "export_requested":
        return ExportRequested(data["locale"])
    raise ValueError(f"unknown action type {kind!r}")


def counsellor_event_to_json(event: CounsellorEvent) -> dict[str, Any]:
    """A counsellor's event as a plain dict with a `type` field (kept until it is applied)."""
    match event:
        case CounsellorJoined():
            return {"type": "joined"}
        case CounsellorMessage(text):
            return {"type": "message", "text": text}
        case CounsellorLeft(closed):
            return {"type": "left", "closed": closed}
        case LevelValidated(category, level, note):
            return {"type": "validated", "category": category, "level": level, "note": note}
        case ValidationRejected(note, category):
            return {"type": "rejected", "note": note, "category": category}
    raise TypeError(f"not a counsellor event: {event!r}")


def counsellor_event_from_json(data: dict[str, Any]) -> CounsellorEvent:
    """The inverse of `counsellor_event_to_json`."""
    kind = data["type"]
    if kind == "joined":
        return CounsellorJoined()
    if kind == "message":
        return CounsellorMessage(data["text"])
    if kind == "left":
        return CounsellorLeft(bool(data.get("closed", False)))
    if kind == "validated":
        return LevelValidated(data["category"], int(data["level"]), data.get("note", ""))
    if kind == "rejected":
        return ValidationRejected(data.get("note", ""), data.get("category", ""))
    raise ValueError(f"unknown counsellor event type {kind!r}")
