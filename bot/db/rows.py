"""Statements and row conversions shared by the store (kept apart to keep store.py small)."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, cast

import orjson
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Delete,
    Row,
    Select,
    TextClause,
    Update,
    and_,
    delete,
    exists,
    func,
    or_,
    select,
    text,
    union_all,
    update,
)
from sqlalchemy.dialects import sqlite
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
        from sqlalchemy.dialects import postgresql  # loaded on PostgreSQL only (2 MB)

        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def of_key(table: Any, key: SessionKey) -> Any:
    """The WHERE clause selecting one conversation's rows of `table`."""
    return and_(table.c.channel == key.channel, table.c.chat_id == key.chat_id)


def conversation_select(where: ColumnElement[bool], *, for_update: bool) -> Select[Any]:
    """Id, state and version of the conversation `where` picks, row-locked if asked."""
    query = select(conversations.c.id, conversations.c.state, conversations.c.version)
    query = query.where(where)
    return query.with_for_update() if for_update else query


ERASURE_PREFIX = '{"type":"data_erased"'
"""How every stored DataErased row begins (the codec writes `type` first)."""

PARKED = datetime(9999, 12, 31, tzinfo=UTC)
"""`not_before` of a parked row: never due by time, only by `unpark` (no schema change)."""


def is_erasure(table: Any = outbox) -> ColumnElement[bool]:
    """The outbox rows (of `table`, the outbox or an alias of it) that hold a DataErased."""
    return cast(ColumnElement[bool], table.c.action.startswith(ERASURE_PREFIX, autoescape=True))


def delete_outbox(where: Any) -> Delete:
    """Delete outbox rows, locking them in id order first (no deadlock between deleters)."""
    ids = select(outbox.c.id).where(where).order_by(outbox.c.id).with_for_update()
    return delete(outbox).where(outbox.c.id.in_(ids))


def delete_waiting(where: Any) -> Delete:
    """Drop the rows `where` picks that wait to be shown; an erasure is never dropped, only run.

    Forgetting what waits for a person (a new /delete, a blocked bot, retention) must not
    drop an erasure still to be carried out, or its other parts (cases, badges) would stay.
    """
    return delete_outbox(and_(where, ~is_erasure()))


def park_statements(key: SessionKey, last_erasure: int | None) -> list[Delete | Update]:
    """Hold a chat's rows for a person who is not connected; an erasure does not wait.

    With an erasure waiting (`last_erasure`, the id of the chat's last), what waits before it
    is dropped (nobody can see it now, and the erasure deletes it anyway), the erasures stay
    due, and only the rows after it are held.
    """
    chat = of_key(outbox, key)
    if last_erasure is None:
        return [update(outbox).where(chat).values(not_before=PARKED)]
    before = and_(chat, outbox.c.id < last_erasure)
    return [
        delete_outbox(and_(before, ~is_erasure())),
        update(outbox)
        .where(chat, outbox.c.id <= last_erasure, outbox.c.not_before == PARKED)
        .values(not_before=None),
        update(outbox).where(chat, outbox.c.id > last_erasure).values(not_before=PARKED),
    ]


def last_erasure(key: SessionKey) -> Select[Any]:
    """The id of the chat's last erasure row (None when it has none)."""
    return select(func.max(outbox.c.id)).where(of_key(outbox, key), is_erasure())


# A loose index scan: each step seeks the next chat in ix_outbox_channel_chat_id_id, so the
# cost grows with the number of chats asked for, never with the rows waiting for them.
_NEXT_CHATS = """
WITH RECURSIVE chats(n, channel, chat_id) AS (
    SELECT 0, CAST(:channel AS TEXT), CAST(:chat_id AS TEXT)
  UNION ALL
    SELECT n + 1,
      CAST((SELECT o.channel FROM outbox o WHERE {after} ORDER BY o.channel, o.chat_id LIMIT 1)
        AS TEXT),
      CAST((SELECT o.chat_id FROM outbox o WHERE {after} ORDER BY o.channel, o.chat_id LIMIT 1)
        AS TEXT)
    FROM chats WHERE chats.channel IS NOT NULL AND n < :chats
)
SELECT channel, chat_id FROM chats WHERE n > 0 AND channel IS NOT NULL ORDER BY n
"""
_AFTER = "(o.channel, o.chat_id) > (chats.channel, chats.chat_id)"


def chats_with_rows(channel: str | None, after: SessionKey | None, chats: int) -> TextClause:
    """The next `chats` chats that have outbox rows, in key order, after the chat `after`."""
    # SQLite seeks on `channel = ? AND chat_id > ?` or on the row value, not on both at once.
    where = _AFTER if channel is None else "o.channel = :channel AND o.chat_id > chats.chat_id"
    start = after or SessionKey(channel or "", "")
    return text(_NEXT_CHATS.format(after=where)).bindparams(
        channel=start.channel, chat_id=start.chat_id, chats=chats
    )


def chat_heads(keys: Sequence[SessionKey], per_chat: int) -> Select[Any] | CompoundSelect[Any]:
    """The first `per_chat` rows of each chat (one index range each), in no particular order."""
    heads = [
        select(
            outbox.c.id,
            outbox.c.channel,
            outbox.c.chat_id,
            outbox.c.action,
            outbox.c.attempts,
            outbox.c.not_before,
        )
        .where(of_key(outbox, key))
        .order_by(outbox.c.id)
        .limit(per_chat)
        .subquery()
        for key in keys
    ]
    parts = [select(head) for head in heads]
    return parts[0] if len(parts) == 1 else union_all(*parts)


def erasure_heads(channel: str, now: datetime, limit: int) -> Select[Any]:
    """Due erasure rows of `channel` with only due erasures before them in their chat, by id."""
    head, before = outbox.alias("head"), outbox.alias("before")
    blocking = select(before.c.id).where(
        before.c.channel == head.c.channel,
        before.c.chat_id == head.c.chat_id,
        before.c.id < head.c.id,
        or_(~is_erasure(before), ~_due(before, now)),
    )
    return (
        select(head.c.id, head.c.channel, head.c.chat_id, head.c.action, head.c.attempts)
        .where(head.c.channel == channel, is_erasure(head), _due(head, now), ~exists(blocking))
        .order_by(head.c.id)
        .limit(limit)
    )


def _due(table: Any, now: datetime) -> ColumnElement[bool]:
    return or_(table.c.not_before.is_(None), table.c.not_before <= now)


def due_heads(found: Sequence[Row[Any]], now: datetime) -> list[Row[Any]]:
    """Rows in id order, each chat's stopping at its first row postponed beyond `now`."""
    held: set[tuple[str, str]] = set()
    due: list[Row[Any]] = []
    for row in sorted(found, key=lambda row: int(row.id)):
        chat = (row.channel, row.chat_id)
        if chat in held or (row.not_before is not None and row.not_before > now):
            held.add(chat)
        else:
            due.append(row)
    return due


def complete_chats(
    found: Sequence[Row[Any]], due: Sequence[Row[Any]], per_chat: int
) -> frozenset[SessionKey]:
    """The chats all of whose rows `found` holds (fewer than `per_chat`) and `due` keeps."""
    counts: dict[tuple[str, str], int] = {}
    for row in found:
        counts[row.channel, row.chat_id] = counts.get((row.channel, row.chat_id), 0) + 1
    kept: dict[tuple[str, str], int] = {}
    for row in due:
        kept[row.channel, row.chat_id] = kept.get((row.channel, row.chat_id), 0) + 1
    return frozenset(
        SessionKey(*chat)
        for chat, count in counts.items()
        if count < per_chat and kept.get(chat) == count
    )


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
