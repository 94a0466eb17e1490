"""The badge repository on the bot's SQL database (SQLite or PostgreSQL)."""

from __future__ import annotations

import json
import secrets
from contextlib import AbstractAsyncContextManager
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Insert,
    Row,
    Select,
    Table,
    and_,
    delete,
    select,
    update,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.badges.model import Alignment, Award, BadgeSpec
from bot.badges.status import LIST_BITS
from bot.db.badge_tables import (
    badge_awards,
    badge_classes,
    badge_people,
    badge_revocations,
    badge_status_indexes,
)
from bot.db.engine import begin_write
from bot.framework.session import SessionKey

MAX_INDEX_TRIES = 64
"""Random status indexes tried before giving up (the list is far from full long before)."""


def spec_to_json(spec: BadgeSpec) -> str:
    """Serialize a badge class spec as compact JSON."""
    return json.dumps(asdict(spec), ensure_ascii=False, separators=(",", ":"))


def spec_from_json(text: str) -> BadgeSpec:
    """The inverse of `spec_to_json`."""
    data = json.loads(text)
    data["alignments"] = tuple(Alignment(**item) for item in data["alignments"])
    return BadgeSpec(**data)


def _now() -> datetime:
    return datetime.now(UTC)


class SqlBadgeRepository:
    """Awards, badge classes, revocations, status indexes and person tokens in SQL.

    It shares the store's engine. SQLite writes begin IMMEDIATE so they queue on the
    database's write lock instead of failing when they meet the store's writer.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._dialect = engine.dialect.name

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        return begin_write(self._engine)

    def _upsert(self, table: Table, values: dict[str, Any], keys: list[str]) -> Insert:
        changed = {k: v for k, v in values.items() if k not in keys and k != "holder"}
        if self._dialect == "postgresql":
            from sqlalchemy.dialects import postgresql  # loaded on PostgreSQL only (2 MB)

            pg = postgresql.insert(table).values(**values)
            return pg.on_conflict_do_update(index_elements=keys, set_=changed)
        lite = sqlite.insert(table).values(**values)
        return lite.on_conflict_do_update(index_elements=keys, set_=changed)

    def _insert_new(self, table: Table, values: dict[str, Any]) -> Insert:
        """An INSERT that does nothing when the primary key (or a unique key) exists."""
        if self._dialect == "postgresql":
            from sqlalchemy.dialects import postgresql  # loaded on PostgreSQL only (2 MB)

            return postgresql.insert(table).values(**values).on_conflict_do_nothing()
        return sqlite.insert(table).values(**values).on_conflict_do_nothing()

    # -- the BadgeRepository port -------------------------------------------------------

    async def save_award(self, award: Award, holder: str | None = None) -> None:
        """Insert or replace an award; `holder` is the person token it belongs to."""
        upsert = self._upsert(badge_awards, _award_values(award, holder), ["assertion_id"])
        async with self._write() as conn:
            await conn.execute(upsert)
            if award.revoked:
                await self._insert_revocation(conn, award.assertion_id, award.revocation_reason)

    async def get_award(self, assertion_id: str) -> Award | None:
        """Return an award by its assertion id."""
        async with self._engine.connect() as conn:
            found = await conn.execute(
                _awards().where(badge_awards.c.assertion_id == assertion_id)
            )
            row = found.one_or_none()
        return None if row is None else _award(row)

    async def is_revoked(self, assertion_id: str) -> bool:
        """Return whether an award is revoked (False if unknown)."""
        query = select(badge_revocations.c.assertion_id).where(
            badge_revocations.c.assertion_id == assertion_id
        )
        async with self._engine.connect() as conn:
            return (await conn.execute(query)).first() is not None

    async def revoke(self, assertion_id: str, reason: str) -> bool:
        """Mark an award revoked (the first reason stays); return False if it does not exist."""
        exists = select(badge_awards.c.assertion_id).where(
            badge_awards.c.assertion_id == assertion_id
        )
        async with self._write() as conn:
            if (await conn.execute(exists)).first() is None:
                return False
            await self._insert_revocation(conn, assertion_id, reason)
        return True

    async def next_status_index(self) -> int:
        """Reserve a random free status-list index (random, so indexes tell nothing).

        Raises:
            RuntimeError: No free index was found in `MAX_INDEX_TRIES` random tries.
        """
        for _ in range(MAX_INDEX_TRIES):
            index = secrets.randbelow(LIST_BITS)
            claim = self._insert_new(
                badge_status_indexes, {"status_index": index, "reserved_at": _now()}
            )
            async with self._write() as conn:
                result = await conn.execute(claim)
            if result.rowcount == 1:
                return index
        raise RuntimeError("no free status-list index found; the list needs to grow")

    async def revoked_status_indexes(self) -> set[int]:
        """Return the status-list indexes of every revoked award."""
        query = select(badge_awards.c.status_index).join(
            badge_revocations, badge_revocations.c.assertion_id == badge_awards.c.assertion_id
        )
        async with self._engine.connect() as conn:
            return {int(index) for index in (await conn.scalars(query))}

    async def save_badge_class(self, spec: BadgeSpec) -> None:
        """Remember a badge class so its document can be served (the newest spec wins)."""
        values = {"class_id": spec.class_id, "spec": spec_to_json(spec), "updated_at": _now()}
        async with self._write() as conn:
            await conn.execute(self._upsert(badge_classes, values, ["class_id"]))

    async def get_badge_class(self, class_id: str) -> BadgeSpec | None:
        """Return a badge class by id."""
        query = select(badge_classes.c.spec).where(badge_classes.c.class_id == class_id)
        async with self._engine.connect() as conn:
            text = (await conn.execute(query)).scalar_one_or_none()
        return None if text is None else spec_from_json(text)

    # -- people ---------------------------------------------------------------------------

    async def person_token(self, key: SessionKey, new_token: str) -> str:
        """Return the person's opaque token, storing `new_token` if they have none yet."""
        claim = self._insert_new(
            badge_people,
            {
                "channel": key.channel,
                "chat_id": key.chat_id,
                "token": new_token,
                "created_at": _now(),
            },
        )
        async with self._write() as conn:
            await conn.execute(claim)
            token: str = (await conn.execute(_token_of(key))).scalar_one()
        return token

    async def find_person_token(self, key: SessionKey) -> str | None:
        """Return the person's token, or None if they never earned a badge."""
        async with self._engine.connect() as conn:
            token: str | None = (await conn.execute(_token_of(key))).scalar_one_or_none()
        return token

    async def awards_of(self, holder: str) -> list[Award]:
        """Every award of a person (revoked ones too), oldest first."""
        query = _awards().where(badge_awards.c.holder == holder)
        async with self._engine.connect() as conn:
            found = await conn.execute(
                query.order_by(badge_awards.c.issued_on, badge_awards.c.assertion_id)
            )
            return [_award(row) for row in found]

    async def forget_person(self, key: SessionKey) -> None:
        """Unlink a person from their awards, drop their baked images and their token."""
        token = await self.find_person_token(key)
        if token is None:
            return
        async with self._write() as conn:
            await conn.execute(
                update(badge_awards)
                .where(badge_awards.c.holder == token)
                .values(holder=None, png=b"")
            )
            await conn.execute(
                delete(badge_people).where(
                    and_(
                        badge_people.c.channel == key.channel,
                        badge_people.c.chat_id == key.chat_id,
                    )
                )
            )

    async def _insert_revocation(
        self, conn: AsyncConnection, assertion_id: str, reason: str
    ) -> None:
        revocation = {"assertion_id": assertion_id, "reason": reason, "revoked_at": _now()}
        await conn.execute(self._insert_new(badge_revocations, revocation))


def _token_of(key: SessionKey) -> Select[Any]:
    return select(badge_people.c.token).where(
        and_(badge_people.c.channel == key.channel, badge_people.c.chat_id == key.chat_id)
    )


def _awards() -> Select[Any]:
    return select(badge_awards, badge_revocations.c.reason).outerjoin(
        badge_revocations, badge_revocations.c.assertion_id == badge_awards.c.assertion_id
    )


def _award_values(award: Award, holder: str | None) -> dict[str, Any]:
    return {
        "assertion_id": award.assertion_id,
        "class_id": award.spec.class_id,
        "holder": holder,
        "spec": spec_to_json(award.spec),
        "recipient_type": award.recipient_type,
        "identity_hash": award.identity_hash,
        "salt": award.salt,
        "issued_on": award.issued_on,
        "status_index": award.status_index,
        "narrative": award.narrative,
        "png": award.png,
        "credential": json.dumps(award.credential, ensure_ascii=False),
    }


def _award(row: Row[Any]) -> Award:
    return Award(
        assertion_id=row.assertion_id,
        spec=spec_from_json(row.spec),
        recipient_type=row.recipient_type,
        identity_hash=row.identity_hash,
        salt=row.salt,
        issued_on=row.issued_on,
        status_index=row.status_index,
        narrative=row.narrative,
        png=bytes(row.png),
        credential=json.loads(row.credential),
        revoked=row.reason is not None,
        revocation_reason=row.reason or "",
    )
