"""PTB's Bot over AiohttpRequest, against the Bot API stand-in: text, files, errors, timeouts."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web
from telegram import Bot, InputFile
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.channels.telegram_errors import retry_seconds
from bot.channels.telegram_request import AiohttpRequest
from tests.fakes.telegram_api import FakeTelegramApi


def _bot(api: FakeTelegramApi) -> Bot:
    return Bot(api.token, base_url=api.bot_base_url, request=AiohttpRequest())


async def test_a_text_with_a_keyboard_and_a_file_go_through() -> None:
    async with FakeTelegramApi() as api, _bot(api) as bot:
        await api.user_sends_text(5, "/start")
        markup = {"inline_keyboard": [[{"text": "Yes", "callback_data": "consent:yes"}]]}
        await bot.do_api_request(
            "sendmessage", api_kwargs={"chat_id": 5, "text": "Ünïcode ✓", "reply_markup": markup}
        )
        document = InputFile(b"%PDF-1.4 bytes", filename="export.json")
        await bot.send_document(5, document, caption="Your data")
    text, doc = api.messages_for(5)
    assert text.text == "Ünïcode ✓"
    assert text.buttons() == [("Yes", "consent:yes")]
    assert doc.document == b"%PDF-1.4 bytes"
    assert doc.filename == "export.json"
    assert doc.caption == "Your data"


async def test_api_errors_become_ptb_errors() -> None:
    async with FakeTelegramApi() as api, _bot(api) as bot:
        await api.user_sends_text(5, "/start")
        api.fail_next("sendMessage", retry_after=7)
        with pytest.raises(RetryAfter) as retry:
            await bot.send_message(5, "hi")
        assert retry_seconds(retry.value) == 7
        api.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
        with pytest.raises(BadRequest, match=r"(?i)chat not found"):
            await bot.send_message(5, "hi")


async def test_a_server_that_does_not_answer_times_out() -> None:
    release = asyncio.Event()

    async def silent(request: web.Request) -> web.Response:
        await release.wait()
        return web.Response()

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", silent)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        async with AiohttpRequest(read_timeout=0.2) as request:
            with pytest.raises(TimedOut):
                await request.post(f"http://127.0.0.1:{port}/bot1:x/getMe")
    finally:
        release.set()
        await runner.cleanup()


async def test_a_closed_port_is_a_network_error() -> None:
    async with FakeTelegramApi() as api:
        url = api.bot_base_url
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError):
            await request.post(f"{url}{api.token}/getMe")
