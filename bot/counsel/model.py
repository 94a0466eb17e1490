"""What the case service hands out: counsellors, cases, transcript lines, and its errors."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, Protocol

from sqlalchemy import Row

from bot.framework.i18n import Translator
from bot.framework.session import SessionKey

CaseStatus = Literal["open", "claimed", "closed"]
PERSON_ASKED = "person"
"""The reason of a handoff the person asked for ("Talk to a person")."""
ASKED = "asked"
"""The kind of a transcript line that records the person asking to talk (no text)."""
Sender = Literal["person", "counsellor", "bot"]


class Told(Exception):
    """An error whose text is a catalog message with named fields, shown in each reader's language.

    `str()` is the English text (for logs and tests); `said(t)` is the text in `t`'s language.
    """

    def __init__(self, message: str = "", **fields: object) -> None:
        super().__init__(message.format(**fields) if fields else message)
        self.message, self.fields = message, fields

    def said(self, t: Translator) -> str:
        """The text in the translator's language."""
        said = t.gettext(self.message)
        return said.format(**self.fields) if self.fields else said


class NotAllowed(Told):
    """The counsellor may not do this (not on the allowlist, not an admin, not their case)."""


class CaseConflict(Told):
    """The case changed under the counsellor: taken by someone else (named) or closed."""


class Invalid(Told, ValueError):
    """A counsellor's input the service refuses (an unknown case, topic or level, a long text)."""


@dataclass(frozen=True)
class Counsellor:
    """One allowlisted counsellor; `id` comes from the name (`Ana Novak` → `ana-novak`)."""

    id: str
    name: str
    telegram_user_id: int | None
    is_admin: bool
    language: str = "en"
    """The console's and the group answers' language (a catalog in locales/)."""


@dataclass(frozen=True)
class Case:
    """A person's request for a counsellor; `summary` never holds a name or phone number."""

    id: int
    key: SessionKey
    status: CaseStatus
    reason: str
    summary: dict[str, Any]
    language: str | None
    created_at: datetime
    claimed_by: str | None
    claimed_at: datetime | None
    closed_at: datetime | None
    outcome: str | None
    asked_at: datetime | None = None
    """When the person last asked to talk (such cases come first in the queue)."""


@dataclass(frozen=True)
class CaseMessage:
    """One line of a case's conversation; `kind` is `text`, `voice` or `asked` (see ASKED)."""

    case_id: int
    sender: Sender
    text: str
    kind: str
    at: datetime
    file_ref: str = ""
    """The channel's reference of a voice note (the console plays it through VoiceNotes)."""


class CaseNotifier(Protocol):
    """Where counsellors hear about cases (the Telegram group); calls must not block long."""

    async def case_opened(self, case: Case) -> None:
        """A new case waits."""

    async def person_wrote(self, case: Case, message: CaseMessage, file_ref: str) -> None:
        """The person sent a text or voice note to their counsellor."""

    async def case_changed(self, case: Case, action: str, counsellor: Counsellor) -> None:
        """A counsellor claimed, released, closed, replied, validated or rejected."""

    async def remind(self, cases: list[Case]) -> None:
        """These cases have waited too long."""


def counsellor_id(name: str) -> str:
    """A stable id from a display name: lowercase ASCII words joined by `-`."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:64]


def case_of(row: Row[Any]) -> Case:
    """A counsel_cases row as a Case."""
    return Case(
        id=int(row.id),
        key=SessionKey(row.channel, row.chat_id),
        status=row.status,
        reason=row.reason,
        summary=json.loads(row.summary),
        language=row.language,
        created_at=row.created_at,
        claimed_by=row.claimed_by,
        claimed_at=row.claimed_at,
        closed_at=row.closed_at,
        outcome=row.outcome,
        asked_at=row.asked_at,
    )


def message_of(row: Row[Any]) -> CaseMessage:
    """A counsel_messages row as a CaseMessage."""
    return CaseMessage(int(row.case_id), row.sender, row.text, row.kind, row.at, row.file_ref)


def counsellor_of(row: Row[Any]) -> Counsellor:
    """A counsellors row as a Counsellor (the password hash stays behind)."""
    user = row.telegram_user_id
    telegram = int(user) if user is not None else None
    return Counsellor(row.id, row.name, telegram, row.is_admin, row.language or "en")
