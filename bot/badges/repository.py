"""The badge repository port and its in-memory implementation."""

from __future__ import annotations

from typing import Protocol

from bot.badges.model import Award, BadgeSpec


class BadgeRepository(Protocol):
    """Where awards and badge classes are stored (the lead adds an SQL one)."""

    async def save_award(self, award: Award) -> None:
        """Insert or replace an award."""

    async def get_award(self, assertion_id: str) -> Award | None:
        """Return an award by its assertion id."""

    async def is_revoked(self, assertion_id: str) -> bool:
        """Return whether an award is revoked (False if unknown)."""

    async def revoke(self, assertion_id: str, reason: str) -> bool:
        """Mark an award revoked; return False if it does not exist."""

    async def next_status_index(self) -> int:
        """Reserve and return the next free status-list index."""

    async def revoked_status_indexes(self) -> set[int]:
        """Return the status-list indexes of every revoked award."""

    async def save_badge_class(self, spec: BadgeSpec) -> None:
        """Remember a badge class so its document can be served."""

    async def get_badge_class(self, class_id: str) -> BadgeSpec | None:
        """Return a badge class by id."""


class InMemoryBadgeRepository:
    """A dict-backed BadgeRepository for tests and local runs."""

    def __init__(self) -> None:
        self._awards: dict[str, Award] = {}
        self._classes: dict[str, BadgeSpec] = {}
        self._next_index = 0

    async def save_award(self, award: Award) -> None:
        """Insert or replace an award."""
        self._awards[award.assertion_id] = award

    async def get_award(self, assertion_id: str) -> Award | None:
        """Return an award by its assertion id."""
        return self._awards.get(assertion_id)

    async def is_revoked(self, assertion_id: str) -> bool:
        """Return whether an award is revoked (False if unknown)."""
        award = self._awards.get(assertion_id)
        return award is not None and award.revoked

    async def revoke(self, assertion_id: str, reason: str) -> bool:
        """Mark an award revoked; return False if it does not exist."""
        award = self._awards.get(assertion_id)
        if award is None:
            return False
        award.revoked, award.revocation_reason = True, reason
        return True

    async def next_status_index(self) -> int:
        """Reserve and return the next free status-list index."""
        self._next_index += 1
        return self._next_index - 1

    async def revoked_status_indexes(self) -> set[int]:
        """Return the status-list indexes of every revoked award."""
        return {a.status_index for a in self._awards.values() if a.revoked}

    async def save_badge_class(self, spec: BadgeSpec) -> None:
        """Remember a badge class so its document can be served."""
        self._classes[spec.class_id] = spec

    async def get_badge_class(self, class_id: str) -> BadgeSpec | None:
        """Return a badge class by id."""
        return self._classes.get(class_id)
