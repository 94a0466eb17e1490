"""The SQLite hot path: the applier's statements as plain sqlite3 calls inside a batch.

Executing a SQLAlchemy statement costs about four times the work of running its SQL, so
each statement of bot.db.statements is compiled once (per set of given columns) to
SQLite-dialect SQL with positional parameters, and values pass through the columns' own
bind processors: what is stored is exactly what the Core path stores and reads back.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Insert, Select, bindparam, delete
from sqlalchemy.dialects import sqlite

from bot.db.apply import Statement, Step, Values, apply_event
from bot.db.models import outbox
from bot.framework.actions import Action
from bot.framework.engine_types import Sprint
from bot.framework.events import Inbound
from bot.framework.session import Session

_DIALECT = sqlite.dialect()  # pysqlite: the qmark (positional) paramstyle
_Slot = tuple[str | None, Any, Callable[[Any], Any] | None]
"""Per `?`: the value's name (None for a constant), the constant, the bind processor."""

_FORGET = delete(outbox).where(outbox.c.id == bindparam("row_id"))


@dataclass(frozen=True, slots=True)
class _Sql:
    """A statement compiled for sqlite3: its text and how to turn values into its parameters."""

    text: str
    slots: tuple[_Slot, ...]

    def parameters(self, values: Values) -> tuple[Any, ...]:
        """The positional parameters for one set of values."""
        return tuple(
            constant if name is None else process(values[name]) if process else values[name]
            for name, constant, process in self.slots
        )


@cache
def _compiled(statement: Statement, names: tuple[str, ...]) -> _Sql:
    """Compile once per statement and set of value names (INSERT and SET take those columns)."""
    compiled = statement.compile(dialect=_DIALECT, column_keys=list(names))
    if isinstance(statement, Select):  # rows come back raw: only types that need no processing
        for column in statement.selected_columns:
            if column.type.result_processor(_DIALECT, None) is not None:
                raise TypeError(f"{column.name}: a raw sqlite3 row cannot give it back")
    slots: list[_Slot] = []
    for name in compiled.positiontup or ():
        bind = compiled.binds[name]
        process = bind.type.bind_processor(_DIALECT)
        if name in names:
            slots.append((name, None, process))
        elif bind.required:
            raise KeyError(f"{name}: no value given for this parameter")
        else:  # a constant of the statement itself, e.g. the 1 in `version + 1`
            constant = bind.effective_value
            slots.append((None, process(constant) if process else constant, None))
    return _Sql(compiled.string, tuple(slots))


class SqliteTransaction:
    """Runs the applier's statements on a sqlite3 cursor inside an open transaction."""

    dialect = "sqlite"

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    def execute(self, statement: Statement, values: Values) -> int:
        """Run a statement once; the number of rows it changed."""
        sql = _compiled(statement, tuple(values))
        return self._cursor.execute(sql.text, sql.parameters(values)).rowcount

    def first(self, statement: Select[Any], values: Values) -> Sequence[Any] | None:
        """The first row the query finds, or None."""
        sql = _compiled(statement, tuple(values))
        row: tuple[Any, ...] | None = self._cursor.execute(
            sql.text, sql.parameters(values)
        ).fetchone()
        return row

    def execute_many(self, statement: Statement, many: Sequence[Values]) -> None:
        """Run a statement once per set of values (the names of the first set for all)."""
        if many:
            sql = _compiled(statement, tuple(many[0]))
            self._cursor.executemany(sql.text, [sql.parameters(values) for values in many])

    def insert_ids(self, statement: Insert, many: Sequence[Values]) -> list[int]:
        """Insert row by row, each id from `lastrowid`."""
        ids = []
        for values in many:
            sql = _compiled(statement, tuple(values))
            ids.append(int(self._cursor.execute(sql.text, sql.parameters(values)).lastrowid or 0))
        return ids


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


class EventJob:
    """The job that applies one event (see `bot.db.apply.apply_event`).

    It keeps the actions its step produced, so that once the batch is committed the new
    outbox rows can be handed to the sender without reading them back.
    """

    __slots__ = ("actions", "inbound", "step")

    def __init__(self, inbound: Inbound, step: Step) -> None:
        self.inbound, self.step = inbound, step
        self.actions: Sequence[Action] = ()

    def __call__(self, cursor: sqlite3.Cursor) -> list[int] | None:
        """Apply the event inside the open transaction; the new outbox ids (None: a repeat)."""
        return apply_event(SqliteTransaction(cursor), self.inbound, self._step)

    def _step(self, session: Session | None) -> Sprint:
        sprint = self.step(session)
        self.actions = sprint.actions
        return sprint


def event_job(inbound: Inbound, step: Step) -> EventJob:
    """The job that applies one event."""
    return EventJob(inbound, step)


def forget_delivered_job(ids: Sequence[int]) -> SqliteJob:
    """The job that deletes delivered outbox rows."""
    many = [{"row_id": row_id} for row_id in ids]
    return lambda cursor: SqliteTransaction(cursor).execute_many(_FORGET, many)
