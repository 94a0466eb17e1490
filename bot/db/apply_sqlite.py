"""The SQLite hot path: one event applied with plain sqlite3 statements inside a batch.

Same effect as `bot.db.apply.apply_event` (which PostgreSQL uses), written against the DB-API
cursor because building and compiling SQLAlchemy statements cost four times the work of
running them; values pass through the tables' own SQLAlchemy bind processors, so what is
stored is exactly what the Core path stores and reads back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import sqlite

from bot.db import rows
from bot.db.apply import Step, session_of
from bot.db.engine import StoreError
from bot.db.models import answers, conversations, outbox, processed_events
from bot.framework.events import Inbound

_DIALECT = sqlite.dialect()

_SELECT = "SELECT id, state, version FROM conversations WHERE channel = ? AND chat_id = ?"
_UPDATE = (
    "UPDATE conversations SET state = ?, version = ?, active = 1, updated_at = ? "
    "WHERE id = ? AND version = ?"
)
_ERASE = (
    "DELETE FROM answers WHERE channel = ? AND chat_id = ?",
    "DELETE FROM outbox WHERE channel = ? AND chat_id = ?",
)


SqliteJob = Callable[[sqlite3.Cursor], object]
"""One piece of writing for the batch thread: applying an event, or forgetting delivered rows."""


def apply_batch_sqlite(
    connection: sqlite3.Connection, jobs: Sequence[SqliteJob]
) -> list[object | BaseException]:
    """Every job inside the caller's open transaction, each in its own savepoint."""
    cursor = connection.cursor()
    outcomes: list[object | BaseException] = []
    for job in jobs:
        cursor.execute("SAVEPOINT job")
        try:
            outcomes.append(job(cursor))
        except Exception as error:
            cursor.execute("ROLLBACK TO SAVEPOINT job")
            outcomes.append(error)
        cursor.execute("RELEASE SAVEPOINT job")
    cursor.close()
    return outcomes


def event_job(inbound: Inbound, step: Step) -> SqliteJob:
    """The job that applies one event (see `bot.db.apply.apply_event`)."""
    return lambda cursor: apply_event_sqlite(cursor, inbound, step)


def forget_delivered_job(ids: Sequence[int]) -> SqliteJob:
    """The job that deletes delivered outbox rows."""

    def forget(cursor: sqlite3.Cursor) -> None:
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            cursor.execute(f"DELETE FROM outbox WHERE id IN ({','.join('?' * len(chunk))})", chunk)

    return forget


def apply_event_sqlite(cursor: sqlite3.Cursor, inbound: Inbound, step: Step) -> list[int] | None:
    """Apply one event; the outbox ids written, or None when the event id was seen before."""
    key, now = inbound.key, datetime.now(UTC)
    conv = _conversation(cursor, key.channel, key.chat_id, now)
    claim = _insert(processed_events, ignore=True)
    cursor.execute(
        claim[0],
        claim[1]({"channel": key.channel, "event_id": inbound.event_id, "processed_at": now}),
    )
    if cursor.rowcount != 1:
        return None
    sprint = step(session_of(key, conv[1]))
    state = rows.dumps(sprint.session.to_json()) if sprint.session is not None else None
    cursor.execute(_UPDATE, (state, conv[2] + 1, _stamp(now), conv[0], conv[2]))
    if cursor.rowcount != 1:
        raise StoreError(f"conversation {key.channel} changed under its lock")
    if sprint.session is None:
        for statement in _ERASE:
            cursor.execute(statement, (key.channel, key.chat_id))
    if sprint.answers:
        sql, params = _insert(answers)
        cursor.executemany(
            sql, [params(row) for row in rows.answer_rows(key, sprint.answers, inbound.event_id)]
        )
    return _enqueue(cursor, rows.outbox_rows(key, sprint.actions, now))


def _conversation(
    cursor: sqlite3.Cursor, channel: str, chat_id: str, now: datetime
) -> tuple[int, str | None, int]:
    found = cursor.execute(_SELECT, (channel, chat_id)).fetchone()
    if found is None:
        sql, params = _insert(conversations, ignore=True)
        cursor.execute(
            sql,
            params(
                {
                    "channel": channel,
                    "chat_id": chat_id,
                    "created_at": now,
                    "updated_at": now,
                    "version": 0,
                    "active": True,
                }
            ),
        )
        found = cursor.execute(_SELECT, (channel, chat_id)).fetchone()
    return int(found[0]), found[1], int(found[2])


def _enqueue(cursor: sqlite3.Cursor, outbox_rows: list[dict[str, Any]]) -> list[int]:
    sql, params = _insert(outbox)
    ids = []
    for row in outbox_rows:
        cursor.execute(sql, params({**row, "attempts": 0}))
        ids.append(int(cursor.lastrowid or 0))
    return ids


def _stamp(moment: datetime) -> Any:
    return _processors(conversations)["updated_at"](moment)


@cache
def _insert(
    table: Table, ignore: bool = False
) -> tuple[str, Callable[[dict[str, Any]], tuple[Any, ...]]]:
    """`INSERT` SQL for the table's non-id columns and a dict → bound-tuple converter."""
    names = [column.name for column in table.columns if column.name != "id"]
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    sql = f"{verb} INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    convert = _processors(table)

    def params(values: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(convert[name](values.get(name)) for name in names)

    return sql, params


@cache
def _processors(table: Table) -> dict[str, Callable[[Any], Any]]:
    found: dict[str, Callable[[Any], Any]] = {}
    for column in table.columns:
        processor = column.type.bind_processor(_DIALECT)
        found[column.name] = processor or _same
    return found


def _same(value: Any) -> Any:
    return value
