"""A sender running in the background for as long as a test needs it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.delivery.sender import Sender


@asynccontextmanager
async def running(sender: Sender) -> AsyncIterator[Sender]:
    """Run `sender` until the block ends, then stop it and wait for it."""
    task = asyncio.create_task(sender.run())
    try:
        yield sender
    finally:
        sender.stop()
        await task
