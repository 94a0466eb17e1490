"""The web chat's speech: each message links the server's OGG; audio on plays each question."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from bot.audio.ogg import is_ogg_opus
from tests.app_support import app_config, payloads, running_app, web_chat


async def test_every_message_links_its_speech_and_questions_play_when_audio_is_on(
    tmp_path: Path,
) -> None:
    async with running_app(app_config(tmp_path)) as url, web_chat(url) as client:
        await client.hello()
        languages = await client.question()
        await client.tap("lang:de")
        consent = await client.question()
        assert "audio:on" in payloads(consent)
        await client.tap("audio:on")
        voice = await client.next("voice")
        again = await client.next("message")
        await client.tap("consent:yes")
        await client.question()  # the menu
        await client.tap("cat:SOC")
        first = await client.next()
        question = await client.next()
        async with aiohttp.ClientSession() as http, http.get(url + question["audio"]) as got:
            status, headers, body = got.status, got.headers, await got.read()
        async with (
            aiohttp.ClientSession() as http,
            http.get(url + "/audio/" + "0" * 32 + ".ogg") as unknown,
        ):
            unknown_status = unknown.status

    assert languages["audio"].startswith("/audio/")
    assert voice["type"] == "voice"
    assert voice["src"] == again["audio"]  # the consent, heard, then shown
    assert first["type"] == "voice"
    assert first["lang"] == "de"
    assert first["src"] == question["audio"]
    assert question["audio"].removeprefix("/audio/").removesuffix(".ogg").isalnum()
    assert status == 200
    assert headers["Content-Type"] == "audio/ogg"
    assert "immutable" in headers["Cache-Control"]
    assert is_ogg_opus(body)
    assert unknown_status == 404
