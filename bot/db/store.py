"""The SQL store: one transaction per event (state, answers log, outbox, dedupe key)."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Row, delete, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.db import housekeeping, rows
from bot.db.apply import Step, session_of
from bot.db.apply_core import apply_event_core
from bot.db.apply_sqlite import EventJob, SqliteJob, event_job, forget_delivered_job
from bot.db.engine import (
    BEGIN_OPTION,
    StoreError,
    check_sqlite_path,
    create_engine,
    describe,
    parse_url,
)
from bot.db.group_commit import GroupCommit
from bot.db.locks import KeyLocks, SenderLease
from bot.db.migrate import upgrade
from bot.db.models import conversations, outbox
from bot.db.sqlite_writer import SqliteWriter
from bot.framework.actions import Action, DataErased
from bot.framework.codec import action_from_json
from bot.framework.engine_types import AnswerRecord
from bot.framework.events import Inbound
from bot.framework.session import Session, SessionKey

__all__ = ["DueWindow", "OutboxItem", "SqlStore", "Step", "StoreError", "open_store"]


log = logging.getLogger(__name__)

_DELETE_CHUNK = 500
_HEADS_PER_QUERY = 100  # SQLite allows 500 terms in one UNION ALL


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One action waiting to be delivered."""

    id: int
    key: SessionKey
    action: Action
    attempts: int


@dataclass(frozen=True, slots=True)
class DueWindow:
    """What `SqlStore.due` found: rows, and the last chat looked at (None: the end was reached)."""

    items: list[OutboxItem]
    last: SessionKey | None
    chats: tuple[SessionKey, ...] = ()
    """Every chat looked at (those with rows, in key order)."""
    complete: frozenset[SessionKey] = frozenset()
    """The chats whose every row is in `items` (none held, fewer than `per_chat`)."""


Handoff = Callable[[list[OutboxItem]], None]
"""Takes the outbox rows of a batch just committed, in id order (the sender's `offer`)."""


def _item(row: Any) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        key=SessionKey(row.channel, row.chat_id),
        action=action_from_json(json.loads(row.action)),
        attempts=row.attempts,
    )


async def _park(conn: AsyncConnection, key: SessionKey) -> None:
    last = await conn.scalar(rows.last_erasure(key))
    for statement in rows.park_statements(key, last):
        await conn.execute(statement)


def _now() -> datetime:
    return datetime.now(UTC)


async def open_store(url: str, event_key: bytes = b"", *, group_commit: bool = True) -> SqlStore:
    """Connect, migrate to the newest schema and check the connection.

    `event_key` keys the hash under which applied event ids are kept (see SqlStore);
    `group_commit` is for SQLite (see `SqlStore`); PostgreSQL always applies one by one.

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
    return SqlStore(engine, event_key, group_commit=group_commit)


class SqlStore:
    """Conversations, the answers log and the outbox in SQLite or PostgreSQL.

    One conversation's events are applied one at a time, in arrival order: a FIFO lock per key
    in this process, plus `SELECT ... FOR UPDATE` on the conversation row (PostgreSQL) or
    `BEGIN IMMEDIATE` behind one in-process writer lock (SQLite).

    On SQLite with `group_commit` (the default) events that arrive together share one
    transaction, run as plain sqlite3 calls; without it, each event has its own SQLAlchemy
    transaction, as on PostgreSQL. Both apply the same algorithm (bot.db.apply).

    Event ids are kept only as a hash keyed with `event_key` (rows.dedupe_key): some begin
    with a chat id, and the key must stay the same across restarts for deduplication.
    """

    def __init__(
        self, engine: AsyncEngine, event_key: bytes = b"", *, group_commit: bool = True
    ) -> None:
        self._engine = engine
        self._event_key = event_key
        self._dialect = engine.dialect.name
        self._sqlite = self._dialect == "sqlite"
        self._grouped = self._sqlite and group_commit
        self._writer = engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        self._write_lock = asyncio.Lock()
        self._key_locks = KeyLocks()
        self._lease = SenderLease(engine)
        self._group: GroupCommit[SqliteJob, object] = GroupCommit(self._apply_batch)
        self._sync_writer = SqliteWriter(engine.url.database or "") if self._grouped else None
        self._handoff: Handoff | None = None

    def hand_over(self, receive: Handoff) -> bool:
        """Give `receive` every outbox row the store writes, right after its commit, if we can.

        True on SQLite with group commit: `receive` is called in the event loop before the
        next write (and so before any delete of those rows) can begin, for an event's rows
        and the retention pass's alike. False elsewhere: the sender then reads every row from
        the database.
        """
        if not self._grouped:
            return False
        self._handoff = receive
        return True

    @property
    def engine(self) -> AsyncEngine:
        """The database engine, for repositories that keep their tables in the same database."""
        return self._engine

    @asynccontextmanager
    async def _write(
        self, new_rows: list[OutboxItem] | None = None
    ) -> AsyncIterator[AsyncConnection]:
        """A write transaction; the outbox rows the caller adds to `new_rows` are handed over."""
        if self._sqlite:
            # SQLite has one writer at a time anyway; queueing here avoids busy-wait sleeps.
            async with self._write_lock:
                async with self._writer.begin() as conn:
                    yield conn
                self._offer(new_rows or [])  # committed, and no other write has begun
        else:
            async with self._engine.begin() as conn:
                yield conn

    async def process(self, inbound: Inbound, step: Step) -> list[int] | None:
        """Apply one event in one transaction; None if its event_id was applied before.

        On SQLite the events that arrive together share one transaction (group commit),
        each in its own savepoint. Returns the ids of the new outbox rows, in order.
        """
        stored_id = rows.dedupe_key(self._event_key, inbound.key.channel, inbound.event_id)
        inbound = replace(inbound, event_id=stored_id)
        async with self._key_locks.hold(inbound.key):
            if self._grouped:
                outcome = await self._group.submit(event_job(inbound, step))
                return cast(list[int] | None, outcome)
            async with self._write() as conn:
                return await conn.run_sync(apply_event_core, inbound, step)

    async def _apply_batch(self, jobs: Sequence[SqliteJob]) -> list[object | BaseException]:
        assert self._sync_writer is not None  # only SQLite batches
        async with self._write_lock:
            results = await self._sync_writer.run(jobs)
            if self._handoff is not None:
                self._hand_over(jobs, results)
            return results

    def _hand_over(self, jobs: Sequence[SqliteJob], results: list[object | BaseException]) -> None:
        """The committed batch's new outbox rows to the sender (still under the write lock)."""
        self._offer(
            [
                OutboxItem(row_id, job.inbound.key, action, 0)
                for job, result in zip(jobs, results, strict=True)
                if isinstance(job, EventJob) and isinstance(result, list)
                for row_id, action in zip(result, job.actions, strict=True)
            ]
        )

    def _offer(self, items: list[OutboxItem]) -> None:
        """Committed outbox rows to the sender, if it takes them (called under the write lock)."""
        if not items or self._handoff is None:
            return
        try:
            self._handoff(items)
        except Exception:  # the rows are committed: they are read back instead
            log.exception("store: handing %d outbox rows to the sender failed", len(items))

    async def load(self, key: SessionKey) -> Session | None:
        """The stored session, or None for an unknown or erased person."""
        async with self._engine.connect() as conn:
            query = rows.conversation_select(rows.of_key(conversations, key), for_update=False)
            conv = (await conn.execute(query)).first()
        return session_of(key, conv.state if conv is not None else None)

    async def due(
        self,
        channel: str | None = None,
        after: SessionKey | None = None,
        *,
        chats: int = 50,
        per_chat: int = 20,
    ) -> DueWindow:
        """The due rows at the head of the next `chats` chats after `after`, in id order.

        Each chat gives at most `per_chat` rows and stops at its first postponed row. Two
        bounded queries, however long one chat's backlog: a walk over the chats, then one
        index range per chat. `DueWindow.last` is where the next call goes on from.
        """
        now = _now()
        async with self._engine.connect() as conn:
            found = await conn.execute(rows.chats_with_rows(channel, after, chats))
            keys = [SessionKey(row.channel, row.chat_id) for row in found]
            heads: list[Any] = []
            for start in range(0, len(keys), _HEADS_PER_QUERY):
                chunk = keys[start : start + _HEADS_PER_QUERY]
                heads.extend(await conn.execute(rows.chat_heads(chunk, per_chat)))
        due = rows.due_heads(heads, now)
        items = [_item(row) for row in due]
        return DueWindow(
            items,
            keys[-1] if len(keys) == chats else None,
            tuple(keys),
            rows.complete_chats(heads, due, per_chat),
        )

    async def due_of(self, keys: Sequence[SessionKey], *, per_chat: int = 20) -> list[OutboxItem]:
        """The due rows at the head of these chats only (a worker's own web-chat sockets)."""
        heads: list[Any] = []
        async with self._engine.connect() as conn:
            for start in range(0, len(keys), _HEADS_PER_QUERY):
                chunk = keys[start : start + _HEADS_PER_QUERY]
                heads.extend(await conn.execute(rows.chat_heads(chunk, per_chat)))
        return [_item(row) for row in rows.due_heads(heads, _now())]

    async def due_erasures(self, channel: str, *, limit: int = 50) -> list[OutboxItem]:
        """Due erasures at the head of their chats on `channel`, oldest first.

        An erasure needs nobody connected: with several workers, the sender holding the
        lease runs these for the web chat, whose other rows each worker sends to its own tabs.
        """
        async with self._engine.connect() as conn:
            found = await conn.execute(rows.erasure_heads(channel, _now(), limit))
        return [_item(row) for row in found]

    async def pending(self, limit: int = 500, channel: str | None = None) -> list[OutboxItem]:
        """Due rows of the first 500 chats, oldest first; a chat stops at its first held row."""
        window = await self.due(channel, chats=500, per_chat=limit)
        return window.items[:limit]

    async def delivered(self, ids: Sequence[int]) -> None:
        """Forget delivered rows (ids that are already gone are ignored)."""
        ordered = sorted(set(ids))
        if not ordered:
            return
        if self._grouped:  # in the group commit: no second writer, no second fsync
            await self._group.submit(forget_delivered_job(ordered))
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

    async def park(self, key: SessionKey) -> None:
        """Hold the rows of a chat whose person is not connected, without counting a try.

        An erasure does not wait for them: what waits before the chat's last erasure is
        dropped (a goodbye nobody can see), and its erasures stay due for the sender to run.
        """
        async with self._write() as conn:
            await _park(conn, key)

    async def unpark(self, key: SessionKey) -> None:
        """The person is back: their parked rows are due again, in order."""
        async with self._write() as conn:
            await conn.execute(
                update(outbox)
                .where(rows.of_key(outbox, key), outbox.c.not_before == rows.PARKED)
                .values(not_before=None)
            )

    async def set_aside(self, item_id: int, error: str) -> None:
        """Move a row that keeps failing to `dead_letters`; its chat's later rows go on."""
        async with self._write() as conn:
            await conn.execute(housekeeping.bury(item_id, error, _now()))
            await conn.execute(delete(outbox).where(outbox.c.id == item_id))

    async def dead_letters(self) -> list[Row[Any]]:
        """Rows set aside, counted per channel and error (channel, error, failures, last)."""
        async with self._engine.connect() as conn:
            return list(await conn.execute(housekeeping.dead_letter_summary()))

    async def erase(self, key: SessionKey, erasure: DataErased) -> None:
        """Carry out `erasure` here: the erased conversation's row, and the rows up to its own.

        The outbox and dead-letter rows up to `erasure`'s row go; rows written after it (the
        person started again) stay. On SQLite the write-ahead log is then checkpointed and
        truncated (deleted pages are zeroed by `secure_delete`), so the files keep no copy of
        what was deleted.
        """
        async with self._key_locks.hold(key), self._write() as conn:
            for statement in housekeeping.erased_key_statements(key, erasure):
                await conn.execute(statement)
        await self.checkpoint()

    async def prune(self, now: datetime) -> None:
        """Forget event keys past retention and conversations that never consented.

        An erasure still to run is never dropped; one left parked behind a goodbye (by a
        version before parking let erasures go on) is made due as `park` does now.
        """
        async with self._write() as conn:
            stuck = await conn.execute(housekeeping.parked_erasures())
            for row in list(stuck):
                await _park(conn, SessionKey(row.channel, row.chat_id))
            for statement in housekeeping.prune_statements(now):
                await conn.execute(statement)

    async def expire(self, cutoff: datetime, now: datetime) -> list[SessionKey]:
        """Erase conversations untouched since `cutoff` like /delete (their badges stay valid).

        One transaction: their state goes, what waited for them is dropped, and a DataErased
        row is queued for the sender's erasure parts (handed over like an event's rows). On
        PostgreSQL a conversation applying an event meanwhile is locked and, once updated, no
        longer matches.
        """
        queued: list[OutboxItem] = []
        async with self._write(queued) as conn:
            found = await conn.execute(housekeeping.expire_statement(cutoff, now))
            keys = [SessionKey(row.channel, row.chat_id) for row in found]
            if keys:
                dropped, queue = housekeeping.retention_erase_statements(keys, now)
                await conn.execute(dropped)
                erasure = housekeeping.retention_erasure(now)
                queued += [
                    OutboxItem(row.id, SessionKey(row.channel, row.chat_id), erasure, 0)
                    for row in sorted(await conn.execute(queue), key=lambda row: int(row.id))
                ]
        return keys

    async def checkpoint(self) -> None:
        """SQLite: copy the write-ahead log into the file and truncate it (no-op elsewhere)."""
        if self._sync_writer is None:
            return
        async with self._write_lock:
            await self._sync_writer.checkpoint()

    async def mark_unreachable(self, key: SessionKey) -> None:
        """The person blocked the bot: mark the conversation inactive, drop what waits for it.

        An erasure still to run is kept: it needs no reply to be shown.
        """
        async with self._key_locks.hold(key), self._write() as conn:
            await conn.execute(
                update(conversations)
                .where(rows.of_key(conversations, key))
                .values(active=False, updated_at=_now())
            )
            await conn.execute(rows.delete_waiting(rows.of_key(outbox, key)))

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
        if self._sync_writer is not None:
            await self._sync_writer.close()
