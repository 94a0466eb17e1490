"""An erasure removes what the store kept up to its own /delete, never what came after it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, update

from bot.db.models import conversations, outbox
from bot.db.rows import PARKED
from bot.db.store import SqlStore, open_store
from bot.framework.actions import Action, DataErased, SendText
from bot.framework.engine_types import Sprint
from bot.framework.session import Session
from bot.framework.session import SessionKey as Key
from tests.db.helpers import KEY, OTHER, inbound

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite3", "core"])
async def store(request: pytest.FixtureRequest, database_url: str) -> AsyncIterator[SqlStore]:
    """A store whose events go through SqliteTransaction (group commit) or CoreTransaction."""
    if request.param == "sqlite3" and not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL has only the Core transaction")
    store = await open_store(database_url, group_commit=request.param == "sqlite3")
    yield store
    await store.close()


async def delete(store: SqlStore, event_id: str, minute: int) -> DataErased:
    """A /delete: the state goes, a goodbye and the erasure are queued; returns the erasure."""
    erasure = DataErased(at=T0 + timedelta(minutes=minute))
    await store.process(inbound(event_id), lambda _: Sprint(None, [SendText("bye"), erasure]))
    return erasure


async def start(store: SqlStore, event_id: str, *texts: str, key: Key = KEY) -> None:
    """A fresh /start: a new session and its replies."""
    sends: list[Action] = [SendText(text) for text in texts]
    await store.process(inbound(event_id, key), lambda _: Sprint(Session(key), sends))


async def waiting(store: SqlStore, key: Key = KEY) -> list[Action]:
    return [item.action for item in await store.pending() if item.key == key]


async def test_what_the_person_started_after_the_delete_is_kept(store: SqlStore) -> None:
    await start(store, "1", "old question")
    erasure = await delete(store, "2", 1)
    await start(store, "3", "welcome", "language?")  # typed while the erasure waits to run
    await start(store, "4", "someone else", key=OTHER)
    await store.erase(KEY, erasure)
    assert await waiting(store) == [SendText("welcome"), SendText("language?")]
    assert await waiting(store, OTHER) == [SendText("someone else")]
    assert await store.load(KEY) is not None  # the new conversation stays


async def test_an_erasure_stops_at_its_own_row_when_a_second_delete_follows(
    store: SqlStore,
) -> None:
    first = await delete(store, "1", 1)
    await start(store, "2", "welcome")
    second = await delete(store, "3", 2)  # drops what waited, not the first erasure
    assert await waiting(store) == [first, SendText("bye"), second]
    await store.erase(KEY, first)
    assert await waiting(store) == [SendText("bye"), second]
    await store.erase(KEY, first)  # run again (a retry): its row is gone, nothing else goes
    assert await waiting(store) == [SendText("bye"), second]
    await store.erase(KEY, second)
    assert await waiting(store) == []
    assert await store.load(KEY) is None


@pytest.mark.parametrize(
    "stored", ['{"type":"data_erased"}', '{"type":"data_erased","revoke_badges":true}']
)
async def test_an_erasure_row_written_before_it_carried_a_time_is_still_found(
    store: SqlStore, stored: str
) -> None:
    await store.process(inbound("1"), lambda _: Sprint(None, [SendText("bye")]))
    async with store.engine.begin() as conn:  # as an older version wrote it
        values = {"channel": KEY.channel, "chat_id": KEY.chat_id, "created_at": T0}
        await conn.execute(insert(outbox).values(action=stored, **values))
    await start(store, "2", "welcome")
    [erasure] = [action for action in await waiting(store) if isinstance(action, DataErased)]
    await store.erase(KEY, erasure)
    assert await waiting(store) == [SendText("welcome")]


async def test_a_blocked_bot_drops_the_goodbye_but_the_erasure_still_runs(
    store: SqlStore,
) -> None:
    erasure = await delete(store, "1", 1)
    await store.mark_unreachable(KEY)
    assert await waiting(store) == [erasure]


async def due(store: SqlStore, key: Key = KEY) -> list[Action]:
    """What the sender would read for the chat now (a parked row stops it)."""
    window = await store.due(key.channel, chats=500, per_chat=100)
    return [item.action for item in window.items if item.key == key]


async def test_parking_drops_what_nobody_can_see_before_the_erasure_which_stays_due(
    store: SqlStore,
) -> None:
    await start(store, "1", "old question")
    erasure = await delete(store, "2", 1)
    await start(store, "3", "welcome")  # typed before the tab closed
    await store.park(KEY)
    assert await due(store) == [erasure]  # the goodbye and the old question are gone
    await store.erase(KEY, erasure)
    assert await due(store) == []
    await store.unpark(KEY)  # the person is back
    assert await due(store) == [SendText("welcome")]


async def test_parking_leaves_every_erasure_due_when_a_second_delete_followed(
    store: SqlStore,
) -> None:
    first = await delete(store, "1", 1)
    await start(store, "2", "welcome")
    second = await delete(store, "3", 2)
    await start(store, "4", "welcome again")
    await store.park(KEY)
    assert await due(store) == [first, second]
    await store.unpark(KEY)
    assert await due(store) == [first, second, SendText("welcome again")]


async def test_parking_a_chat_without_an_erasure_holds_every_row(store: SqlStore) -> None:
    await start(store, "1", "one", "two")
    await store.park(KEY)
    assert await due(store) == []
    await store.unpark(KEY)
    assert await due(store) == [SendText("one"), SendText("two")]


async def test_the_prune_runs_no_erasure_away_and_frees_one_parked_by_an_older_version(
    store: SqlStore,
) -> None:
    erasure = await delete(store, "1", 1)
    async with store.engine.begin() as conn:  # parked whole, as before, and a day old
        await conn.execute(update(outbox).values(not_before=PARKED))
        await conn.execute(update(conversations).values(updated_at=T0))
    await store.prune(T0 + timedelta(days=2))
    assert await due(store) == [erasure]
    await store.prune(T0 + timedelta(days=2))
    assert await due(store) == [erasure]
