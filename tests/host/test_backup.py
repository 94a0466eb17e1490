"""Back up a live bot with `python -m bot.host.backup`, restore it elsewhere, start on it."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import pytest
from sqlalchemy import make_url

from bot.app import STORE
from bot.channels.webchat import CHANNEL, chat_id_for
from bot.framework.session import SessionKey
from tests.app_support import app_config, onboard, serving_app, web_chat
from tests.host.postgres_support import fresh_postgres


async def run(*argv: str, env: dict[str, str], cwd: Path) -> None:
    proc = await asyncio.create_subprocess_exec(*argv, env={**os.environ, **env}, cwd=cwd)
    assert await proc.wait() == 0, argv


async def test_a_live_sqlite_bot_backed_up_and_restored_goes_on(tmp_path: Path) -> None:
    live, copy, fresh = tmp_path / "live", tmp_path / "copy", tmp_path / "fresh"
    live.mkdir()
    config = app_config(live, database_url=f"sqlite+aiosqlite:///{live / 'bot.db'}")
    async with serving_app(config) as (app, url), web_chat(url) as person:
        await onboard(person)
        env = {"BOT_DATA_DIR": str(live), "DATABASE_URL": config.database_url}
        await run(sys.executable, "-m", "bot.host.backup", str(copy), env=env, cwd=tmp_path)
        await person.tap("cat:SOC")  # the bot goes on writing after the copy
        await person.question()
    shutil.copytree(copy, fresh)
    assert person.token is not None
    key = SessionKey(CHANNEL, chat_id_for(person.token))
    restored = app_config(fresh, database_url=f"sqlite+aiosqlite:///{fresh / 'bot.db'}")
    async with serving_app(restored) as (app, _):
        session = await app[STORE].load(key)
    assert session is not None
    assert (fresh / "badge-keys").is_dir()


@pytest.mark.postgres
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
async def test_a_live_postgres_bot_backed_up_with_pg_dump_and_restored_goes_on(
    tmp_path: Path,
) -> None:
    live, copy, fresh = tmp_path / "live", tmp_path / "copy", tmp_path / "fresh"
    async with fresh_postgres() as source, fresh_postgres() as target:
        config = app_config(live, database_url=source)
        async with serving_app(config) as (app, url), web_chat(url) as person:
            await onboard(person)
            env = {"BOT_DATA_DIR": str(live), "DATABASE_URL": source}
            await run(sys.executable, "-m", "bot.host.backup", str(copy), env=env, cwd=tmp_path)
        plain = make_url(target).set(drivername="postgresql").render_as_string(False)
        sql = str(copy / "postgres.sql")
        await run("psql", "-q", "-v", "ON_ERROR_STOP=1", "-f", sql, plain, env={}, cwd=tmp_path)
        shutil.copytree(copy, fresh)
        assert person.token is not None
        key = SessionKey(CHANNEL, chat_id_for(person.token))
        async with serving_app(app_config(fresh, database_url=target)) as (app, _):
            session = await app[STORE].load(key)
    assert session is not None
