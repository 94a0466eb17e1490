"""Invite codes: unguessable, checked before use, counted once, throttled when guessed."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.db.store import SqlStore, open_store
from bot.framework.actions import SendText
from bot.framework.events import InviteOpened
from bot.outreach.model import new_code
from bot.outreach.service import NewInvite, OutreachService
from bot.outreach.storage import SqlOutreach
from tests.fakes.chat import ChatClient

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[SqlStore]:
    store = await open_store(database_url)
    yield store
    await store.close()


@pytest.fixture
async def service(store: SqlStore) -> OutreachService:
    service = OutreachService(SqlOutreach(store.engine), lambda: NOW)
    await service.add_worker("Ana Novak", "secret words")
    return service


def test_codes_have_96_random_bits_in_telegrams_alphabet() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{16}", code) for code in codes)  # 16 x 6 bits
    assert all(re.search(r"\d", code) for code in codes)  # a bare code reads as one on WhatsApp


async def test_a_new_person_is_let_in_once_and_counted(service: OutreachService) -> None:
    worker = (await service.repo.workers())[0]
    invite = await service.create(worker, NewInvite("Red Cross", "Fair", "ar", None, 1))
    opened = await service.admit(invite.code, "chat-a", new_person=True)
    assert opened == InviteOpened(invite.code, accepted=True, language="ar")
    again = await service.admit(invite.code, "chat-a", new_person=False)  # same person back
    assert again.accepted
    used_up = await service.admit(invite.code, "chat-b", new_person=True)
    assert not used_up.accepted
    stored = await service.repo.invite(invite.code)
    assert stored is not None
    assert stored.uses == 1


async def test_an_expired_invite_is_refused(service: OutreachService) -> None:
    worker = (await service.repo.workers())[0]
    invite = await service.create(worker, NewInvite("Red Cross", "Fair", None, NOW))
    assert not (await service.admit(invite.code, "chat-a", new_person=True)).accepted


async def test_guessing_is_throttled_per_chat(service: OutreachService) -> None:
    worker = (await service.repo.workers())[0]
    invite = await service.create(worker, NewInvite("Red Cross", "Fair"))
    for _ in range(5):
        assert not (await service.admit(new_code(), "guesser", new_person=True)).accepted
    _, refusal = await service.look_up(invite.code, "guesser")
    assert refusal == "throttled"  # even a right code, once a chat has guessed too often
    assert (await service.admit(invite.code, "someone-else", new_person=True)).accepted


async def test_a_worker_logs_in_with_their_password(service: OutreachService) -> None:
    assert await service.authenticate("Ana Novak", "wrong") is None
    worker = await service.authenticate("ana novak", "secret words")
    assert worker is not None
    assert worker.id == "ana-novak"


def test_an_accepted_invite_starts_the_person_in_its_language() -> None:
    client = ChatClient()
    client.apply(InviteOpened("Code1234abcdefgh", accepted=True, language="ar"))
    assert client.session is not None
    assert client.session.invite == "Code1234abcdefgh"
    assert client.session.locale == "ar"
    consent = client.last_text()
    assert consent.lang == "ar"
    assert client.session.step == "consent"


def test_a_refused_invite_gets_a_kind_word_and_the_normal_start() -> None:
    client = ChatClient(locale_hint="sl")
    actions = client.apply(InviteOpened("Code1234abcdefgh", accepted=False))
    texts = [a.text for a in actions if isinstance(a, SendText)]
    assert "ne deluje več" in texts[0]  # in the browser's language, before a language is chosen
    assert client.session is not None
    assert client.session.invite is None
    assert client.session.step == "language"
