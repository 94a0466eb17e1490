"""Passport share links on the bot's SQL database: create, look up, revoke, export, erase."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import begin_write
from bot.db.passport_tables import passport_links
from bot.framework.session import SessionKey

TOKEN_BYTES = 24
"""Random bytes in a share token (32 URL-safe characters): not guessable."""


def _mine(key: SessionKey) -> Any:
    return and_(passport_links.c.channel == key.channel, passport_links.c.chat_id == key.chat_id)


class PassportLinks:
    """One share token per person; revoking deletes it, so the old link stops working."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def find(self, key: SessionKey) -> str | None:
        """The person's live token, or None."""
        async with self._engine.connect() as conn:
            found = await conn.scalar(select(passport_links.c.token).where(_mine(key)))
        return None if found is None else str(found)

    async def token_of(self, key: SessionKey, now: datetime | None = None) -> str:
        """The person's token, made now if they have none (the same link each time)."""
        if (token := await self.find(key)) is not None:
            return token
        values = {
            "token": secrets.token_urlsafe(TOKEN_BYTES),
            "channel": key.channel,
            "chat_id": key.chat_id,
            "created_at": now or datetime.now(UTC),
        }
        try:
            async with begin_write(self._engine) as conn:
                await conn.execute(insert(passport_links).values(values))
        except IntegrityError:  # a second request raced us: theirs stands
            pass
        return await self.find(key) or str(values["token"])

    async def holder(self, token: str) -> SessionKey | None:
        """Whose passport a token opens, or None when it is unknown or revoked."""
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(passport_links.c.channel, passport_links.c.chat_id).where(
                        passport_links.c.token == token
                    )
                )
            ).first()
        return None if row is None else SessionKey(row.channel, row.chat_id)

    async def revoke(self, key: SessionKey) -> bool:
        """Delete the person's link; whether there was one."""
        async with begin_write(self._engine) as conn:
            result = await conn.execute(delete(passport_links).where(_mine(key)))
        return bool(result.rowcount)

    async def export(self, key: SessionKey) -> dict[str, Any]:
        """The person's share link, if any (for /export)."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(passport_links).where(_mine(key)))).first()
        if row is None:
            return {"passport_link": None}
        return {"passport_link": {"token": row.token, "created_at": row.created_at.isoformat()}}
