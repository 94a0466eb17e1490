"""The web chat page in headless Chromium, against a small fake server that speaks its protocol."""

from __future__ import annotations

import asyncio
import base64
import re
import secrets
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import WSMsgType, web
from aiohttp.test_utils import TestServer
from playwright.async_api import Page, expect

import bot
from bot.pictures.results import CategoryStyle, ResultLabels, render_results

STATIC_DIR = Path(bot.__file__).parent / "channels" / "webchat_static"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
Frame = dict[str, Any]
WAIT_SECONDS = 10

ENGLISH = {
    "text": "A colleague looks sad at work.\nWhat do you do?",
    "labels": ["🙂 I ask how she is", "🤝 I ask a friend to help", "⏳ I wait", "🤷 I do nothing"],
    "lang": "en",
    "dir": "ltr",
}
ARABIC = {
    "text": "زميلتك حزينة في العمل. ماذا تفعل؟",
    "labels": ["أسألها عن حالها", "أطلب المساعدة من صديق", "أنتظر", "لا أفعل شيئًا"],
    "lang": "ar",
    "dir": "rtl",
}


def question(ref: str, words: dict[str, Any]) -> Frame:
    labels: list[str] = words["labels"]
    return {
        "type": "message",
        "id": secrets.token_hex(8),
        "text": words["text"],
        "speak": words["text"],
        "buttons": [[{"label": label, "payload": f"{ref}:{n}"}] for n, label in enumerate(labels)],
        "ref": ref,
        "dir": words["dir"],
        "lang": words["lang"],
    }


def result_image() -> Frame:
    categories = [CategoryStyle("SOC", "Social skills", "#e4572e")]
    labels = ResultLabels(
        "My skills", ("Not yet", "With help", "On my own", "Also new"), "-", False
    )
    png = render_results({"SOC": 2}, categories, labels)
    src = "data:image/png;base64," + base64.b64encode(png).decode()
    return {
        "type": "image",
        "id": secrets.token_hex(8),
        "src": src,
        "alt": "My skills",
        "caption": "",
    }


class FakeChatServer:
    """Serves the page and a `/ws` that welcomes, asks, and answers a choice with more."""

    def __init__(self, words: dict[str, Any]) -> None:
        self.words = words
        self.received: list[Frame] = []
        self.tokens: list[str] = []
        self.sockets: set[web.WebSocketResponse] = set()
        self.welcome_allowed = asyncio.Event()
        self.welcome_allowed.set()
        self._changed = asyncio.Condition()
        self.answered: set[str] = set()

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/", self._index)
        app.router.add_get("/ws", self._socket)
        app.router.add_static("/static", STATIC_DIR)
        return app

    def of_type(self, kind: str) -> list[Frame]:
        return [frame for frame in self.received if frame.get("type") == kind]

    async def wait_for(self, check: Callable[[], bool]) -> None:
        async with asyncio.timeout(WAIT_SECONDS), self._changed:
            await self._changed.wait_for(check)

    async def drop_connections(self) -> None:
        for socket in list(self.sockets):
            await socket.close()

    async def _index(self, request: web.Request) -> web.FileResponse:
        return web.FileResponse(STATIC_DIR / "index.html")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.sockets.add(socket)
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                await self._record(message.json())
                await self._reply(socket, message.json())
        self.sockets.discard(socket)
        await self._record(None)
        return socket

    async def _record(self, frame: Frame | None) -> None:
        async with self._changed:
            if frame is not None:
                self.received.append(frame)
            self._changed.notify_all()

    async def _reply(self, socket: web.WebSocketResponse, frame: Frame) -> None:
        if frame["type"] == "hello":
            await self._welcome(socket, frame.get("token"))
        elif frame["type"] == "choice":
            await self._answer(socket, frame["payload"])

    async def _welcome(self, socket: web.WebSocketResponse, token: object) -> None:
        await self.welcome_allowed.wait()
        if not (isinstance(token, str) and token in self.tokens):
            token = secrets.token_urlsafe(32)
            self.tokens.append(token)
        await socket.send_json({"type": "welcome", "token": token})
        current = "q2" if "q1" in self.answered else "q1"
        await socket.send_json(question(current, self.words))

    async def _answer(self, socket: web.WebSocketResponse, payload: str) -> None:
        ref, index = payload.split(":")
        self.answered.add(ref)
        label = self.words["labels"][int(index)]
        await socket.send_json({"type": "answered", "ref": ref, "label": label})
        await socket.send_json(question("q2", self.words))
        await socket.send_json(result_image())


async def serve(words: dict[str, Any]) -> AsyncIterator[tuple[FakeChatServer, str]]:
    fake = FakeChatServer(words)
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    try:
        yield fake, str(server.make_url("/"))
    finally:
        await fake.drop_connections()
        await server.close()


@pytest.fixture
async def chat() -> AsyncIterator[tuple[FakeChatServer, str]]:
    async for served in serve(ENGLISH):
        yield served


@pytest.fixture
async def arabic_chat() -> AsyncIterator[tuple[FakeChatServer, str]]:
    async for served in serve(ARABIC):
        yield served


async def open_chat(page: Page, url: str) -> None:
    await page.goto(url)
    await expect(page.get_by_test_id("option")).to_have_count(4)


async def test_page_fits_a_360_px_phone(page: Page, chat: tuple[FakeChatServer, str]) -> None:
    _, url = chat
    await open_chat(page, url)
    await page.get_by_test_id("option").first.click()
    await expect(page.get_by_test_id("result-image")).to_be_visible()
    widths = await page.evaluate(
        "() => [document.documentElement.scrollWidth, document.body.scrollWidth, innerWidth]"
    )
    assert widths == [360, 360, 360]
    sizes = await page.evaluate(
        """() => [...document.querySelectorAll('button:not([hidden]), input')]
            .filter((node) => node.offsetParent !== null)
            .map((node) => [node.getBoundingClientRect().height,
                            parseFloat(getComputedStyle(node).fontSize)])"""
    )
    assert all(height >= 48 for height, _ in sizes), sizes
    font = await page.evaluate("() => getComputedStyle(document.querySelector('.text')).fontSize")
    assert float(font.removesuffix("px")) >= 18


async def test_hello_carries_no_token_then_the_language(
    page: Page, chat: tuple[FakeChatServer, str]
) -> None:
    fake, url = chat
    await open_chat(page, url)
    hello = fake.of_type("hello")[0]
    assert hello["token"] is None
    assert hello["lang"] == "en-GB"
    stored = await page.evaluate("() => localStorage.getItem('spocc_token')")
    assert stored == fake.tokens[0]


async def test_tapping_an_option_sends_the_choice_and_marks_the_answer(
    page: Page, chat: tuple[FakeChatServer, str]
) -> None:
    fake, url = chat
    await open_chat(page, url)
    first = page.get_by_test_id("bot-message").first
    await first.get_by_test_id("option").nth(2).click()
    await fake.wait_for(lambda: bool(fake.of_type("choice")))
    choice = fake.of_type("choice")[0]
    assert choice["payload"] == "q1:2"
    assert UUID.match(choice["id"])
    await expect(first.get_by_test_id("answer")).to_have_text("✓ " + ENGLISH["labels"][2])
    for option in await first.get_by_test_id("option").all():
        await expect(option).to_be_disabled()
    newest = page.get_by_test_id("bot-message").last
    await expect(newest.get_by_test_id("option").first).to_be_enabled()
    await expect(page.get_by_test_id("result-image")).to_have_attribute("alt", "My skills")


async def test_reload_resumes_with_the_same_token(
    page: Page, chat: tuple[FakeChatServer, str]
) -> None:
    fake, url = chat
    await open_chat(page, url)
    await page.reload()
    await fake.wait_for(lambda: len(fake.of_type("hello")) == 2)
    assert fake.of_type("hello")[1]["token"] == fake.tokens[0]
    assert len(fake.tokens) == 1
    await expect(page.get_by_test_id("option")).to_have_count(4)


async def test_rtl_message_is_laid_out_right_to_left(
    page: Page, arabic_chat: tuple[FakeChatServer, str]
) -> None:
    _, url = arabic_chat
    await open_chat(page, url)
    bubble = page.get_by_test_id("bot-message").first
    await expect(bubble).to_have_attribute("dir", "rtl")
    await expect(bubble).to_have_attribute("lang", "ar")
    assert await page.evaluate("() => document.documentElement.dir") == "rtl"
    box = await bubble.bounding_box()
    assert box is not None
    assert box["x"] > 20  # the wide margin is on the left: the bubble hangs from the right
    assert box["x"] + box["width"] > 345


async def test_reconnects_after_the_server_closes_the_socket(
    page: Page, chat: tuple[FakeChatServer, str]
) -> None:
    fake, url = chat
    await open_chat(page, url)
    banner = page.get_by_test_id("reconnecting")
    await expect(banner).to_be_hidden()
    fake.welcome_allowed.clear()
    await fake.drop_connections()
    await expect(banner).to_be_visible()
    await fake.wait_for(lambda: len(fake.of_type("hello")) == 2)
    assert fake.of_type("hello")[1]["token"] == fake.tokens[0]
    fake.welcome_allowed.set()
    await expect(banner).to_be_hidden()
    await expect(page.get_by_test_id("bot-message")).to_have_count(1)  # re-sent, not doubled


async def test_text_and_menu_commands_are_sent_as_text(
    page: Page, chat: tuple[FakeChatServer, str]
) -> None:
    fake, url = chat
    await open_chat(page, url)
    await page.get_by_test_id("composer").fill("hello there")
    await page.get_by_test_id("send").click()
    await page.get_by_test_id("menu-button").click()
    await page.get_by_test_id("menu-help").click()
    await fake.wait_for(lambda: len(fake.of_type("text")) == 2)
    assert [frame["text"] for frame in fake.of_type("text")] == ["hello there", "/help"]
    assert all(UUID.match(frame["id"]) for frame in fake.of_type("text"))
    await expect(page.get_by_test_id("menu-help")).to_be_hidden()
