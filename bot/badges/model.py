"""Plain data for badges: what the lead passes in and what an award stores."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

RecipientKind = Literal["url", "telephone", "email"]

_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Alignment:
    """One framework alignment (e.g. an ESCO skill) of a badge class.

    Attributes:
        name: The target's preferred label (in the learner's language if known).
        url: The concept URI, e.g. ``http://data.europa.eu/esco/skill/<uuid>``.
        framework: The framework name and version, e.g. ``"ESCO v1.2.0"``.
        code: An optional code inside the framework.
    """

    name: str
    url: str
    framework: str = ""
    code: str = ""


@dataclass(frozen=True)
class BadgeSpec:
    """One badge class: a SPOCC category at one level, self-assessed or validated.

    Attributes:
        category_id: The content's category id as a slug, e.g. ``"soc"`` for ``SOC``; part
            of every badge class URL, so it must never change.
        category_name: Display name of the category.
        level: The level, 0-3.
        level_label: Display label of the level, e.g. ``"On my own"``.
        color: The category colour as ``#rrggbb``.
        alignments: ESCO (or other) alignments of the category.
        validated: True when a counsellor validated the level.
        criteria_text: Plain-language criteria (Markdown allowed); it must say how the
            level was reached.
        description: Optional badge description; a default is built when empty.
        pictogram: The content category id whose pictogram is drawn (see
            ``bot.pictures.pictograms``); defaults to the category id.
    """

    category_id: str
    category_name: str
    level: int
    level_label: str
    color: str
    alignments: tuple[Alignment, ...] = ()
    validated: bool = False
    criteria_text: str = ""
    description: str = ""
    pictogram: str = ""

    def __post_init__(self) -> None:
        if not 0 <= self.level <= 3:
            raise ValueError(f"level must be 0-3, got {self.level}")
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", self.color):
            raise ValueError(f"color must be #rrggbb, got {self.color!r}")
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", self.category_id):
            raise ValueError(f"category_id must be a slug, got {self.category_id!r}")

    @property
    def class_id(self) -> str:
        """Return the stable BadgeClass id, e.g. ``soc-2`` or ``soc-2-validated``."""
        suffix = "-validated" if self.validated else ""
        return f"{self.category_id}-{self.level}{suffix}"


@dataclass(frozen=True)
class IssuerInfo:
    """The organisation that issues badges.

    Attributes:
        name: Public name.
        url: Home page.
        email: Contact email (required by Open Badges 2.0 for issuers).
        description: One or two sentences about the issuer.
    """

    name: str
    url: str
    email: str
    description: str = ""


@dataclass(frozen=True)
class Recipient:
    """Who receives a badge; only its salted hash is ever published.

    Attributes:
        kind: ``url`` (default, an opaque per-person URL), ``telephone`` (E.164) or
            ``email``.
        identity: The plaintext identity; never published.
    """

    kind: RecipientKind
    identity: str

    def __post_init__(self) -> None:
        if self.kind == "telephone" and not _E164.match(self.identity):
            raise ValueError("telephone must be E.164, e.g. +491701234567")
        if self.kind == "email" and not _EMAIL.match(self.identity):
            raise ValueError("not an email address")
        if self.kind == "url" and not self.identity.startswith(("https://", "http://")):
            raise ValueError("url recipient must be an http(s) URL")


@dataclass(frozen=True)
class BadgeTexts:
    """Localized text drawn on the image (already translated by the caller).

    Attributes:
        title: Category name as shown, e.g. ``"Social"`` or ``"اجتماعي"``.
        level_label: The level label.
        date_text: The issue date, formatted for the locale.
        status_text: e.g. ``"Self-assessed"`` or ``"Validated by a counsellor"``.
        first_name: The person's first name, only if they gave it.
        issuer_name: Short issuer name for the footer.
    """

    title: str
    level_label: str
    date_text: str
    status_text: str
    first_name: str = ""
    issuer_name: str = ""


@dataclass
class Award:
    """One issued badge (an assertion) as stored by a repository.

    Attributes:
        assertion_id: Random URL-safe id used in every public URL.
        spec: The badge class awarded.
        recipient_type: The IdentityObject type (``url``, ``telephone``, ``email``).
        identity_hash: ``sha256$<hex>`` of identity + salt.
        salt: The random per-assertion salt (public).
        issued_on: Timezone-aware issue time.
        status_index: This award's bit in the status list.
        narrative: Evidence narrative (how the level was assessed).
        png: The baked PNG (holds both the 2.0 assertion and the 3.0 credential).
        credential: The signed OpenBadgeCredential.
        revoked: Whether the award was revoked.
        revocation_reason: Why, if revoked.
    """

    assertion_id: str
    spec: BadgeSpec
    recipient_type: RecipientKind
    identity_hash: str
    salt: str
    issued_on: datetime
    status_index: int
    narrative: str = ""
    png: bytes = b""
    credential: dict[str, object] = field(default_factory=dict)
    revoked: bool = False
    revocation_reason: str = ""
