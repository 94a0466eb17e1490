"""Helpers for the Telegram channel tests: a recording handler, configs, a webhook site."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from dataclasses import replace

from aiohttp import web

from bot.channels.telegram import TelegramChannel
from bot.config import Config
from bot.framework.actions import SendResultPicture
from bot.framework.events import Event, Inbound
from tests.fakes.telegram_api import FakeTelegramApi

SECRET = "test-secret_0123"


class Recorder:
    """The channel's `handle`: runs an optional step, then records the event and signals."""

    def __init__(self, step: Callable[[Inbound], Awaitable[None]] | None = None) -> None:
        self.inbound: list[Inbound] = []
        self.step = step
        self._changed = asyncio.Condition()

    async def __call__(self, inbound: Inbound) -> None:
        if self.step is not None:
            await self.step(inbound)
        async with self._changed:
            self.inbound.append(inbound)
            self._changed.notify_all()

    async def wait_for_count(self, count: int, seconds: float = 5.0) -> list[Inbound]:
        """Wait until `count` events arrived; return them."""
        async with self._changed:
            await asyncio.wait_for(
                self._changed.wait_for(lambda: len(self.inbound) >= count), seconds
            )
        return list(self.inbound)

    def events(self) -> list[Event]:
        """Just the events, in arrival order."""
        return [inbound.event for inbound in self.inbound]

    def for_chat(self, chat_id: int) -> list[Event]:
        """One chat's events, in arrival order."""
        return [i.event for i in self.inbound if i.key.chat_id == str(chat_id)]


def render_picture(action: SendResultPicture) -> bytes:
    """A stand-in for the results picture renderer: bytes that show what was asked."""
    return b"\x89PNG fake:" + ",".join(sorted(action.levels)).encode()


def telegram_config(api: FakeTelegramApi, **changes: object) -> Config:
    """A Config pointing at the stand-in."""
    config = Config(
        database_url="sqlite+aiosqlite://",
        telegram_token=api.token,
        telegram_api_base_url=api.base_url,
        telegram_webhook_secret=SECRET,
    )
    return replace(config, **changes)  # type: ignore[arg-type]


class WebhookSite:
    """The channel's routes served on 127.0.0.1, as the lead's web app will serve them."""

    def __init__(self, api: FakeTelegramApi, handle: Recorder) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self.public_url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        config = telegram_config(api, telegram_mode="webhook", public_url=self.public_url)
        self.channel = TelegramChannel(config, handle, render_picture, poll_timeout=2)
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        """The webhook URL."""
        return f"{self.public_url}/telegram/webhook"

    async def start(self) -> None:
        """Serve the routes, then start the channel (which registers the webhook)."""
        app = web.Application()
        app.add_routes(self.channel.routes())
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.SockSite(self._runner, self._sock).start()
        await self.channel.start()

    async def stop(self) -> None:
        """Stop the channel, then the server."""
        await self.channel.stop()
        if self._runner is not None:
            await self._runner.cleanup()
        self._sock.close()
