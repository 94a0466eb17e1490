"""Outreach rows in SQL: workers, invites (with an atomic use counter), landing visits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.outreach_tables import outreach_invites, outreach_visits, outreach_workers
from bot.db.rows import insert_ignoring_conflicts
from bot.outreach.model import Invite, Worker, invite_of, worker_of


class SqlOutreach:
    """The outreach repository over the shared database engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name

    @property
    def engine(self) -> AsyncEngine:
        """The shared database engine (the figures read conversations through it)."""
        return self._engine

    async def upsert_worker(self, values: dict[str, Any], now: datetime) -> None:
        """Add a worker or change the given fields of one (by id)."""
        async with self._engine.begin() as conn:
            row = {**values, "created_at": now}
            await conn.execute(insert_ignoring_conflicts(self._dialect, outreach_workers), row)
            changes = {k: v for k, v in values.items() if k != "id"}
            await conn.execute(
                update(outreach_workers)
                .where(outreach_workers.c.id == values["id"])
                .values(changes)
            )

    async def workers(self) -> list[Worker]:
        """Every worker, by name."""
        query = select(outreach_workers).order_by(outreach_workers.c.name)
        async with self._engine.connect() as conn:
            return [worker_of(row) for row in await conn.execute(query)]

    async def worker(self, column: str, value: object) -> tuple[Worker, str | None] | None:
        """One worker by `id` or `telegram_user_id`, with the password hash."""
        query = select(outreach_workers).where(outreach_workers.c[column] == value)
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else (worker_of(row), row.password_hash)

    async def add_invite(self, invite: Invite) -> None:
        """Store a new invite."""
        async with self._engine.begin() as conn:
            await conn.execute(insert(outreach_invites).values(**invite.__dict__))

    async def invite(self, code: str) -> Invite | None:
        """One invite by code."""
        query = select(outreach_invites).where(outreach_invites.c.code == code)
        async with self._engine.connect() as conn:
            row = (await conn.execute(query)).first()
        return None if row is None else invite_of(row)

    async def invites(self, worker_id: str | None = None) -> list[Invite]:
        """A worker's invites (everyone's with None), newest first."""
        query = select(outreach_invites).order_by(outreach_invites.c.created_at.desc())
        if worker_id is not None:
            query = query.where(outreach_invites.c.worker_id == worker_id)
        async with self._engine.connect() as conn:
            return [invite_of(row) for row in await conn.execute(query)]

    async def use(self, code: str, now: datetime) -> bool:
        """Count one new person, unless the invite expired or is used up meanwhile."""
        i = outreach_invites.c
        query = (
            update(outreach_invites)
            .where(i.code == code)
            .where(or_(i.expires_at.is_(None), i.expires_at > now))
            .where(or_(i.max_uses.is_(None), i.uses < i.max_uses))
            .values(uses=i.uses + 1)
        )
        async with self._engine.begin() as conn:
            return (await conn.execute(query)).rowcount == 1

    async def visited(self, code: str, now: datetime) -> None:
        """Count one landing-page view."""
        async with self._engine.begin() as conn:
            await conn.execute(insert(outreach_visits).values(code=code, at=now))

    async def visits(self, codes: Sequence[str]) -> dict[str, int]:
        """Landing-page views per code."""
        v = outreach_visits.c
        query = select(v.code, func.count()).where(v.code.in_(codes)).group_by(v.code)
        async with self._engine.connect() as conn:
            return {code: int(n) for code, n in await conn.execute(query)}
