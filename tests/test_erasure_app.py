"""The real app: what a person does right after /delete is answered, in order, and kept."""

from __future__ import annotations

from pathlib import Path

from bot.app import STORE
from bot.channels.webchat import CHANNEL, chat_id_for
from bot.framework.actions import DataErased
from bot.framework.session import SessionKey
from tests.app_support import WebChatClient, app_config, onboard, payloads, serving_app, web_chat
from tests.test_privacy_app import eventually

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
        await client.say("/delete")
        await client.question()
        await client.tap("del:yes")
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
        await client.say("/delete")
        await client.question()
        await client.tap("del:yes")  # then all at once, before the first erasure runs
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
