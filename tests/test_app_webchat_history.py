"""A fresh web chat page gets the person's results and badges back, and only that person."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp

from bot.config import DEFAULT_CONTENT
from bot.dialogs.definition import load_content
from tests.app_support import WebChatClient, app_config, onboard, payloads, running_app, web_chat

CONTENT = load_content(DEFAULT_CONTENT)


async def hello(client: WebChatClient, token: str | None, history: bool) -> list[dict[str, Any]]:
    """Say hello as a page would; the frames up to the re-sent menu question."""
    frame = {"type": "hello", "token": token, "lang": "en", "history": history}
    await client.socket.send_json(frame)
    frames = []
    while True:
        frame = await client.next()
        frames.append(frame)
        if frame["type"] == "message" and frame["buttons"]:
            return frames


async def test_results_come_back_to_the_token_holder_only(tmp_path: Path) -> None:
    async with running_app(app_config(tmp_path)) as url:
        async with web_chat(url) as client:
            await onboard(client)
            category = CONTENT.categories[0].id
            await client.tap(f"cat:{category}")
            for _ in CONTENT.questions_of(category):
                await client.tap(payloads(await client.question())[0])
            await client.next("image")  # the result picture
            token = client.token
        async with web_chat(url) as again:
            frames = await hello(again, token, history=True)
        async with web_chat(url) as stranger:
            fresh = await hello(stranger, None, history=True)
        async with web_chat(url) as same_page:
            kept = await hello(same_page, token, history=False)
    shown = [f for f in frames if f.get("history")]
    assert [f["type"] for f in shown][:2] == ["message", "image"]
    assert "My results" in shown[0]["text"]
    assert not [f for f in fresh if f.get("history")]
    assert not [f for f in kept if f.get("history")]


async def test_the_favicon_is_served(tmp_path: Path) -> None:
    async with (
        running_app(app_config(tmp_path)) as url,
        aiohttp.ClientSession() as http,
        http.get(f"{url}/favicon.ico") as response,
    ):
        assert response.status == 200
        assert response.content_type.startswith("image/")
