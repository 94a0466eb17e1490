"""Two workers on one PostgreSQL database: a web-chat person on either gets every reply."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.app import CONVERSATIONS, STORE
from bot.channels.webchat import CHANNEL, chat_id_for
from bot.framework.events import CommandReceived, Inbound
from bot.framework.session import SessionKey
from tests.app_support import app_config, onboard, serving_app, web_chat
from tests.host.postgres_support import fresh_postgres


@pytest.mark.postgres
async def test_replies_reach_a_socket_on_the_worker_that_does_not_hold_the_sender_lease(
    tmp_path: Path,
) -> None:
    async with fresh_postgres() as database:
        config = replace(app_config(tmp_path, database_url=database), workers=2)
        async with serving_app(config) as (leader, _), serving_app(config) as (other, url):
            assert await leader[STORE].hold_sender_lease()  # it sends Telegram and WhatsApp
            assert not await other[STORE].hold_sender_lease()
            async with web_chat(url) as person:
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
