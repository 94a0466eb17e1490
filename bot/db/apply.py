"""Applying one event inside an open transaction: the algorithm, written once over a port.

`Transaction` is the port: four ways to run one of the statements in bot.db.statements.
`CoreTransaction` (bot.db.apply_core) runs them through SQLAlchemy, on PostgreSQL or SQLite;
`SqliteTransaction` (bot.db.apply_sqlite) runs their compiled SQL on a sqlite3 cursor, for
the group-commit batches.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

import orjson
from sqlalchemy import Delete, Insert, Select, Update

from bot.db import rows
from bot.db.engine import StoreError
from bot.db.statements import Statements, chat_values, statements
from bot.framework.engine_types import Sprint
from bot.framework.events import Inbound
from bot.framework.session import Session, SessionKey

Step = Callable[[Session | None], Sprint]
"""A pure engine step: the stored session (None for a new person) to a Sprint."""

Statement = Insert | Update | Delete | Select[Any]
"""A statement the applier runs (see bot.db.statements)."""

Values = Mapping[str, Any]
"""Bind-parameter values by name (column keys for INSERT and SET)."""


class Transaction(Protocol):
    """An open write transaction that runs the applier's statements."""

    @property
    def dialect(self) -> str:
        """The database's dialect name (`sqlite` or `postgresql`)."""
        ...

    def execute(self, statement: Statement, values: Values) -> int:
        """Run a statement once; the number of rows it changed."""
        ...

    def first(self, statement: Select[Any], values: Values) -> Sequence[Any] | None:
        """The first row the query finds, or None."""
        ...

    def execute_many(self, statement: Statement, many: Sequence[Values]) -> None:
        """Run a statement once per set of values."""
        ...

    def insert_ids(self, statement: Insert, many: Sequence[Values]) -> list[int]:
        """Insert one row per set of values; their new ids, in the same order."""
        ...


def session_of(key: SessionKey, state: str | None) -> Session | None:
    """The stored JSON state as a Session (None for nobody or an erased person)."""
    return Session.from_json(key, orjson.loads(state)) if state else None


def apply_event(tx: Transaction, inbound: Inbound, step: Step) -> list[int] | None:
    """Lock the conversation, claim the event id, run the step, write state, log and outbox.

    Returns:
        The new outbox ids in order, or None when the event id had been applied before.

    Raises:
        StoreError: the conversation's version moved although it was locked.
    """
    sql, key, now = statements(tx.dialect), inbound.key, datetime.now(UTC)
    conv_id, state, version = _lock_conversation(tx, sql, key, now)
    claim = {"channel": key.channel, "event_id": inbound.event_id, "processed_at": now}
    if tx.execute(sql.claim, claim) != 1:
        return None
    sprint = step(session_of(key, state))
    saved = {
        "state": rows.dumps(sprint.session.to_json()) if sprint.session is not None else None,
        "updated_at": now,
        "conv_id": conv_id,
        "expected_version": version,
    }
    if tx.execute(sql.save, saved) != 1:
        raise StoreError(f"conversation {key.channel} changed under its lock")
    if sprint.session is None:
        tx.execute(sql.forget_answers, chat_values(key))
        tx.execute(sql.forget_outbox, chat_values(key))
    if sprint.answers:
        tx.execute_many(sql.log_answers, rows.answer_rows(key, sprint.answers, inbound.event_id))
    if not sprint.actions:
        return []
    return tx.insert_ids(sql.enqueue, rows.outbox_rows(key, sprint.actions, now))


def _lock_conversation(
    tx: Transaction, sql: Statements, key: SessionKey, now: datetime
) -> Sequence[Any]:
    """The conversation's (id, state, version), locked; created first if it is new."""
    found = tx.first(sql.conversation, chat_values(key))
    if found is not None:
        return found
    tx.execute(sql.new_conversation, {**chat_values(key), "created_at": now, "updated_at": now})
    created = tx.first(sql.conversation, chat_values(key))
    assert created is not None  # ours, or a racer's: the insert waited for its commit
    return created
