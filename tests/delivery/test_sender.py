"""The sender against a real store and a scriptable fake channel."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from bot.channels.base import RetryLater, Unreachable
from bot.db.store import SqlStore, open_store
from bot.delivery.sender import RateLimits, Sender
from bot.framework.actions import Action, Reply, SendText
from bot.framework.engine_types import Sprint
from bot.framework.events import Inbound, TextReceived
from bot.framework.session import Session, SessionKey
from tests.delivery.support import running
from tests.fakes.channel import Failure, FakeChannel

A = SessionKey("fake", "a")
B = SessionKey("fake", "b")
_ids: Iterator[int] = iter(range(1_000_000))


async def say(store: SqlStore, key: SessionKey, *texts: str) -> None:
    """Commit one event whose step sends `texts` to `key`."""
    event = Inbound(key, TextReceived("hi"), f"ev{next(_ids)}", datetime.now(UTC))
    actions: list[Action] = [SendText(text) for text in texts]
    await store.process(event, lambda _: Sprint(Session(key), actions))


def words(channel: FakeChannel, key: SessionKey) -> list[str]:
    return [action.text for action in channel.of(key) if isinstance(action, SendText)]


def failing(plan: dict[tuple[str, int], BaseException]) -> Failure:
    """Fail the n-th attempt (from 1) of each chat as planned."""
    tries: dict[str, int] = {}

    def fail(_call: int, key: SessionKey, _action: Reply) -> BaseException | None:
        tries[key.chat_id] = tries.get(key.chat_id, 0) + 1
        return plan.get((key.chat_id, tries[key.chat_id]))

    return fail


async def test_delivers_each_chat_in_order_and_deletes(store: SqlStore) -> None:
    channel = FakeChannel()
    async with running(Sender(store, {"fake": channel})) as sender:
        for n in range(5):
            await say(store, A, f"a{n}", f"a{n}+")
            await say(store, B, f"b{n}")
            sender.notify()
        await channel.wait_for(15)
    assert words(channel, A) == [f"a{n}{s}" for n in range(5) for s in ("", "+")]
    assert words(channel, B) == [f"b{n}" for n in range(5)]
    assert await store.pending() == []


async def test_order_kept_under_retries_and_errors(store: SqlStore) -> None:
    plan: dict[tuple[str, int], BaseException] = {
        ("a", 2): RetryLater(0.05),
        ("a", 4): OSError("connection reset"),
        ("b", 1): RetryLater(0.02),
    }
    channel = FakeChannel(fail=failing(plan))
    await say(store, A, "a0", "a1", "a2", "a3")
    await say(store, B, "b0", "b1")
    async with running(Sender(store, {"fake": channel}, retry_base=0.05)):
        await channel.wait_for(6)
    assert words(channel, A) == ["a0", "a1", "a2", "a3"]
    assert words(channel, B) == ["b0", "b1"]
    assert len(channel.attempted) == 9
    assert await store.pending() == []


async def test_retry_later_for_one_chat_does_not_stall_another(store: SqlStore) -> None:
    channel = FakeChannel(fail=failing({("a", 1): RetryLater(3600)}))
    await say(store, A, "a0", "a1")
    await say(store, B, "b0", "b1", "b2")
    async with running(Sender(store, {"fake": channel})):
        await channel.wait_for(3)
    assert words(channel, B) == ["b0", "b1", "b2"]
    assert words(channel, A) == []
    assert await store.pending() == []  # A's rows wait for their time
    assert len((await store.export(A))["pending_messages"]) == 2


async def test_unreachable_marks_inactive_and_drops(store: SqlStore) -> None:
    channel = FakeChannel(fail=failing({("a", 1): Unreachable()}))
    await say(store, A, "a0", "a1")
    await say(store, B, "b0")
    async with running(Sender(store, {"fake": channel})):
        await channel.wait_for(1)
        await channel.wait_for(2, attempts=True)
    exported = await store.export(A)
    assert exported["active"] is False
    assert exported["pending_messages"] == []
    assert words(channel, B) == ["b0"]


async def test_rows_left_before_start_or_by_others_are_delivered(store: SqlStore) -> None:
    channel = FakeChannel()
    await say(store, A, "left by a crash")
    async with running(Sender(store, {"fake": channel})):
        await channel.wait_for(1)
        await say(store, B, "committed without notify")  # found by the fallback poll
        await channel.wait_for(2)
    assert words(channel, B) == ["committed without notify"]


async def test_rate_limits_space_out_deliveries(store: SqlStore) -> None:
    times: list[float] = []

    def clock(_call: int, _key: SessionKey, _action: Reply) -> None:
        times.append(asyncio.get_running_loop().time())

    channel = FakeChannel(fail=clock)
    await say(store, A, "a0", "a1", "a2")
    await say(store, B, "b0", "b1", "b2")
    limits = {
        "fake": RateLimits(
            per_chat_per_second=10, global_per_second=40, per_chat_burst=1, global_burst=1
        )
    }
    async with running(Sender(store, {"fake": channel}, limits)):
        await channel.wait_for(6)
    per_chat = [t for t, (key, _) in zip(times, channel.delivered, strict=True) if key == A]
    assert per_chat[-1] - per_chat[0] >= 0.2 - 0.01
    assert times[-1] - times[0] >= 5 / 40 - 0.01
    assert words(channel, A) == ["a0", "a1", "a2"]


async def test_a_short_burst_per_chat_goes_at_once_then_the_rate_holds(store: SqlStore) -> None:
    times: list[float] = []

    def clock(_call: int, _key: SessionKey, _action: Reply) -> None:
        times.append(asyncio.get_running_loop().time())

    channel = FakeChannel(fail=clock)
    await say(store, A, "a0", "a1", "a2", "a3")
    limits = {"fake": RateLimits(per_chat_per_second=4, global_per_second=100, per_chat_burst=3)}
    async with running(Sender(store, {"fake": channel}, limits)):
        await channel.wait_for(4)
    assert times[2] - times[0] < 0.1
    assert times[3] - times[0] >= 0.25 - 0.01
    assert words(channel, A) == ["a0", "a1", "a2", "a3"]


async def test_one_sender_at_a_time_across_processes(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes share a database on PostgreSQL only")
    stores = [await open_store(database_url), await open_store(database_url)]
    channels = [FakeChannel(), FakeChannel()]
    senders = [Sender(s, {"fake": c}) for s, c in zip(stores, channels, strict=True)]
    tasks = [asyncio.create_task(sender.run()) for sender in senders]
    try:
        for n in range(10):
            await say(stores[n % 2], A, f"a{n}")
            for sender in senders:
                sender.notify()
        await _wait_until(lambda: sum(len(c.delivered) for c in channels) >= 10, channels)
    finally:
        for sender in senders:
            sender.stop()
        await asyncio.gather(*tasks)
        for store in stores:
            await store.close()
    assert sorted(len(c.delivered) for c in channels) == [0, 10]
    assert max(words(c, A) for c in channels) == [f"a{n}" for n in range(10)]


async def _wait_until(done: Callable[[], bool], channels: list[FakeChannel]) -> None:
    while not done():
        waits = [asyncio.create_task(c.wait_for(len(c.delivered) + 1)) for c in channels]
        _, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
