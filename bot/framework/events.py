"""Inbound events: what a person did, already free of any platform's format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.framework.codec import COUNSELLOR_EVENTS
from bot.framework.session import SessionKey


@dataclass(frozen=True, slots=True)
class TextReceived:
    """The person typed (or dictated) text."""

    text: str


@dataclass(frozen=True, slots=True)
class ChoiceSelected:
    """The person tapped a button; `payload` is the button's payload."""

    payload: str


@dataclass(frozen=True, slots=True)
class CommandReceived:
    """A command such as `/start abc` (command `start`, args `abc`)."""

    command: str
    args: str = ""


@dataclass(frozen=True, slots=True)
class InviteOpened:
    """The person came through an outreach invite, already checked at the edge (bot.outreach).

    `accepted` False: the code was unknown, expired or used up (the person gets a kind word
    and the normal start). `language` is the invite's preselected language, if any.
    """

    code: str
    accepted: bool = True
    language: str | None = None


@dataclass(frozen=True, slots=True)
class InviteMade:
    """An outreach worker made an invite with `/invite` (bot.outreach): show its link and QR.

    `note` is what to say instead when no invite was made (a usage hint or the problem).
    """

    url: str = ""
    qr_png: bytes = b""
    note: str = ""


@dataclass(frozen=True, slots=True)
class MediaReceived:
    """Something that is not text: a photo, sticker, voice note, location, file."""

    kind: str
    file_ref: str = ""


@dataclass(frozen=True, slots=True)
class Reconnected:
    """The person came back (a reloaded web page); the bot repeats where they are."""


@COUNSELLOR_EVENTS.register("joined")
@dataclass(frozen=True, slots=True)
class CounsellorJoined:
    """A counsellor took the person's case; the bot stays quiet and passes messages on."""


@COUNSELLOR_EVENTS.register("message")
@dataclass(frozen=True, slots=True)
class CounsellorMessage:
    """A counsellor wrote to the person (shown as it is, not translated)."""

    text: str


@COUNSELLOR_EVENTS.register("voice")
@dataclass(frozen=True, slots=True)
class CounsellorVoice:
    """A counsellor's voice note for the person (bounded in size by the case service).

    `mime_type` is as recorded (Telegram: `audio/ogg`, Opus); `caption` is optional text.
    """

    content: bytes
    mime_type: str
    caption: str = ""


@COUNSELLOR_EVENTS.register("left")
@dataclass(frozen=True, slots=True)
class CounsellorLeft:
    """The counsellor let the case go (`closed` False) or closed it (`closed` True)."""

    closed: bool = False


@COUNSELLOR_EVENTS.register("validated")
@dataclass(frozen=True, slots=True)
class LevelValidated:
    """A counsellor validated the person's level in a category; a validated badge follows."""

    category: str
    level: int
    note: str = ""


@COUNSELLOR_EVENTS.register("rejected")
@dataclass(frozen=True, slots=True)
class ValidationRejected:
    """A counsellor did not validate a level this time."""

    note: str = ""
    category: str = ""


CounsellorEvent = (
    CounsellorJoined
    | CounsellorMessage
    | CounsellorVoice
    | CounsellorLeft
    | LevelValidated
    | ValidationRejected
)

Event = (
    TextReceived
    | ChoiceSelected
    | CommandReceived
    | InviteOpened
    | InviteMade
    | MediaReceived
    | Reconnected
    | CounsellorEvent
)


@dataclass(frozen=True, slots=True)
class Inbound:
    """One event with where it came from, when, and a key that makes a repeat harmless.

    `event_id` is unique per channel (Telegram update_id, WhatsApp message id, web chat client
    message id); the store applies an event with a known id only once. `locale_hint` is the
    platform's guess of the person's language (Telegram language_code, the browser's language).
    """

    key: SessionKey
    event: Event
    event_id: str
    received_at: datetime
    locale_hint: str | None = None
