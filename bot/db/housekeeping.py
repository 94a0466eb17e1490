"""Statements that keep the store small and forgetful: dead letters, erasure, pruning."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Delete,
    Insert,
    Select,
    and_,
    delete,
    func,
    insert,
    literal,
    or_,
    select,
    tuple_,
    update,
)
from sqlalchemy.sql.expression import Update

from bot.db.models import conversations, dead_letters, outbox, processed_events
from bot.db.rows import PARKED, delete_waiting, dumps, is_erasure
from bot.framework.actions import DataErased
from bot.framework.codec import action_to_json
from bot.framework.session import SessionKey

EVENT_RETENTION = timedelta(days=30)
"""How long an applied event's key is kept to drop a redelivery of it."""
UNCONSENTED_RETENTION = timedelta(days=1)
"""How long a conversation that never reached consent is kept (a hello, a language)."""


def _of(table: Any, key: SessionKey) -> Any:
    return and_(table.c.channel == key.channel, table.c.chat_id == key.chat_id)


def bury(item_id: int, error: str, now: datetime) -> Insert:
    """Copy one outbox row into `dead_letters` (the caller then deletes it from the outbox)."""
    o = outbox.c
    rows = select(
        o.id, o.channel, o.chat_id, o.action, o.created_at, o.attempts + 1,
        literal(error[:128]), literal(now, dead_letters.c.failed_at.type),
    ).where(o.id == item_id)  # fmt: skip
    names = ["id", "channel", "chat_id", "action", "created_at", "attempts", "error", "failed_at"]
    return insert(dead_letters).from_select(names, rows)


def dead_letter_summary() -> Select[Any]:
    """Dead letters per channel and error, with the newest failure: nothing about a person."""
    d = dead_letters.c
    return (
        select(
            d.channel, d.error, func.count().label("failures"), func.max(d.failed_at).label("last")
        )
        .group_by(d.channel, d.error)
        .order_by(d.channel, d.error)
    )


def erased_key_statements(key: SessionKey, erasure: DataErased) -> list[Delete]:
    """After /delete: the person's conversation row (still erased), waiting and dead rows.

    Outbox and dead-letter rows (whose ids are outbox ids) go up to and including this
    erasure's own row: every earlier one was delivered or set aside, and anything the person
    started after /delete is kept. When the row is gone (a retry of an erasure that got this
    far), no outbox or dead-letter row is deleted.
    """
    own = outbox.c.action.in_(_stored_forms(erasure))
    marker = select(func.min(outbox.c.id)).where(_of(outbox, key), own).scalar_subquery()
    return [
        delete(outbox).where(_of(outbox, key), outbox.c.id <= marker),
        delete(dead_letters).where(_of(dead_letters, key), dead_letters.c.id <= marker),
        delete(conversations).where(_of(conversations, key), conversations.c.state.is_(None)),
    ]


def parked_erasures() -> Select[Any]:
    """The chats (channel, chat_id) with a parked erasure row."""
    return (
        select(outbox.c.channel, outbox.c.chat_id)
        .where(is_erasure(), outbox.c.not_before == PARKED)
        .distinct()
    )


def prune_statements(now: datetime) -> list[Delete]:
    """Event keys past their retention; conversations that never consented, and their rows.

    An erasure row is kept: a /delete's or the retention pass's erasure is run, never
    dropped, however long it waited (the rows before it go, so nothing holds it up).
    """
    stale = and_(
        conversations.c.updated_at < now - UNCONSENTED_RETENTION,
        or_(conversations.c.state.is_(None), ~conversations.c.state.contains('"consent":true')),
    )
    unconsented = select(conversations.c.channel, conversations.c.chat_id).where(stale)
    return [
        delete(processed_events).where(processed_events.c.processed_at < now - EVENT_RETENTION),
        delete_waiting(tuple_(outbox.c.channel, outbox.c.chat_id).in_(unconsented)),
        delete(conversations).where(stale),
    ]


def expire_statement(cutoff: datetime, now: datetime) -> Update:
    """Erase the state of conversations untouched since `cutoff`; RETURNING their keys."""
    c = conversations.c
    return (
        update(conversations)
        .where(c.updated_at < cutoff, c.state.is_not(None))
        .values(state=None, updated_at=now, version=c.version + 1)
        .returning(c.channel, c.chat_id)
    )


def retention_erase_statements(keys: list[SessionKey], now: datetime) -> tuple[Delete, Insert]:
    """For keys just expired: drop what waited for them, queue the erasure (badges kept).

    The insert returns the new rows' (id, channel, chat_id), for the sender.
    """
    erase = dumps(action_to_json(retention_erasure(now)))
    found = tuple_(outbox.c.channel, outbox.c.chat_id).in_([(k.channel, k.chat_id) for k in keys])
    rows = [
        {"channel": k.channel, "chat_id": k.chat_id, "action": erase, "created_at": now}
        for k in keys
    ]
    queued = insert(outbox).values(rows).returning(outbox.c.id, outbox.c.channel, outbox.c.chat_id)
    return delete_waiting(found), queued


def retention_erasure(now: datetime) -> DataErased:
    """The erasure the retention pass at `now` queues: badges stay valid."""
    return DataErased(revoke_badges=False, at=now)


def _stored_forms(erasure: DataErased) -> list[str]:
    """The texts this erasure's row can hold (older rows lack `at`, the oldest all fields)."""
    forms = [dumps(action_to_json(erasure))]
    if erasure.at is None:
        forms.append(dumps({"type": "data_erased", "revoke_badges": erasure.revoke_badges}))
        if erasure.revoke_badges:
            forms.append(dumps({"type": "data_erased"}))
    return forms
