"""The real app: a person on Telegram, counsellors in their group, through the Bot API stand-in."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import CASES, STORE
from bot.badges.bake import unbake
from bot.config import DEFAULT_LOCALES
from bot.framework.i18n import Catalogs
from tests.counsel.group_api import GroupTelegramApi
from tests.e2e.telegram_people import WAIT, Person, serve, telegram_env
from tests.fakes.telegram_api import SentMessage
from tests.language_check import strays
from tests.outreach.support import make_invite

CATALOGS = Catalogs(DEFAULT_LOCALES)
GROUP = -1001234567890
ANA, BO, STRANGER = 501, 502, 999
ENV = {
    "TELEGRAM_CHAT_RATE": "50",
    "TELEGRAM_COUNSELLOR_CHAT_ID": str(GROUP),
    "COUNSELLORS": "Ana Novak:501:admin,Bo:502",
}


@pytest.fixture
async def api() -> AsyncIterator[GroupTelegramApi]:
    fake = GroupTelegramApi(GROUP)
    async with fake:
        yield fake


async def posted(api: GroupTelegramApi, part: str) -> SentMessage:
    """The first group post (text or caption) containing `part`, once it is there."""
    found: list[SentMessage] = []

    def arrived() -> bool:
        found[:] = [m for m in api.group_posts() if part in (m.text or m.caption or "")]
        return bool(found)

    await api.wait_for(arrived, WAIT)
    return found[0]


async def person_reads(
    api: GroupTelegramApi, person: Person, part: str, *, document: bool = False
) -> SentMessage:
    """The first message to the person containing `part` (a file, if `document`)."""
    found: list[SentMessage] = []

    def arrived() -> bool:
        messages = api.messages_for(person.chat_id)
        found[:] = [
            m
            for m in messages
            if part in (m.text or m.caption or "") and (m.document is not None or not document)
        ]
        return bool(found)

    await api.wait_for(arrived, WAIT)
    return found[0]


async def test_talk_claim_relay_validate_close(api: GroupTelegramApi, tmp_path: Path) -> None:
    async with serve(telegram_env(api, tmp_path, **ENV)) as served:
        person = Person(api, 4242)
        await make_invite(served.app[STORE].engine, "outreach7abcdefg")
        await person.onboard("/start outreach7abcdefg")
        await person.say("/human")
        await person_reads(api, person, "I asked a counsellor")
        case_post = await posted(api, "#1 · 🙋")
        assert "invite: outreach7abcdefg" in (case_post.text or "")
        assert "Person4242" not in (case_post.text or "")  # never a name
        assert ("✋ Claim #1", "claim:1") in case_post.buttons()

        await api.member_taps(STRANGER, case_post, "claim:1")  # not a counsellor: ignored
        await api.member_says(STRANGER, "/close 1")
        await api.member_says(ANA, "/queue")
        queue = await posted(api, "#1 · 🙋 Asked for a person · waiting")
        assert queue.text is not None

        await api.member_taps(BO, case_post, "claim:1")
        await posted(api, "✋ #1 taken by Bo")
        await person_reads(api, person, "A counsellor is here now")

        await person.say("I cooked in a hotel for two years")
        relayed = await posted(api, "💬 #1: I cooked in a hotel")
        await api.user_sends_voice(person.chat_id)
        await posted(api, "🎤 #1")
        assert api.voices[-1][:2] == (GROUP, "voice-1")

        await api.member_replies(BO, relayed, "Great! Did you plan the menus?")
        await person_reads(api, person, "🧑‍🏫 Great! Did you plan the menus?")
        await api.member_says(ANA, "/reply 1 hello")
        await posted(api, "⚠️ case 1 is held by Bo")

        await api.member_says(BO, "/validate 1 SOC 2 Talked about teamwork in the kitchen")
        badge = await person_reads(api, person, "🏅", document=True)
        await person_reads(api, person, "A counsellor confirmed your level")
        await api.member_says(BO, "/close 1")
        await person_reads(api, person, "The counsellor has left")
        cases = served.app[CASES]
        audit = await cases.audit(1)
        transcript = await cases.transcript(1)

    assert badge.document is not None
    assertion = json.loads(unbake(badge.document) or "{}")
    assert "validated" in json.dumps(assertion)
    assert [(row["name"], row["action"]) for row in audit] == [
        ("Bo", "claim"),
        ("Bo", "reply"),
        ("Bo", "validate"),
        ("Bo", "close"),
    ]
    assert [(m.sender, m.kind) for m in transcript] == [
        ("person", "text"),
        ("person", "voice"),
        ("counsellor", "text"),
    ]


async def test_a_waiting_case_gets_a_reminder(api: GroupTelegramApi, tmp_path: Path) -> None:
    env = {**ENV, "COUNSELLOR_REMINDER_MINUTES": "0.001"}  # 60 ms: due by the next pass
    async with serve(telegram_env(api, tmp_path, **env)):
        person = Person(api, 5151)
        await person.onboard()
        await person.say("/human")
        reminder = await posted(api, "⏰ #1 is still waiting")
    assert ("✋ Claim #1", "claim:1") in reminder.buttons()


async def test_each_counsellor_chooses_the_language_of_the_group_answers(
    api: GroupTelegramApi, tmp_path: Path
) -> None:
    async with serve(telegram_env(api, tmp_path, **ENV)) as served:
        await api.member_says(ANA, "/counsellor language sl")
        await posted(api, "🌐 Ana Novak: Zdaj ti odgovarjam v tem jeziku.")
        await api.member_says(ANA, "/queue")
        await posted(api, "📭 Ni odprtih primerov.")
        await api.member_says(BO, "/queue")
        await posted(api, "📭 No open cases.")
        await api.member_says(BO, "/counsellor language xx")
        await posted(api, "🌐 /counsellor language en | ar")
        ana = await served.app[CASES].people.find("telegram_user_id", ANA)
    assert ana is not None
    assert ana.language == "sl"


async def test_group_notices_use_the_group_language_and_answers_the_counsellors(
    api: GroupTelegramApi, tmp_path: Path
) -> None:
    de, sl = CATALOGS.get("de"), CATALOGS.get("sl")
    env = {**ENV, "COUNSELLOR_GROUP_LANGUAGE": "de"}
    async with serve(telegram_env(api, tmp_path, **env)):
        await api.member_says(ANA, "/counsellor language sl")
        await posted(api, "🌐 Ana Novak: Zdaj ti odgovarjam v tem jeziku.")
        person = Person(api, 4343)
        await person.onboard()
        await person.say("/human")
        asked = de.gettext("Asked for a person")
        case_post = await posted(api, f"#1 · 🙋 {asked}")
        await api.member_says(ANA, "/queue")
        queue = await posted(api, f"#1 · 🙋 {sl.gettext('Asked for a person')} · ")
        await api.member_says(ANA, "/claim one")
        usage = sl.gettext("/{command} needs a case number, like /{command} 12")
        refused = await posted(api, "⚠️ " + usage.format(command="claim"))
        await api.member_taps(ANA, case_post, "claim:1")
        claimed = await posted(
            api, "✋ " + de.gettext("#{case} taken by {name}").format(case=1, name="Ana Novak")
        )
        await api.member_says(BO, "/reply 1 hello")
        await posted(api, "⚠️ case 1 is held by Ana Novak")  # Bo kept English
        await api.member_says(ANA, "/help")
        helped = await posted(api, sl.gettext("Commands:"))

    assert sl.gettext("waiting") in (queue.text or "")
    assert ("✋ " + de.gettext("Claim #{case}").format(case=1), "claim:1") in case_post.buttons()
    for post in (case_post, claimed):
        assert strays([post.text or ""], "de") == []
    for answer in (queue, refused, helped):
        assert strays([answer.text or ""], "sl") == []
