"""The counsellor allowlist in SQL (the `counsellors` table of bot.db.counsel_tables)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.counsel_tables import counsellors
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
        """Add a counsellor or change the given fields of one (by id)."""
        row = {"is_admin": False, **values, "created_at": now}
        async with self._writer.begin() as conn:
            await conn.execute(insert_ignoring_conflicts(self._dialect, counsellors).values(row))
            changes = {k: v for k, v in values.items() if k != "id"}
            if changes:
                await conn.execute(
                    counsellors.update().where(counsellors.c.id == values["id"]).values(changes)
                )

    async def remove(self, counsellor_id: str) -> bool:
        """Take a counsellor off the allowlist; False when there was none."""
        async with self._writer.begin() as conn:
            gone = await conn.execute(delete(counsellors).where(counsellors.c.id == counsellor_id))
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
