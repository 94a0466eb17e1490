"""Two workers on one PostgreSQL database: a web-chat person on either gets every reply."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import select, text

from bot.app import CONVERSATIONS, STORE
from bot.channels.webchat import CHANNEL, chat_id_for
from bot.config import Config
from bot.db.locks import SENDER_LOCK
from bot.db.models import conversations, outbox
from bot.framework.events import CommandReceived, Inbound
from bot.framework.session import SessionKey
from tests.app_support import app_config, onboard, payloads, serving_app, web_chat
from tests.host.postgres_support import fresh_postgres
from tests.test_privacy_app import eventually


@asynccontextmanager
async def two_workers(
    config: Config,
) -> AsyncIterator[tuple[web.Application, web.Application, str]]:
    """The worker holding the sender lease, then another: (the first, the other, its URL).

    The second starts once the first's sender holds the lease, so which one sends for the
    platforms is known (asking the lease from the test would race the sender's own asks).
    """
    async with serving_app(config) as (leader, _):
        assert await eventually(lambda: lease_not_taken(leader)) == []
        async with serving_app(config) as (other, url):
            yield leader, other, url


async def lease_not_taken(app: web.Application) -> list[str]:
    """[] once some session of the app's database holds the sender lease."""
    query = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
        " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        " AND classid = :high AND objid = :low"
    )
    async with app[STORE].engine.connect() as conn:
        held = await conn.scalar(query, {"high": SENDER_LOCK >> 32, "low": SENDER_LOCK % 2**32})
    return [] if held else ["the sender lease is free"]


@pytest.mark.postgres
async def test_replies_reach_a_socket_on_the_worker_that_does_not_hold_the_sender_lease(
    tmp_path: Path,
) -> None:
    async with fresh_postgres() as database:
        config = replace(app_config(tmp_path, database_url=database), workers=2)
        async with (
            two_workers(config) as (leader, _, url),  # it sends Telegram and WhatsApp
            web_chat(url) as person,
        ):
            menu = await onboard(person)  # sent by the worker holding the socket
            assert menu["buttons"]
            assert person.token is not None
            key = SessionKey(CHANNEL, chat_id_for(person.token))
            # An event applied on the leader (as a counsellor's reply there would be)
            now = datetime.now(UTC)
            await leader[CONVERSATIONS].handle(
                Inbound(key, CommandReceived("help"), "help-1", now)
            )
            frame = await person.next("message")
            assert "🙋" in frame["text"]  # the help text


async def erasures_waiting(app: web.Application) -> list[str]:
    """The erasure rows still in the outbox, parked or not."""
    async with app[STORE].engine.connect() as conn:
        found = await conn.scalars(select(outbox.c.id).where(outbox.c.action.contains("erased")))
        return [str(row_id) for row_id in found]


@pytest.mark.postgres
async def test_retention_erases_a_web_chat_person_with_no_tab_open_on_any_worker(
    tmp_path: Path,
) -> None:
    async with fresh_postgres() as database:
        config = replace(app_config(tmp_path, database_url=database), workers=2)
        async with two_workers(config) as (leader, other, url):
            async with web_chat(url) as person:
                await onboard(person)
                assert person.token is not None
                key = SessionKey(CHANNEL, chat_id_for(person.token))
            now = datetime.now(UTC)
            assert await other[STORE].expire(now + timedelta(seconds=1), now) == [key]
            assert await eventually(lambda: erasures_waiting(leader)) == []


@pytest.mark.postgres
async def test_a_delete_confirmed_as_the_tab_closes_is_carried_out_with_two_workers(
    tmp_path: Path,
) -> None:
    async with fresh_postgres() as database:
        config = replace(app_config(tmp_path, database_url=database), workers=2)
        async with two_workers(config) as (leader, _, url):
            async with web_chat(url) as person:  # on the worker that does not hold the lease
                await onboard(person)
                await person.say("/delete")
                await person.question()
                assert person.token is not None
                key = SessionKey(CHANNEL, chat_id_for(person.token))
                await person.tap("del:yes")  # and the tab closes at once, the goodbye unread

            async def left() -> list[str]:
                kept = await leader[STORE].export(key)
                waiting: list[str] = kept["pending_messages"]
                return await erasures_waiting(leader) + waiting

            assert await eventually(left) == []
            async with leader[STORE].engine.connect() as conn:
                query = select(conversations.c.id).where(conversations.c.chat_id == key.chat_id)
                assert (await conn.execute(query)).first() is None


@pytest.mark.postgres
async def test_a_start_right_after_a_delete_is_answered_in_order_with_two_workers(
    tmp_path: Path,
) -> None:
    async with fresh_postgres() as database:
        config = replace(app_config(tmp_path, database_url=database), workers=2)
        async with two_workers(config) as (leader, _, url):
            async with web_chat(url) as person:
                await onboard(person)
                await person.confirm_delete()
                await person.say("/start")  # at once: before the erasure has run
                while "Everything is deleted" not in (await person.next("message"))["text"]:
                    pass
                assert any(p.startswith("lang:") for p in payloads(await person.question()))
                assert await eventually(lambda: erasures_waiting(leader)) == []
                assert person.token is not None
                key = SessionKey(CHANNEL, chat_id_for(person.token))
            assert await leader[STORE].load(key) is not None  # the /start's conversation
