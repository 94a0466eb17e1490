"""The real app over its WebSocket: a whole category, resuming, and every kind of bad input."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import aiohttp

from bot.config import DEFAULT_CONTENT
from bot.dialogs.definition import load_content
from tests.app_support import app_config, onboard, payloads, running_app, web_chat


async def test_a_category_over_the_socket_ends_with_summary_and_picture(tmp_path: Path) -> None:
    questions = len(load_content(DEFAULT_CONTENT).questions_of("ORG"))
    async with running_app(app_config(tmp_path)) as url, web_chat(url) as client:
        await onboard(client)
        await client.tap("cat:ORG")
        for _ in range(questions):
            frame = await client.question()
            await client.tap(payloads(frame)[0])
        image = await client.next("image")
        assert image["src"].startswith("data:image/png;base64,")
        menu = await client.menu()
        assert "cat:ORG" in payloads(menu)


async def test_reload_resumes_at_the_same_question_even_after_a_restart(tmp_path: Path) -> None:
    config = app_config(tmp_path)
    async with running_app(config) as url, web_chat(url) as client:
        await onboard(client)
        await client.tap("cat:SOC")
        await client.tap(payloads(await client.question())[0])
        second = await client.question()
        token = client.token
    async with running_app(config) as url, web_chat(url) as client:
        await client.hello(token)
        again = await client.question()
        assert again["text"] == second["text"]
        assert payloads(again) == payloads(second)


async def test_a_repeated_client_message_is_applied_once(tmp_path: Path) -> None:
    async with running_app(app_config(tmp_path)) as url, web_chat(url) as client:
        await onboard(client)
        await client.tap("cat:SOC")
        first = await client.question()
        await client.tap(payloads(first)[0], client_id="same-id")
        second = await client.question()
        await client.tap(payloads(second)[0], client_id="same-id")
        await client.say("/stop")
        paused = await client.question()
        assert "saved" in paused["text"]
        assert "2 / " in second["text"]
        await client.tap("nav:resume")
        resumed = await client.question()
        assert resumed["text"] == second["text"]


async def test_bad_input_gets_kind_answers_and_loses_nothing(tmp_path: Path) -> None:
    async with running_app(app_config(tmp_path)) as url, web_chat(url) as client:
        await onboard(client)
        await client.tap("cat:SOC")
        question = await client.question()
        await client.socket.send_str("{not json")
        assert "could not read" in (await client.next("error"))["text"]
        await client.socket.send_json({"type": "choice", "id": "x" * 65, "payload": "p"})
        assert "could not read" in (await client.next("error"))["text"]
        for text, expected in [
            ("x" * 4097, "too long"),
            ("", "empty"),
            ("/frobnicate", "do not know this command"),
            ("what?", "tap one of the buttons"),
        ]:
            await client.say(text)
            assert expected in (await client.next("message"))["text"]
            assert (await client.question())["text"] == question["text"]
        await client.tap(payloads(question)[0])
        await client.question()
        await client.tap(payloads(question)[1])
        assert "earlier message" in (await client.next("message"))["text"]


async def test_an_unknown_or_forged_token_starts_fresh_with_a_note(tmp_path: Path) -> None:
    async with running_app(app_config(tmp_path)) as url:
        for forged in ["not-a-token", "A" * 43]:
            async with web_chat(url) as client:
                await client.socket.send_json({"type": "hello", "token": forged, "lang": "en"})
                note = await client.next("error")
                assert "start fresh" in note["text"]
                welcome = await client.next("welcome")
                assert welcome["token"] != forged
                assert "language" in (await client.question())["text"]


async def test_an_oversize_frame_closes_only_that_socket(tmp_path: Path) -> None:
    async with running_app(app_config(tmp_path)) as url:
        async with web_chat(url) as client:
            await client.hello()
            await client.socket.send_str("x" * 70_000)
            message = await client.socket.receive(timeout=10)
            while message.type is aiohttp.WSMsgType.TEXT:  # replies to the hello sent before
                message = await client.socket.receive(timeout=10)
            assert message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED)
        async with aiohttp.ClientSession() as session, session.get(f"{url}/healthz") as reply:
            assert reply.status == 200


async def test_export_sends_everything_stored_as_a_file(tmp_path: Path) -> None:
    async with running_app(app_config(tmp_path)) as url, web_chat(url) as client:
        await onboard(client)
        await client.tap("cat:SOC")
        await client.tap(payloads(await client.question())[0])
        await client.question()
        await client.say("/export")
        summary = await client.next("document")  # the plain page first, then the whole JSON
        assert summary["filename"] == "my-skills-summary.html"
        assert summary["href"].startswith("data:text/html")
        document = await client.next("document")
        data = json.loads(base64.b64decode(document["href"].split(",", 1)[1]))
        assert [a["question_id"] for a in data["answers"]] == ["SC-SOC-01"]
        assert data["state"]["consent"] is True
