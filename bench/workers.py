"""Benchmark: 1,000 people over a light Telegram stand-in (webhook) against 1 and 2 workers.

Each round creates an empty PostgreSQL database, starts `python -m bot --workers N` on it in
webhook mode against a Bot API stand-in served by this script, and drives the people at
once, closed loop (each taps as soon as the next question arrives): /start, English, yes, a
category, then --questions answers. Updates are POSTed to the webhook over one shared
connection pool of up to 40 connections, as Telegram does (max_connections). The rate limits
are raised so only CPU and the database count.

The driver is one asyncio process kept light, so that on a small machine the figures are
the bot's: the stand-in answers each Bot API call with a minimal result, parses only a sent
message's chat and buttons, and wakes only the person the message is for (the test suite's
stand-in records everything and wakes every waiting person on every call). Besides events/s
and the reply latency (tap to next question, p50/p99), it prints the bot's CPU time per event
(its processes, workers included) and the driver's own, so a busy machine shows as such.

    .venv/bin/python bench/workers.py                       # 1,000 people; 1 and 2 workers
    .venv/bin/python bench/workers.py --people 200 --workers 1 2 4
    BENCH_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/postgres .venv/bin/python ...
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
import orjson
from aiohttp import web
from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine

TOKEN = "123456:BENCH-token_abc"
SECRET = "bench-secret_0123"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WAIT = 300.0  # seconds for one reply: a slow shared machine stretches them; a bench, not a test
LOG = bool(os.environ.get("BENCH_LOG"))  # BENCH_LOG=1: the bot's log on stderr
ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL",
    os.environ.get("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"),
)
ROOT = Path(__file__).resolve().parent.parent
_TICK = os.sysconf("SC_CLK_TCK")
_BOT_USER = {"id": 7000000001, "is_bot": True, "first_name": "Bench bot", "username": "bench_bot"}
_SENDS = frozenset({"sendmessage", "sendphoto", "senddocument", "sendvoice", "sendaudio"})
_MESSAGES = _SENDS | {"editmessagetext", "editmessagereplymarkup", "editmessagecaption"}

Json = dict[str, Any]


class StandIn:
    """The Bot API as far as the bot uses it in this walk; every call succeeds.

    A person waits for the next message sent to their chat with a button whose payload begins
    with a prefix (`expect`); only sends count (an edit marks an old question answered).
    """

    def __init__(self) -> None:
        self.webhooks = 0
        self.calls = 0
        self._webhooks_set = asyncio.Condition()
        self._waiting: dict[int, tuple[str, asyncio.Future[list[str]]]] = {}
        self._message_ids = itertools.count(1000)
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def start(self) -> None:
        """Serve on a free port of 127.0.0.1."""
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._serve)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def stop(self) -> None:
        """Close the server."""
        if self._runner is not None:
            await self._runner.cleanup()

    async def wait_for_webhooks(self, count: int, timeout: float) -> None:  # noqa: ASYNC109
        """Until `count` setWebhook calls came (one per worker)."""
        async with self._webhooks_set:
            await asyncio.wait_for(
                self._webhooks_set.wait_for(lambda: self.webhooks >= count), timeout
            )

    def expect(self, chat_id: int, prefix: str) -> asyncio.Future[list[str]]:
        """A future for the payloads of the next message to `chat_id` with a `prefix` button."""
        found: asyncio.Future[list[str]] = asyncio.get_running_loop().create_future()
        self._waiting[chat_id] = (prefix, found)
        return found

    async def _serve(self, request: web.Request) -> web.Response:
        self.calls += 1
        method = request.match_info["method"].lower()
        result: Any = True
        if method in _MESSAGES:
            result = self._message(method, await request.read(), request.content_type)
        elif method == "getme":
            result = _BOT_USER
        elif method == "setwebhook":
            async with self._webhooks_set:
                self.webhooks += 1
                self._webhooks_set.notify_all()
        elif method == "getwebhookinfo":
            result = {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        elif method.startswith("get"):
            result = []
        return web.Response(
            body=orjson.dumps({"ok": True, "result": result}), content_type="application/json"
        )

    def _message(self, method: str, body: bytes, content_type: str) -> Json:
        params = dict(parse_qsl(body.decode())) if content_type.endswith("urlencoded") else {}
        chat_id = int(params.get("chat_id", 0))
        if method in _SENDS and chat_id in self._waiting:
            prefix, found = self._waiting[chat_id]
            payloads = _payloads(params.get("reply_markup"))
            if any(p.startswith(prefix) for p in payloads) and not found.done():
                del self._waiting[chat_id]
                found.set_result(payloads)
        message_id = int(params.get("message_id", 0)) or next(self._message_ids)
        chat = {"id": chat_id, "type": "private", "first_name": "P"}
        return {"message_id": message_id, "date": int(time.time()), "chat": chat, "text": "."}


def _payloads(markup: str | None) -> list[str]:
    if not markup:
        return []
    rows = orjson.loads(markup).get("inline_keyboard", [])
    return [str(b["callback_data"]) for row in rows for b in row if "callback_data" in b]


class Person:
    """One private chat, tapping through as quickly as the replies come."""

    _update_ids = itertools.count(100000001)

    def __init__(self, chat_id: int, api: StandIn, post: Callable[[bytes], Awaitable[None]]):
        self.chat_id, self.api, self._post = chat_id, api, post
        self.user = {"id": chat_id, "is_bot": False, "first_name": "P", "language_code": "en"}
        self.chat = {"id": chat_id, "type": "private", "first_name": "P"}
        self.latencies: list[float] = []
        self.events = 0

    async def send(self, update: Json, expect: str) -> list[str]:
        """POST one update; the payloads of the reply with a button starting with `expect`."""
        found = self.api.expect(self.chat_id, expect)
        self.events += 1
        await self._post(orjson.dumps({"update_id": next(self._update_ids), **update}))
        return await asyncio.wait_for(found, WAIT)

    async def say(self, words: str, expect: str) -> list[str]:
        """A text; a /command gets its entity."""
        message: Json = {"message_id": 1, "date": int(time.time()), "chat": self.chat}
        message.update({"from": self.user, "text": words})
        if words.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(words)}]
        return await self.send({"message": message}, expect)

    async def tap(self, payload: str, expect: str) -> list[str]:
        """A tap on a button of the bot's last message."""
        message = {"message_id": 2, "date": int(time.time()), "chat": self.chat, "text": "."}
        query = {"id": uuid.uuid4().hex, "from": self.user, "message": message}
        query.update({"chat_instance": f"-{self.chat_id}", "data": payload})
        return await self.send({"callback_query": query}, expect)

    async def walk(self, questions: int) -> None:
        """Start, English, yes, the first category, then `questions` answers (the top option)."""
        await self.say("/start", "lang:")
        await self.tap("lang:en", "consent:")
        menu = await self.tap("consent:yes", "cat:")
        shown = await self.tap(next(p for p in menu if p.startswith("cat:")), "q:")
        for _ in range(questions):
            option = next(p for p in shown if p.startswith("q:") and not p.endswith(":-"))
            began = time.monotonic()
            shown = await self.tap(option, "q:")
            self.latencies.append(time.monotonic() - began)


def process_tree_cpu(pid: int) -> dict[int, float]:
    """User plus system CPU seconds of `pid` and of each of its children now (Linux /proc)."""
    seconds = {}
    children = Path(f"/proc/{pid}/task/{pid}/children")
    for each in [pid, *map(int, children.read_text().split())]:
        fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        seconds[each] = (int(fields[11]) + int(fields[12])) / _TICK
    return seconds


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def round_of(workers: int, people: int, questions: int) -> str:
    admin = create_async_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"bench_{uuid.uuid4().hex[:10]}"
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    database = make_url(ADMIN_URL).set(database=name).render_as_string(False)
    api = StandIn()
    await api.start()
    try:
        return await _drive(api, database, workers, people, questions)
    finally:
        await api.stop()
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        await admin.dispose()


async def _drive(api: StandIn, database: str, workers: int, people: int, questions: int) -> str:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data_dir:
        env = {
            **os.environ, "BOT_DATA_DIR": data_dir, "DATABASE_URL": database,
            "WEB_PORT": str(port), "PUBLIC_URL": url, "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": api.base_url, "TELEGRAM_MODE": "webhook",
            "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_CHAT_RATE": "1000",
            "TELEGRAM_GLOBAL_RATE": "1000",
        }  # fmt: skip
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--workers", str(workers), env=env, cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL, stderr=None if LOG else asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            await api.wait_for_webhooks(workers, 120)
            connector = aiohttp.TCPConnector(limit=40)
            async with aiohttp.ClientSession(connector=connector) as http:
                hook = f"{url}/telegram/webhook"
                headers = {SECRET_HEADER: SECRET, "Content-Type": "application/json"}

                async def post(body: bytes) -> None:
                    async with http.post(hook, data=body, headers=headers) as reply:
                        if reply.status != 200:
                            raise RuntimeError(f"the webhook answered {reply.status}")

                crowd = [Person(50_000 + n, api, post) for n in range(people)]
                bot_cpu, own_cpu = process_tree_cpu(bot.pid), time.process_time()
                began = time.monotonic()
                await asyncio.gather(*(person.walk(questions) for person in crowd))
                elapsed = time.monotonic() - began
                after = process_tree_cpu(bot.pid)
                own_cpu = time.process_time() - own_cpu
                spent = {pid: after[pid] - bot_cpu.get(pid, 0.0) for pid in after}
        finally:
            bot.send_signal(signal.SIGTERM)
            await bot.wait()
    events = sum(person.events for person in crowd)
    latencies = sorted(seconds for person in crowd for seconds in person.latencies)
    total = sum(spent.values())
    shares = " + ".join(f"{spent[pid] / elapsed:.0%}" for pid in sorted(spent) if pid != bot.pid)
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    return (
        f"{workers} worker(s) | {people} people x {questions} answers | {events} events in "
        f"{elapsed:5.1f} s = {events / elapsed:6.1f} events/s | tap to next question p50 "
        f"{statistics.median(latencies):.2f} s, p99 {p99:.2f} s | CPU per event: bot "
        f"{total / events * 1000:.1f} ms, driver {own_cpu / events * 1000:.1f} ms | "
        f"workers' CPU: {shares or 'one process'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--people", type=int, default=1000, help="people at once (1000)")
    parser.add_argument("--questions", type=int, default=3, help="answers per person (3)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="(1 2)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    for workers in args.workers:
        print(asyncio.run(round_of(workers, args.people, args.questions)), flush=True)


if __name__ == "__main__":
    main()
