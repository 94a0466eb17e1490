"""The WhatsApp channel's storage: windows, held messages, statuses and voice notes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, select, true, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import begin_write
from bot.db.rows import insert_ignoring_conflicts
from bot.db.whatsapp_tables import (
    whatsapp_messages,
    whatsapp_people,
    whatsapp_statuses,
    whatsapp_voice,
)
from bot.framework.actions import DataErased, Reply
from bot.framework.session import SessionKey

people, messages = whatsapp_people.c, whatsapp_messages.c


@dataclass(frozen=True, slots=True)
class Person:
    """Where to reach a person and where their 24-hour window stands."""

    chat_id: str
    recipient: dict[str, str]
    last_inbound_at: datetime
    template_sent_at: datetime | None
    ack: str
    listing: dict[str, Any] | None


class WhatsAppStore:
    """SQL storage on the store's database (SQLite or PostgreSQL)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name

    async def person(self, chat_id: str) -> Person | None:
        """The person, or None when they never wrote (or were erased)."""
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(select(whatsapp_people).where(people.chat_id == chat_id))
            ).first()
        if row is None:
            return None
        listing = json.loads(row.listing) if row.listing else None
        recipient = {row.recipient_field: row.recipient}
        return Person(
            chat_id, recipient, row.last_inbound_at, row.template_sent_at, row.ack, listing
        )

    async def wrote(
        self, chat_id: str, recipient: tuple[str, str], at: datetime, message_id: str
    ) -> bool:
        """The person wrote: their window opens again.

        True for their first message, also when it is delivered again after a failure (so an
        invite code it carries is not lost).
        """
        values = {
            "recipient_field": recipient[0],
            "recipient": recipient[1],
            "last_inbound_at": at,
        }
        first = {"chat_id": chat_id, "first_message_id": message_id}
        insert = insert_ignoring_conflicts(self._dialect, whatsapp_people)
        async with begin_write(self._engine) as conn:
            if (await conn.execute(insert.values(**first, **values))).rowcount == 1:
                return True
            await conn.execute(
                update(whatsapp_people)
                .where(people.chat_id == chat_id, people.last_inbound_at < at)
                .values(template_sent_at=None, **values)
            )
            known = select(people.first_message_id).where(people.chat_id == chat_id)
            return bool(await conn.scalar(known) == message_id)

    async def change(self, chat_id: str, **values: Any) -> None:
        """Set `ack`, `listing` (a dict) or `template_sent_at` of a person."""
        if "listing" in values and values["listing"] is not None:
            values["listing"] = json.dumps(values["listing"])
        async with begin_write(self._engine) as conn:
            await conn.execute(
                update(whatsapp_people).where(people.chat_id == chat_id).values(**values)
            )

    async def log(
        self,
        chat_id: str,
        body: dict[str, Any],
        wamid: str | None,
        at: datetime,
        part_ref: str | None = None,
    ) -> None:
        """Keep a message: sent (with its wamid), or held (wamid None) for the window.

        A `part_ref` already kept is ignored: the part was sent or held before.
        """
        state = "held" if wamid is None else "sent"
        row = {"chat_id": chat_id, "wamid": wamid, "body": json.dumps(body), "state": state}
        insert = insert_ignoring_conflicts(self._dialect, whatsapp_messages)
        async with begin_write(self._engine) as conn:
            await conn.execute(insert.values(created_at=at, part_ref=part_ref, **row))

    async def parts_done(self, ref: str) -> set[int]:
        """The part indexes of reply `ref` (`<outbox id>.<reply index>`) sent or held before."""
        query = select(messages.part_ref).where(messages.part_ref.startswith(f"{ref}."))
        async with self._engine.connect() as conn:
            return {int(str(part).rsplit(".", 1)[1]) for part in await conn.scalars(query)}

    async def prune(self, before: datetime) -> int:
        """Forget sent messages and statuses older than `before` (held ones stay); how many."""
        async with begin_write(self._engine) as conn:
            gone = await conn.execute(
                delete(whatsapp_messages).where(
                    messages.state == "sent", messages.created_at < before
                )
            )
            await conn.execute(delete(whatsapp_statuses).where(whatsapp_statuses.c.at < before))
        return int(gone.rowcount or 0)

    async def held(self, chat_id: str) -> list[tuple[int, dict[str, Any]]]:
        """The person's held messages, in the order they were first meant to go out."""
        query = (
            select(messages.id, messages.body)
            .where(messages.chat_id == chat_id, messages.state == "held")
            .order_by(messages.id)
        )
        async with self._engine.connect() as conn:
            return [(row.id, json.loads(row.body)) for row in await conn.execute(query)]

    async def released(self, message_id: int, wamid: str) -> None:
        """A held message went out."""
        async with begin_write(self._engine) as conn:
            await conn.execute(
                update(whatsapp_messages)
                .where(messages.id == message_id)
                .values(state="sent", wamid=wamid)
            )

    async def status(self, wamid: str, status: str, code: int | None, at: datetime) -> str | None:
        """Record a status once; a failed one outside the window holds its message again.

        Returns the chat id of a message that failed with 131047 (None otherwise).
        """
        values = {"wamid": wamid, "status": status, "error_code": code, "at": at}
        async with begin_write(self._engine) as conn:
            chat_id = await conn.scalar(select(messages.chat_id).where(messages.wamid == wamid))
            insert = insert_ignoring_conflicts(self._dialect, whatsapp_statuses)
            new = (await conn.execute(insert.values(chat_id=chat_id, **values))).rowcount == 1
            if not (new and code == 131047 and chat_id is not None):
                return None
            await conn.execute(
                update(whatsapp_messages).where(messages.wamid == wamid).values(state="held")
            )
            await conn.execute(
                update(whatsapp_people)
                .where(people.chat_id == chat_id)
                .values(template_sent_at=None)
            )
        return str(chat_id)

    async def keep_voice(
        self, media_id: str, chat_id: str, mime_type: str, content: bytes, at: datetime
    ) -> None:
        """Keep a person's voice note for the counsellor."""
        values = {"chat_id": chat_id, "mime_type": mime_type, "content": content, "at": at}
        insert = insert_ignoring_conflicts(self._dialect, whatsapp_voice)
        async with begin_write(self._engine) as conn:
            await conn.execute(insert.values(media_id=media_id, **values))

    async def voice(self, media_id: str) -> tuple[str, bytes] | None:
        """A kept voice note: (MIME type, bytes)."""
        query = select(whatsapp_voice.c.mime_type, whatsapp_voice.c.content).where(
            whatsapp_voice.c.media_id == media_id
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else (row.mime_type, row.content)

    async def voice_of(self, key: SessionKey, media_id: str) -> tuple[str, bytes] | None:
        """A voice note of this person only (for the counsellor's console and desk)."""
        if key.channel != "whatsapp":
            return None
        query = select(whatsapp_voice.c.mime_type, whatsapp_voice.c.content).where(
            whatsapp_voice.c.media_id == media_id, whatsapp_voice.c.chat_id == key.chat_id
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else (row.mime_type, row.content)

    async def export(self, chat_id: str) -> dict[str, Any]:
        """What the channel keeps about a person (for /export)."""
        person = await self.person(chat_id)
        async with self._engine.connect() as conn:
            kept = await conn.execute(
                select(messages.body, messages.state, messages.created_at)
                .where(messages.chat_id == chat_id)
                .order_by(messages.id)
            )
            log = [
                {"state": r.state, "at": r.created_at.isoformat(), "message": json.loads(r.body)}
                for r in kept
            ]
            voices = await conn.scalar(
                select(whatsapp_voice.c.media_id).where(whatsapp_voice.c.chat_id == chat_id)
            )
            s = whatsapp_statuses.c
            statuses = [
                {"status": r.status, "error_code": r.error_code, "at": r.at.isoformat()}
                for r in await conn.execute(
                    select(s.status, s.error_code, s.at).where(s.chat_id == chat_id).order_by(s.at)
                )
            ]
        return {
            "whatsapp": None
            if person is None
            else {"last_message_at": person.last_inbound_at.isoformat(), **person.recipient},
            "whatsapp_messages": log,
            "whatsapp_voice_notes_kept": voices is not None,
            "whatsapp_statuses": statuses,
        }

    async def erase(self, chat_id: str, asked_at: datetime | None = None) -> None:
        """Forget a person (for /delete) as of `asked_at`, the erasing message's time.

        The log and statuses of what was sent go (all of it was sent before the erasure ran);
        voice notes and the person's row only when older: a person who wrote again since
        keeps the row a reply to them needs, without what the old conversation left in it.
        """
        voice = whatsapp_voice.c
        async with begin_write(self._engine) as conn:
            for table in (whatsapp_messages, whatsapp_statuses):
                await conn.execute(delete(table).where(table.c.chat_id == chat_id))
            await conn.execute(
                delete(whatsapp_voice).where(voice.chat_id == chat_id, _up_to(voice.at, asked_at))
            )
            await conn.execute(
                delete(whatsapp_people).where(
                    people.chat_id == chat_id, _up_to(people.last_inbound_at, asked_at)
                )
            )
            await conn.execute(
                update(whatsapp_people)
                .where(people.chat_id == chat_id)
                .values(ack="", listing=None, first_message_id=None)
            )


def _up_to(column: Any, asked_at: datetime | None) -> ColumnElement[bool]:
    """Rows from before the erasure (every row when its time is not known)."""
    return true() if asked_at is None else column <= asked_at


class WhatsAppPersonalData:
    """The WhatsApp tables as a part of a person's data: exported on /export, erased on /delete."""

    tables = ("whatsapp_people", "whatsapp_messages", "whatsapp_statuses", "whatsapp_voice")

    def __init__(self, store: WhatsAppStore) -> None:
        self._store = store

    async def export(self, key: SessionKey) -> dict[str, Any]:
        """What the channel keeps about the person (nothing for other channels' people)."""
        return await self._store.export(key.chat_id) if key.channel == "whatsapp" else {}

    async def erase(self, key: SessionKey, effect: DataErased) -> list[Reply]:
        """Forget the person's WhatsApp rows; shows nothing."""
        if key.channel == "whatsapp":
            await self._store.erase(key.chat_id, effect.at)
        return []
