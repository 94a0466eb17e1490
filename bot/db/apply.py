"""Applying one event inside an open transaction, in SQLAlchemy Core (the PostgreSQL path).

Synchronous, run through `AsyncConnection.run_sync`; SQLite batches take the equivalent
DB-API path in bot.db.apply_sqlite.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Connection, Row, insert, update

from bot.db import rows
from bot.db.engine import StoreError
from bot.db.models import answers, conversations, outbox, processed_events
from bot.framework.actions import Action
from bot.framework.engine_types import Sprint
from bot.framework.events import Inbound
from bot.framework.session import Session, SessionKey

Step = Callable[[Session | None], Sprint]
"""A pure engine step: the stored session (None for a new person) to a Sprint."""

Job = tuple[Inbound, Step]
Outcome = list[int] | None | BaseException


def session_of(key: SessionKey, state: str | None) -> Session | None:
    """The stored JSON state as a Session (None for nobody or an erased person)."""
    return Session.from_json(key, orjson.loads(state)) if state else None


def apply_event(conn: Connection, inbound: Inbound, step: Step) -> list[int] | None:
    """Lock the conversation, claim the event id, run the step, write state, log and outbox.

    Returns:
        The new outbox ids in order, or None when the event id had been applied before.
    """
    now = datetime.now(UTC)
    dialect = conn.dialect.name
    conv = _lock_conversation(conn, dialect, inbound.key, now)
    if not _claim(conn, dialect, inbound, now):
        return None
    sprint = step(session_of(inbound.key, conv.state))
    _save(conn, inbound.key, conv, sprint.session, now)
    if sprint.answers:
        conn.execute(
            insert(answers), rows.answer_rows(inbound.key, sprint.answers, inbound.event_id)
        )
    return _enqueue(conn, inbound.key, sprint.actions, now)


def _claim(conn: Connection, dialect: str, inbound: Inbound, now: datetime) -> bool:
    claim = rows.insert_ignoring_conflicts(dialect, processed_events).values(
        channel=inbound.key.channel, event_id=inbound.event_id, processed_at=now
    )
    return conn.execute(claim).rowcount == 1


def _lock_conversation(conn: Connection, dialect: str, key: SessionKey, now: datetime) -> Row[Any]:
    query = rows.conversation_select(key, for_update=dialect != "sqlite")
    found: Row[Any] | None = conn.execute(query).one_or_none()
    if found is not None:
        return found
    insert_new = rows.insert_ignoring_conflicts(dialect, conversations)
    conn.execute(
        insert_new.values(channel=key.channel, chat_id=key.chat_id, created_at=now, updated_at=now)
    )
    created: Row[Any] = conn.execute(query).one()
    return created


def _save(
    conn: Connection, key: SessionKey, conv: Row[Any], session: Session | None, now: datetime
) -> None:
    state = rows.dumps(session.to_json()) if session is not None else None
    changed = conn.execute(
        update(conversations)
        .where(conversations.c.id == conv.id, conversations.c.version == conv.version)
        .values(state=state, version=conv.version + 1, active=True, updated_at=now)
    )
    if changed.rowcount != 1:
        raise StoreError(f"conversation {key.channel} changed under its lock")
    if session is None:
        conn.execute(answers.delete().where(rows.of_key(answers, key)))
        conn.execute(rows.delete_outbox(rows.of_key(outbox, key)))


def _enqueue(
    conn: Connection, key: SessionKey, actions: Sequence[Action], now: datetime
) -> list[int]:
    if not actions:
        return []
    query = insert(outbox).returning(outbox.c.id, sort_by_parameter_order=True)
    result = conn.execute(query, rows.outbox_rows(key, actions, now))
    return [int(row_id) for row_id in result.scalars()]
