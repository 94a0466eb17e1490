"""Statements and row conversions shared by the store (kept apart to keep store.py small)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Delete, Row, Select, and_, delete, exists, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert

from bot.db.models import answers, conversations, outbox
from bot.framework.actions import Action
from bot.framework.codec import action_to_json
from bot.framework.engine_types import AnswerRecord
from bot.framework.session import Answer, SessionKey


def dumps(value: Any) -> str:
    """Compact JSON text, non-ASCII kept as is (orjson: state is written on every event)."""
    return orjson.dumps(value).decode()


def dedupe_key(secret: bytes, channel: str, event_id: str) -> str:
    """The stored form of an event id: a keyed hash (64 hex digits), so it names nobody.

    Event ids can begin with a chat id (web chat); the store keeps only this hash in
    `processed_events` and `answers.event_id`.
    """
    return hmac.new(secret, f"{channel}\0{event_id}".encode(), hashlib.sha256).hexdigest()


def insert_ignoring_conflicts(dialect: str, table: Any) -> Insert:
    """`INSERT ... ON CONFLICT DO NOTHING` for PostgreSQL or SQLite."""
    if dialect == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def of_key(table: Any, key: SessionKey) -> Any:
    """The WHERE clause selecting one conversation's rows of `table`."""
    return and_(table.c.channel == key.channel, table.c.chat_id == key.chat_id)


def conversation_select(key: SessionKey, *, for_update: bool) -> Select[Any]:
    """Id, state and version of a conversation, row-locked on PostgreSQL if asked."""
    query = select(conversations.c.id, conversations.c.state, conversations.c.version)
    query = query.where(of_key(conversations, key))
    return query.with_for_update() if for_update else query


def delete_outbox(where: Any) -> Delete:
    """Delete outbox rows, locking them in id order first (no deadlock between deleters)."""
    ids = select(outbox.c.id).where(where).order_by(outbox.c.id).with_for_update()
    return delete(outbox).where(outbox.c.id.in_(ids))


def due_outbox(now: datetime, limit: int, channel: str | None) -> Select[Any]:
    """Due rows, oldest first, skipping any chat whose earlier row is postponed."""
    later = outbox.alias("earlier")
    blocked = exists().where(
        later.c.channel == outbox.c.channel,
        later.c.chat_id == outbox.c.chat_id,
        later.c.id < outbox.c.id,
        later.c.not_before > now,
    )
    query = select(
        outbox.c.id, outbox.c.channel, outbox.c.chat_id, outbox.c.action, outbox.c.attempts
    ).where(or_(outbox.c.not_before.is_(None), outbox.c.not_before <= now), ~blocked)
    if channel is not None:
        query = query.where(outbox.c.channel == channel)
    return query.order_by(outbox.c.id).limit(limit)


def answer_rows(
    key: SessionKey, records: Sequence[AnswerRecord], event_id: str
) -> list[dict[str, Any]]:
    """Parameter sets for inserting answers-log lines."""
    return [
        {
            "channel": key.channel,
            "chat_id": key.chat_id,
            "category": record.category,
            "question_id": record.answer.question_id,
            "option_key": record.answer.option_key,
            "level": record.answer.level,
            "position": record.answer.position,
            "shown_order": dumps(list(record.answer.shown_order)),
            "elapsed_ms": record.answer.elapsed_ms,
            "answered_at": record.answer.answered_at,
            "event_id": event_id,
        }
        for record in records
    ]


def outbox_rows(key: SessionKey, actions: Sequence[Action], now: datetime) -> list[dict[str, Any]]:
    """Parameter sets for inserting outbox rows."""
    return [
        {
            "channel": key.channel,
            "chat_id": key.chat_id,
            "action": dumps(action_to_json(action)),
            "created_at": now,
        }
        for action in actions
    ]


def answer_select(key: SessionKey) -> Select[Any]:
    """A conversation's answers log in the order it was written."""
    return select(answers).where(of_key(answers, key)).order_by(answers.c.id)


def answer_record(row: Row[Any]) -> AnswerRecord:
    """An answers-log row as the engine's record."""
    answer = Answer(
        question_id=row.question_id,
        option_key=row.option_key,
        level=row.level,
        position=row.position,
        shown_order=tuple(json.loads(row.shown_order)),
        elapsed_ms=row.elapsed_ms,
        answered_at=row.answered_at,
    )
    return AnswerRecord(row.category, answer)


def export(
    key: SessionKey, conv: Row[Any] | None, log: Sequence[AnswerRecord], messages: list[Any]
) -> dict[str, Any]:
    """Everything stored about one person as JSON-safe data (for a data-export request)."""
    return {
        "channel": key.channel,
        "chat_id": key.chat_id,
        "state": json.loads(conv.state) if conv is not None and conv.state else None,
        "version": conv.version if conv is not None else 0,
        "active": conv.active if conv is not None else None,
        "created_at": conv.created_at.isoformat() if conv is not None else None,
        "updated_at": conv.updated_at.isoformat() if conv is not None else None,
        "answers": [{"category": r.category, **r.answer.to_json()} for r in log],
        "pending_messages": messages,
    }
