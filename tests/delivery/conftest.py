"""The delivery tests' store, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.db.store import SqlStore, open_store


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[SqlStore]:
    """A migrated store on SQLite and on PostgreSQL (see `database_url`)."""
    opened = await open_store(database_url)
    yield opened
    await opened.close()
