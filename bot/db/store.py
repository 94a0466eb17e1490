"""The SQL store: one transaction per event (state, answers log, outbox, dedupe key)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.db import rows
from bot.db.engine import (
    BEGIN_OPTION,
    StoreError,
    check_sqlite_path,
    create_engine,
    describe,
    parse_url,
)
from bot.db.locks import KeyLocks, SenderLease
from bot.db.migrate import upgrade
from bot.db.models import answers, conversations, outbox, processed_events
from bot.framework.actions import Action
from bot.framework.codec import action_from_json
from bot.framework.engine_types import AnswerRecord, Sprint
from bot.framework.events import Inbound
from bot.framework.session import Session, SessionKey

__all__ = ["OutboxItem", "SqlStore", "Step", "StoreError", "open_store"]

Step = Callable[[Session | None], Sprint]
"""A pure engine step: the stored session (None for a new person) to a Sprint."""

_DELETE_CHUNK = 500


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One action waiting to be delivered."""

    id: int
    key: SessionKey
    action: Action
    attempts: int


def _now() -> datetime:
    return datetime.now(UTC)


def _session(key: SessionKey, state: str | None) -> Session | None:
    return Session.from_json(key, json.loads(state)) if state else None


async def open_store(url: str) -> SqlStore:
    """Connect, migrate to the newest schema and check the connection.

    Raises:
        StoreError: `DATABASE_URL: <what is wrong>`, one line, never with the password.
    """
    parsed = parse_url(url)
    check_sqlite_path(parsed)
    engine = create_engine(parsed)
    try:
        await upgrade(engine)
    # Any failure here is the operator's configuration; say it in one line, not a traceback.
    except Exception as exc:
        await engine.dispose()
        raise StoreError(f"DATABASE_URL: {describe(exc, parsed)}") from None
    return SqlStore(engine)


class SqlStore:
    """Conversations, the answers log and the outbox in SQLite or PostgreSQL.

    One conversation's events are applied one at a time, in arrival order: a FIFO lock per key
    in this process, plus `SELECT ... FOR UPDATE` on the conversation row (PostgreSQL) or
    `BEGIN IMMEDIATE` behind one in-process writer lock (SQLite).
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name
        self._sqlite = self._dialect == "sqlite"
        self._writer = engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        self._write_lock = asyncio.Lock()
        self._key_locks = KeyLocks()
        self._lease = SenderLease(engine)

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncConnection]:
        if self._sqlite:
            # SQLite has one writer at a time anyway; queueing here avoids busy-wait sleeps.
            async with self._write_lock, self._writer.begin() as conn:
                yield conn
        else:
            async with self._engine.begin() as conn:
                yield conn

    async def process(self, inbound: Inbound, step: Step) -> list[int] | None:
        """Apply one event in one transaction; None if its event_id was applied before.

        Returns:
            The ids of the outbox rows written for the sprint's actions, in order.
        """
        async with self._key_locks.hold(inbound.key), self._write() as conn:
            now = _now()
            conv = await self._lock_conversation(conn, inbound.key, now)
            if not await self._claim(conn, inbound, now):
                return None
            sprint = step(_session(inbound.key, conv.state))
            await self._save(conn, inbound.key, conv, sprint.session, now)
            if sprint.answers:
                log = rows.answer_rows(inbound.key, sprint.answers, inbound.event_id)
                await conn.execute(insert(answers), log)
            return await self._enqueue(conn, inbound.key, sprint.actions, now)

    async def _claim(self, conn: AsyncConnection, inbound: Inbound, now: datetime) -> bool:
        claim = rows.insert_ignoring_conflicts(self._dialect, processed_events).values(
            channel=inbound.key.channel, event_id=inbound.event_id, processed_at=now
        )
        return (await conn.execute(claim)).rowcount == 1

    async def _lock_conversation(
        self, conn: AsyncConnection, key: SessionKey, now: datetime
    ) -> Row[Any]:
        query = rows.conversation_select(key, for_update=not self._sqlite)
        found: Row[Any] | None = (await conn.execute(query)).one_or_none()
        if found is not None:
            return found
        new = {"channel": key.channel, "chat_id": key.chat_id, "created_at": now}
        insert_new = rows.insert_ignoring_conflicts(self._dialect, conversations)
        await conn.execute(insert_new.values(**new, updated_at=now))
        created: Row[Any] = (await conn.execute(query)).one()
        return created

    async def _save(
        self,
        conn: AsyncConnection,
        key: SessionKey,
        conv: Row[Any],
        session: Session | None,
        now: datetime,
    ) -> None:
        state = rows.dumps(session.to_json()) if session is not None else None
        changed = await conn.execute(
            update(conversations)
            .where(conversations.c.id == conv.id, conversations.c.version == conv.version)
            .values(state=state, version=conv.version + 1, active=True, updated_at=now)
        )
        if changed.rowcount != 1:
            raise StoreError(f"conversation {key} changed under its lock")
        if session is None:
            await conn.execute(answers.delete().where(rows.of_key(answers, key)))
            await conn.execute(rows.delete_outbox(rows.of_key(outbox, key)))

    async def _enqueue(
        self, conn: AsyncConnection, key: SessionKey, actions: Sequence[Action], now: datetime
    ) -> list[int]:
        if not actions:
            return []
        query = insert(outbox).returning(outbox.c.id, sort_by_parameter_order=True)
        result = await conn.execute(query, rows.outbox_rows(key, actions, now))
        return [int(row_id) for row_id in result.scalars()]

    async def load(self, key: SessionKey) -> Session | None:
        """The stored session, or None for an unknown or erased person."""
        async with self._engine.connect() as conn:
            conv = (await conn.execute(rows.conversation_select(key, for_update=False))).first()
        return _session(key, conv.state if conv is not None else None)

    async def pending(self, limit: int = 500, channel: str | None = None) -> list[OutboxItem]:
        """Due outbox rows, oldest first; a chat's rows stop at its first postponed one."""
        async with self._engine.connect() as conn:
            result = await conn.execute(rows.due_outbox(_now(), limit, channel))
        return [
            OutboxItem(
                id=row.id,
                key=SessionKey(row.channel, row.chat_id),
                action=action_from_json(json.loads(row.action)),
                attempts=row.attempts,
            )
            for row in result
        ]

    async def delivered(self, ids: Sequence[int]) -> None:
        """Forget delivered rows (ids that are already gone are ignored)."""
        ordered = sorted(set(ids))
        if not ordered:
            return
        async with self._write() as conn:
            for start in range(0, len(ordered), _DELETE_CHUNK):
                chunk = ordered[start : start + _DELETE_CHUNK]
                await conn.execute(rows.delete_outbox(outbox.c.id.in_(chunk)))

    async def postpone(self, item_id: int, not_before: datetime) -> None:
        """Hold one row (and so its chat's later rows) until `not_before`; count the attempt."""
        async with self._write() as conn:
            await conn.execute(
                update(outbox)
                .where(outbox.c.id == item_id)
                .values(not_before=not_before, attempts=outbox.c.attempts + 1)
            )

    async def mark_unreachable(self, key: SessionKey) -> None:
        """The person blocked the bot: mark the conversation inactive, drop what waits for it."""
        async with self._key_locks.hold(key), self._write() as conn:
            await conn.execute(
                update(conversations)
                .where(rows.of_key(conversations, key))
                .values(active=False, updated_at=_now())
            )
            await conn.execute(rows.delete_outbox(rows.of_key(outbox, key)))

    async def answers_log(self, key: SessionKey) -> list[AnswerRecord]:
        """Every logged answer of the person, oldest first."""
        async with self._engine.connect() as conn:
            result = await conn.execute(rows.answer_select(key))
        return [rows.answer_record(row) for row in result]

    async def export(self, key: SessionKey) -> dict[str, Any]:
        """Everything stored about the person, as JSON-safe data."""
        async with self._engine.connect() as conn:
            conv = (
                await conn.execute(select(conversations).where(rows.of_key(conversations, key)))
            ).one_or_none()
            waiting = await conn.scalars(
                select(outbox.c.action).where(rows.of_key(outbox, key)).order_by(outbox.c.id)
            )
            messages = [json.loads(action) for action in waiting]
        return rows.export(key, conv, await self.answers_log(key), messages)

    async def hold_sender_lease(self) -> bool:
        """True while this process may deliver the outbox (always, on SQLite)."""
        return True if self._sqlite else await self._lease.hold()

    async def close(self) -> None:
        """Give back the sender lease and close all connections."""
        await self._lease.release()
        await self._engine.dispose()
