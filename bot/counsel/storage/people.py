"""The counsellor allowlist and console sessions in SQL (tables in bot.db.counsel_tables)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from sqlalchemy import Delete, Row, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.counsel_tables import counsel_sessions, counsellors
from bot.db.engine import BEGIN_OPTION
from bot.db.rows import insert_ignoring_conflicts


class SqlCounsellors:
    """Counsellor rows: id (from the name), display name, Telegram user id, admin, password."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name
        self._writer = (
            engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
            if self._dialect == "sqlite"
            else engine
        )

    async def upsert(self, values: dict[str, Any], now: datetime) -> None:
        """Add a counsellor or change the given fields of one (by id).

        A new `password_hash` ends every console session of that counsellor.
        """
        row = {"is_admin": False, **values, "created_at": now}
        async with self._writer.begin() as conn:
            await conn.execute(insert_ignoring_conflicts(self._dialect, counsellors).values(row))
            changes = {k: v for k, v in values.items() if k != "id"}
            if changes:
                await conn.execute(
                    counsellors.update().where(counsellors.c.id == values["id"]).values(changes)
                )
            if "password_hash" in values:
                await conn.execute(_sessions_of(values["id"]))

    async def set_language(self, counsellor_id: str, language: str) -> None:
        """Change one counsellor's language."""
        async with self._writer.begin() as conn:
            change = counsellors.update().where(counsellors.c.id == counsellor_id)
            await conn.execute(change.values(language=language))

    async def remove(self, counsellor_id: str) -> bool:
        """Take a counsellor off the list and end their sessions; False if there was none."""
        async with self._writer.begin() as conn:
            gone = await conn.execute(delete(counsellors).where(counsellors.c.id == counsellor_id))
            await conn.execute(_sessions_of(counsellor_id))
        return gone.rowcount == 1

    async def all(self) -> list[Row[Any]]:
        """Every counsellor, by name."""
        async with self._engine.connect() as conn:
            return list(await conn.execute(select(counsellors).order_by(counsellors.c.name)))

    async def find(self, column: str, value: object) -> Row[Any] | None:
        """One counsellor by `id`, `name` or `telegram_user_id`."""
        async with self._engine.connect() as conn:
            query = select(counsellors).where(counsellors.c[column] == value)
            found: Row[Any] | None = (await conn.execute(query)).first()
        return found

    async def start_session(
        self, sid: str, counsellor_id: str, expires: datetime, now: datetime
    ) -> None:
        """Record a signed-in console session (and drop the sessions that have expired)."""
        row = {"sid_hash": _hash(sid), "counsellor_id": counsellor_id}
        async with self._writer.begin() as conn:
            await conn.execute(
                delete(counsel_sessions).where(counsel_sessions.c.expires_at <= now)
            )
            await conn.execute(
                insert(counsel_sessions).values(**row, expires_at=expires, created_at=now)
            )

    async def session_live(self, sid: str, counsellor_id: str) -> bool:
        """Whether this session was started for this counsellor and has not been ended.

        The cookie's signed expiry is checked before (SessionSigner.read); expired rows go
        when the next session starts.
        """
        s = counsel_sessions.c
        query = select(s.sid_hash).where(
            s.sid_hash == _hash(sid), s.counsellor_id == counsellor_id
        )
        async with self._engine.connect() as conn:
            return (await conn.execute(query)).first() is not None

    async def end_session(self, sid: str) -> None:
        """End one session (a logout), on every worker."""
        async with self._writer.begin() as conn:
            await conn.execute(
                delete(counsel_sessions).where(counsel_sessions.c.sid_hash == _hash(sid))
            )


def _hash(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


def _sessions_of(counsellor_id: str) -> Delete:
    return delete(counsel_sessions).where(counsel_sessions.c.counsellor_id == counsellor_id)
