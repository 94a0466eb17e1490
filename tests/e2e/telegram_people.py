"""The real app configured as from env vars, and people tapping through it in Telegram chats."""

from __future__ import annotations

import asyncio
import random
import socket
import statistics
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web

from bot.app import build_app
from bot.config import Config
from tests.fakes.telegram_api import FakeTelegramApi, SentMessage

SECRET = "e2e-secret_0123"
WAIT = 30.0  # seconds for any one reply; generous, as 429s and pacing stretch things


def telegram_env(api: FakeTelegramApi, data_dir: Path, **more: str) -> dict[str, str]:
    """The environment an operator would set to run the bot against `api`."""
    return {
        "BOT_DATA_DIR": str(data_dir),
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        **more,
    }


@dataclass(frozen=True)
class Served:
    """The app as built, and where it listens."""

    app: web.Application
    url: str
    config: Config


@asynccontextmanager
async def serve(env: Mapping[str, str]) -> AsyncIterator[Served]:
    """Build the app from `env` (as `Config.from_env` reads it) and serve it on 127.0.0.1.

    The port is picked first, so PUBLIC_URL (the webhook address) can point at it.
    """
    sock = socket.socket()
    try:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        url = f"http://127.0.0.1:{port}"
        config = Config.from_env({"WEB_PORT": str(port), "PUBLIC_URL": url, **env})
        app = await build_app(config)
        runner = web.AppRunner(app, access_log=None)
        try:
            await runner.setup()  # starts the sender, then polling or the webhook
            await web.SockSite(runner, sock).start()
            yield Served(app, url, config)
        finally:
            await runner.cleanup()
    finally:
        sock.close()


def option_payloads(message: SentMessage) -> list[str]:
    """The answer buttons of a question (`q:<token>:<key>`), without skip, back and help."""
    return [
        data for _, data in message.buttons() if data.startswith("q:") and not data.endswith(":-")
    ]


def payloads(message: SentMessage) -> list[str]:
    """Every button's payload, top to bottom."""
    return [data for _, data in message.buttons()]


READING_FLOOR = 3.0


class Person:
    """One person in a private chat with the bot, reading the chat in order and tapping.

    `texts` holds each bot message's text as it was when first read (before any edit), in the
    order the chat shows them; `latencies` the seconds from each answer tap to the next
    question.
    """

    def __init__(self, api: FakeTelegramApi, chat_id: int, think: float = 0.0) -> None:
        self.api = api
        self.chat_id = chat_id
        self.think = think
        self._thinking = random.Random(chat_id)
        self.texts: list[str] = []
        self.latencies: list[float] = []
        self.actions = 0
        self._read = 0

    async def say(self, text: str) -> None:
        """Send a text (or a /command)."""
        self.actions += 1
        await self.api.user_sends_text(self.chat_id, text)

    async def tap(self, message: SentMessage, payload: str) -> None:
        """Tap the button with `payload` on `message` (it need not be the newest one)."""
        assert payload in payloads(message), f"{payload} is not on message {message.message_id}"
        self.actions += 1
        await self.api.user_taps(self.chat_id, message.message_id, payload)

    async def next_with(self, prefix: str) -> SentMessage:
        """Read on until a message with a button whose payload starts with `prefix`."""
        found: list[SentMessage] = []

        def arrived() -> bool:
            messages = self.api.messages_for(self.chat_id)
            while not found and self._read < len(messages):
                message = messages[self._read]
                self._read += 1
                if message.voice is None:  # a voice note says what the next message shows
                    self.texts.append(message.text or message.caption or "")
                if any(data.startswith(prefix) for data in payloads(message)):
                    found.append(message)
            return bool(found)

        await self.api.wait_for(arrived, WAIT)
        return found[0]

    def _reading_time(self) -> float:
        """Seconds before a tap: a floor plus an exponential rest, `think` on average.

        Hearing a scenario and four options takes longer than the floor, and answers under
        2 s are flagged as too fast by the scoring.
        """
        floor = min(READING_FLOOR, self.think)
        rest = self.think - floor
        return floor + (self._thinking.expovariate(1 / rest) if rest > 0 else 0.0)

    async def onboard(self, start: str = "/start") -> SentMessage:
        """Start, choose English, agree; returns the menu."""
        await self.say(start)
        await self.tap(await self.next_with("lang:"), "lang:en")
        await self.tap(await self.next_with("consent:"), "consent:yes")
        return await self.next_with("cat:")

    async def open(self, menu: SentMessage, category: str) -> SentMessage:
        """Open a category; returns its first question."""
        await self.tap(menu, f"cat:{category}")
        return await self.next_with("q:")

    async def answer(self, question: SentMessage, expect: str = "q:") -> tuple[str, SentMessage]:
        """Tap the top option; returns its payload and the next message with `expect` buttons.

        With `think` set, the person first reads for a random while (that mean; see
        `_reading_time`).
        The time from the tap to that message is added to `latencies`.
        """
        payload = option_payloads(question)[0]
        if self.think:  # a person reads and decides: load modelling, not synchronisation
            await asyncio.sleep(self._reading_time())
        began = time.monotonic()
        await self.tap(question, payload)
        following = await self.next_with(expect)
        self.latencies.append(time.monotonic() - began)
        return payload, following


def percentile(values: list[float], share: float) -> float:
    """The `share` quantile (0-1) of `values`, interpolated."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[round(share * 1000) - 1]


def paragraphs(text: str, count: int = 2) -> str:
    """The first `count` paragraphs: a question's progress line and scenario, without options.

    The options (listed in the text when they are long) are shuffled per person, and an
    answered question gets its answer appended; neither touches the first two paragraphs.
    """
    return "\n\n".join(text.split("\n\n")[:count])
