"""The WhatsApp tables on SQLite and PostgreSQL: windows, first messages, the log, statuses."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.channels.whatsapp import WhatsAppChannel
from bot.channels.whatsapp_store import WhatsAppStore
from bot.config import WhatsAppConfig
from bot.db.store import SqlStore, open_store
from bot.db.whatsapp_tables import whatsapp_statuses
from bot.framework.events import Inbound

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
ANA, BEN = "US.ana", "US.ben"
TEXT = {"type": "text", "text": {"body": "Živjo 👋"}}


@pytest.fixture
async def sql(database_url: str) -> AsyncIterator[SqlStore]:
    store = await open_store(database_url)
    yield store
    await store.close()


@pytest.fixture
def store(sql: SqlStore) -> WhatsAppStore:
    return WhatsAppStore(sql.engine)


async def test_the_first_message_stays_first_when_delivered_again(store: WhatsAppStore) -> None:
    assert await store.wrote(ANA, ("recipient", ANA), NOW, "wamid.1")
    assert await store.wrote(ANA, ("recipient", ANA), NOW, "wamid.1")  # redelivered
    assert not await store.wrote(ANA, ("recipient", ANA), NOW + timedelta(1), "wamid.2")
    person = await store.person(ANA)
    assert person is not None
    assert person.recipient == {"recipient": ANA}
    assert person.last_inbound_at == NOW + timedelta(1)


async def test_writing_again_opens_the_window_and_forgets_the_template(
    store: WhatsAppStore,
) -> None:
    await store.wrote(ANA, ("to", "386401234"), NOW, "wamid.1")
    await store.change(ANA, template_sent_at=NOW, ack="Yes", listing={"text": "t"})
    person = await store.person(ANA)
    assert person is not None
    assert (person.template_sent_at, person.ack, person.listing) == (NOW, "Yes", {"text": "t"})
    await store.wrote(ANA, ("to", "386401234"), NOW + timedelta(hours=30), "wamid.2")
    again = await store.person(ANA)
    assert again is not None
    assert again.template_sent_at is None


async def test_held_messages_go_out_in_order_and_parts_are_kept_once(
    store: WhatsAppStore,
) -> None:
    await store.wrote(ANA, ("recipient", ANA), NOW, "wamid.1")
    for part in range(3):
        body = {"type": "text", "text": {"body": f"part {part}"}}
        await store.log(ANA, body, None, NOW, f"12.0.{part}")
        await store.log(ANA, body, None, NOW, f"12.0.{part}")  # again: ignored
    await store.log(ANA, TEXT, "wamid.out", NOW, "12.1.0")
    held = await store.held(ANA)
    assert [body["text"]["body"] for _, body in held] == ["part 0", "part 1", "part 2"]
    assert await store.parts_done("12.0") == {0, 1, 2}
    assert await store.parts_done("12.1") == {0}
    assert await store.parts_done("1.0") == set()
    await store.released(held[0][0], "wamid.r")
    assert len(await store.held(ANA)) == 2


async def test_a_failed_status_outside_the_window_holds_the_message_again(
    store: WhatsAppStore,
) -> None:
    await store.wrote(ANA, ("recipient", ANA), NOW, "wamid.1")
    await store.log(ANA, TEXT, "wamid.late", NOW)
    await store.change(ANA, template_sent_at=NOW)
    assert await store.status("wamid.late", "failed", 131047, NOW) == ANA
    assert await store.status("wamid.late", "failed", 131047, NOW) is None  # recorded once
    assert await store.status("wamid.other", "delivered", None, NOW) is None
    assert len(await store.held(ANA)) == 1
    person = await store.person(ANA)
    assert person is not None
    assert person.template_sent_at is None


async def test_voice_export_and_erase_touch_one_person_only(store: WhatsAppStore) -> None:
    for who in (ANA, BEN):
        await store.wrote(who, ("recipient", who), NOW, f"wamid.{who}")
        await store.log(who, TEXT, f"wamid.o.{who}", NOW)
        await store.keep_voice(f"m.{who}", who, "audio/ogg", b"OggS" + who.encode(), NOW)
    assert await store.voice(f"m.{ANA}") == ("audio/ogg", b"OggS" + ANA.encode())
    exported = await store.export(ANA)
    assert exported["whatsapp"]["recipient"] == ANA
    assert [m["message"] for m in exported["whatsapp_messages"]] == [TEXT]
    await store.erase(ANA)
    assert await store.person(ANA) is None
    assert await store.voice(f"m.{ANA}") is None
    assert (await store.export(ANA))["whatsapp_messages"] == []
    assert await store.voice(f"m.{BEN}") is not None


async def test_an_erasure_keeps_a_person_who_wrote_again_after_their_delete(
    store: WhatsAppStore,
) -> None:
    await store.wrote(ANA, ("recipient", ANA), NOW, "wamid.1")
    await store.keep_voice("m.before", ANA, "audio/ogg", b"OggS1", NOW)
    await store.change(ANA, ack="Yes", listing={"text": "t"})
    await store.log(ANA, TEXT, "wamid.out", NOW)
    deleted = NOW + timedelta(seconds=1)  # their /delete
    await store.wrote(ANA, ("recipient", ANA), deleted, "wamid.2")
    later = deleted + timedelta(seconds=1)  # /start, while the erasure waits to run
    await store.wrote(ANA, ("recipient", ANA), later, "wamid.3")
    await store.keep_voice("m.after", ANA, "audio/ogg", b"OggS2", later)
    await store.erase(ANA, deleted)
    person = await store.person(ANA)
    assert person is not None  # a reply to the /start can still reach them
    assert (person.recipient, person.last_inbound_at) == ({"recipient": ANA}, later)
    assert (person.ack, person.listing) == ("", None)
    assert await store.voice("m.before") is None
    assert await store.voice("m.after") is not None
    assert (await store.export(ANA))["whatsapp_messages"] == []
    await store.erase(ANA, later)  # an erasure after their last message takes the row too
    assert await store.person(ANA) is None


async def test_the_sent_log_is_pruned_after_thirty_days_held_messages_stay(
    sql: SqlStore, store: WhatsAppStore
) -> None:
    await store.wrote(ANA, ("recipient", ANA), NOW, "wamid.1")
    old = NOW - timedelta(days=31)
    await store.log(ANA, {"type": "text", "text": {"body": "old"}}, "wamid.old", old)
    await store.log(ANA, {"type": "text", "text": {"body": "held"}}, None, old)
    await store.status("wamid.old", "read", None, old)
    await store.log(ANA, {"type": "text", "text": {"body": "new"}}, "wamid.new", NOW)
    config = WhatsAppConfig("t", "1", "s", "v", "http://127.0.0.1:9")

    async def ignore(inbound: Inbound) -> None:
        return None

    channel = WhatsAppChannel(config, ignore, lambda _: b"", store, clock=lambda: NOW)
    channel.start()  # prunes at once, then every hour
    await channel.stop()
    kept = [m["message"]["text"]["body"] for m in (await store.export(ANA))["whatsapp_messages"]]
    assert kept == ["held", "new"]
    async with sql.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(whatsapp_statuses)) == 0
