"""Engines for SQLite (WAL, durable, immediate writers) and PostgreSQL, and URL checking."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, event, make_url
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

BUSY_TIMEOUT_MS = 10_000
BEGIN_OPTION = "sqlite_begin"
"""Execution option naming the SQLite BEGIN mode (`DEFERRED` or `IMMEDIATE`)."""

_BEGIN_MODES = frozenset({"DEFERRED", "IMMEDIATE"})


class StoreError(Exception):
    """The store cannot be opened or used; the message is one line meant for the operator."""


def parse_url(raw: str) -> URL:
    """Check a DATABASE_URL and pick the async driver.

    `sqlite://` and `postgresql://` (or `postgres://`) are accepted and given the async drivers
    aiosqlite and asyncpg.

    Raises:
        StoreError: the URL is malformed, names another driver, or is in-memory SQLite.
    """
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):
        raise StoreError(
            "DATABASE_URL: not a database URL (expected e.g. sqlite+aiosqlite:///var/bot.db)"
        ) from None
    backend, _, driver = url.drivername.partition("+")
    if backend in ("postgres", "postgresql") and driver in ("", "asyncpg"):
        return url.set(drivername="postgresql+asyncpg")
    if backend == "sqlite" and driver in ("", "aiosqlite"):
        if url.database in (None, "", ":memory:"):
            raise StoreError("DATABASE_URL: in-memory SQLite keeps nothing; give a file path")
        return url.set(drivername="sqlite+aiosqlite")
    raise StoreError(
        f"DATABASE_URL: unsupported driver {url.drivername!r} "
        "(use sqlite+aiosqlite:///path or postgresql+asyncpg://...)"
    )


def check_sqlite_path(url: URL) -> None:
    """Fail early, clearly, when the SQLite file's directory is missing or not writable."""
    if url.get_backend_name() != "sqlite" or not url.database:
        return
    folder = Path(url.database).expanduser().absolute().parent
    if not folder.is_dir():
        raise StoreError(f"DATABASE_URL: directory {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StoreError(f"DATABASE_URL: directory {folder} is not writable")


def create_engine(url: URL) -> AsyncEngine:
    """An async engine; SQLite connections get WAL, synchronous=FULL and explicit BEGINs."""
    if url.get_backend_name() != "sqlite":
        return create_async_engine(
            url, pool_size=10, max_overflow=20, pool_pre_ping=True, connect_args={"timeout": 10}
        )
    engine = create_async_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine.sync_engine, "connect", _sqlite_connect)
    event.listen(engine.sync_engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # Take BEGIN away from the driver so that _sqlite_begin decides (see SQLAlchemy's
    # "Enabling Non-Legacy SQLite Transactional Modes").
    dbapi_connection.isolation_level = None
    sqlite_pragmas(dbapi_connection)


def sqlite_pragmas(dbapi_connection: Any) -> None:
    """WAL, durable commits, the busy timeout, foreign keys, deleted rows zeroed."""
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        f"busy_timeout={BUSY_TIMEOUT_MS}",
        "foreign_keys=ON",
        "secure_delete=ON",  # deleted rows are zeroed, not left in free space (/delete)
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    mode = str(conn.get_execution_options().get(BEGIN_OPTION, "DEFERRED")).upper()
    if mode not in _BEGIN_MODES:
        raise ValueError(f"unknown SQLite BEGIN mode {mode!r}")
    conn.exec_driver_sql(f"BEGIN {mode}")


def describe(exc: BaseException, url: URL) -> str:
    """One line saying what went wrong, with the password (if any) blanked out."""
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = " ".join(str(cause).split()) or type(cause).__name__
    if url.password:
        text = text.replace(str(url.password), "***")
    return text[:300]


@asynccontextmanager
async def begin_write(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A write transaction for a repository sharing the store's database.

    On SQLite it begins IMMEDIATE, so it queues on the database's write lock (behind the
    store's group commit) instead of failing half-way when it meets another writer.
    """
    if engine.dialect.name == "sqlite":
        engine = engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
    async with engine.begin() as conn:
        yield conn
