"""A fresh PostgreSQL database per test: for `database_url` and for the PostgreSQL-only tests."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

TEST_POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


@asynccontextmanager
async def fresh_postgres() -> AsyncIterator[str]:
    """The URL of a new empty database, dropped afterwards."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(TEST_POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(TEST_POSTGRES_URL).set(database=name).render_as_string(False)
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()
