"""A flood from one web chat socket slows nobody else down (the real app, real sockets)."""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Any

from tests.app_support import WebChatClient, app_config, onboard, payloads, running_app, web_chat

FLOOD = 2_000
LIMIT_SECONDS = 2.0


async def flood(url: str, token: str, seen: list[dict[str, Any]]) -> int:
    """Send FLOOD frames as fast as sockets take them; returns how many sockets it took.

    Whenever the bot closes a socket for flooding, it reconnects, as an abuser would.
    """
    sent, sockets = 0, 0
    while sent < FLOOD:
        async with web_chat(url) as tab:
            sockets += 1
            await tab.hello(token)
            reader = asyncio.create_task(read_all(tab, seen))
            while sent < FLOOD and not tab.socket.closed:
                await tab.socket.send_json({"type": "text", "id": uuid.uuid4().hex, "text": "x"})
                sent += 1
            await asyncio.wait([reader], timeout=0.5)  # the close frame, if one is coming
            reader.cancel()
    return sockets


async def read_all(client: WebChatClient, seen: list[dict[str, Any]]) -> None:
    """Keep reading, as the page would, until the socket closes."""
    async for message in client.socket:
        seen.append(message.json())


async def greet(url: str) -> tuple[float, dict[str, Any]]:
    """A new visitor says hello: seconds until the language question, and that question."""
    async with web_chat(url) as newcomer:
        began = time.perf_counter()
        await newcomer.hello()
        greeting = await newcomer.question()
        return time.perf_counter() - began, greeting


def told(frames: list[dict[str, Any]]) -> bool:
    """True once the flooder was asked to slow down (by the socket or the per-person limit)."""
    return any(
        "slow down" in text or "very fast" in text
        for text in (str(frame.get("text", "")) for frame in frames)
    )


async def answer_timed(
    client: WebChatClient, question: dict[str, Any]
) -> tuple[float, dict[str, Any]]:
    """Tap the first answer; seconds until the next question, and that question."""
    began = time.perf_counter()
    await client.tap(payloads(question)[0])
    following = await client.question()
    return time.perf_counter() - began, following


async def test_a_flooding_socket_does_not_delay_another_person_or_a_newcomer(
    tmp_path: Path,
) -> None:
    async with running_app(app_config(tmp_path)) as url:
        async with web_chat(url) as other, web_chat(url) as flooder:
            await onboard(other)
            await other.tap("cat:SOC")
            question = await other.question()
            await onboard(flooder)
            assert flooder.token is not None
            flooder_saw: list[dict[str, Any]] = []
            sending = asyncio.create_task(flood(url, flooder.token, flooder_saw))
            waits: list[float] = []
            while not sending.done():
                wait, question = await answer_timed(other, question)
                waits.append(wait)
            greeted, greeting = await greet(url)  # right after the last frame went out
            sockets = await sending
        print(f"flood: other person's worst reply {max(waits):.2f} s over {len(waits)} answers")
        print(f"flood: a new visitor greeted after {greeted:.2f} s")
        print(
            f"flood: {FLOOD} frames sent over {sockets} socket(s); the bot closes a flooding one"
        )
        assert max(waits) < LIMIT_SECONDS
        assert greeted < LIMIT_SECONDS
        assert "language" in greeting["text"]
        assert told(flooder_saw)
