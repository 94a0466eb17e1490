"""Benchmark: 1,000 people over the Telegram stand-in (webhook) against 1 and 2 workers.

Each round creates an empty PostgreSQL database, starts `python -m bot --workers N` on it in
webhook mode against the Bot API stand-in (in this process), and drives the people at once,
closed loop (each taps as soon as the next question arrives): /start, English, yes, a
category, then --questions answers. Updates are POSTed to the webhook over up to 40
connections at once, as Telegram does (max_connections). The rate limits are raised so only
CPU and the database count. Prints events/s and reply latency (tap to the next question).

    .venv/bin/python bench/workers.py                       # 1,000 people; 1 and 2 workers
    .venv/bin/python bench/workers.py --people 200 --workers 1 2 4
    BENCH_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:5432/postgres .venv/bin/python ...
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

import aiohttp  # noqa: E402
from sqlalchemy import make_url, text  # noqa: E402
from sqlalchemy.ext.asyncio import create_async_engine  # noqa: E402

from tests.e2e import telegram_people  # noqa: E402
from tests.e2e.telegram_people import Person, percentile  # noqa: E402
from tests.fakes.telegram_api import SECRET_HEADER, FakeTelegramApi, SentMessage  # noqa: E402
from tests.test_startup import free_port  # noqa: E402

SECRET = "bench-secret_0123"
LOG = bool(os.environ.get("BENCH_LOG"))  # BENCH_LOG=1: the bot's log on stderr
telegram_people.WAIT = 300.0  # a slow shared machine stretches replies; a bench, not a test
ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL",
    os.environ.get("TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"),
)


class WebhookPerson(Person):
    """A person whose updates this script POSTs to the webhook (not the stand-in's pusher)."""

    def __init__(self, api: FakeTelegramApi, chat_id: int, post: Any) -> None:
        super().__init__(api, chat_id)
        self._post = post

    async def say(self, text: str) -> None:
        """Send a text."""
        self.actions += 1
        await self._post(await self.api.user_sends_text(self.chat_id, text))

    async def tap(self, message: SentMessage, payload: str) -> None:
        """Tap a button."""
        self.actions += 1
        await self._post(await self.api.user_taps(self.chat_id, message.message_id, payload))


async def walk(person: Person, questions: int) -> None:
    question = await person.open(await person.onboard(), "SOC")
    for _ in range(questions):
        _, question = await person.answer(question, "q:")


async def round_of(workers: int, people: int, questions: int) -> str:
    admin = create_async_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"bench_{uuid.uuid4().hex[:10]}"
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    database = make_url(ADMIN_URL).set(database=name).render_as_string(False)
    try:
        async with FakeTelegramApi() as api:
            return await _drive(api, database, workers, people, questions)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        await admin.dispose()


async def _drive(
    api: FakeTelegramApi, database: str, workers: int, people: int, questions: int
) -> str:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as data_dir:
        env = {
            **os.environ, "BOT_DATA_DIR": data_dir, "DATABASE_URL": database,
            "WEB_PORT": str(port), "PUBLIC_URL": url, "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url, "TELEGRAM_MODE": "webhook",
            "TELEGRAM_WEBHOOK_SECRET": SECRET, "TELEGRAM_CHAT_RATE": "1000",
            "TELEGRAM_GLOBAL_RATE": "1000",
        }  # fmt: skip
        bot = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "--workers", str(workers), env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=None if LOG else asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            await api.wait_for(lambda: len(api.calls_of("setWebhook")) >= workers, 60)
            api.webhook_url = ""  # this script POSTs the updates, 40 connections at once
            connector = aiohttp.TCPConnector(limit=40)
            async with aiohttp.ClientSession(connector=connector) as http:

                async def post(update: dict[str, Any]) -> None:
                    headers = {SECRET_HEADER: SECRET}
                    async with http.post(f"{url}/telegram/webhook", json=update, headers=headers):
                        pass

                crowd = [WebhookPerson(api, 50_000 + n, post) for n in range(people)]
                began = time.monotonic()
                await asyncio.gather(*(walk(person, questions) for person in crowd))
                elapsed = time.monotonic() - began
        finally:
            bot.send_signal(signal.SIGTERM)
            await bot.wait()
    events = sum(person.actions for person in crowd)
    latencies = [seconds for person in crowd for seconds in person.latencies]
    return (
        f"{workers} worker(s) | {people} people x {questions} answers | {events} events in "
        f"{elapsed:5.1f} s = {events / elapsed:6.1f} events/s | tap to next question "
        f"p50 {percentile(latencies, 0.5):.2f} s, p99 {percentile(latencies, 0.99):.2f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--people", type=int, default=1000, help="people at once (1000)")
    parser.add_argument("--questions", type=int, default=3, help="answers per person (3)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="(1 2)")
    args = parser.parse_args()
    for workers in args.workers:
        print(asyncio.run(round_of(workers, args.people, args.questions)), flush=True)


if __name__ == "__main__":
    main()
