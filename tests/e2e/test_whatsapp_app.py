"""The real app on WhatsApp, configured as from env vars, over HTTP to the Cloud API stand-in."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.app import CASES, CONTENT, STORE
from bot.badges.bake import unbake
from bot.counsel.model import Counsellor
from bot.framework.session import SessionKey
from tests.e2e.whatsapp_people import (
    SECRET,
    VERIFY,
    Clock,
    Reader,
    ids,
    onboard,
    serve,
    whatsapp_env,
)
from tests.fakes.whatsapp_api import FakeCloudApi, text_of
from tests.outreach.support import make_invite

BSUID = "US.13491208655302741918"
QUICK = {"WHATSAPP_CHAT_RATE": "50"}


@pytest.fixture
async def api() -> AsyncIterator[FakeCloudApi]:
    async with FakeCloudApi(SECRET) as fake:
        yield fake


def key(chat_id: str = BSUID) -> SessionKey:
    return SessionKey("whatsapp", chat_id)


def _level_payload(content: Any, question_message: dict[str, Any], level: int) -> str:
    """The reply id of the shown question's option at `level` (the question read off its body)."""
    body = question_message["interactive"]["body"]["text"]
    number = int(body.split("/", 1)[0].split()[-1])
    return number_payload(content, "SOC", number, ids(question_message), level)


def number_payload(
    content: Any, category: str, number: int, offered: list[str], level: int
) -> str:
    question = content.questions_of(category)[number - 1]
    for payload in offered:
        option = question.option(payload.rsplit(":", 1)[1])
        if payload.startswith("q:") and option is not None and option.level == level:
            return payload
    raise AssertionError(f"no option at level {level}")


async def test_a_whole_category_by_buttons_and_lists_ends_with_a_badge_document(
    api: FakeCloudApi, tmp_path: Path
) -> None:
    clock = Clock()
    person = api.person(BSUID)
    reader = Reader(api, person)
    async with serve(api, whatsapp_env(api, tmp_path, **QUICK), clock) as served:
        content = served.app[CONTENT]
        total = len(content.questions_of("SOC"))
        await make_invite(served.app[STORE].engine, "inv42abcdefghijk")
        await onboard(api, reader)
        await api.tap(person, "cat:SOC")
        question = await reader.next_with("q:")
        for number in range(1, total + 1):
            body = question["interactive"]["body"]["text"]
            assert f"{number} / {total}" in body
            clock.offset += timedelta(seconds=20)  # a person reads: not too fast
            payload = number_payload(content, "SOC", number, ids(question), 2)
            await api.tap(person, payload)
            if number < total:
                question = await reader.next_with("q:")
                option = payload.rsplit(":", 1)[1]
                chosen = content.questions_of("SOC")[number - 1].option(option)
                assert chosen is not None
                assert question["interactive"]["body"]["text"].startswith("✅ ")
        badge = await reader.next_where(lambda m: m["type"] == "document")
        session = await served.app[STORE].load(key())
        logged = await served.app[STORE].answers_log(key())

    assert session is not None
    assert session.invite == "inv42abcdefghijk"
    assert "SOC" in session.results
    assert len(logged) == total
    mime, png, filename = api.uploads[badge["document"]["id"]]
    assert mime == "image/png"
    assert filename.endswith(".png")
    assert badge["document"]["filename"].endswith(".png")
    assert json.loads(unbake(png) or "{}")["type"] == "Assertion"
    assert api.refused == []
    assert all("15551234567" not in json.dumps(m) for m in person.received)


async def test_typed_numbers_and_words_answer(api: FakeCloudApi, tmp_path: Path) -> None:
    person = api.person(BSUID)
    reader = Reader(api, person)
    async with serve(api, whatsapp_env(api, tmp_path, **QUICK)) as served:
        await onboard(api, reader)
        await api.tap(person, "cat:SOC")
        first = await reader.next_with("q:")
        await api.text(person, "2")
        second = await reader.next_with("q:")
        body = second["interactive"]["body"]["text"]
        assert "2 / " in body.split("\n\n")[1]
        words = body.split("\n\n")[-1].splitlines()[0].split(" ", 1)[1]
        await api.text(person, words)
        await reader.next_with("q:")
        logged = await served.app[STORE].answers_log(key())
    assert [r.answer.position for r in logged] == [1, 0]
    assert first != second
    assert api.refused == []


async def test_verification_and_forged_signatures(api: FakeCloudApi, tmp_path: Path) -> None:
    person = api.person(BSUID)
    async with serve(api, whatsapp_env(api, tmp_path, **QUICK)):
        hook = api.webhook_url
        assert api._session is not None
        ok = f"{hook}?hub.mode=subscribe&hub.verify_token={VERIFY}&hub.challenge=1158201444"
        async with api._session.get(ok) as response:
            assert (response.status, await response.text()) == (200, "1158201444")
        async with api._session.get(ok.replace(VERIFY, "nope")) as response:
            assert response.status == 403
        note = api.envelope(
            person,
            {
                "messages": [
                    {
                        "from": person.wa_id,
                        "id": "wamid.X",
                        "timestamp": "1",
                        "type": "text",
                        "text": {"body": "hi 👋"},
                    }
                ]
            },
        )
        assert await api.post(note, secret="wrong") == 403
        raw = json.dumps(note).encode()
        assert await api.post_raw(raw, None) == 403
        assert await api.post_raw(raw, "sha256=" + "0" * 64) == 403
        person.last_wrote = api.now()
        assert await api.post(note) == 200
        await Reader(api, person).next_with("lang:")
    assert len(person.received) == 1, api.refused  # the forged ones got no answer
    assert api.refused == []


async def test_a_duplicate_notification_is_applied_once(api: FakeCloudApi, tmp_path: Path) -> None:
    person = api.person(BSUID)
    reader = Reader(api, person)
    async with serve(api, whatsapp_env(api, tmp_path, **QUICK)) as served:
        await onboard(api, reader)
        await api.tap(person, "cat:SOC")
        question = await reader.next_with("q:")
        tap = {
            "type": "interactive",
            "interactive": {
                "type": "list_reply",
                "list_reply": {"id": ids(question)[0], "title": "x"},
            },
        }
        message = {"from": person.wa_id, "id": "wamid.DUP1", "timestamp": "1", **tap}
        note = api.envelope(person, {"messages": [message]})
        assert await api.post(note) == 200
        assert await api.post(note) == 200
        await reader.next_with("q:")
        logged = await served.app[STORE].answers_log(key())
    assert len(logged) == 1


async def test_a_restart_midway_resumes_at_the_same_question(
    api: FakeCloudApi, tmp_path: Path
) -> None:
    person = api.person(BSUID)
    reader = Reader(api, person)
    env = whatsapp_env(api, tmp_path, **QUICK)
    async with serve(api, env):
        await onboard(api, reader)
        await api.tap(person, "cat:SOC")
        await api.tap(person, ids(await reader.next_with("q:"))[0])
        second = await reader.next_with("q:")
    async with serve(api, env) as served:
        await api.tap(person, ids(second)[0])
        third = await reader.next_with("q:")
        logged = await served.app[STORE].answers_log(key())
    assert "3 / " in third["interactive"]["body"]["text"].split("\n\n")[1]
    assert len(logged) == 2


async def test_a_late_counsellor_reply_goes_out_as_the_template_and_follows_the_reply(
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
        cases = served.app[CASES]
        ana = Counsellor("ana", "Ana", 501, True)
        await cases.claim(1, ana)
        await reader.next_where(lambda m: "A counsellor is here now" in text_of(m))
        clock.offset += timedelta(hours=25)
        api.offset += 25 * 3600
        await cases.reply(1, ana, "Sorry for the wait! First message.")
        await cases.reply(1, ana, "Second message.")
        template = await reader.next_where(lambda m: m["type"] == "template")
        assert template["template"]["name"] == "continue_chat"
        assert not any("First message" in text_of(m) for m in person.received)
        await api.text(person, "I am here")
        first = await reader.next_where(lambda m: "First message" in text_of(m))
        second = await reader.next_where(lambda m: "Second message" in text_of(m))
    assert person.received.index(first) < person.received.index(second)
    assert api.refused == []


@pytest.mark.parametrize("code", [131056, 130429])
async def test_rate_limit_errors_are_retried_in_order(
    api: FakeCloudApi, tmp_path: Path, code: int
) -> None:
    person = api.person(BSUID)
    reader = Reader(api, person)
    async with serve(api, whatsapp_env(api, tmp_path, **QUICK)):
        await api.text(person, "hello")
        await reader.next_with("lang:")
        api.fail_next(code, 2)
        await api.tap(person, "lang:en")
        await reader.next_with("consent:")
        await api.tap(person, "consent:yes")
        await reader.next_with("cat:")
    assert api.refused == []


async def test_a_username_user_without_a_phone_number(api: FakeCloudApi, tmp_path: Path) -> None:
    person = api.person("US.ENT.77aa88bb", wa_id=None)
    reader = Reader(api, person)
    async with serve(api, whatsapp_env(api, tmp_path, **QUICK)) as served:
        await onboard(api, reader, first="hello")
        await api.voice(person)
        session = await served.app[STORE].load(key("US.ENT.77aa88bb"))
    assert session is not None
    assert session.consent
    assert session.invite is None


async def test_with_audio_on_an_audio_message_comes_before_each_question(
    api: FakeCloudApi, tmp_path: Path
) -> None:
    person = api.person(BSUID)
    reader = Reader(api, person)
    async with serve(api, whatsapp_env(api, tmp_path, **QUICK), Clock()) as served:
        total = 3
        await api.text(person, "start")
        await reader.next_with("lang:")
        await api.tap(person, "lang:en")
        await reader.next_with("audio:")
        await api.tap(person, "audio:on")  # the 🔇 on the consent screen
        await reader.next_with("consent:")
        await api.tap(person, "consent:yes")
        await reader.next_with("cat:")
        await api.tap(person, "cat:SOC")
        for _ in range(total):
            question = await reader.next_with("q:")
            await api.tap(person, ids(question)[0])
        await reader.next_with("q:")
        session = await served.app[STORE].load(key())

    assert session is not None
    assert session.audio is True
    received = person.received
    asked = [i for i, m in enumerate(received) if any(p.startswith("q:") for p in ids(m))]
    assert len(asked) == total + 1
    for index in asked:
        before = received[index - 1]
        assert before["type"] == "audio", f"no audio before message {index}"
        mime, ogg, _ = api.uploads[before["audio"]["id"]]
        assert mime == "audio/ogg"
        assert ogg[:4] == b"OggS"
    assert api.refused == []


async def test_the_language_picker_fits_the_list_limits_and_its_next_page_is_reachable(
    api: FakeCloudApi, tmp_path: Path
) -> None:
    person = api.person("US.1100220033004400")
    reader = Reader(api, person)
    async with serve(api, whatsapp_env(api, tmp_path)):
        await api.text(person, "hello")
        first = await reader.next_with("lang:")
        await api.tap(person, "langs:1")
        second = await reader.next_with("lang:")
        await api.tap(person, "lang:uk")
        consent = await reader.next_with("consent:")
    rows = first["interactive"]["action"]["sections"][0]["rows"]
    assert len(rows) <= 10
    assert rows[-1]["id"] == "langs:1"
    assert rows[-1]["title"] == "🌐 ➡️"
    assert "Українська" in rows[-1]["description"]
    assert all(not row["title"].endswith("…") for row in rows)
    assert "lang:uk" in ids(second)
    assert "langs:0" in ids(second)
    assert any("\u0400" <= ch <= "\u04ff" for ch in text_of(consent))  # now in Ukrainian
    assert api.refused == []
