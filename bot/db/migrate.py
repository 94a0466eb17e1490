"""Schema upgrades through Alembic, safe at every start-up and from two processes at once."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import (
    BEGIN_OPTION,
    StoreError,
    check_sqlite_path,
    create_engine,
    describe,
    parse_url,
)

MIGRATIONS = Path(__file__).with_name("migrations")
MIGRATION_LOCK = 0x5370_0CC0_0001
"""PostgreSQL advisory lock key held while migrating (any constant unique to this app)."""


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config for our migrations, optionally bound to an open connection."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the schema to head in one transaction, holding a lock against other migrators.

    PostgreSQL: a transaction-scoped advisory lock, so a second process waits and then finds
    nothing to do. SQLite: `BEGIN IMMEDIATE` takes the database's write lock.
    """
    async with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            await conn.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})
        async with conn.begin():
            if not sqlite:
                await conn.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                )
            await conn.run_sync(_upgrade_to_head)


def _upgrade_to_head(connection: Connection) -> None:
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
