"""The web chat socket under hostile or broken clients: it answers kindly, limits, and lets go."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import socket
import struct
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.channels.base import NotConnected
from bot.channels.webchat import WebChatChannel, chat_id_for
from bot.framework.actions import SendImage, SendResultPicture, SendText
from bot.framework.events import Inbound
from bot.framework.session import Session, SessionKey
from tests.app_support import app_config, onboard, payloads, running_app, web_chat


async def test_deep_json_a_lone_surrogate_and_nul_get_kind_answers_and_the_socket_lives(
    tmp_path: Path,
) -> None:
    async with running_app(app_config(tmp_path)) as url, web_chat(url) as client:
        await onboard(client)
        await client.tap("cat:SOC")
        question = await client.question()
        await client.socket.send_str("[" * 5000 + "]" * 5000)
        assert "could not read" in (await client.next("error"))["text"]
        await client.socket.send_str('{"type": "text", "id": "s1", "text": "\\ud800"}')
        assert "could not read" in (await client.next("error"))["text"]
        await client.say("\x00")
        assert "empty" in (await client.next("message"))["text"]
        assert (await client.question())["text"] == question["text"]
        await client.tap(payloads(question)[0])
        assert (await client.question())["text"] != question["text"]


async def test_a_flood_from_one_socket_gets_one_kind_note_then_a_policy_close(
    tmp_path: Path,
) -> None:
    async with running_app(app_config(tmp_path)) as url, web_chat(url) as client:
        await onboard(client)
        for n in range(400):
            await client.socket.send_json({"type": "text", "id": f"f{n}", "text": "hi"})
        frames: list[dict[str, Any]] = []
        while (message := await client.socket.receive(timeout=10)).type == aiohttp.WSMsgType.TEXT:
            frames.append(json.loads(message.data))
        assert message.type == aiohttp.WSMsgType.CLOSE
        assert client.socket.close_code == aiohttp.WSCloseCode.POLICY_VIOLATION
        notes = [f for f in frames if f["type"] == "error"]
        assert len(notes) == 1
        assert "very fast" in notes[0]["text"]
        answered = [f for f in frames if f["type"] == "message"]
        assert 0 < len(answered) < 120  # the burst and the steady rate, not the 400


@pytest.mark.parametrize(
    ("origin", "allowed"),
    [
        ("http://evil.example", False),
        ("null", False),
        ("http://127.0.0.1:8080", True),  # PUBLIC_URL
        ("SAME", True),  # the host the request came to
        (None, True),  # not a browser
    ],
)
async def test_the_socket_opens_only_from_its_own_origin(
    tmp_path: Path, origin: str | None, allowed: bool
) -> None:
    async with running_app(app_config(tmp_path)) as url, aiohttp.ClientSession() as http:
        given = url if origin == "SAME" else origin
        if allowed:
            async with http.ws_connect(f"{url}/ws", origin=given) as ws:
                await ws.send_json({"type": "hello", "token": None, "lang": "en"})
                assert (await ws.receive_json(timeout=10))["type"] == "welcome"
        else:
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await http.ws_connect(f"{url}/ws", origin=given)
            assert refused.value.status == 403


# -- a tab that never reads: a raw client that stops reading after the welcome -------------


async def _ignore(_inbound: Inbound) -> None:
    return None


async def _nobody(_key: SessionKey) -> Session | None:
    return None


async def _no_picture(_action: SendResultPicture) -> bytes:
    return b""


def bare_channel(
    load: Callable[[SessionKey], Awaitable[Session | None]] = _nobody, **options: Any
) -> WebChatChannel:
    """A web chat channel alone: inbound frames go nowhere, no picture is drawn."""
    return WebChatChannel(_ignore, load, _no_picture, **options)


@asynccontextmanager
async def channel_site(channel: WebChatChannel) -> AsyncIterator[tuple[str, int]]:
    app = web.Application()
    app.router.add_routes(channel.routes())
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = site._server.sockets[0].getsockname()[:2]  # type: ignore[union-attr]
    try:
        yield host, port
    finally:
        await runner.cleanup()


def masked_text_frame(text: str) -> bytes:
    """One client-to-server text frame (clients must mask)."""
    payload, mask = text.encode(), os.urandom(4)
    assert len(payload) < 126
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x81, 0x80 | len(payload)]) + mask + masked


async def read_server_frame(reader: asyncio.StreamReader) -> bytes:
    head = await reader.readexactly(2)
    size = head[1] & 0x7F
    if size == 126:
        size = struct.unpack("!H", await reader.readexactly(2))[0]
    elif size == 127:
        size = struct.unpack("!Q", await reader.readexactly(8))[0]
    return await reader.readexactly(size)


async def test_a_tab_that_does_not_read_is_dropped_and_what_it_missed_waits() -> None:
    channel = bare_channel(send_timeout=0.5)
    async with channel_site(channel) as (host, port):
        raw = socket.socket()
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        raw.connect((host, port))
        reader, writer = await asyncio.open_connection(sock=raw, limit=4096)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            f"GET /ws HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        await reader.readuntil(b"\r\n\r\n")
        writer.write(masked_text_frame('{"type": "hello", "token": null, "lang": "en"}'))
        welcome = json.loads(await read_server_frame(reader))
        person = SessionKey("web", chat_id_for(welcome["token"]))
        assert channel.connected(person)
        picture = SendImage(os.urandom(1_000_000), "a big picture")
        sent = 0  # from here on the client reads nothing
        while channel.connected(person) and sent < 60:
            with contextlib.suppress(NotConnected):
                await channel.deliver(person, picture)
            sent += 1
        assert not channel.connected(person)
        with pytest.raises(NotConnected):
            await channel.deliver(person, picture)
        writer.close()


async def test_the_sender_is_told_when_a_person_s_last_tab_here_closes() -> None:
    gone: list[SessionKey] = []
    told = asyncio.Event()

    def left(key: SessionKey) -> None:
        gone.append(key)
        told.set()

    async def load(key: SessionKey) -> Session | None:
        return Session(key)  # everyone is known: a second tab joins the first

    channel = bare_channel(load, on_leave=left)
    async with channel_site(channel) as (host, port), web_chat(f"http://{host}:{port}") as last:
        await last.hello()
        assert last.token is not None
        person = SessionKey("web", chat_id_for(last.token))
        async with web_chat(f"http://{host}:{port}") as first:
            await first.hello(last.token)
        await channel.deliver(person, SendText("still here"))  # the other tab is open
        assert (await last.next("message"))["text"] == "still here"
        assert gone == []
    await asyncio.wait_for(told.wait(), 10)
    assert gone == [person]
