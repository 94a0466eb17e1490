"""A row that can never be delivered is set aside after a few tries and holds nobody back."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from bot.config import Config, ConfigError
from bot.counsel.service import CaseService
from bot.counsel.storage.cases import SqlCaseRepository
from bot.counsel.storage.people import SqlCounsellors
from bot.db.store import SqlStore
from bot.delivery.effects import EffectTable
from bot.delivery.sender import Sender
from bot.delivery.table import CaseEffects
from bot.framework.actions import Action, ExportRequested, RelayToCounsellor, Reply, SendText
from bot.framework.engine_types import Sprint
from bot.framework.events import Inbound, TextReceived
from bot.framework.session import Session, SessionKey
from tests.fakes.channel import FakeChannel

PERSON = SessionKey("fake", "person-5550123")
OTHER = SessionKey("fake", "other-5550199")


async def commit(store: SqlStore, key: SessionKey, name: str, actions: Sequence[Action]) -> None:
    event = Inbound(key, TextReceived("hi"), name, datetime.now(UTC))
    await store.process(event, lambda _: Sprint(Session(key), list(actions)))


def refuses_nul(_call: int, _key: SessionKey, action: Reply) -> BaseException | None:
    """Like PostgreSQL with a NUL byte: this message fails on every try."""
    if isinstance(action, SendText) and "\x00" in action.text:
        return ValueError("invalid byte sequence")
    return None


def texts(channel: FakeChannel, key: SessionKey) -> list[str]:
    return [a.text for a in channel.of(key) if isinstance(a, SendText)]


async def run_until(sender: Sender, done: asyncio.Task[None]) -> None:
    task = asyncio.create_task(sender.run())
    try:
        await asyncio.wait_for(done, 30)
    finally:
        sender.stop()
        await task


async def test_a_message_that_always_fails_is_set_aside_and_the_chat_goes_on(
    store: SqlStore, caplog: pytest.LogCaptureFixture
) -> None:
    channel = FakeChannel(fail=refuses_nul)
    await commit(store, PERSON, "e1", [SendText("first"), SendText("secret\x00words")])
    await commit(store, PERSON, "e2", [SendText("after")])
    await commit(store, OTHER, "e3", [SendText("hello other")])
    sender = Sender(store, {"fake": channel}, retry_base=0.001, max_attempts=4)
    with caplog.at_level(logging.ERROR, logger="bot.delivery.sender"):
        await run_until(sender, asyncio.create_task(channel.wait_for(3)))
    assert texts(channel, PERSON) == ["first", "after"]
    assert texts(channel, OTHER) == ["hello other"]
    assert len(channel.attempted) == 3 + 4  # four tries of the bad one, then set aside
    assert await store.pending() == []
    [dead] = await store.dead_letters()
    assert (dead.channel, dead.error, dead.failures) == ("fake", "ValueError", 1)
    [line] = [r.getMessage() for r in caplog.records if "set aside" in r.getMessage()]
    assert "after 4 attempts" in line
    assert PERSON.chat_id not in line
    assert "secret" not in line


async def test_an_effect_that_keeps_failing_is_set_aside_too(store: SqlStore) -> None:
    async def broken(_key: SessionKey, _effect: ExportRequested) -> list[Reply]:
        raise RuntimeError("insert failed")

    channel = FakeChannel()
    effects = EffectTable({ExportRequested: [broken]})
    await commit(store, PERSON, "e1", [ExportRequested("en"), SendText("after")])
    sender = Sender(store, {"fake": channel}, effects=effects, retry_base=0.001, max_attempts=3)
    await run_until(sender, asyncio.create_task(channel.wait_for(1)))
    assert texts(channel, PERSON) == ["after"]
    [dead] = await store.dead_letters()
    assert (dead.error, dead.failures) == ("RuntimeError", 1)


def test_the_number_of_tries_is_configured() -> None:
    assert Config.from_env({}).outbox_max_attempts == 8
    assert Config.from_env({"OUTBOX_MAX_ATTEMPTS": "3"}).outbox_max_attempts == 3


@pytest.mark.parametrize("raw", ["0", "2.5", "many", ""])
def test_a_bad_number_of_tries_is_refused_naming_the_variable(raw: str) -> None:
    with pytest.raises(ConfigError, match=r"^OUTBOX_MAX_ATTEMPTS: "):
        Config.from_env({"OUTBOX_MAX_ATTEMPTS": raw})


async def test_a_relay_with_a_nul_byte_never_blocks_the_persons_chat(
    store: SqlStore, database_url: str
) -> None:
    async def handle(_inbound: Inbound) -> bool:
        return True

    cases = CaseService(
        SqlCaseRepository(store.engine), SqlCounsellors(store.engine), handle,
        store.answers_log, {"SOC": 4},
    )  # fmt: skip
    await cases.open_case(PERSON, "person", {"category": "SOC"})
    relay = RelayToCounsellor("bad\x00text", ref="r1")
    await commit(store, PERSON, "e1", [relay, SendText("after")])
    channel = FakeChannel()
    effects = EffectTable({RelayToCounsellor: [CaseEffects(cases).relay]})
    sender = Sender(store, {"fake": channel}, effects=effects, retry_base=0.001, max_attempts=3)
    await run_until(sender, asyncio.create_task(channel.wait_for(1)))
    assert texts(channel, PERSON) == ["after"]
    dead = await store.dead_letters()
    # PostgreSQL refuses NUL in text (the row is set aside); SQLite stores it.
    assert sum(row.failures for row in dead) == (1 if database_url.startswith("postgres") else 0)
