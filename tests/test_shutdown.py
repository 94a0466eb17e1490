"""Stopping the real process under load: quick, clean, and nothing acknowledged lost."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.channels.webchat import CHANNEL, chat_id_for
from bot.db.store import open_store
from bot.framework.session import SessionKey
from tests.app_support import onboard, payloads, web_chat
from tests.test_startup import free_port

STOP_WITHIN_SECONDS = 10.0
CLIENT_ERRORS = (aiohttp.ClientError, ConnectionError, TypeError, TimeoutError)


@dataclass
class Bot:
    """One `python -m bot` process on a port of its own."""

    process: asyncio.subprocess.Process
    url: str

    async def stop(self, signum: int) -> tuple[int, float]:
        """Send `signum`; its exit code and how long it took (killed after the limit)."""
        began = time.monotonic()
        self.process.send_signal(signum)
        try:
            code = await asyncio.wait_for(self.process.wait(), STOP_WITHIN_SECONDS * 2)
        except TimeoutError:
            self.process.kill()
            code = await self.process.wait()
        return code, time.monotonic() - began


@asynccontextmanager
async def running_bot(data_dir: Path) -> AsyncIterator[Bot]:
    """Start the bot; ready once it prints its address (it listens before printing)."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "WEB_", "TELE"))}
    env.update({"BOT_DATA_DIR": str(data_dir), "WEB_PORT": str(port)})
    with (data_dir / "bot.log").open("ab") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=data_dir, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=log,
        )  # fmt: skip
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), 60)
        assert b"Web chat:" in line, (data_dir / "bot.log").read_text()
        yield Bot(process, f"http://127.0.0.1:{port}")
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


@dataclass
class Person:
    """A web chat person answering as fast as the bot lets them."""

    token: str = ""
    acknowledged: int = 0
    """Answers followed by the next question, so the bot has stored them."""
    busy: asyncio.Event = field(default_factory=asyncio.Event)
    """Set once ten answers are acknowledged."""


async def answer_on(url: str, person: Person) -> None:
    """Onboard, then answer every question until the socket closes."""
    async with web_chat(url) as client:
        await onboard(client)
        person.token = str(client.token)
        await client.tap("cat:SOC")
        answered = False
        try:
            while True:
                frame = await client.question()
                person.acknowledged += answered
                if person.acknowledged >= 10:
                    person.busy.set()
                answered = str(frame.get("ref", "")).startswith("q:")
                await client.tap(_next_category(frame) if not answered else payloads(frame)[0])
        except CLIENT_ERRORS:
            return


def _next_category(frame: dict[str, Any]) -> str:
    options = [p for p in payloads(frame) if p.startswith("cat:")]
    return options[-1] if options else payloads(frame)[0]


async def flood(url: str, busy: asyncio.Event) -> None:
    """Type as fast as possible and never read: replies pile up in the outbox.

    A send that fits the socket buffer does not yield, so each one hands the loop over
    once: the other people in this test process share it, a real flooder would not.
    """
    async with web_chat(url) as client:
        await client.hello()
        try:
            for sent in range(10**6):
                await client.say("hello there")
                await asyncio.sleep(0)
                if sent == 200:
                    busy.set()
        except CLIENT_ERRORS:
            return


async def stored_answers(data_dir: Path, person: Person) -> int:
    """How many answers the database holds for this person."""
    store = await open_store(f"sqlite+aiosqlite:///{data_dir / 'bot.db'}")
    try:
        return len(await store.answers_log(SessionKey(CHANNEL, chat_id_for(person.token))))
    finally:
        await store.close()


async def resume(url: str, person: Person) -> dict[str, object]:
    """Come back with the same browser token; the bot shows where we were."""
    async with web_chat(url) as client:
        await client.hello(person.token)
        return await client.question()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
async def test_a_loaded_bot_stops_within_ten_seconds_and_keeps_every_answer(
    tmp_path: Path, signum: int
) -> None:
    people = [Person() for _ in range(4)]
    async with running_bot(tmp_path) as bot:
        load = [asyncio.create_task(answer_on(bot.url, p)) for p in people]
        await asyncio.wait_for(asyncio.gather(*(p.busy.wait() for p in people)), 60)
        flooding = [asyncio.Event() for _ in range(2)]
        load += [asyncio.create_task(flood(bot.url, busy)) for busy in flooding]
        await asyncio.wait_for(asyncio.gather(*(busy.wait() for busy in flooding)), 60)
        code, took = await bot.stop(signum)
        await asyncio.gather(*load)
    log = (tmp_path / "bot.log").read_text()
    assert took < STOP_WITHIN_SECONDS, f"took {took:.1f}s"
    assert code == 0, log
    assert "Traceback" not in log
    async with running_bot(tmp_path) as bot:
        again = await resume(bot.url, people[0])
        assert again["buttons"]
        code, took = await bot.stop(signal.SIGTERM)
        assert (code, took < STOP_WITHIN_SECONDS) == (0, True)
    for person in people:
        assert await stored_answers(tmp_path, person) >= person.acknowledged > 0
