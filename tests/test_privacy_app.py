"""The real app: /export holds every row about the person; after /delete no table or file does."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from sqlalchemy import select, text

from bot.app import CASES, STORE
from bot.channels.webchat import chat_id_for
from bot.config import DEFAULT_CONTENT
from bot.db import schema
from bot.dialogs.definition import load_content
from tests.app_support import WebChatClient, app_config, onboard, payloads, serving_app, web_chat

SECRET = "Quokka-7391-my-secret-words"
REPLY = "Hello from your counsellor, Marabou-5512"


async def eventually(check: Callable[[], Awaitable[list[str]]], seconds: float = 15) -> list[str]:
    """Poll `check` (what is still wrong) until it finds nothing or time runs out."""
    deadline = asyncio.get_running_loop().time() + seconds
    # The erasure ends after the goodbye is shown, and nothing announces it: poll, bounded.
    while (wrong := await check()) and asyncio.get_running_loop().time() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    return wrong


async def a_person_with_everything(app: web.Application, client: WebChatClient) -> None:
    """Onboard, finish a category, talk with the counsellor, who validates a level (a badge)."""
    questions = len(load_content(DEFAULT_CONTENT).questions_of("ORG"))
    await onboard(client)
    await client.tap("cat:ORG")
    for _ in range(questions):
        frame = await client.question()
        await client.tap(next(p for p in payloads(frame) if p.endswith(":d")))
    await client.question()  # the menu, after the summary that hands the case over
    cases = app[CASES]
    ana = await cases.add_counsellor(None, "Ana")
    case = (await cases.queue())[0]
    await cases.claim(case.id, ana)
    await client.say(SECRET)
    await cases.reply(case.id, ana, REPLY)
    while REPLY not in (await client.next("message"))["text"]:
        pass
    await cases.validate(case.id, ana, "ORG", 2)
    await client.next("document")  # the baked badge


async def _export(client: WebChatClient) -> dict[str, Any]:
    await client.say("/export")
    while True:
        document = await client.next("document")
        if document.get("name", "").endswith(".json") or "json" in document["href"][:40]:
            data: dict[str, Any] = json.loads(base64.b64decode(document["href"].split(",", 1)[1]))
            return data


async def test_export_holds_the_case_transcript_and_badges(
    database_url: str, tmp_path: Path
) -> None:
    config = app_config(tmp_path, database_url=database_url)
    async with serving_app(config) as (app, url), web_chat(url) as client:
        await a_person_with_everything(app, client)
        data = await _export(client)
    assert data["answers"]
    [case] = data["counsellor_cases"]
    assert case["status"] == "claimed"
    said = [message["text"] for message in case["messages"]]
    assert SECRET in said
    assert REPLY in said
    assert case["audit"]
    [badge] = data["badges"]
    assert badge["verify_url"].startswith(config.public_url)
    assert badge["assertion_id"] in badge["verify_url"]


async def rows_naming(app: web.Application, needles: list[str]) -> list[str]:
    """`table: needle` for every row of every registered table that holds a needle."""
    found = []
    async with app[STORE].engine.connect() as conn:
        for table in schema.metadata.sorted_tables:
            for row in await conn.execute(select(table)):
                blob = " ".join(
                    value.decode("latin-1") if isinstance(value, bytes) else str(value)
                    for value in row
                )
                found += [f"{table.name}: {needle}" for needle in needles if needle in blob]
    return found


def _files_naming(directory: Path, needles: list[str]) -> list[str]:
    found = []
    for path in sorted(directory.glob("bot.db*")):
        content = path.read_bytes()
        found += [f"{path.name}: {n}" for n in needles if n.encode() in content]
    return found


async def test_after_delete_no_table_or_file_holds_the_person(
    database_url: str, tmp_path: Path
) -> None:
    config = app_config(tmp_path, database_url=database_url)
    async with serving_app(config) as (app, url), web_chat(url) as client:
        await a_person_with_everything(app, client)
        assert client.token is not None
        chat_id = chat_id_for(client.token)
        needles = [chat_id, chat_id[:12], SECRET, REPLY]
        assert await rows_naming(app, needles)  # the scan does see the person before
        await client.confirm_delete()
        while "Everything is deleted" not in (await client.next("message"))["text"]:
            pass

        async def left() -> list[str]:
            return await rows_naming(app, needles) + _files_naming(tmp_path, needles)

        assert await eventually(left) == []
        async with app[STORE].engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM outbox"))).scalar() == 0
