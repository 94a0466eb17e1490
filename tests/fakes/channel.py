"""A channel adapter that records deliveries and fails on the calls a test chooses."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bot.channels.base import Capabilities
from bot.framework.actions import Reply
from bot.framework.session import SessionKey

Failure = Callable[[int, SessionKey, Reply], BaseException | None]
"""Given the call number (from 1), the key and the action: an exception to raise, or None."""


class FakeChannel:
    """Collects delivered (key, action) pairs; `fail` scripts errors on chosen calls."""

    def __init__(self, name: str = "fake", fail: Failure | None = None) -> None:
        self.name = name
        self.capabilities = Capabilities()
        self.fail = fail
        self.calls = 0
        self.delivered: list[tuple[SessionKey, Reply]] = []
        self.attempted: list[tuple[SessionKey, Reply]] = []
        self._changed = asyncio.Condition()

    async def deliver(self, key: SessionKey, action: Reply) -> None:
        """Record the attempt, raise the scripted error if any, else record the delivery."""
        self.calls += 1
        self.attempted.append((key, action))
        error = self.fail(self.calls, key, action) if self.fail else None
        async with self._changed:
            if error is None:
                self.delivered.append((key, action))
            self._changed.notify_all()
        if error is not None:
            raise error

    async def wait_for(self, count: int, *, attempts: bool = False) -> None:
        """Return once `count` deliveries (or attempts) have happened."""
        seen = self.attempted if attempts else self.delivered
        async with self._changed:
            await self._changed.wait_for(lambda: len(seen) >= count)

    def of(self, key: SessionKey) -> list[Reply]:
        """The actions delivered to one chat, in order."""
        return [action for k, action in self.delivered if k == key]
