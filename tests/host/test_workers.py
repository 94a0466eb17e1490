"""Several workers: refused on SQLite; on PostgreSQL one port, order kept, nothing sent twice."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.fakes.telegram_api import SECRET_HEADER, FakeTelegramApi, SentMessage
from tests.host.postgres_support import fresh_postgres
from tests.test_startup import free_port, start

SECRET = "workers-secret_0123"
PEOPLE = 12


@pytest.mark.parametrize("how", [{"WORKERS": "2"}, {"--workers": "2"}])
def test_several_workers_on_sqlite_are_refused_with_one_line(
    tmp_path: Path, how: dict[str, str]
) -> None:
    if "--workers" in how:
        base = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "WEB_"))}
        base.update({"BOT_DATA_DIR": str(tmp_path), "WEB_PORT": str(free_port())})
        result = subprocess.run(
            [sys.executable, "-m", "bot", "--workers", "2"],
            cwd=tmp_path, env=base, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
    else:
        result = start(tmp_path, **how)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "WORKERS" in lines[0]
    assert "PostgreSQL" in lines[0]


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramApi]:
    async with FakeTelegramApi() as fake:
        yield fake


def buttons(message: SentMessage) -> list[str]:
    return [data for _, data in message.buttons()]


async def redeliver(url: str, update: dict[str, Any]) -> int:
    """POST an update again on a connection of its own (so it may reach the other worker)."""
    connector = aiohttp.TCPConnector(force_close=True)
    async with (
        aiohttp.ClientSession(connector=connector) as http,
        http.post(url, json=update, headers={SECRET_HEADER: SECRET}) as reply,
    ):
        return reply.status


async def person(api: FakeTelegramApi, chat_id: int, webhook: str) -> list[asyncio.Task[int]]:
    """/start, English, yes; every update is also delivered a second time, at once."""
    again: list[asyncio.Task[int]] = []
    seen = 0

    async def next_with(prefix: str) -> SentMessage:
        nonlocal seen
        found: list[SentMessage] = []

        def arrived() -> bool:
            nonlocal seen
            messages = api.messages_for(chat_id)
            for message in messages[seen:]:
                seen += 1
                if any(data.startswith(prefix) for data in buttons(message)):
                    found.append(message)
                    return True
            return False

        await api.wait_for(arrived, 30)
        return found[0]

    update = await api.user_sends_text(chat_id, "/start")
    again.append(asyncio.create_task(redeliver(webhook, update)))
    for prefix, tap in (("lang:", "lang:en"), ("consent:", "consent:yes")):
        message = await next_with(prefix)
        update = await api.user_taps(chat_id, message.message_id, tap)
        again.append(asyncio.create_task(redeliver(webhook, update)))
    await next_with("cat:")
    return again


@pytest.mark.postgres
async def test_two_workers_keep_each_chat_in_order_and_send_nothing_twice(
    api: FakeTelegramApi, tmp_path: Path
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    async with fresh_postgres() as database:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "WEB_"))},
            "BOT_DATA_DIR": str(tmp_path), "DATABASE_URL": database, "WEB_PORT": str(port),
            "PUBLIC_URL": url, "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url, "TELEGRAM_MODE": "webhook",
            "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_CHAT_RATE": "50", "LOG_FORMAT": "json",
        }  # fmt: skip
        log = (tmp_path / "bot.log").open("wb")  # a file: a full pipe would stall the workers
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--workers", "2",
            cwd=tmp_path, env=env, stdout=log, stderr=log,
        )  # fmt: skip
        try:
            await api.wait_for(lambda: len(api.calls_of("setWebhook")) >= 2, 60)
            webhook = f"{url}/telegram/webhook"
            chats = range(7001, 7001 + PEOPLE)
            again = await asyncio.gather(*(person(api, chat, webhook) for chat in chats))
            statuses = await asyncio.gather(*(task for tasks in again for task in tasks))
            async with aiohttp.ClientSession() as http, http.get(f"{url}/metrics") as reply:
                metrics = await reply.text()
        finally:
            bot.send_signal(signal.SIGTERM)
            await asyncio.wait_for(bot.wait(), 30)
            log.close()
    err = (tmp_path / "bot.log").read_text()
    assert bot.returncode == 0, err[-2000:]
    assert set(statuses) == {200}
    for chat in chats:
        sent = api.messages_for(chat)
        shown = [(m.text, tuple(buttons(m))) for m in sent]
        assert len(shown) == len(set(shown)), f"chat {chat} got a message twice"
        firsts = [next(i for i, m in enumerate(sent) if any(b.startswith(p) for b in buttons(m)))
                  for p in ("lang:", "consent:", "cat:")]  # fmt: skip
        assert firsts == sorted(firsts)
    pids = {
        line["pid"]
        for line in map(json.loads, filter(lambda line: line.startswith("{"), err.splitlines()))
        if line["logger"] == "aiohttp.access" and "/telegram/webhook" in line["msg"]
    }
    assert len(pids) == 2, "both workers took webhook requests"
    assert f'bot_events_applied_total{{channel="telegram"}} {3.0 * PEOPLE}' in metrics


def listening_sockets(port: int) -> set[str]:
    """The inodes of the sockets listening on `port` (from /proc/net/tcp and tcp6)."""
    found: set[str] = set()
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        for row in table.read_text().splitlines()[1:]:
            fields = row.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) == port:
                found.add(fields[9])
    return found


@pytest.mark.postgres
async def test_each_worker_listens_on_a_socket_of_its_own_and_takes_connections(
    tmp_path: Path,
) -> None:
    """On one shared socket, the first worker to accept kept every keep-alive connection."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    async with fresh_postgres() as database:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "WEB_"))},
            "BOT_DATA_DIR": str(tmp_path), "DATABASE_URL": database, "WEB_PORT": str(port),
            "LOG_FORMAT": "json",
        }  # fmt: skip
        log = (tmp_path / "bot.log").open("wb")
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--workers", "2",
            cwd=tmp_path, env=env, stdout=log, stderr=log,
        )  # fmt: skip
        try:
            deadline = asyncio.get_running_loop().time() + 60
            while len(listening_sockets(port)) != 2:  # polled: the kernel announces nothing
                assert asyncio.get_running_loop().time() < deadline, listening_sockets(port)
                await asyncio.sleep(0.05)
            connector = aiohttp.TCPConnector(limit=32)
            async with aiohttp.ClientSession(connector=connector) as http:

                async def healthy() -> int:
                    async with http.get(f"{url}/healthz") as reply:
                        return reply.status

                for _ in range(3):  # 32 keep-alive connections, each used three times
                    assert set(await asyncio.gather(*(healthy() for _ in range(32)))) == {200}
        finally:
            bot.send_signal(signal.SIGTERM)
            await asyncio.wait_for(bot.wait(), 30)
            log.close()
    err = (tmp_path / "bot.log").read_text()
    assert bot.returncode == 0, err[-2000:]
    pids = [
        line["pid"]
        for line in map(json.loads, filter(lambda line: line.startswith("{"), err.splitlines()))
        if line["logger"] == "aiohttp.access" and "/healthz" in line["msg"]
    ]
    assert len(set(pids)) == 2, "both workers took connections"
    assert min(pids.count(pid) for pid in set(pids)) >= 8  # spread, not one worker's
