"""Logout, a new password and removal end sessions on every worker sharing the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

from tests.counsel.console_support import (
    ANA,
    BEN,
    PASSWORD,
    ConsoleClient,
    RunningConsole,
    console_client,
    running_console,
)


@asynccontextmanager
async def two_workers(tmp_path: Path, database_url: str) -> AsyncIterator[list[RunningConsole]]:
    """Two app instances on one database and one data directory, as two worker processes."""
    async with AsyncExitStack() as stack:
        yield [
            await stack.enter_async_context(running_console(tmp_path, database_url=database_url))
            for _ in range(2)
        ]


async def _status(browser: ConsoleClient, url: str, cookies: dict[str, str]) -> int:
    async with browser.http.get(
        url + "/counsellor", cookies=cookies, allow_redirects=False
    ) as response:
        return response.status


def _cookies(browser: ConsoleClient) -> dict[str, str]:
    return {cookie.key: cookie.value for cookie in browser.http.cookie_jar if cookie.value}


async def test_logout_on_one_worker_ends_the_session_on_the_other(
    tmp_path: Path, database_url: str
) -> None:
    async with (
        two_workers(tmp_path, database_url) as (one, two),
        console_client(one.url) as browser,
    ):
        await browser.login()
        cookie = _cookies(browser)
        assert await _status(browser, two.url, cookie) == 200
        await browser.get("/counsellor")
        assert (await browser.post("/counsellor/logout"))[:2] == (303, "/counsellor/login")
        assert await _status(browser, two.url, cookie) == 303
        assert await _status(browser, one.url, cookie) == 303


async def test_logout_ends_only_that_browsers_session(tmp_path: Path, database_url: str) -> None:
    async with (
        two_workers(tmp_path, database_url) as (one, two),
        console_client(one.url) as office,
        console_client(two.url) as home,
    ):
        await office.login()
        await home.login()
        await office.get("/counsellor")
        await office.post("/counsellor/logout")
        assert (await home.get("/counsellor"))[0] == 200


async def test_a_new_password_ends_every_session_of_that_counsellor(
    tmp_path: Path, database_url: str
) -> None:
    async with (
        two_workers(tmp_path, database_url) as (one, two),
        console_client(one.url) as ana,
        console_client(two.url) as ben,
    ):
        await ana.login(ANA)
        await ben.login(BEN)
        cookie = _cookies(ana)
        await one.cases.add_counsellor(None, ANA, password="a brand new secret")
        assert await _status(ana, one.url, cookie) == 303
        assert await _status(ana, two.url, cookie) == 303
        assert (await ben.get("/counsellor"))[0] == 200
        assert (await ana.login(ANA, PASSWORD))[0] == 401
        assert (await ana.login(ANA, "a brand new secret"))[:2] == (303, "/counsellor")


async def test_removal_ends_sessions_even_if_the_name_is_added_again(
    tmp_path: Path, database_url: str
) -> None:
    async with (
        two_workers(tmp_path, database_url) as (one, two),
        console_client(two.url) as ben,
    ):
        await ben.login(BEN)
        cookie = _cookies(ben)
        assert await one.cases.remove_counsellor(None, BEN)
        await one.cases.add_counsellor(None, BEN)  # back on the list, no password change
        assert await _status(ben, two.url, cookie) == 303
        assert await _status(ben, one.url, cookie) == 303
