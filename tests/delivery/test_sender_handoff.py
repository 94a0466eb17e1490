"""On SQLite, rows committed after the outbox was recovered reach the sender without a read."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.channels.base import RetryLater
from bot.db.store import DueWindow, SqlStore, open_store
from bot.delivery.effects import EffectTable
from bot.delivery.sender import Sender
from bot.framework.actions import Action, DataErased, Reply, SendText
from bot.framework.engine_types import Sprint
from bot.framework.events import Inbound, TextReceived
from bot.framework.session import Session, SessionKey
from tests.delivery.support import running
from tests.fakes.channel import FakeChannel

_count = iter(range(1_000_000))


async def say(store: SqlStore, key: SessionKey, *texts: str) -> None:
    event = Inbound(key, TextReceived("hi"), f"ev{next(_count)}", datetime.now(UTC))
    actions: list[Action] = [SendText(text) for text in texts]
    await store.process(event, lambda _: Sprint(Session(key), actions))


class CountedReads:
    """Counts the store's outbox reads (the store itself does the reading)."""

    def __init__(self, store: SqlStore, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        read = store.due

        async def due(*args: object, **kwargs: object) -> DueWindow:
            self.count += 1
            return await read(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(store, "due", due)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqlStore]:
    store = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    yield store
    await store.close()


async def caught_up(sender: Sender) -> None:
    """Until the sender has every committed row in hand (it announces nothing: polled, bounded)."""
    deadline = asyncio.get_running_loop().time() + 10
    while not sender.caught_up:
        assert asyncio.get_running_loop().time() < deadline, "the sender never caught up"
        await asyncio.sleep(0.01)


def texts(channel: FakeChannel, key: SessionKey) -> list[str]:
    return [action.text for action in channel.of(key) if isinstance(action, SendText)]


async def test_rows_from_before_the_start_are_read_then_new_ones_are_handed_over(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    waiting = SessionKey("fake", "waiting")
    await say(store, waiting, "from before", "the start")  # no sender yet: read at start
    reads = CountedReads(store, monkeypatch)
    channel = FakeChannel()
    async with running(Sender(store, {"fake": channel})) as sender:
        await channel.wait_for(2)
        await caught_up(sender)  # the pass over every chat may need one more (empty) read
        recovered = reads.count
        keys = [SessionKey("fake", f"p{n}") for n in range(20)]
        for round_ in range(3):
            for key in keys:
                await say(store, key, f"{key.chat_id}-{round_}a", f"{key.chat_id}-{round_}b")
                sender.notify()
        await say(store, waiting, "later")
        sender.notify()
        await channel.wait_for(2 + 20 * 6 + 1)
    assert texts(channel, waiting) == ["from before", "the start", "later"]
    for key in keys:
        expected = [f"{key.chat_id}-{r}{part}" for r in range(3) for part in "ab"]
        assert texts(channel, key) == expected
    assert recovered >= 1
    assert reads.count == recovered  # nothing read once recovered
    assert await store.pending() == []


async def test_a_held_chat_is_read_again_and_keeps_its_order(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = SessionKey("fake", "held")
    tries = 0

    def first_send_fails(_call: int, key: SessionKey, _action: object) -> BaseException | None:
        nonlocal tries
        tries += key == held
        return RetryLater(0.05) if key == held and tries == 1 else None

    channel = FakeChannel(fail=first_send_fails)
    reads = CountedReads(store, monkeypatch)
    async with running(Sender(store, {"fake": channel}, retry_base=0.05)) as sender:
        await say(store, SessionKey("fake", "other"), "warm up")
        sender.notify()
        await channel.wait_for(1)
        before = reads.count
        for n in range(5):
            await say(store, held, f"h{n}")
            sender.notify()
        await channel.wait_for(6)
    assert texts(channel, held) == [f"h{n}" for n in range(5)]
    assert reads.count > before  # the held chat's rows came back through a read


async def test_the_retention_pass_rows_are_handed_over_like_an_event_s(
    store: SqlStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    idle = SessionKey("fake", "idle")
    erased: asyncio.Queue[tuple[SessionKey, DataErased]] = asyncio.Queue()

    async def erase(key: SessionKey, effect: DataErased) -> list[Reply]:
        erased.put_nowait((key, effect))
        return []

    channel = FakeChannel()
    effects = EffectTable({DataErased: [erase]})
    async with running(Sender(store, {"fake": channel}, effects=effects)) as sender:
        await say(store, idle, "hello")
        await channel.wait_for(1)
        await caught_up(sender)  # from now on nothing is read without a reason
        reads = CountedReads(store, monkeypatch)
        later = datetime.now(UTC) + timedelta(days=31)
        assert await store.expire(later - timedelta(days=30), later) == [idle]
        key, effect = await asyncio.wait_for(erased.get(), 10)
    assert key == idle
    assert effect == DataErased(revoke_badges=False, at=later)
    assert reads.count == 0
