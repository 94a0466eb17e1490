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


async def flood(client: WebChatClient) -> None:
    """Send FLOOD text frames as fast as the socket takes them."""
    for n in range(FLOOD):
        await client.socket.send_json({"type": "text", "id": uuid.uuid4().hex, "text": f"x{n}"})


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
    """True once the flooder has been asked to slow down."""
    return any("slow down" in str(frame.get("text", "")) for frame in frames)


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
            flooder_saw: list[dict[str, Any]] = []
            reader = asyncio.create_task(read_all(flooder, flooder_saw))
            sending = asyncio.create_task(flood(flooder))
            waits: list[float] = []
            while not sending.done():
                wait, question = await answer_timed(other, question)
                waits.append(wait)
            greeted, greeting = await greet(url)  # right after the last frame went out
            deadline = time.perf_counter() + 30
            while not told(flooder_saw) and time.perf_counter() < deadline:
                wait, question = await answer_timed(other, question)
                waits.append(wait)
            reader.cancel()
        print(f"flood: other person's worst reply {max(waits):.2f} s over {len(waits)} answers")
        print(f"flood: a new visitor greeted after {greeted:.2f} s")
        slow_downs = [f for f in flooder_saw if told([f])]
        assert max(waits) < LIMIT_SECONDS
        assert greeted < LIMIT_SECONDS
        assert "language" in greeting["text"]
        assert len(slow_downs) == 1
