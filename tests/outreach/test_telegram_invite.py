"""On the Telegram stand-in: the landing page's Telegram door, and `/start CODE` in Arabic."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from bot.app import STORE
from bot.framework.session import SessionKey
from bot.outreach.service import OutreachService
from bot.outreach.storage import SqlOutreach
from tests.e2e.telegram_people import WAIT, Person, serve, telegram_env
from tests.fakes.telegram_api import FakeTelegramApi
from tests.outreach.qr_read import qr_texts
from tests.outreach.support import make_invite

CODE = "Arabic7invite_xY"


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramApi]:
    async with FakeTelegramApi() as fake:
        yield fake


async def test_a_person_from_the_telegram_door_starts_in_arabic(
    api: FakeTelegramApi, tmp_path: Path
) -> None:
    env = telegram_env(api, tmp_path, TELEGRAM_CHAT_RATE="50", TELEGRAM_BOT_USERNAME="spocc_bot")
    async with serve(env) as served:
        await make_invite(served.app[STORE].engine, CODE, "ar")
        async with aiohttp.ClientSession() as http, http.get(f"{served.url}/i/{CODE}") as page:
            assert f'href="https://t.me/spocc_bot?start={CODE}"' in await page.text()
        person = Person(api, 5151)
        await person.say(f"/start {CODE}")  # what Telegram sends for t.me/spocc_bot?start=CODE
        consent = await person.next_with("consent:")
        session = await served.app[STORE].load(SessionKey("telegram", "5151"))
    assert "هل" in (consent.text or "")  # the consent question, in Arabic
    assert session is not None
    assert (session.invite, session.locale) == (CODE, "ar")


async def test_an_unknown_code_on_telegram_gets_a_kind_word_and_the_language_choice(
    api: FakeTelegramApi, tmp_path: Path
) -> None:
    async with serve(telegram_env(api, tmp_path, TELEGRAM_CHAT_RATE="50")) as served:
        person = Person(api, 5252)
        await person.say("/start NotAnInvite12345")
        await person.next_with("lang:")
        session = await served.app[STORE].load(SessionKey("telegram", "5252"))
    assert any("does not work any more" in text for text in person.texts)
    assert session is not None
    assert session.invite is None


async def test_a_worker_makes_an_invite_with_slash_invite_in_a_private_chat(
    api: FakeTelegramApi, tmp_path: Path
) -> None:
    async with serve(telegram_env(api, tmp_path, TELEGRAM_CHAT_RATE="50")) as served:
        engine = served.app[STORE].engine
        service = OutreachService(SqlOutreach(engine), lambda: datetime.now(UTC))
        await service.add_worker("Sara Haddad", "a long pass phrase", telegram_user_id=6161)
        worker, stranger = Person(api, 6161), Person(api, 6262)
        await worker.say("/invite Caritas; Library day; ar")
        await stranger.say("/invite Caritas; Library day; ar")  # not a worker: no invite

        def photo_arrived() -> bool:
            return any(m.photo for m in api.messages_for(6161))

        await api.wait_for(photo_arrived, WAIT)
        [invite] = await service.repo.invites()
        await api.wait_for(lambda: bool(api.messages_for(6262)), WAIT)
        worker_session = await served.app[STORE].load(SessionKey("telegram", "6161"))
    url = f"{served.url}/i/{invite.code}"
    photo = next(m for m in api.messages_for(6161) if m.photo)
    assert qr_texts(photo.photo or b"") == [url]
    assert any(url in (m.text or "") for m in api.messages_for(6161))
    assert (invite.worker_id, invite.organisation, invite.language) == (
        "sara-haddad",
        "Caritas",
        "ar",
    )
    assert worker_session is None  # nothing kept about the worker's own chat
    assert not any("Invite ready" in (m.text or "") for m in api.messages_for(6262))
