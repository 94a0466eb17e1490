"""Event keys are stored hashed and pruned; conversations that never consented are purged."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from bot.db.models import conversations, outbox, processed_events
from bot.db.store import SqlStore, open_store
from bot.framework.actions import SendText
from bot.framework.engine_types import Sprint
from bot.framework.session import Session, SessionKey
from tests.db.helpers import count, inbound

KEY = b"k" * 32
NOW = datetime.now(UTC)


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[SqlStore]:
    store = await open_store(database_url, KEY)
    yield store
    await store.close()


async def test_event_ids_are_kept_only_as_keyed_hashes(database_url: str) -> None:
    person = SessionKey("web", "chat-5550123")
    store = await open_store(database_url, KEY)
    try:
        assert await store.process(inbound("chat-5550123:m1", person), count(person)) == [1]
        async with store.engine.connect() as conn:
            kept = list(await conn.scalars(select(processed_events.c.event_id)))
    finally:
        await store.close()
    assert len(kept) == 1
    assert "5550123" not in kept[0]
    assert len(kept[0]) == 64
    again = await open_store(database_url, KEY)  # the same key after a restart: still a repeat
    try:
        assert await again.process(inbound("chat-5550123:m1", person), count(person)) is None
    finally:
        await again.close()


async def _age(store: SqlStore, table: object, column: str, moment: datetime) -> None:
    async with store.engine.begin() as conn:
        await conn.execute(update(table).values({column: moment}))  # type: ignore[arg-type]


async def _count(store: SqlStore, table: object) -> int:
    async with store.engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]


async def test_event_keys_older_than_the_retention_are_pruned(store: SqlStore) -> None:
    await store.process(inbound("old"), count())
    await _age(store, processed_events, "processed_at", NOW - timedelta(days=31))
    await store.process(inbound("new"), count())
    await store.prune(NOW)
    assert await _count(store, processed_events) == 1
    assert await store.process(inbound("new"), count()) is None


def _session(key: SessionKey, consent: bool) -> Sprint:
    session = Session(key=key)
    session.consent = consent
    return Sprint(session, [SendText("Choose a language")])


async def test_conversations_that_never_consented_are_purged_after_a_day(store: SqlStore) -> None:
    hello, agreed, fresh = (SessionKey("web", name) for name in ("hello", "agreed", "fresh"))
    await store.process(inbound("h", hello), lambda _: _session(hello, False))
    await store.process(inbound("a", agreed), lambda _: _session(agreed, True))
    await _age(store, conversations, "updated_at", NOW - timedelta(days=2))
    await store.process(inbound("f", fresh), lambda _: _session(fresh, False))
    await store.prune(NOW)
    async with store.engine.connect() as conn:
        left = set(await conn.scalars(select(conversations.c.chat_id)))
        waiting = set(await conn.scalars(select(outbox.c.chat_id)))
    assert left == {"agreed", "fresh"}
    assert waiting == {"agreed", "fresh"}
