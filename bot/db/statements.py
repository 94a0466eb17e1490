"""The applier's statements, built once per dialect from the table definitions in models.py.

Both transactions run these same objects: SQLAlchemy executes them on a Connection, and the
SQLite batch path compiles each one once to plain SQL (see bot.db.apply_sqlite). Values are
named bind parameters; columns an INSERT is not given take their server defaults.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Delete, Insert, Select, Update, and_, bindparam, insert, true

from bot.db import rows
from bot.db.models import answers, conversations, outbox, processed_events
from bot.framework.session import SessionKey


@dataclass(frozen=True, slots=True)
class Statements:
    """One event's statements; their bind parameters are named in each field's comment."""

    conversation: Select[Any]  # channel, chat_id -> (id, state, version), row-locked
    new_conversation: Insert  # channel, chat_id, created_at, updated_at; a conflict is a no-op
    claim: Insert  # channel, event_id, processed_at; a conflict (seen before) is a no-op
    save: Update  # conv_id, expected_version, state, updated_at; bumps version, sets active
    forget_answers: Delete  # channel, chat_id
    forget_outbox: Delete  # channel, chat_id; never an erasure still to run
    log_answers: Insert  # the keys of rows.answer_rows
    enqueue: Insert  # the keys of rows.outbox_rows


def of_chat(table: Any) -> ColumnElement[bool]:
    """One conversation's rows of `table`, by the bind parameters `channel` and `chat_id`."""
    return and_(table.c.channel == bindparam("channel"), table.c.chat_id == bindparam("chat_id"))


def chat_values(key: SessionKey) -> dict[str, Any]:
    """The values of `of_chat`'s parameters for one conversation."""
    return {"channel": key.channel, "chat_id": key.chat_id}


@cache
def statements(dialect: str) -> Statements:
    """The statements for `sqlite` or `postgresql` (built once, then shared)."""
    save = (
        conversations.update()
        .where(
            conversations.c.id == bindparam("conv_id"),
            conversations.c.version == bindparam("expected_version"),
        )
        .values(version=conversations.c.version + 1, active=true())
    )
    return Statements(
        conversation=rows.conversation_select(
            of_chat(conversations), for_update=dialect != "sqlite"
        ),
        new_conversation=rows.insert_ignoring_conflicts(dialect, conversations),
        claim=rows.insert_ignoring_conflicts(dialect, processed_events),
        save=save,
        forget_answers=answers.delete().where(of_chat(answers)),
        forget_outbox=rows.delete_waiting(of_chat(outbox)),
        log_answers=insert(answers),
        enqueue=insert(outbox),
    )
