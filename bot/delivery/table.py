"""The running bot's effects table: each effect type and the service that carries it out."""

from __future__ import annotations

from typing import Any, Protocol

from bot.badges.model import Award
from bot.delivery.effects import EffectTable
from bot.delivery.export import DataExport
from bot.framework.actions import (
    BadgeEarned,
    DataErased,
    ExportRequested,
    HandoffRequested,
    PassportRequested,
    PassportRevoked,
    RelayToCounsellor,
    Reply,
    ResendBadges,
)
from bot.framework.session import SessionKey


class Badges(Protocol):
    """What the table needs of the badge service (bot.badges.service.BadgeService)."""

    async def earn(self, key: SessionKey, earned: BadgeEarned) -> Award:
        """Issue the badge, or return the valid award already held for it."""

    def announce(self, award: Award, locale: str) -> list[Reply]:
        """The preview, the baked file and the verification link."""

    async def resend(self, key: SessionKey, locale: str) -> list[Reply]:
        """Every valid badge again, or a note that there are none."""


class Cases(Protocol):
    """What the table needs of the case service (bot.counsel.service.CaseService)."""

    async def open_case(self, key: SessionKey, reason: str, summary: dict[str, Any]) -> object:
        """Open the person's case, or update the one they have."""

    async def relay_from_person(self, key: SessionKey, relay: RelayToCounsellor) -> bool:
        """Add the person's message to their live case (once per `relay.ref`)."""


class BadgeEffects:
    """Badge effects: issue (idempotent per badge class), resend (erasure: parts.BadgeData)."""

    def __init__(self, badges: Badges) -> None:
        self._badges = badges

    async def issue(self, key: SessionKey, earned: BadgeEarned) -> list[Reply]:
        """Issue the badge (or find the one held) and show it."""
        return self._badges.announce(await self._badges.earn(key, earned), earned.locale)

    async def resend(self, key: SessionKey, effect: ResendBadges) -> list[Reply]:
        """Show every valid badge again."""
        return await self._badges.resend(key, effect.locale)


class CaseEffects:
    """Counsellor effects: open a case, relay a message (erasure: parts.CaseData); no reply."""

    def __init__(self, cases: Cases) -> None:
        self._cases = cases

    async def open(self, key: SessionKey, effect: HandoffRequested) -> list[Reply]:
        """Open (or update) the person's case."""
        await self._cases.open_case(key, effect.reason, effect.summary)
        return []

    async def relay(self, key: SessionKey, effect: RelayToCounsellor) -> list[Reply]:
        """Pass the person's message to their counsellor."""
        await self._cases.relay_from_person(key, effect)
        return []


class Passport(Protocol):
    """What the table needs of the passport (bot.passport.service.Passports)."""

    async def build(self, key: SessionKey, effect: PassportRequested) -> list[Reply]:
        """The PDF and the share link."""

    async def revoke(self, key: SessionKey, effect: PassportRevoked) -> list[Reply]:
        """Switch the share link off."""


def host_effects(
    badges: Badges, cases: Cases, export: DataExport, passport: Passport
) -> EffectTable:
    """The table the sender runs; start-up fails if an effect type has no handler.

    /delete erases every part of the export, in its order (the store's part comes last).
    """
    badge, case = BadgeEffects(badges), CaseEffects(cases)
    return EffectTable(
        {
            HandoffRequested: [case.open],
            RelayToCounsellor: [case.relay],
            BadgeEarned: [badge.issue],
            ResendBadges: [badge.resend],
            DataErased: [part.erase for part in export.parts],
            ExportRequested: [export.build],
            PassportRequested: [passport.build],
            PassportRevoked: [passport.revoke],
        }
    ).require_all()
