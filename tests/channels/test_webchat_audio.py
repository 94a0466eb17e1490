"""The web chat plays audio (a counsellor's voice note) from a data URL in an <audio> element."""

from __future__ import annotations

import base64

import aiohttp

from bot.channels.webchat import chat_id_for
from bot.framework.actions import SendAudio
from bot.framework.session import SessionKey
from tests.channels.test_webchat_socket import bare_channel, channel_site


async def test_audio_arrives_as_a_playable_data_url_with_its_caption() -> None:
    channel = bare_channel()
    note = b"OggS\x00voice" * 100
    async with channel_site(channel) as (host, port), aiohttp.ClientSession() as http:
        origin = f"http://{host}:{port}"
        async with http.ws_connect(f"{origin}/ws", origin=origin) as socket:
            await socket.send_json({"type": "hello", "token": None, "lang": "en"})
            welcome = await socket.receive_json()
            person = SessionKey("web", chat_id_for(welcome["token"]))
            await channel.deliver(person, SendAudio(note, "audio/ogg; codecs=opus", "🧑‍🏫"))
            frame = await socket.receive_json()
    head, _, data = frame["src"].partition(",")
    assert (frame["type"], frame["caption"], head) == ("audio", "🧑‍🏫", "data:audio/ogg;base64")
    assert base64.b64decode(data) == note
