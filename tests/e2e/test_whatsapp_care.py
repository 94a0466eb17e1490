"""WhatsApp persons' data and their counsellor: export, delete, invites, handoff, held replies."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import CASES, CONTENT, STORE
from bot.badges.bake import unbake
from bot.channels.whatsapp_parse import pseudonym
from bot.counsel.model import Case, CaseMessage, Counsellor
from bot.db.schema import metadata
from bot.db.whatsapp_tables import whatsapp_messages, whatsapp_people
from bot.framework.session import SessionKey
from tests.counsel.console_support import PASSWORD, console_client
from tests.e2e.whatsapp_people import SECRET, Clock, Reader, onboard, serve, whatsapp_env
from tests.fakes.whatsapp_api import FakeCloudApi, text_of
from tests.outreach.support import make_invite

BSUID = "US.13491208655302741918"
PHONE = "15551234567"
QUICK = {"WHATSAPP_CHAT_RATE": "50"}
KEY = SessionKey("whatsapp", BSUID)


@pytest.fixture
async def api() -> AsyncIterator[FakeCloudApi]:
    async with FakeCloudApi(SECRET) as fake:
        yield fake


async def until(holds: Callable[[], Awaitable[bool]], seconds: float = 20.0) -> None:
    """Poll a condition on the database (the sender works on its own) until it holds."""
    async with asyncio.timeout(seconds):
        # The erasure is the last row of the chat and has no hook to wait on: poll, bounded.
        while not await holds():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


class Heard:
    """A counsellor notifier that only notes that the person wrote."""

    def __init__(self) -> None:
        self.wrote = asyncio.Event()

    async def case_opened(self, case: Case) -> None:
        """Not needed here."""

    async def person_wrote(self, case: Case, message: CaseMessage, file_ref: str) -> None:
        """The person's message reached their case."""
        self.wrote.set()

    async def case_changed(self, case: Case, action: str, counsellor: Counsellor) -> None:
        """Not needed here."""

    async def remind(self, cases: list[Case]) -> None:
        """Not needed here."""


async def whatsapp_rows_naming(engine: AsyncEngine, *secrets: str) -> list[str]:
    """Every row of every whatsapp_* table that holds one of `secrets`, in any column."""
    found = []
    async with engine.connect() as conn:
        for table in metadata.sorted_tables:
            if not table.name.startswith("whatsapp_"):
                continue
            for row in await conn.execute(select(table)):
                shown = repr(tuple(row))
                found += [f"{table.name}: {row}" for s in secrets if s in shown]
    return found


async def test_export_has_the_whatsapp_rows_and_delete_leaves_none(
    api: FakeCloudApi, tmp_path: Path
) -> None:
    person = api.person(BSUID)
    reader = Reader(api, person)
    async with serve(api, whatsapp_env(api, tmp_path, **QUICK)) as served:
        engine = served.app[STORE].engine
        await onboard(api, reader)
        await api.voice(person)
        await api.text(person, "/export")
        export = await reader.next_where(
            lambda m: m["type"] == "document" and m["document"]["filename"].endswith(".json")
        )
        data = json.loads(api.uploads[export["document"]["id"]][1])
        await api.text(person, "/delete")
        await reader.next_with("del:")
        await api.tap(person, "del:yes")
        await reader.next_where(lambda m: "deleted" in text_of(m))

        async def erased() -> bool:
            return not await served.app[STORE].pending(channel="whatsapp")

        await until(erased)
        left = await whatsapp_rows_naming(engine, BSUID, PHONE, pseudonym(PHONE))
    assert data["whatsapp"]["recipient"] == BSUID
    assert any(m["state"] == "sent" for m in data["whatsapp_messages"])
    assert data["whatsapp_voice_notes_kept"] is True
    assert left == []


async def test_a_start_sent_right_after_delete_is_answered_and_kept(
    api: FakeCloudApi, tmp_path: Path, database_url: str
) -> None:
    person = api.person(BSUID)
    reader = Reader(api, person)
    env = whatsapp_env(api, tmp_path, DATABASE_URL=database_url, **QUICK)
    async with serve(api, env) as served:
        await onboard(api, reader)
        await api.text(person, "/delete")
        await reader.next_with("del:")
        await api.tap(person, "del:yes")
        await api.text(person, "/start")  # at once: the erasure has not run yet
        await reader.next_where(lambda m: "deleted" in text_of(m))
        await reader.next_with("lang:")
        await api.tap(person, "lang:en")
        await reader.next_with("consent:")

        async def erased() -> bool:
            return not any(
                type(item.action).__name__ == "DataErased"
                for item in await served.app[STORE].pending(channel="whatsapp")
            )

        await until(erased)
        async with served.app[STORE].engine.connect() as conn:
            logged = list(await conn.scalars(select(whatsapp_messages.c.body)))
            people = list(await conn.scalars(select(whatsapp_people.c.chat_id)))
    goodbye = next(i for i, m in enumerate(person.received) if "deleted" in text_of(m))
    since = [text_of(message) for message in person.received[goodbye + 1 :]]
    kept = [text_of(json.loads(body)) for body in logged]
    assert kept == since[: len(kept)]  # only what was sent after (the last may be logging)
    assert kept
    assert people == [BSUID]  # a reply can still reach them


async def test_an_invite_survives_a_failure_before_the_first_message_is_applied(
    api: FakeCloudApi, tmp_path: Path
) -> None:
    person = api.person(BSUID)
    reader = Reader(api, person)
    async with serve(api, whatsapp_env(api, tmp_path, **QUICK)) as served:
        engine = served.app[STORE].engine
        await make_invite(engine, "inv42abcdefghijk")
        async with engine.begin() as conn:  # the store fails once, after the window opened
            await conn.execute(
                text(
                    "CREATE TRIGGER fail_once BEFORE INSERT ON conversations "
                    "BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"
                )
            )
        first = {"from": PHONE, "id": "wamid.FIRST1", "timestamp": "1", "type": "text"}
        note = api.envelope(
            person, {"messages": [{**first, "text": {"body": "start inv42abcdefghijk"}}]}
        )
        person.last_wrote = api.now()
        assert await api.post(note) == 500
        async with engine.begin() as conn:
            await conn.execute(text("DROP TRIGGER fail_once"))
        assert await api.post(note) == 200  # Meta delivers it again
        await reader.next_with("lang:")
        session = await served.app[STORE].load(KEY)
    assert session is not None
    assert session.invite == "inv42abcdefghijk"


async def test_held_messages_whose_release_fails_are_retried_by_themselves(
    api: FakeCloudApi, tmp_path: Path
) -> None:
    clock = Clock()
    person = api.person(BSUID)
    reader = Reader(api, person)
    env = whatsapp_env(api, tmp_path, COUNSELLORS="Ana:501:admin", **QUICK)
    async with serve(api, env, clock) as served:
        await onboard(api, reader)
        await api.text(person, "/human")
        await reader.next_where(lambda m: "counsellor" in text_of(m))
        cases, ana = served.app[CASES], Counsellor("ana", "Ana", 501, True)
        await cases.claim(1, ana)
        await reader.next_where(lambda m: "A counsellor is here now" in text_of(m))
        clock.offset += timedelta(hours=25)
        api.offset += 25 * 3600
        await cases.reply(1, ana, "Sorry for the wait!")
        await reader.next_where(lambda m: m["type"] == "template")
        api.fail_next(130429)  # the release hits the throughput limit once
        await api.text(person, "I am here")  # relayed to the counsellor: no reply of its own
        await reader.next_where(lambda m: "Sorry for the wait" in text_of(m))
    assert api.refused == []


async def test_handoff_console_reply_person_reply_and_validated_badge_document(
    api: FakeCloudApi, tmp_path: Path
) -> None:
    person = api.person(BSUID)
    reader = Reader(api, person)
    async with serve(api, whatsapp_env(api, tmp_path, **QUICK)) as served:
        cases, content = served.app[CASES], served.app[CONTENT]
        await cases.add_counsellor(None, "Ana Novak", password=PASSWORD)
        await onboard(api, reader)
        await api.text(person, "/human")
        await reader.next_where(lambda m: "counsellor" in text_of(m))
        case = (await cases.queue())[0]
        path = f"/counsellor/cases/{case.id}"
        async with console_client(served.url) as console:
            assert (await console.login())[0] == 303
            await console.get(path)
            assert (await console.post(f"{path}/claim"))[0] == 303
            await reader.next_where(lambda m: "A counsellor is here now" in text_of(m))
            await console.get(path)
            assert (await console.post(f"{path}/reply", {"text": "Hello from Ana 👋"}))[0] == 303
            await reader.next_where(lambda m: "Hello from Ana" in text_of(m))
            heard = Heard()
            cases.notifiers.append(heard)
            await api.text(person, "Thank you, I cook every day 🍲")
            await heard.wrote.wait()
            _, page = await console.get(path)
            assert "I cook every day" in page
            top = str(len(content.levels) - 1)
            await console.post(f"{path}/validate", {"category": "SOC", "level": top})
            badge = await reader.next_where(lambda m: m["type"] == "document")
            link = await reader.next_where(lambda m: served.url in text_of(m))
    mime, png, _ = api.uploads[badge["document"]["id"]]
    assert mime == "image/png"
    assert json.loads(unbake(png) or "{}")["type"] == "Assertion"
    assert "/" in text_of(link).split(served.url, 1)[1]
    assert PHONE not in page
    assert api.refused == []


async def test_the_console_plays_a_persons_voice_note_to_a_signed_in_counsellor(
    api: FakeCloudApi, tmp_path: Path
) -> None:
    person = api.person(BSUID)
    reader = Reader(api, person)
    async with serve(api, whatsapp_env(api, tmp_path, **QUICK)) as served:
        cases = served.app[CASES]
        await cases.add_counsellor(None, "Ana Novak", password=PASSWORD)
        await onboard(api, reader)
        await api.text(person, "/human")
        await reader.next_where(lambda m: "counsellor" in text_of(m))
        case = (await cases.queue())[0]
        path = f"/counsellor/cases/{case.id}"
        heard = Heard()
        cases.notifiers.append(heard)
        async with console_client(served.url) as console:
            await console.login()
            await console.get(path)
            await console.post(f"{path}/claim")
            await reader.next_where(lambda m: "A counsellor is here now" in text_of(m))
            await api.voice(person)
            await heard.wrote.wait()
            _, page = await console.get(path)
            found = re.search(r'<audio controls preload="none" src="([^"]+)"', page)
            assert found is not None, page
            async with console.http.get(served.url + found.group(1)) as response:
                played = (response.status, response.content_type, await response.read())
        async with console_client(served.url) as stranger:
            status, _ = await stranger.get(found.group(1))
    assert played == (200, "audio/ogg", b"OggS\x00OpusHead-voice")
    assert status in (303, 401, 403)
