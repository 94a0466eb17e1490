"""JSON encoding of actions, for the outbox."""

from __future__ import annotations

import base64
from typing import Any

from bot.framework.actions import (
    Action,
    BadgeEarned,
    DataErased,
    HandoffRequested,
    MarkAnswered,
    ResendBadges,
    SendDocument,
    SendResultPicture,
    SendText,
)
from bot.framework.keyboards import Keyboard


def action_to_json(action: Action) -> dict[str, Any]:
    """A plain dict with a `type` field."""
    match action:
        case SendText(text, keyboard, ref, speak):
            return {
                "type": "text",
                "text": text,
                "ref": ref,
                "speak": speak,
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
        case BadgeEarned(category, level, validated, locale):
            return {
                "type": "badge_earned",
                "category": category,
                "level": level,
                "validated": validated,
                "locale": locale,
            }
        case ResendBadges(locale):
            return {"type": "resend_badges", "locale": locale}
        case DataErased():
            return {"type": "data_erased"}
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
    if kind == "badge_earned":
        return BadgeEarned(
            data["category"], int(data["level"]), bool(data["validated"]), data["locale"]
        )
    if kind == "resend_badges":
        return ResendBadges(data["locale"])
    if kind == "data_erased":
        return DataErased()
    raise ValueError(f"unknown action type {kind!r}")
