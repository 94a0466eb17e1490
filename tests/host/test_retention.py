"""Retention: people inactive for RETENTION_DAYS are erased like /delete; badges stay valid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web
from prometheus_client import generate_latest
from sqlalchemy import func, select

from bot.app import SENDER, STORE, build_app
from bot.channels.webchat import CHANNEL, chat_id_for
from bot.db.models import conversations, outbox
from bot.framework.session import SessionKey
from bot.host.metrics import BotMetrics
from bot.host.retention import Retention
from tests.app_support import app_config, onboard, web_chat
from tests.host.test_ops_endpoints import sample


async def test_an_inactive_person_is_erased_and_an_active_one_kept(
    tmp_path: Path, database_url: str
) -> None:
    app = await build_app(app_config(tmp_path, database_url=database_url, retention_days=30))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    store, sender = app[STORE], app[SENDER]
    try:
        async with web_chat(url) as old:
            await onboard(old)
        assert old.token is not None
        old_key = SessionKey(CHANNEL, chat_id_for(old.token))
        later = datetime.now(UTC) + timedelta(days=31)
        async with web_chat(url) as recent:
            await onboard(recent)
        assert recent.token is not None
        recent_key = SessionKey(CHANNEL, chat_id_for(recent.token))
        async with store.engine.begin() as conn:  # the recent one was active a day ago
            await conn.execute(
                conversations.update()
                .where(conversations.c.chat_id == recent_key.chat_id)
                .values(updated_at=later - timedelta(days=1))
            )
        metrics = BotMetrics()
        job = Retention(store, 30, metrics, lambda: later)  # the sender is not told: no need
        assert await job.run_once() == 1
        assert await job.run_once() == 0  # once only

        async def gone() -> bool:
            async with store.engine.connect() as conn:
                rows = await conn.scalar(
                    select(func.count())
                    .select_from(conversations)
                    .where(conversations.c.chat_id == old_key.chat_id)
                )
                waiting = await conn.scalar(select(func.count()).select_from(outbox))
            return rows == 0 and waiting == 0

        for _ in range(200):  # the sender carries the erasure out
            if await gone():
                break
            await sender_tick(sender)
        assert await gone()
        assert await store.load(old_key) is None
        assert await store.load(recent_key) is not None
        text = generate_latest(metrics.registry).decode()
        assert sample(text, "bot_retention_erased_total") == 1
        assert sample(text, "bot_retention_runs_total") == 2
    finally:
        await runner.cleanup()


async def sender_tick(sender: object) -> None:
    import asyncio

    await asyncio.sleep(0.05)  # polling a database condition the sender changes
