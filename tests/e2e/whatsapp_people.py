"""The real app on WhatsApp, served with a clock the test moves, and people who tap and type."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.app import build_app
from bot.config import Config
from tests.fakes.whatsapp_api import PHONE_NUMBER_ID, FakeCloudApi, WaPerson

SECRET = "app-secret-ä-0123"
VERIFY = "verify-me-42"


class Clock:
    """The bot's clock: real time plus an offset the test may move forward."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset


def whatsapp_env(api: FakeCloudApi, data_dir: Path, **more: str) -> dict[str, str]:
    """The environment an operator would set to run the bot against `api`."""
    return {
        "BOT_DATA_DIR": str(data_dir),
        "WHATSAPP_TOKEN": api.token,
        "WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
        "WHATSAPP_APP_SECRET": SECRET,
        "WHATSAPP_VERIFY_TOKEN": VERIFY,
        "WHATSAPP_API_BASE_URL": api.base_url,
        "WHATSAPP_TEMPLATE_CONTINUE": "continue_chat:en",
        **more,
    }


@dataclass(frozen=True)
class Served:
    """The app as built, and where it listens."""

    app: web.Application
    url: str


@asynccontextmanager
async def serve(
    api: FakeCloudApi, env: Mapping[str, str], clock: Clock | None = None
) -> AsyncIterator[Served]:
    """Build the app from `env` and serve it; the stand-in's webhooks go to it."""
    sock = socket.socket()
    try:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = Config.from_env({"PUBLIC_URL": url, **env})
        app = await build_app(config, clock=clock or Clock())
        runner = web.AppRunner(app, access_log=None)
        try:
            await runner.setup()
            await web.SockSite(runner, sock).start()
            api.webhook_url = f"{url}/whatsapp/webhook"
            yield Served(app, url)
        finally:
            await runner.cleanup()
    finally:
        sock.close()


class Reader:
    """Reads one person's chat in order and waits for the next message with given buttons."""

    def __init__(self, api: FakeCloudApi, person: WaPerson) -> None:
        self.api, self.person, self.read = api, person, 0

    async def next_with(self, prefix: str) -> dict[str, Any]:
        """The next interactive message offering an id that starts with `prefix`."""
        found: list[dict[str, Any]] = []

        def arrived() -> bool:
            while not found and self.read < len(self.person.received):
                message = self.person.received[self.read]
                self.read += 1
                if any(i.startswith(prefix) for i in ids(message)):
                    found.append(message)
            return bool(found)

        await self.api.wait_for(arrived)
        return found[0]

    async def next_where(self, test: Any) -> dict[str, Any]:
        """The next message for which `test(message)` holds."""
        found: list[dict[str, Any]] = []

        def arrived() -> bool:
            while not found and self.read < len(self.person.received):
                message = self.person.received[self.read]
                self.read += 1
                if test(message):
                    found.append(message)
            return bool(found)

        await self.api.wait_for(arrived)
        return found[0]


def ids(message: dict[str, Any]) -> list[str]:
    """The reply ids a message offers (buttons or rows), top to bottom."""
    if message["type"] != "interactive":
        return []
    action = message["interactive"]["action"]
    if "buttons" in action:
        return [b["reply"]["id"] for b in action["buttons"]]
    return [r["id"] for s in action["sections"] for r in s["rows"]]


async def onboard(
    api: FakeCloudApi, reader: Reader, first: str = "start inv42abcdefghijk"
) -> dict[str, Any]:
    """First message (an invite), English, yes; returns the menu."""
    await api.text(reader.person, first)
    await reader.next_with("lang:")
    await api.tap(reader.person, "lang:en")
    await reader.next_with("consent:")
    await api.tap(reader.person, "consent:yes")
    return await reader.next_with("cat:")
