"""Invites put straight into the store, for tests that start a person with one."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.outreach.model import Invite
from bot.outreach.storage import SqlOutreach

SOON = datetime(2026, 1, 1, tzinfo=UTC)


async def make_invite(
    engine: AsyncEngine,
    code: str,
    language: str | None = None,
    *,
    worker_id: str = "ana",
    organisation: str = "Red Cross",
    max_uses: int | None = None,
    expires_at: datetime | None = None,
) -> Invite:
    """Store an invite with a chosen code."""
    invite = Invite(
        code, worker_id, organisation, "Spring fair", language, expires_at, max_uses, 0, SOON
    )
    await SqlOutreach(engine).add_invite(invite)
    return invite
