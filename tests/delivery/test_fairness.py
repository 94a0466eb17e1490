"""One chat's backlog never holds up another chat's replies (real store, SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import insert

from bot.db.models import outbox
from bot.db.rows import outbox_rows
from bot.db.store import SqlStore
from bot.delivery.sender import Sender
from bot.framework.actions import Reply, SendText
from bot.framework.session import SessionKey
from tests.delivery.support import running
from tests.delivery.test_sender import A, B, say, words
from tests.fakes.channel import FakeChannel


async def backlog(store: SqlStore, key: SessionKey, count: int) -> None:
    """Commit `count` replies for `key` at once (as a flood leaves them)."""
    actions = [SendText(f"{key.chat_id}{n}") for n in range(count)]
    async with store.engine.begin() as conn:
        await conn.execute(insert(outbox), outbox_rows(key, actions, datetime.now(UTC)))


class StuckChannel(FakeChannel):
    """A's deliveries hang (a socket that does not read) until B has had its reply."""

    def __init__(self) -> None:
        super().__init__()
        self.b_served = asyncio.Event()

    async def deliver(self, key: SessionKey, action: Reply) -> None:
        """Hold A until B is served."""
        if key == A:
            await self.b_served.wait()
        await super().deliver(key, action)
        if key == B:
            self.b_served.set()


async def test_a_stuck_chat_with_a_long_backlog_does_not_hold_up_another(
    store: SqlStore,
) -> None:
    await backlog(store, A, 1_000)
    await say(store, B, "b0")
    channel = StuckChannel()
    async with running(Sender(store, {"fake": channel})):
        async with asyncio.timeout(60):
            await channel.b_served.wait()
            await channel.wait_for(1_001)
    assert words(channel, B) == ["b0"]
    assert channel.delivered[0][0] == B
    assert words(channel, A) == [f"a{n}" for n in range(1_000)]


async def test_one_worker_takes_chats_in_turns(store: SqlStore) -> None:
    await backlog(store, A, 200)
    await say(store, B, "b0", "b1")
    channel = FakeChannel()
    async with running(Sender(store, {"fake": channel}, workers=1, per_turn=5)):
        await channel.wait_for(202)
    order = [key for key, _ in channel.delivered]
    assert order.index(B) < 10
    assert words(channel, A) == [f"a{n}" for n in range(200)]
    assert words(channel, B) == ["b0", "b1"]
