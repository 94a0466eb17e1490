"""The real app with two counsellors, and an HTTP client that logs in to the console as one."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bot.app import CASES
from bot.counsel.service import Case, CaseService
from bot.framework.session import SessionKey
from tests.app_support import app_config, serving_app

PASSWORD = "correct horse battery"
ANA, BEN = "Ana Novak", "Ben Kos"
SUMMARY: dict[str, Any] = {
    "category": "SOC",
    "level": 3,
    "flags": ["ceiling", "too_fast"],
    "results": {"SOC": {"level": 3, "flags": ["ceiling", "too_fast"]}},
    "validated": {},
    "language": "en",
    "invite": None,
}


@dataclass
class RunningConsole:
    """The app's base URL and its case service."""

    url: str
    cases: CaseService

    async def open_case(self, chat_id: str, summary: dict[str, Any] | None = None) -> Case:
        """A case as the person's handoff would open it (for tests of the console alone)."""
        return await self.cases.open_case(SessionKey("web", chat_id), "flags", summary or SUMMARY)


@asynccontextmanager
async def running_console(tmp_path: Path, **changes: Any) -> AsyncIterator[RunningConsole]:
    """The whole app on a free port, with Ana and Ben on the allowlist (same password)."""
    async with serving_app(app_config(tmp_path, **changes)) as (app, url):
        cases = app[CASES]
        for name in (ANA, BEN):
            await cases.add_counsellor(None, name, password=PASSWORD)
        yield RunningConsole(url, cases)


def csrf_of(page: str) -> str:
    """The CSRF token in a page's forms."""
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, "no form on the page"
    return found.group(1)


class ConsoleClient:
    """One browser: a cookie jar, and the CSRF token of the page it looked at last."""

    def __init__(self, url: str, http: aiohttp.ClientSession) -> None:
        self.url = url
        self.http = http
        self.csrf = ""

    async def get(self, path: str) -> tuple[int, str]:
        """Fetch a page (no redirects followed); remember its form token."""
        async with self.http.get(self.url + path, allow_redirects=False) as response:
            page = await response.text()
        if 'name="csrf"' in page:
            self.csrf = csrf_of(page)
        return response.status, page

    async def post(
        self, path: str, data: dict[str, str] | None = None, **headers: str
    ) -> tuple[int, str, str]:
        """Submit a form with the remembered token (unless `data` brings its own `csrf`)."""
        form = {"csrf": self.csrf, **(data or {})}
        async with self.http.post(
            self.url + path, data=form, headers=headers, allow_redirects=False
        ) as response:
            return response.status, response.headers.get("Location", ""), await response.text()

    async def login(self, name: str = ANA, password: str = PASSWORD) -> tuple[int, str, str]:
        """Open the login form and submit it."""
        await self.get("/counsellor/login")
        return await self.post("/counsellor/login", {"name": name, "password": password})


@asynccontextmanager
async def console_client(url: str) -> AsyncIterator[ConsoleClient]:
    """A fresh browser-like client (cookies kept even though the host is an IP address)."""
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as http:
        yield ConsoleClient(url, http)
