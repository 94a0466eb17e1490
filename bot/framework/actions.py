"""Outbound actions: what the bot wants a person to see, in no platform's format."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.framework.keyboards import Keyboard


@dataclass(frozen=True, slots=True)
class SendText:
    """A short message, optionally with buttons.

    `ref` names the question it asks (for example `q:SC-SOC-01`), so a channel that can edit
    messages can later mark the chosen answer on it. `speak` is the text to read aloud when it
    differs from `text` (for example without emoji). `lang` is the language it is written in.
    """

    text: str
    keyboard: Keyboard | None = None
    ref: str = ""
    speak: str = ""
    lang: str = ""


@dataclass(frozen=True, slots=True)
class MarkAnswered:
    """The question `ref` got the answer `label`; channels that can edit show it there."""

    ref: str
    label: str


@dataclass(frozen=True, slots=True)
class SendResultPicture:
    """The result picture: one level (0-3, or None when not done) per category id.

    The channel's sender renders it (bot.results_picture) at delivery, so the engine stays fast
    and the outbox small.
    """

    levels: dict[str, int | None]
    locale: str
    caption: str = ""


@dataclass(frozen=True, slots=True)
class SendDocument:
    """A file, such as the person's data export or a baked badge."""

    filename: str
    content: bytes
    mime_type: str
    caption: str = ""


@dataclass(frozen=True, slots=True)
class SendImage:
    """A picture to look at (a badge's preview); channels may recompress it."""

    content: bytes
    caption: str = ""


@dataclass(frozen=True, slots=True)
class HandoffRequested:
    """A human counsellor should look at this person's case."""

    reason: str
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RelayToCounsellor:
    """Pass the person's message to the counsellor holding their case.

    `kind` is `text` or `voice`; `file_ref` the channel's file id of a voice note; `ref` a
    unique id, so a redelivered relay is recorded once.
    """

    text: str
    kind: str = "text"
    file_ref: str = ""
    ref: str = ""


@dataclass(frozen=True, slots=True)
class BadgeEarned:
    """The person reached a badge level in a category; the badge service issues and sends it.

    Issuing (render, sign, bake) happens at delivery, so it is durable in the outbox and the
    engine stays pure and fast. Issuing is idempotent per person, category, level and kind.
    """

    category: str
    level: int
    validated: bool
    locale: str
    first_name: str = ""


@dataclass(frozen=True, slots=True)
class ResendBadges:
    """Send the person every badge they hold again (file, preview and link)."""

    locale: str


@dataclass(frozen=True, slots=True)
class DataErased:
    """The person's data was erased; services holding more (their badges) let go of it too.

    It travels through the outbox like a reply, so the revocation survives a crash.
    """


@dataclass(frozen=True, slots=True)
class ExportRequested:
    """The person asked for a copy of their data; the store writes it out at delivery."""

    locale: str


Action = (
    SendText
    | MarkAnswered
    | SendResultPicture
    | SendDocument
    | SendImage
    | HandoffRequested
    | RelayToCounsellor
    | BadgeEarned
    | ResendBadges
    | DataErased
    | ExportRequested
)
