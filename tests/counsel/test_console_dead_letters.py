"""Admins see on the console how many messages were set aside (counts, never a person)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from aiohttp import web

from bot.app import CASES, STORE, build_app
from bot.framework.actions import SendText
from bot.framework.engine_types import Sprint
from bot.framework.events import Inbound, TextReceived
from bot.framework.session import Session, SessionKey
from tests.app_support import app_config
from tests.counsel.console_support import ANA, PASSWORD, console_client

PERSON = SessionKey("web", "chat-5550123")
ROOT = "Root Admin"


async def test_admins_see_set_aside_messages_and_others_do_not(tmp_path: Path) -> None:
    app = await build_app(app_config(tmp_path))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    try:
        await app[CASES].add_counsellor(None, ROOT, is_admin=True, password=PASSWORD)
        await app[CASES].add_counsellor(None, ANA, password=PASSWORD)
        store = app[STORE]
        step = lambda _: Sprint(Session(PERSON), [SendText("secret words")])  # noqa: E731
        inbound = Inbound(PERSON, TextReceived("hi"), "e1", datetime.now(UTC))
        [row_id] = await store.process(inbound, step) or []
        await store.set_aside(row_id, "DataError")
        async with console_client(url) as admin:
            await admin.login(ROOT)
            _, queue = await admin.get("/counsellor")
            status, page = await admin.get("/counsellor/dead-letters")
        async with console_client(url) as counsellor:
            await counsellor.login(ANA)
            _, plain_queue = await counsellor.get("/counsellor")
            refused, _ = await counsellor.get("/counsellor/dead-letters")
    finally:
        await runner.cleanup()
    assert "Messages not delivered and set aside: 1" in queue
    assert status == 200
    assert "<td>web</td><td>DataError</td><td>1</td>" in page
    for shown in (queue, page):
        assert PERSON.chat_id not in shown
        assert "secret words" not in shown
    assert "not delivered" not in plain_queue
    assert refused == 403
