"""Counsellor cases in SQL: cases, their transcripts, the audit log (with the person's events)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Row,
    and_,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.counsel.model import ASKED, PERSON_ASKED
from bot.counsel.storage.export import person_cases
from bot.db.counsel_tables import counsel_audit, counsel_cases, counsel_messages
from bot.db.engine import begin_write
from bot.db.rows import insert_ignoring_conflicts
from bot.framework.session import SessionKey

Guard = Literal["any", "open", "mine", "open_or_mine", "not_closed"]
"""Which cases an action may change: `mine` = claimed by the acting counsellor."""


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One counsellor action, and the event (JSON) it sends to the person, if any."""

    counsellor: str
    action: str
    detail: dict[str, Any]
    event: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class NewMessage:
    """A transcript line to add with an action."""

    sender: str
    text: str
    kind: str = "text"
    file_ref: str = ""
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class PendingEvent:
    """A counsellor's event not yet applied to the person's conversation."""

    audit_id: int
    key: SessionKey
    event: dict[str, Any]


def _guard(guard: Guard, counsellor: str) -> ColumnElement[bool]:
    c = counsel_cases.c
    mine = and_(c.status == "claimed", c.claimed_by == counsellor)
    return {
        "any": c.id.is_not(None),
        "open": c.status == "open",
        "mine": mine,
        "open_or_mine": or_(c.status == "open", mine),
        "not_closed": c.status != "closed",
    }[guard]


class SqlCaseRepository:
    """Cases, transcripts and the audit log on the store's database (SQLite or PostgreSQL).

    SQLite writes begin IMMEDIATE, so they queue on the write lock instead of failing.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        return begin_write(self._engine)

    async def open_case(
        self, key: SessionKey, reason: str, summary: dict[str, Any], now: datetime
    ) -> tuple[Row[Any], bool]:
        """The person's live case (summary updated) or a new one; True when it is new.

        When the person asked (`reason` "person"), the case records when (it moves up the
        queue), and a case that was open already gets a transcript line of kind `asked`.
        """
        active = str(key)
        asked = {"asked_at": now} if reason == PERSON_ASKED else {}
        values = {
            "channel": key.channel,
            "chat_id": key.chat_id,
            "active_key": active,
            "status": "open",
            "reason": reason,
            "summary": _dumps(summary),
            "language": summary.get("language"),
            "created_at": now,
            **asked,
        }
        claim = insert_ignoring_conflicts(self._dialect, counsel_cases).values(**values)
        async with self._write() as conn:
            created = (await conn.execute(claim)).rowcount == 1
            if not created:
                await conn.execute(
                    update(counsel_cases)
                    .where(counsel_cases.c.active_key == active)
                    .values(summary=values["summary"], language=values["language"], **asked)
                )
            found = (
                await conn.execute(
                    select(counsel_cases).where(counsel_cases.c.active_key == active)
                )
            ).one()
            if asked and not created:  # a new case says so by its reason
                line = NewMessage("person", "", ASKED)
                await conn.execute(insert(counsel_messages).values(_message(found.id, line, now)))
            return found, created

    async def act(
        self,
        case_id: int,
        guard: Guard,
        values: dict[str, Any],
        entry: AuditEntry,
        now: datetime,
        message: NewMessage | None = None,
    ) -> int | None:
        """In one transaction: change the case if `guard` holds, add the line, log the action.

        Returns:
            The audit row id (the person's event id derives from it), or None when the guard
            did not hold (nothing was written).
        """
        where = and_(counsel_cases.c.id == case_id, _guard(guard, entry.counsellor))
        async with self._write() as conn:
            # An action that changes nothing still needs the guarded row: a no-op SET.
            values = values or {"status": counsel_cases.c.status}
            changed = await conn.execute(update(counsel_cases).where(where).values(**values))
            if changed.rowcount != 1:
                return None
            if message is not None:
                await conn.execute(
                    insert(counsel_messages).values(_message(case_id, message, now))
                )
            return await self._log(conn, case_id, entry, now)

    async def log(self, case_id: int | None, entry: AuditEntry, now: datetime) -> int:
        """An audit row for an action that changes no case (the counsellor allowlist)."""
        async with self._write() as conn:
            return await self._log(conn, case_id, entry, now)

    async def _log(
        self, conn: AsyncConnection, case_id: int | None, entry: AuditEntry, at: datetime
    ) -> int:
        key = None
        if case_id is not None and entry.event is not None:
            found = await conn.execute(select(counsel_cases).where(counsel_cases.c.id == case_id))
            row = found.one()
            key = (row.channel, row.chat_id)
        values = {
            "case_id": case_id,
            "counsellor": entry.counsellor,
            "action": entry.action,
            "detail": _dumps(entry.detail),
            "at": at,
            "channel": key[0] if key else None,
            "chat_id": key[1] if key else None,
            "event": _dumps(entry.event) if entry.event is not None else None,
        }
        result = await conn.execute(insert(counsel_audit).values(**values))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    async def add_message(self, case_id: int, message: NewMessage, now: datetime) -> int | None:
        """Add a transcript line; None when its `ref` was recorded before."""
        row = _message(case_id, message, now)
        statement = insert_ignoring_conflicts(self._dialect, counsel_messages).values(**row)
        async with self._write() as conn:
            result = await conn.execute(statement.returning(counsel_messages.c.id))
            found = result.scalar_one_or_none()
        return None if found is None else int(found)

    async def get(self, case_id: int) -> Row[Any] | None:
        """One case row."""
        return await self._first(select(counsel_cases).where(counsel_cases.c.id == case_id))

    async def live_case_of(self, key: SessionKey) -> Row[Any] | None:
        """The person's open or claimed case."""
        query = select(counsel_cases).where(counsel_cases.c.active_key == str(key))
        return await self._first(query)

    async def live_cases(self) -> list[Row[Any]]:
        """Open and claimed cases, oldest first."""
        return await self._cases(counsel_cases.c.status.in_(("open", "claimed")))

    async def waiting_since(self, cutoff: datetime) -> list[Row[Any]]:
        """Open (unclaimed) cases created before `cutoff`, oldest first."""
        c = counsel_cases.c
        return await self._cases(and_(c.status == "open", c.created_at < cutoff))

    async def due_reminders(self, cutoff: datetime) -> list[Row[Any]]:
        """Open cases created before `cutoff` and not reminded of since, oldest first."""
        c = counsel_cases.c
        not_lately = or_(c.reminded_at.is_(None), c.reminded_at < cutoff)
        return await self._cases(and_(c.status == "open", c.created_at < cutoff, not_lately))

    async def _cases(self, where: ColumnElement[bool]) -> list[Row[Any]]:
        """Cases whose person asked to talk first (earliest ask first), then oldest first."""
        c = counsel_cases.c
        order = (c.asked_at.is_(None), c.asked_at, c.created_at, c.id)
        return await self._all(select(counsel_cases).where(where).order_by(*order))

    async def messages(self, case_id: int) -> list[Row[Any]]:
        """A case's transcript, oldest first."""
        m = counsel_messages.c
        return await self._all(select(counsel_messages).where(m.case_id == case_id).order_by(m.id))

    async def audit(self, case_id: int | None) -> list[Row[Any]]:
        """Audit rows (of one case, or all), oldest first."""
        query = select(counsel_audit).order_by(counsel_audit.c.id)
        if case_id is not None:
            query = query.where(counsel_audit.c.case_id == case_id)
        return await self._all(query)

    async def pending_events(self) -> list[PendingEvent]:
        """Events written with an action but not yet applied to the person's conversation."""
        a = counsel_audit.c
        query = select(counsel_audit).where(a.event.is_not(None), a.applied_at.is_(None))
        return [
            PendingEvent(row.id, SessionKey(row.channel, row.chat_id), json.loads(row.event))
            for row in await self._all(query.order_by(a.id))
        ]

    async def mark_applied(self, audit_id: int, now: datetime) -> None:
        """The person's conversation has the event."""
        async with self._write() as conn:
            await conn.execute(
                update(counsel_audit).where(counsel_audit.c.id == audit_id).values(applied_at=now)
            )

    async def mark_reminded(self, case_ids: Sequence[int], now: datetime) -> None:
        """Counsellors were reminded of these cases."""
        async with self._write() as conn:
            await conn.execute(
                update(counsel_cases)
                .where(counsel_cases.c.id.in_(list(case_ids)))
                .values(reminded_at=now)
            )

    async def forget_person(self, key: SessionKey, now: datetime) -> None:
        """The person erased their data: drop transcripts and summaries, close their cases."""
        c = counsel_cases.c
        mine = and_(c.channel == key.channel, c.chat_id == key.chat_id)
        ids = select(c.id).where(mine).scalar_subquery()
        async with self._write() as conn:
            await conn.execute(delete(counsel_messages).where(counsel_messages.c.case_id.in_(ids)))
            await conn.execute(
                update(counsel_audit)
                .where(counsel_audit.c.case_id.in_(ids))
                .values(detail="{}", event=None, chat_id=None)
            )
            await conn.execute(
                update(counsel_cases)
                .where(mine, c.status != "closed")
                .values(status="closed", closed_at=now, outcome="erased")
            )
            await conn.execute(
                update(counsel_cases)
                .where(mine)
                .values(active_key=None, summary="{}", chat_id="erased")
            )

    async def export_person(self, key: SessionKey) -> dict[str, Any]:
        """Every case of the person with transcript and audit rows, as JSON-safe data."""
        return await person_cases(self._engine, key)

    async def _first(self, query: Any) -> Row[Any] | None:
        async with self._engine.connect() as conn:
            found: Row[Any] | None = (await conn.execute(query)).first()
        return found

    async def _all(self, query: Any) -> list[Row[Any]]:
        async with self._engine.connect() as conn:
            return list(await conn.execute(query))


def _message(case_id: int, message: NewMessage, at: datetime) -> dict[str, Any]:
    return {
        "case_id": case_id,
        "sender": message.sender,
        "text": message.text,
        "kind": message.kind,
        "file_ref": message.file_ref,
        "ref": message.ref,
        "at": at,
    }


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
