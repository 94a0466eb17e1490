"""Outbound actions: replies a channel shows and effects the host carries out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.framework.codec import ACTIONS
from bot.framework.keyboards import Keyboard


@ACTIONS.register("text")
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


@ACTIONS.register("voice")
@dataclass(frozen=True, slots=True)
class SendVoice:
    """Say `text` aloud in `lang`, for a person who asked to hear the questions.

    The dialogs emit it just before the message it reads (a question, the consent), only
    when the person's audio setting is on; channels that can play sound render it through
    the audio service (bot.audio), others skip it.
    """

    text: str
    lang: str


@ACTIONS.register("mark_answered")
@dataclass(frozen=True, slots=True)
class MarkAnswered:
    """The question `ref` got the answer `label`; channels that can edit show it there."""

    ref: str
    label: str


@ACTIONS.register("result_picture")
@dataclass(frozen=True, slots=True)
class SendResultPicture:
    """The result picture: one level (0-3, or None when not done) per category id.

    `flagged` are the finished categories a counsellor will look at with the person (they show
    their own mark, not a level). The channel's sender renders it (bot.pictures.results) at
    delivery, so the engine stays fast and the outbox small.
    """

    levels: dict[str, int | None]
    locale: str
    caption: str = ""
    flagged: tuple[str, ...] = ()
    earlier: dict[str, int | None] = field(default_factory=dict)
    """The level before the latest retake, by category id, where there was one."""


@ACTIONS.register("document")
@dataclass(frozen=True, slots=True)
class SendDocument:
    """A file, such as the person's data export or a baked badge."""

    filename: str
    content: bytes
    mime_type: str
    caption: str = ""


@ACTIONS.register("image")
@dataclass(frozen=True, slots=True)
class SendImage:
    """A picture to look at (a badge's preview); channels may recompress it."""

    content: bytes
    caption: str = ""


@ACTIONS.register("audio")
@dataclass(frozen=True, slots=True)
class SendAudio:
    """Something to listen to, such as a counsellor's voice note.

    `mime_type` says how to play it: `audio/ogg` (Opus) shows as a voice note where the
    channel has them; other types (`audio/mpeg`, `audio/mp4`) as an audio file. Channels
    without captions on audio show `caption` as a text just before it.

    Example (in the outbox, `content` base64):
        {"type": "audio", "content": "T2dnUw==", "mime_type": "audio/ogg", "caption": "🧑‍🏫"}
    """

    content: bytes
    mime_type: str
    caption: str = ""


@ACTIONS.register("handoff")
@dataclass(frozen=True, slots=True)
class HandoffRequested:
    """A human counsellor should look at this person's case."""

    reason: str
    summary: dict[str, Any] = field(default_factory=dict)


@ACTIONS.register("relay")
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


@ACTIONS.register("badge_earned")
@dataclass(frozen=True, slots=True)
class BadgeEarned:
    """The person reached a badge level in a category; the effects stage issues and sends it.

    Issuing (render, sign, bake) happens in the sender, so it is durable in the outbox and the
    engine stays pure and fast. Issuing is idempotent per person, category, level and kind.
    """

    category: str
    level: int
    validated: bool
    locale: str
    first_name: str = ""


@ACTIONS.register("resend_badges")
@dataclass(frozen=True, slots=True)
class ResendBadges:
    """Send the person every badge they hold again (file, preview and link)."""

    locale: str


@ACTIONS.register("data_erased")
@dataclass(frozen=True, slots=True)
class DataErased:
    """The person's data was erased; services holding more (their badges) let go of it too.

    It travels through the outbox like a reply, so the revocation survives a crash.
    `revoke_badges` is False when the retention job erases an inactive person: their badges
    hold no personal data and stay valid; only the link to the person is dropped.

    `at` is when the erasing event happened (the /delete's `received_at`, or the retention
    pass's time): what a channel kept on the way in after it (the person wrote again) is
    kept. It also tells this erasure's outbox row from any other. None in older rows.
    """

    revoke_badges: bool = True
    at: datetime | None = None


@ACTIONS.register("export_requested")
@dataclass(frozen=True, slots=True)
class ExportRequested:
    """The person asked for a copy of their data; the effects stage writes it out as a file."""

    locale: str


@ACTIONS.register("passport_requested")
@dataclass(frozen=True, slots=True)
class PassportRequested:
    """The person asked for their skills passport: a printable PDF and a link to share.

    `also` is a second language (the country's) printed under each line, or empty.
    `first_name` is the only personal detail shown, and only when the person gave it.
    """

    locale: str
    also: str = ""
    first_name: str = ""


@ACTIONS.register("passport_revoked")
@dataclass(frozen=True, slots=True)
class PassportRevoked:
    """The person stopped sharing their passport: its link no longer opens."""

    locale: str


Reply = (
    SendText | SendVoice | SendAudio | MarkAnswered | SendResultPicture | SendDocument | SendImage
)
"""What a channel renders and sends."""

Effect = (
    HandoffRequested
    | RelayToCounsellor
    | BadgeEarned
    | ResendBadges
    | DataErased
    | ExportRequested
    | PassportRequested
    | PassportRevoked
)
"""What the host does (bot.delivery.effects) before a channel sees the row; it may add replies."""

Action = Reply | Effect
"""Anything the engine puts in the outbox."""
