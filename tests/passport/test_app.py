"""The passport through the real app: /passport in the web chat; /delete switches the link off."""

from __future__ import annotations

import base64
import socket
from pathlib import Path

from bot.dialogs.content import Content
from tests.app_support import onboard, payloads, web_chat
from tests.badges.test_service import (
    SteppingClock,
    answer_category,
    content,
    get,
    listening,
    serving,
)
from tests.passport.test_passport import SHARE

__all__ = ["content", "listening"]  # fixtures shared with tests/badges


async def test_passport_through_the_web_chat_and_off_on_delete(
    tmp_path: Path, listening: socket.socket, content: Content
) -> None:
    async with serving(tmp_path, listening, SteppingClock()) as url, web_chat(url) as client:
        await onboard(client)
        await client.tap("cat:SOC")
        await answer_category(client, content, "SOC")
        await client.next("document")  # the badge
        await client.say("/passport")
        document = await client.next("document")
        assert document["filename"] == "skills-passport.pdf"
        assert base64.b64decode(document["href"].split(",", 1)[1]).startswith(b"%PDF")
        message = await client.next("message")
        match = SHARE.search(message["text"])
        assert match
        assert match.group(0).startswith(f"{url}/p/")
        assert "pass:stop" in payloads(await client.question())
        status, page = await get(match.group(0))
        assert status == 200
        assert page.count('data-testid="badge"') == 1

        await client.confirm_delete()
        assert "deleted" in (await client.next("message"))["text"]
        await client.say("/start")  # its reply proves the delete was handled in full
        await client.question()
        assert (await get(match.group(0)))[0] == 404
