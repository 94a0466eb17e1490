"""/healthz, /readyz and /metrics of the running app, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp

from tests.app_support import app_config, onboard, running_app, web_chat


def sample(text: str, name: str, labels: str = "") -> float:
    """The value of one sample in Prometheus' text format (0 when absent)."""
    found = re.search(rf"^{re.escape(name + labels)} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


async def get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as reply:
        return reply.status, reply.headers["Content-Type"], await reply.text()


async def test_ready_once_migrated_and_metrics_count_what_happened(
    tmp_path: Path, database_url: str
) -> None:
    async with running_app(app_config(tmp_path, database_url=database_url)) as url:
        assert (await get(f"{url}/healthz"))[0] == 200
        status, _, body = await get(f"{url}/readyz")
        assert status == 200, body
        _, _, before = await get(f"{url}/metrics")
        async with web_chat(url) as person:
            await onboard(person)
        status, kind, after = await get(f"{url}/metrics")

    assert status == 200
    assert kind.startswith("text/plain")
    web = '{channel="web"}'
    assert sample(before, "bot_events_applied_total", web) == 0
    assert sample(after, "bot_events_applied_total", web) == 3  # hello, language, consent
    assert sample(after, "bot_event_seconds_count") == 3
    assert sample(after, "bot_sends_total", web) >= 3
    for gauge in (
        "bot_outbox_depth",
        "bot_outbox_oldest_age_seconds",
        "bot_cases_open",
        "bot_cases_oldest_wait_seconds",
        "bot_badges_issued",
        "bot_dead_letters",
    ):
        assert re.search(rf"^{gauge} \d", after, re.MULTILINE), gauge
    assert "bot_retention_runs_total 1.0" in after  # a pass at start-up


async def test_not_ready_when_the_schema_is_behind(tmp_path: Path, database_url: str) -> None:
    from sqlalchemy import text

    from bot.app import STORE

    config = app_config(tmp_path, database_url=database_url)
    from bot.app import build_app

    app = await build_app(config)
    async with app[STORE].engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    runner = aiohttp.web.AppRunner(app)
    await runner.setup()
    site = aiohttp.web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        status, _, body = await get(f"http://127.0.0.1:{port}/readyz")
    finally:
        await runner.cleanup()
    assert status == 503
    assert "0001" in body
