"""Fixtures: a badge issuer served by a live aiohttp server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiohttp import web

from bot.badges.issue import BadgeIssuer, new_person_token
from bot.badges.keys import load_or_create
from bot.badges.model import Alignment, Award, BadgeSpec, BadgeTexts, IssuerInfo, Recipient
from bot.badges.repository import InMemoryBadgeRepository
from bot.badges.urls import BadgeUrls
from bot.badges.web import BadgeHandlers, badge_routes

T = TypeVar("T")

SPEC = BadgeSpec(
    category_id="social",
    category_name="Social",
    level=2,
    level_label="On my own",
    color="#e4572e",
    alignments=(
        Alignment(
            "communicate with others",
            "http://data.europa.eu/esco/skill/15d76317-c71a-4fa2-aadc-2ecc34e627b7",
            "ESCO v1.2.0",
        ),
    ),
)
TEXTS = BadgeTexts("Social", "On my own", "28 November 2025", "Self-assessed", "Amira", "SPOCC")


@dataclass
class LiveBadges:
    """A running server plus helpers to call into its event loop."""

    urls: BadgeUrls
    data_dir: Path
    handlers: BadgeHandlers
    loop: asyncio.AbstractEventLoop

    @property
    def issuer(self) -> BadgeIssuer:
        return self.handlers.issuer

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)

    def issue(self, spec: BadgeSpec = SPEC, recipient: Recipient | None = None) -> Award:
        who = recipient or Recipient("url", self.urls.person(new_person_token()))
        return self.run(self.issuer.issue(spec, who, TEXTS, now=datetime.now(UTC)))

    def fetch(self, url: str) -> tuple[int, bytes]:
        """GET a URL on this server (https://127.0.0.1… is mapped to http for did:web)."""
        local = url.replace("https://127.0.0.1", "http://127.0.0.1", 1)
        if not local.startswith(self.urls.base):
            raise ValueError(f"refusing to fetch {url}: not this test server")
        try:
            with urllib.request.urlopen(local, timeout=10) as response:
                return int(response.status), bytes(response.read())
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def download(self, url: str) -> bytes:
        """A download function for verifiers: body of a 200, else an error."""
        status, body = self.fetch(url)
        if status != 200:
            raise OSError(f"HTTP {status} for {url}")
        return body


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveBadges]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    urls = BadgeUrls(f"http://127.0.0.1:{sock.getsockname()[1]}")
    info = IssuerInfo("SPOCC Bot test issuer", urls.base, "badges@example.org", "Test issuer.")
    issuer = BadgeIssuer(info, urls, load_or_create(tmp_path), InMemoryBadgeRepository())
    handlers = BadgeHandlers(issuer)
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    runner_box: list[web.AppRunner] = []

    async def start() -> None:
        app = web.Application()
        app.add_routes(badge_routes(handlers, urls.path_prefix))
        runner = web.AppRunner(app)
        await runner.setup()
        await web.SockSite(runner, sock).start()
        runner_box.append(runner)
        ready.set()

    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
    ready.wait(10)
    try:
        yield LiveBadges(urls, tmp_path, handlers, loop)
    finally:
        asyncio.run_coroutine_threadsafe(runner_box[0].cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
        sock.close()
