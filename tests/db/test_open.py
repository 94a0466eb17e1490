"""Opening the store: bad URLs fail in one clear line, and migrating is repeatable."""

from __future__ import annotations

import pytest

from bot.db.migrate import migrate
from bot.db.store import StoreError, open_store
from tests.db.helpers import KEY, count, inbound, tally

BAD_URLS = [
    "nope://",
    "not a url at all",
    "mysql+aiomysql://u:secret@localhost/x",
    "sqlite:///:memory:",
    "sqlite+aiosqlite:////nonexistent-dir/x.db",
    "postgresql+asyncpg://u@127.0.0.1:1/x",
    "postgresql+asyncpg://u:secret@127.0.0.1:1/x",
]


@pytest.mark.parametrize("url", BAD_URLS)
async def test_bad_url_gives_one_clear_line(url: str) -> None:
    with pytest.raises(StoreError) as caught:
        await open_store(url)
    message = str(caught.value)
    assert message.startswith("DATABASE_URL: ")
    assert "\n" not in message
    assert "secret" not in message
    assert caught.value.__cause__ is None


async def test_unknown_postgres_database_is_a_store_error(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    with pytest.raises(StoreError, match=r"^DATABASE_URL: .*does_not_exist"):
        await open_store(database_url.rsplit("/", 1)[0] + "/does_not_exist")


async def test_migrate_twice_is_harmless_and_keeps_data(database_url: str) -> None:
    await migrate(database_url)
    await migrate(database_url)
    store = await open_store(database_url)
    await store.process(inbound("1"), count())
    await store.close()
    await migrate(database_url)
    store = await open_store(database_url)
    try:
        assert tally(await store.load(KEY)) == 1
    finally:
        await store.close()


async def test_migrate_bad_url_is_a_store_error() -> None:
    with pytest.raises(StoreError, match=r"^DATABASE_URL: "):
        await migrate("postgresql+asyncpg://u:secret@127.0.0.1:1/x")
