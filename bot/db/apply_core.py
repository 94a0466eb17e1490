"""The applier's transaction in SQLAlchemy Core: PostgreSQL, and SQLite outside batches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Insert, Select

from bot.db.apply import Statement, Step, Values, apply_event
from bot.framework.events import Inbound


class CoreTransaction:
    """Runs the applier's statements on a synchronous SQLAlchemy connection in a transaction."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @property
    def dialect(self) -> str:
        """The connection's dialect name."""
        return self._conn.dialect.name

    def execute(self, statement: Statement, values: Values) -> int:
        """Run a statement once; the number of rows it changed."""
        changed: int = self._conn.execute(statement, values).rowcount
        return changed

    def first(self, statement: Select[Any], values: Values) -> Sequence[Any] | None:
        """The first row the query finds, or None."""
        return self._conn.execute(statement, values).first()

    def execute_many(self, statement: Statement, many: Sequence[Values]) -> None:
        """Run a statement once per set of values (one executemany)."""
        self._conn.execute(statement, list(many))

    def insert_ids(self, statement: Insert, many: Sequence[Values]) -> list[int]:
        """Insert the rows in one statement; RETURNING gives their ids in parameter order."""
        table_id = statement.table.c.id
        returning = statement.returning(table_id, sort_by_parameter_order=True)
        result = self._conn.execute(returning, list(many))
        return [int(row_id) for row_id in result.scalars()]


def apply_event_core(conn: Connection, inbound: Inbound, step: Step) -> list[int] | None:
    """`apply_event` on a Core connection (for `AsyncConnection.run_sync`)."""
    return apply_event(CoreTransaction(conn), inbound, step)
