"""Voice notes both ways between a counsellor in the Telegram group and a person on any channel."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import CASES
from bot.badges.bake import unbake
from bot.counsel.service import MAX_VOICE
from tests.counsel.group_api import GroupTelegramApi
from tests.counsel.test_telegram_desk import BO, ENV, GROUP, person_reads, posted
from tests.e2e import telegram_people
from tests.e2e.telegram_people import Person, telegram_env
from tests.e2e.whatsapp_people import SECRET, Reader, onboard, serve, whatsapp_env
from tests.fakes.whatsapp_api import FakeCloudApi, text_of

BSUID = "US.13491208655302741918"
COUNSELLOR_NOTE = b"OggS\x00OpusHead counsellor-voice" + bytes(range(256)) * 4


@pytest.fixture
async def group() -> AsyncIterator[GroupTelegramApi]:
    fake = GroupTelegramApi(GROUP)
    async with fake:
        yield fake


@pytest.fixture
async def cloud() -> AsyncIterator[FakeCloudApi]:
    async with FakeCloudApi(SECRET) as fake:
        yield fake


def both(group: GroupTelegramApi, cloud: FakeCloudApi, data_dir: Path) -> dict[str, str]:
    """Telegram with the counsellors' group, and WhatsApp, as an operator would set them."""
    quick = {"WHATSAPP_CHAT_RATE": "50"}
    return {**telegram_env(group, data_dir, **ENV), **whatsapp_env(cloud, data_dir, **quick)}


async def test_voice_notes_go_both_ways_between_the_group_and_a_whatsapp_person(
    group: GroupTelegramApi, cloud: FakeCloudApi, tmp_path: Path
) -> None:
    person = cloud.person(BSUID)
    reader = Reader(cloud, person)
    async with serve(cloud, both(group, cloud, tmp_path)) as served:
        await onboard(cloud, reader)
        await cloud.text(person, "/human")
        case_post = await posted(group, "#1 · 🙋")
        await group.member_taps(BO, case_post, "claim:1")
        await reader.next_where(lambda m: "A counsellor is here now" in text_of(m))

        await cloud.voice(person)
        relayed = await posted(group, "🎤 #1")

        await group.member_sends_voice(BO, COUNSELLOR_NOTE, to=relayed)
        first = await reader.next_where(lambda m: m["type"] == "audio")
        await group.member_sends_voice(
            BO, b"OggS\x00OpusHead second", caption="/reply 1 Listen, please 🙂"
        )
        said = await reader.next_where(lambda m: "Listen, please" in text_of(m))
        second = await reader.next_where(lambda m: m["type"] == "audio")
        await group.member_sends_voice(BO, b"O" * (MAX_VOICE + 1), to=relayed)
        refused = await posted(group, "⚠️ a voice note must be at most 1 MB")
        await group.member_says(BO, "/validate 1 SOC 2 Talked about the kitchen")
        badge = await reader.next_where(lambda m: m["type"] == "document")
        transcript = await served.app[CASES].transcript(1)

    assert (
        relayed.voice == b"OggS\x00OpusHead-voice"
    )  # uploaded: a WhatsApp media id means nothing there
    assert relayed.filename == "voice.ogg"
    assert cloud.uploads[first["audio"]["id"]][:2] == ("audio/ogg", COUNSELLOR_NOTE)
    assert cloud.uploads[second["audio"]["id"]][1] == b"OggS\x00OpusHead second"
    assert text_of(said).startswith("🧑‍🏫")
    assert refused.text is not None
    assert json.loads(unbake(cloud.uploads[badge["document"]["id"]][1]) or "{}")["type"] == (
        "Assertion"
    )
    assert [(m.sender, m.kind, m.text) for m in transcript] == [
        ("person", "voice", ""),
        ("counsellor", "voice", ""),
        ("counsellor", "voice", "Listen, please 🙂"),
    ]
    assert cloud.refused == []


async def test_a_telegram_person_hears_the_counsellors_voice_note_as_a_voice_note(
    group: GroupTelegramApi, tmp_path: Path
) -> None:
    async with telegram_people.serve(telegram_env(group, tmp_path, **ENV)):
        person = Person(group, 4343)
        await person.onboard()
        await person.say("/human")
        case_post = await posted(group, "#1 · 🙋")
        await group.member_taps(BO, case_post, "claim:1")
        await person_reads(group, person, "A counsellor is here now")
        await person.say("Can you hear me?")
        relayed = await posted(group, "💬 #1: Can you hear me?")
        await group.member_sends_voice(BO, COUNSELLOR_NOTE, to=relayed)

        def heard() -> bool:
            return any(m.voice for m in group.messages_for(person.chat_id))

        await group.wait_for(heard, telegram_people.WAIT)
    note = next(m for m in group.messages_for(person.chat_id) if m.voice)
    assert note.voice == COUNSELLOR_NOTE
    assert (note.caption or "").startswith("🧑‍🏫")
