"""In-process per-key locks and the PostgreSQL advisory lease that elects one sender."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

SENDER_LOCK = 0x5370_0CC0_0002
"""PostgreSQL advisory lock key held by the process whose sender delivers the outbox."""


class KeyLocks:
    """One FIFO lock per key, created on demand and dropped when nobody holds or awaits it."""

    def __init__(self) -> None:
        self._locks: dict[Hashable, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: Hashable) -> AsyncIterator[None]:
        """Hold the lock of `key` for the body of the `async with`."""
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


class SenderLease:
    """A session-level advisory lock on its own connection; whoever holds it may send.

    Telegram's and WhatsApp's rate limits are per bot, so exactly one process delivers the
    outbox; the others take over within a poll when its connection (and so the lock) goes.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._conn: AsyncConnection | None = None

    async def hold(self) -> bool:
        """Take the lease if free, or check that it is still ours; True while we hold it."""
        try:
            if self._conn is not None:
                await self._conn.execute(text("SELECT 1"))
                await self._conn.commit()
                return True
            return await self._try_take()
        except (SQLAlchemyError, OSError):
            await self._drop(invalidate=True)
            return False

    async def release(self) -> None:
        """Give the lease back (no error if not held)."""
        if self._conn is None:
            return
        try:
            await self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SENDER_LOCK})
            await self._conn.commit()
        except (SQLAlchemyError, OSError):
            await self._drop(invalidate=True)
        else:
            await self._drop(invalidate=False)

    async def _try_take(self) -> bool:
        self._conn = conn = await self._engine.connect()  # dropped by hold() on error
        got = await conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": SENDER_LOCK})
        await conn.commit()
        if not got:
            await self._drop(invalidate=False)
        return bool(got)

    async def _drop(self, *, invalidate: bool) -> None:
        conn, self._conn = self._conn, None
        if conn is None:
            return
        if invalidate:
            await conn.invalidate()
        await conn.close()
