"""The daily retention job: people inactive for RETENTION_DAYS are erased like /delete."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import Protocol

from aiohttp import web

from bot.framework.session import SessionKey
from bot.host.metrics import BotMetrics

log = logging.getLogger(__name__)

DAY = 24 * 3600.0


class ExpiringStore(Protocol):
    """What the job needs (bot.db.store.SqlStore)."""

    async def expire(self, cutoff: datetime, now: datetime) -> list[SessionKey]:
        """Erase conversations untouched since `cutoff`; their keys."""


class Retention:
    """Erases conversations of people inactive longer than `days` (their badges stay valid).

    The store blanks their state and queues a DataErased row in one transaction, and the
    sender gets that row as it gets an event's (handed over, or read); it then runs every
    personal-data part on it, as for /delete. Safe on every worker at once: a conversation
    is expired by one UPDATE, so only one worker queues its erasure.
    """

    def __init__(
        self,
        store: ExpiringStore,
        days: int,
        metrics: BotMetrics,
        clock: Callable[[], datetime],
    ) -> None:
        self._store, self._keep = store, timedelta(days=days)
        self._metrics, self._clock = metrics, clock

    async def run_once(self) -> int:
        """One pass; how many conversations were erased."""
        now = self._clock()
        keys = await self._store.expire(now - self._keep, now)
        self._metrics.retention_runs.inc()
        self._metrics.retention_erased.inc(len(keys))
        self._metrics.retention_last.set(now.timestamp())
        if keys:
            log.info("retention: %d inactive conversations queued for erasure", len(keys))
        return len(keys)

    def lifetime(self, every: float = DAY) -> Callable[[web.Application], AsyncIterator[None]]:
        """A cleanup context running a pass at start-up and then every `every` seconds."""

        async def periodic() -> None:
            while True:
                try:
                    await self.run_once()
                except Exception as exc:  # the next pass tries again
                    log.warning("retention pass failed: %s", type(exc).__name__)
                await asyncio.sleep(every)  # a period, not a synchronisation

        async def lifetime(app: web.Application) -> AsyncIterator[None]:
            task = asyncio.create_task(periodic())
            yield
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

        return lifetime
