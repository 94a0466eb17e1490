"""A reply sent as several parts: a retry sends only the rest, a crash never holds it twice."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest

from bot.channels.base import DELIVERY_REF, RetryLater
from bot.channels.whatsapp import WhatsAppChannel
from bot.channels.whatsapp_store import WhatsAppStore
from bot.config import WhatsAppConfig
from bot.db.store import SqlStore, open_store
from bot.framework.actions import SendText
from bot.framework.events import Inbound
from bot.framework.session import SessionKey
from tests.fakes.whatsapp_api import PHONE_NUMBER_ID, FakeCloudApi, WaPerson

BSUID = "US.1349120865530274"
KEY = SessionKey("whatsapp", BSUID)
LONG = ("Ena dolga vrstica za čakanje. " * 300).strip()  # about 9000 characters: three parts


class Clock:
    """The bot's clock; a test moves it past the 24-hour window."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


@contextmanager
def delivering(ref: str) -> Iterator[None]:
    """What the sender does around each `deliver`: name the reply by outbox id and index."""
    token = DELIVERY_REF.set(ref)
    try:
        yield
    finally:
        DELIVERY_REF.reset(token)


async def _ignore(inbound: Inbound) -> None:
    return None


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[SqlStore]:
    sql = await open_store(database_url)
    yield sql
    await sql.close()


@pytest.fixture
async def api() -> AsyncIterator[FakeCloudApi]:
    async with FakeCloudApi("secret") as fake:
        yield fake


async def _channel(
    api: FakeCloudApi, store: SqlStore, clock: Clock
) -> tuple[WhatsAppChannel, WaPerson]:
    config = WhatsAppConfig(
        api.token, PHONE_NUMBER_ID, "secret", "verify", api.base_url, template=("go_on", "en")
    )
    wa = WhatsAppStore(store.engine)
    channel = WhatsAppChannel(config, _ignore, lambda _: b"", wa, clock=clock)
    person = api.person(BSUID)
    person.last_wrote = api.now()
    await wa.wrote(BSUID, ("recipient", BSUID), clock(), "wamid.IN1")
    return channel, person


async def test_a_retry_midway_sends_only_the_parts_not_sent(
    api: FakeCloudApi, store: SqlStore
) -> None:
    channel, person = await _channel(api, store, Clock())
    api.fail_next(130429, after=1)  # the second part hits the throughput limit
    with delivering("41.0"), pytest.raises(RetryLater):
        await channel.deliver(KEY, SendText(LONG))
    with delivering("41.0"):
        await channel.deliver(KEY, SendText(LONG))
    await channel.stop()
    bodies = [m["text"]["body"] for m in person.received]
    assert len(bodies) == 3
    assert len(set(bodies)) == 3
    assert "".join(bodies).replace("\n", " ").count("čakanje") == LONG.count("čakanje")


async def test_the_same_text_in_another_reply_is_sent_again(
    api: FakeCloudApi, store: SqlStore
) -> None:
    channel, person = await _channel(api, store, Clock())
    for ref in ("7.0", "8.0"):
        with delivering(ref):
            await channel.deliver(KEY, SendText("Tap a button, please."))
    await channel.stop()
    assert [m["text"]["body"] for m in person.received] == ["Tap a button, please."] * 2


async def test_a_held_reply_delivered_again_after_a_crash_is_held_once(
    api: FakeCloudApi, store: SqlStore
) -> None:
    clock = Clock()
    channel, person = await _channel(api, store, clock)
    clock.now += timedelta(hours=25)
    for _ in range(2):  # the outbox row was not deleted before the crash: delivered again
        with delivering("9.0"):
            await channel.deliver(KEY, SendText(LONG))
    await channel.stop()
    held = await WhatsAppStore(store.engine).held(BSUID)
    assert len(held) == 3
    assert [m["type"] for m in person.received] == ["template"]
