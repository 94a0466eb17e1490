"""The real app on a free port with an admin counsellor, and browsers that log in to it."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.app import CASES, STORE, build_app
from bot.db.store import SqlStore
from tests.app_support import app_config
from tests.counsel.console_support import csrf_of

PASSWORD = "correct horse battery"
ADMIN, WORKER = "Ana Novak", "Sara Haddad"


@dataclass
class Running:
    """Where the app listens, and its store."""

    url: str
    store: SqlStore


@asynccontextmanager
async def running(tmp_path: Path, **changes: Any) -> AsyncIterator[Running]:
    """The whole app, PUBLIC_URL its own address, Ana an admin counsellor."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    app = await build_app(app_config(tmp_path, public_url=url, **changes))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await app[CASES].add_counsellor(None, ADMIN, is_admin=True, password=PASSWORD)
    try:
        yield Running(url, app[STORE])
    finally:
        await runner.cleanup()


class Browser:
    """One cookie jar on the app."""

    def __init__(self, url: str, http: aiohttp.ClientSession) -> None:
        self.url, self.http = url, http

    async def get(self, path: str) -> tuple[int, str]:
        """A page's status and text (no redirects followed)."""
        async with self.http.get(self.url + path, allow_redirects=False) as response:
            return response.status, await response.text()

    async def download(self, path: str) -> bytes:
        """A file's bytes (must be 200)."""
        async with self.http.get(self.url + path) as response:
            assert response.status == 200, path
            return await response.read()

    async def post(self, path: str, form_page: str, data: dict[str, str]) -> tuple[int, str]:
        """Post a form with the CSRF token of the page it was on; status and Location."""
        fields = {"csrf": csrf_of((await self.get(form_page))[1]), **data}
        async with self.http.post(self.url + path, data=fields, allow_redirects=False) as r:
            return r.status, r.headers.get("Location", "")

    async def counsellor_login(self, name: str) -> None:
        """Log in on the cases console."""
        status, _ = await self.post(
            "/counsellor/login", "/counsellor/login", {"name": name, "password": PASSWORD}
        )
        assert status == 303

    async def worker_login(self, name: str) -> None:
        """Log in as an outreach worker."""
        login = "/counsellor/outreach/login"
        status, where = await self.post(login, login, {"name": name, "password": PASSWORD})
        assert (status, where) == (303, "/counsellor/outreach")


def browser_session() -> aiohttp.ClientSession:
    """A client that keeps cookies for 127.0.0.1 (aiohttp drops IP-address cookies by default)."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
