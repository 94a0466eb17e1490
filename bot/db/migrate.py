"""Schema upgrades through Alembic, safe at every start-up and from two processes at once."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.db.engine import (
    BEGIN_OPTION,
    StoreError,
    check_sqlite_path,
    create_engine,
    describe,
    parse_url,
)

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK = 0x5370_0CC0_0001
"""PostgreSQL advisory lock key held while migrating (any constant unique to this app)."""


_REVISION = re.compile(r"^(down_revision|revision)\b[^=]*=\s*(?:None|[\"']([^\"']+)[\"'])", re.M)


@cache
def head_revision() -> str:
    """The newest migration's revision id, read from the files without importing Alembic.

    Alembic (and Mako, which it brings) is imported only when the schema is behind.

    Raises:
        RuntimeError: the migrations do not form one line with a single head.
    """
    revisions: set[str] = set()
    parents: set[str | None] = set()
    for path in (MIGRATIONS / "versions").glob("*.py"):
        found: dict[str, str | None] = {}
        for match in _REVISION.finditer(path.read_text("utf-8")):
            found[match.group(1)] = match.group(2)
        revision = found.get("revision")
        if revision is not None:
            revisions.add(revision)
            parents.add(found.get("down_revision"))
    heads = sorted(revisions - parents)
    if len(heads) != 1:
        raise RuntimeError(f"migrations: expected one head revision, found {heads}")
    return heads[0]


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for our migrations, optionally bound to an open connection."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the schema to head in one transaction, holding a lock against other migrators.

    PostgreSQL: a transaction-scoped advisory lock, so a second process waits and then finds
    nothing to do. SQLite: `BEGIN IMMEDIATE` takes the database's write lock. A schema already
    at head is seen with one plain query first, and then nothing is locked or imported.
    """
    async with engine.connect() as conn:
        if await _at_head(conn):
            return
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            await conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        async with conn.begin():
            if not sqlite:
                await conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                )
            await conn.run_sync(_upgrade_to_head)


async def _at_head(conn: AsyncConnection) -> bool:
    """True if the database records the head revision (False too when it has no schema yet)."""
    try:
        async with conn.begin():
            current = await conn.scalar(text("SELECT version_num FROM alembic_version"))
    except DBAPIError:  # no alembic_version table: a new database
        return False
    return bool(current == head_revision())


def _upgrade_to_head(connection: Connection) -> None:
    from alembic import command

    command.upgrade(alembic_config(connection), "head")


async def migrate(url: str) -> None:
    """Upgrade the database at `url` to the newest schema (harmless when it is already there).

    Raises:
        StoreError: the URL is bad or the database cannot be reached or written.
    """
    parsed = parse_url(url)
    check_sqlite_path(parsed)
    engine = create_engine(parsed)
    try:
        await upgrade(engine)
    except (SQLAlchemyError, OSError) as exc:
        raise StoreError(f"DATABASE_URL: {describe(exc, parsed)}") from None
    finally:
        await engine.dispose()
