"""The counsellor allowlist in SQL; console passwords hashed with scrypt, never kept plain."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Row, String, Table, Text, delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import BEGIN_OPTION
from bot.db.models import UtcDateTime, metadata
from bot.db.rows import insert_ignoring_conflicts

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1

counsellors = Table(
    "counsellors",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(128), nullable=False),
    Column("telegram_user_id", BigInteger, nullable=True, unique=True),
    Column("is_admin", Boolean, nullable=False),
    Column("password_hash", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
)


def hash_password(password: str) -> str:
    """`scrypt$n$r$p$salt$hash` (hex), with a fresh random salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def check_password(password: str, stored: str | None) -> bool:
    """Whether `password` matches a `hash_password` result (constant-time compare)."""
    parts = (stored or "").split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    n, r, p = (int(value) for value in parts[1:4])
    digest = hashlib.scrypt(
        password.encode(), salt=bytes.fromhex(parts[4]), n=n, r=r, p=p, maxmem=2**26
    )
    return hmac.compare_digest(digest.hex(), parts[5])


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
