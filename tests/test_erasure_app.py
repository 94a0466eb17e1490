"""The real app: what a person does right after /delete is answered, in order, and kept."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web
from sqlalchemy import select, text

from bot.app import CONVERSATIONS, STORE
from bot.channels.webchat import CHANNEL, chat_id_for
from bot.db.models import outbox
from bot.framework.actions import DataErased
from bot.framework.events import ChoiceSelected, Event, Inbound, TextReceived
from bot.framework.session import SessionKey
from tests.app_support import WebChatClient, app_config, onboard, payloads, serving_app, web_chat
from tests.test_privacy_app import REPLY, SECRET, a_person_with_everything, eventually, rows_naming

GOODBYE = "Everything is deleted"


async def until_goodbye(client: WebChatClient) -> None:
    """Read up to the next goodbye of /delete."""
    while GOODBYE not in (await client.next("message"))["text"]:
        pass


async def test_a_start_typed_during_the_erasure_is_answered_and_kept(
    database_url: str, tmp_path: Path
) -> None:
    config = app_config(tmp_path, database_url=database_url)
    async with serving_app(config) as (app, url), web_chat(url) as client:
        await onboard(client)
        await client.confirm_delete()
        await client.say("/start")  # at once: the sender has not erased anything yet
        await until_goodbye(client)
        assert any(p.startswith("lang:") for p in payloads(await client.question()))
        await client.tap("lang:en")
        await client.question()
        await client.tap("consent:yes")
        assert any(p.startswith("cat:") for p in payloads(await client.menu()))
        assert client.token is not None
        key = SessionKey(CHANNEL, chat_id_for(client.token))

        async def erasing() -> list[str]:
            waiting = await app[STORE].pending(channel=CHANNEL)
            return [str(i.id) for i in waiting if isinstance(i.action, DataErased)]

        assert await eventually(erasing) == []
        session = await app[STORE].load(key)
    assert session is not None
    assert session.consent


async def test_a_second_delete_during_the_first_erasure_is_answered_and_carried_out(
    database_url: str, tmp_path: Path
) -> None:
    config = app_config(tmp_path, database_url=database_url)
    async with serving_app(config) as (app, url), web_chat(url) as client:
        await onboard(client)
        await client.confirm_delete()  # then all at once, before the first erasure runs
        for step in ("/start", "lang:en", "consent:yes", "/delete", "del:yes", "/start"):
            await (client.say(step) if step.startswith("/") else client.tap(step))
        await until_goodbye(client)
        await until_goodbye(client)  # the second /delete's, not erased by the first
        assert any(p.startswith("lang:") for p in payloads(await client.question()))

        async def erasing() -> list[str]:
            waiting = await app[STORE].pending(channel=CHANNEL)
            return [str(i.id) for i in waiting if isinstance(i.action, DataErased)]

        assert await eventually(erasing) == []
        assert client.token is not None
        session = await app[STORE].load(SessionKey(CHANNEL, chat_id_for(client.token)))
    assert session is not None  # the last /start's
    assert not session.consent


async def taken_as_the_tab_closed(app: web.Application, key: SessionKey, event: Event) -> None:
    """An event the server took from a tab that closed before its replies went out."""
    inbound = Inbound(key, event, f"{key.chat_id[:12]}:{uuid.uuid4()}", datetime.now(UTC))
    await app[CONVERSATIONS].handle(inbound)


async def erasures_waiting(app: web.Application) -> list[str]:
    """The erasure rows still in the outbox, parked or not."""
    async with app[STORE].engine.connect() as conn:
        found = await conn.scalars(
            select(outbox.c.id).where(outbox.c.action.contains("data_erased"))
        )
        return [str(row_id) for row_id in found]


async def test_a_delete_confirmed_as_the_tab_closed_is_carried_out_at_once(
    database_url: str, tmp_path: Path
) -> None:
    config = app_config(tmp_path, database_url=database_url)
    async with serving_app(config) as (app, url):
        async with web_chat(url) as client:
            await a_person_with_everything(app, client)
            await client.say("/delete")
            await client.question()
            assert client.token is not None
            key = SessionKey(CHANNEL, chat_id_for(client.token))
        needles = [key.chat_id, key.chat_id[:12], SECRET, REPLY]
        assert await rows_naming(app, needles)
        # The tap is taken, and the tab closes before its goodbye can be shown.
        await taken_as_the_tab_closed(app, key, ChoiceSelected("del:yes"))

        async def left() -> list[str]:
            return await rows_naming(app, needles) + await erasures_waiting(app)

        assert await eventually(left) == []  # not when they come back (they never can)
        async with app[STORE].engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM outbox"))).scalar() == 0


async def test_a_start_typed_before_the_tab_closed_waits_for_the_person_the_erasure_does_not(
    database_url: str, tmp_path: Path
) -> None:
    config = app_config(tmp_path, database_url=database_url)
    async with serving_app(config) as (app, url):
        async with web_chat(url) as client:
            await onboard(client)
            await client.say("/delete")
            await client.question()
            token = client.token
            assert token is not None
            key = SessionKey(CHANNEL, chat_id_for(token))
        await taken_as_the_tab_closed(app, key, ChoiceSelected("del:yes"))
        await taken_as_the_tab_closed(app, key, TextReceived("/start"))
        assert await eventually(lambda: erasures_waiting(app)) == []
        session = await app[STORE].load(key)
        assert session is not None  # the /start's, not erased
        assert not session.consent
        async with web_chat(url) as client:
            await client.hello(token)  # known again: what waited for them comes first
            assert any(p.startswith("lang:") for p in payloads(await client.question()))
