"""The real application on a free local port, and a web chat client that speaks its socket."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.app import build_app
from bot.config import Config


def app_config(tmp_path: Path, **changes: Any) -> Config:
    """The embedded default, with its data under tmp_path."""
    base = Config(database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}", data_dir=tmp_path)
    return replace(base, **changes)


@asynccontextmanager
async def serving_app(
    config: Config, clock: Callable[[], datetime] | None = None
) -> AsyncIterator[tuple[web.Application, str]]:
    """Serve the app built from `config` on 127.0.0.1 and a free port; yield it and its URL.

    `clock`, when given, is the app's time source (a stepping clock makes answers unhurried).
    """
    app = await (build_app(config) if clock is None else build_app(config, clock=clock))
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield app, f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@asynccontextmanager
async def running_app(
    config: Config, clock: Callable[[], datetime] | None = None
) -> AsyncIterator[str]:
    """`serving_app`, for a test that needs only the base URL."""
    async with serving_app(config, clock) as (_, url):
        yield url


class WebChatClient:
    """One browser tab, as the page would talk: hello, taps, typed text; frames read in order."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.token: str | None = None
        self.frames: list[dict[str, Any]] = []

    async def hello(self, token: str | None = None, lang: str = "en") -> dict[str, Any]:
        """Say hello; returns the welcome frame."""
        await self.socket.send_json({"type": "hello", "token": token, "lang": lang})
        welcome = await self.next("welcome")
        self.token = welcome["token"]
        return welcome

    async def next(self, kind: str | None = None) -> dict[str, Any]:
        """The next frame (of `kind`, skipping others); ten seconds at most for each."""
        while True:
            frame: dict[str, Any] = await self.socket.receive_json(timeout=10)
            self.frames.append(frame)
            if kind is None or frame["type"] == kind:
                return frame

    async def question(self) -> dict[str, Any]:
        """The next message that has buttons."""
        while True:
            frame = await self.next("message")
            if frame["buttons"]:
                return frame

    async def menu(self) -> dict[str, Any]:
        """The next topic menu (skipping tips and other messages with buttons)."""
        while True:
            frame = await self.question()
            if any(payload.startswith("cat:") for payload in payloads(frame)):
                return frame

    async def tap(self, payload: str, client_id: str | None = None) -> None:
        """Tap a button."""
        await self.socket.send_json(
            {"type": "choice", "id": client_id or str(uuid.uuid4()), "payload": payload}
        )

    async def confirm_delete(self) -> None:
        """Ask to delete everything and say yes (the goodbye and the erasure follow)."""
        await self.say("/delete")
        assert "del:yes" in payloads(await self.question())
        await self.tap("del:yes")

    async def say(self, text: str) -> None:
        """Type and send."""
        await self.socket.send_json({"type": "text", "id": str(uuid.uuid4()), "text": text})


def payloads(frame: dict[str, Any]) -> list[str]:
    """The payloads of a message's buttons, top to bottom."""
    return [button["payload"] for row in frame["buttons"] for button in row]


@asynccontextmanager
async def web_chat(base_url: str) -> AsyncIterator[WebChatClient]:
    """A socket to the app's /ws."""
    async with aiohttp.ClientSession() as session, session.ws_connect(f"{base_url}/ws") as ws:
        yield WebChatClient(ws)


async def onboard(client: WebChatClient) -> dict[str, Any]:
    """Hello, English, yes; returns the menu message."""
    await client.hello()
    await client.question()
    await client.tap("lang:en")
    await client.question()
    await client.tap("consent:yes")
    return await client.question()
