"""The parts of a person's data: each exports its rows on /export and erases them on /delete."""

from __future__ import annotations

from typing import Any, Protocol

from bot.framework.actions import DataErased, Reply
from bot.framework.session import SessionKey


class ConversationStore(Protocol):
    """What the store part needs (bot.db.store.SqlStore)."""

    async def export(self, key: SessionKey) -> dict[str, Any]:
        """Conversation, answers log, waiting and set-aside messages."""

    async def erase(self, key: SessionKey, erasure: DataErased) -> None:
        """Drop the erased conversation's rows up to `erasure`'s; checkpoint the SQLite log."""


class Badges(Protocol):
    """What the badge part needs (bot.badges.service.BadgeService)."""

    async def export_person(self, key: SessionKey) -> dict[str, Any]:
        """Every award of the person with its links."""

    async def revoke_all(self, key: SessionKey) -> int:
        """Revoke the person's awards and forget who held them."""

    async def let_go(self, key: SessionKey) -> None:
        """Forget who held the person's awards; the awards stay valid."""


class Cases(Protocol):
    """What the counsellor part needs (bot.counsel.service.CaseService)."""

    async def export_person(self, key: SessionKey) -> dict[str, Any]:
        """The person's cases, transcripts and audit rows."""

    async def forget_person(self, key: SessionKey) -> None:
        """Close the person's cases and drop their transcripts."""


class StoreData:
    """The conversation store's rows. Erased last: it checkpoints what the others deleted."""

    tables = ("conversations", "answers", "outbox", "dead_letters")

    def __init__(self, store: ConversationStore) -> None:
        self._store = store

    async def export(self, key: SessionKey) -> dict[str, Any]:
        """State, answers log, waiting and set-aside messages."""
        return await self._store.export(key)

    async def erase(self, key: SessionKey, effect: DataErased) -> list[Reply]:
        """Drop the conversation row and what waited for it (the state went with /delete)."""
        await self._store.erase(key, effect)
        return []


class CaseData:
    """Counsellor cases, their transcripts and the audit rows about the person."""

    tables = ("counsel_cases", "counsel_messages", "counsel_audit")

    def __init__(self, cases: Cases) -> None:
        self._cases = cases

    async def export(self, key: SessionKey) -> dict[str, Any]:
        """Cases with transcript and audit rows."""
        return await self._cases.export_person(key)

    async def erase(self, key: SessionKey, _effect: DataErased) -> list[Reply]:
        """Close the cases and drop the transcripts."""
        await self._cases.forget_person(key)
        return []


class BadgeData:
    """Badge awards (with their verification links), the person's token, revocations."""

    tables = ("badge_people", "badge_awards", "badge_revocations")

    def __init__(self, badges: Badges) -> None:
        self._badges = badges

    async def export(self, key: SessionKey) -> dict[str, Any]:
        """Every award, revoked ones too."""
        return await self._badges.export_person(key)

    async def erase(self, key: SessionKey, effect: DataErased) -> list[Reply]:
        """Revoke every badge (not when retention erases) and forget who held them."""
        if effect.revoke_badges:
            await self._badges.revoke_all(key)
        else:
            await self._badges.let_go(key)
        return []


class PassportLinks(Protocol):
    """What the passport part needs (bot.passport.storage.PassportLinks)."""

    async def export(self, key: SessionKey) -> dict[str, Any]:
        """The person's share link, if any."""

    async def revoke(self, key: SessionKey) -> bool:
        """Delete the person's share link."""


class PassportData:
    """The skills passport's share link (the passport itself is made anew from the badges)."""

    tables = ("passport_links",)

    def __init__(self, links: PassportLinks) -> None:
        self._links = links

    async def export(self, key: SessionKey) -> dict[str, Any]:
        """The share link's token and when it was made."""
        return await self._links.export(key)

    async def erase(self, key: SessionKey, _effect: DataErased) -> list[Reply]:
        """Delete the share link, so the public page stops opening."""
        await self._links.revoke(key)
        return []
