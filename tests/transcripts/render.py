"""The bot's side of a transcript: each action and logged answer as a few stable lines."""

from __future__ import annotations

import dataclasses
import hashlib
import json
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
    SendVoice,
)
from bot.framework.engine_types import AnswerRecord
from bot.framework.keyboards import Keyboard

SAID = "< "
MORE = "  "
EFFECT = "* "


def render_action(action: Action) -> list[str]:
    """What the person sees (`<` lines) or what the bot set in motion (`*` lines)."""
    if isinstance(action, SendText):
        return _text(action.text) + _keyboard(action.keyboard)
    if isinstance(action, SendVoice):
        return [f"{SAID}[voice, {action.lang}: {' / '.join(action.text.splitlines())}]"]
    if isinstance(action, MarkAnswered):
        return [f"{SAID}[answered: {action.label}]"]
    if isinstance(action, SendResultPicture):
        return [SAID + _picture(action)]
    if isinstance(action, SendDocument):
        size = f"{len(action.content)} bytes, sha256 {_digest(action.content)}"
        return [f"{SAID}[file: {action.filename}, {action.mime_type}, {size}]{_caption(action)}"]
    if isinstance(action, SendImage):
        size = f"{len(action.content)} bytes, sha256 {_digest(action.content)}"
        return [f"{SAID}[image: {size}]{_caption(action)}"]
    return [EFFECT + _effect(action)]


def render_answer(record: AnswerRecord) -> str:
    """One line of the answers log: which option, its level, where it stood, how fast."""
    answer = record.answer
    chosen = "skipped" if answer.option_key is None else f"option {answer.option_key}"
    level = "-" if answer.level is None else str(answer.level)
    where = "-" if answer.position is None else str(answer.position + 1)
    return (
        f"{EFFECT}answer logged: {answer.question_id} {chosen}, level {level}, "
        f"shown {where} of {''.join(answer.shown_order)}, after {answer.elapsed_ms} ms"
    )


def render_result(category: str, result: dict[str, Any]) -> str:
    """A category's new score, as the session keeps it: level, badge level and every flag."""
    flags = "; ".join(f"{flag['code']} ({flag['detail']})" for flag in result["flags"])
    badge = "-" if result["badge_level"] is None else result["badge_level"]
    return (
        f"{EFFECT}scored {category}: level {result['level']}, badge {badge}, flags {flags or '-'}"
    )


def _text(text: str) -> list[str]:
    first, *more = text.split("\n")
    return [(SAID + first).rstrip(), *((MORE + line).rstrip() for line in more)]


def _keyboard(keyboard: Keyboard | None) -> list[str]:
    if keyboard is None:
        return []
    return [MORE + " ".join(f"[{button.label}]" for button in row) for row in keyboard.rows]


FLAGGED = "🧑‍🏫"
"""After a flagged category's level in a picture line: a counsellor will look at it."""


def _picture(action: SendResultPicture) -> str:
    levels = " ".join(
        f"{category}={'-' if level is None else level}" + (FLAGGED * (category in action.flagged))
        for category, level in action.levels.items()
    )
    return f"[picture: results {levels}, {action.locale}]{_caption(action)}"


def _caption(action: SendResultPicture | SendDocument | SendImage) -> str:
    return f" {action.caption}" if action.caption else ""


def _effect(action: Action) -> str:
    if isinstance(action, HandoffRequested):
        return f"handoff requested ({action.reason}): {_json(action.summary)}"
    if isinstance(action, BadgeEarned):
        kind = "validated" if action.validated else "self-assessed"
        name = f", name {action.first_name}" if action.first_name else ""
        return (
            f"badge earned: {action.category} level {action.level}, {kind}, {action.locale}" + name
        )
    if isinstance(action, RelayToCounsellor):
        said = _json(action.text) if action.kind == "text" else f"file {action.file_ref}"
        return f"to counsellor ({action.kind}): {said}"
    if isinstance(action, ResendBadges | ExportRequested):
        name = "badges resent" if isinstance(action, ResendBadges) else "export requested"
        return f"{name}: {action.locale}"
    if isinstance(action, DataErased):
        return "data erased"
    return f"{type(action).__name__}: {_json(_fields(action))}"  # a new kind of action


def _fields(action: Action) -> dict[str, Any]:
    return dataclasses.asdict(action)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:12]
