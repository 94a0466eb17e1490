"""A chat whose person is not connected waits in the outbox, uncounted, until they come back."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from bot.channels.base import NotConnected
from bot.db.models import outbox
from bot.db.store import SqlStore, open_store
from bot.delivery.effects import EffectTable
from bot.delivery.parts import StoreData
from bot.delivery.sender import Sender
from bot.framework.actions import Action, DataErased, Reply, ResendBadges, SendText
from bot.framework.engine_types import Sprint
from bot.framework.events import Inbound, TextReceived
from bot.framework.session import Session, SessionKey
from tests.delivery.support import running
from tests.fakes.channel import FakeChannel

A = SessionKey("fake", "a")
B = SessionKey("fake", "b")


class Presence:
    """Who is away: the fake channel raises NotConnected for them."""

    def __init__(self) -> None:
        self.away: set[SessionKey] = set()

    def __call__(self, _call: int, key: SessionKey, _action: Reply) -> BaseException | None:
        return NotConnected() if key in self.away else None


async def commit(store: SqlStore, key: SessionKey, *actions: Action) -> None:
    event = Inbound(key, TextReceived("hi"), f"ev-{id(actions)}-{datetime.now(UTC)}", _now())
    await store.process(event, lambda _: Sprint(Session(key), list(actions)))


def _now() -> datetime:
    return datetime.now(UTC)


def texts(channel: FakeChannel, key: SessionKey) -> list[str]:
    return [a.text for a in channel.of(key) if isinstance(a, SendText)]


async def rows_of(store: SqlStore, key: SessionKey) -> list[Any]:
    async with store.engine.connect() as conn:
        query = select(outbox.c.id, outbox.c.attempts).where(outbox.c.chat_id == key.chat_id)
        return list(await conn.execute(query.order_by(outbox.c.id)))


async def test_an_absent_person_s_replies_wait_uncounted_and_go_in_order_on_return(
    store: SqlStore,
) -> None:
    presence = Presence()
    presence.away.add(A)
    channel = FakeChannel(fail=presence)
    sender = Sender(store, {"fake": channel}, retry_base=0.01)
    await commit(store, A, SendText("1"), SendText("2"))
    async with running(sender):
        sender.notify()
        await channel.wait_for(1, attempts=True)
        await commit(store, B, SendText("b"))
        await commit(store, A, SendText("3"))  # written while A is away
        sender.notify()
        await channel.wait_for(1)  # B is not held up by A
        assert [row.attempts for row in await rows_of(store, A)] == [0, 0, 0]
        tries = len(channel.attempted)
        sender.notify()
        await commit(store, B, SendText("b2"))
        sender.notify()
        await channel.wait_for(2)
        assert len(channel.attempted) == tries + 1  # A is parked: no retry loop
        presence.away.clear()
        await sender.resume(A)
        await channel.wait_for(5)
    assert texts(channel, A) == ["1", "2", "3"]
    assert await rows_of(store, A) == []


async def test_parked_replies_survive_a_restart_and_wait_for_the_person(store: SqlStore) -> None:
    presence = Presence()
    presence.away.add(A)
    first = FakeChannel(fail=presence)
    await commit(store, A, SendText("1"), SendText("2"))
    async with running(Sender(store, {"fake": first})) as sender:
        sender.notify()
        await first.wait_for(1, attempts=True)
    second = FakeChannel(fail=presence)
    async with running(Sender(store, {"fake": second})) as sender:
        await commit(store, B, SendText("b"))
        sender.notify()
        await second.wait_for(1)
        assert second.attempted == second.delivered  # A not tried before they come back
        presence.away.clear()
        await sender.resume(A)
        await second.wait_for(3)
    assert texts(second, A) == ["1", "2"]


async def test_an_effect_s_replies_wait_too_and_the_effect_runs_again_on_return(
    store: SqlStore,
) -> None:
    runs: list[SessionKey] = []

    async def resend(key: SessionKey, _effect: ResendBadges) -> list[Reply]:
        runs.append(key)
        return [SendText("badge"), SendText("link")]

    presence = Presence()
    presence.away.add(A)
    channel = FakeChannel(fail=presence)
    effects = EffectTable({ResendBadges: [resend]})
    await commit(store, A, ResendBadges("en"), SendText("menu"))
    async with running(Sender(store, {"fake": channel}, effects=effects)) as sender:
        sender.notify()
        await channel.wait_for(1, attempts=True)
    assert runs == [A]  # the effect itself does not wait for the person
    async with running(Sender(store, {"fake": channel}, effects=effects)) as sender:
        presence.away.clear()
        await sender.resume(A)
        await channel.wait_for(3)
    assert texts(channel, A) == ["badge", "link", "menu"]
    assert runs == [A, A]  # idempotent, so run again for its replies after the restart


async def test_an_erasure_behind_a_goodbye_nobody_can_see_runs_at_once(store: SqlStore) -> None:
    erased = asyncio.Event()

    async def done(_key: SessionKey, _effect: DataErased) -> list[Reply]:
        erased.set()
        return []

    presence = Presence()
    presence.away.add(A)
    channel = FakeChannel(fail=presence)
    effects = EffectTable({DataErased: [StoreData(store).erase, done]})
    await commit(store, A, SendText("bye"), DataErased(at=_now()))
    await commit(store, A, SendText("welcome"))  # typed before the tab closed
    async with running(Sender(store, {"fake": channel}, effects=effects)) as sender:
        sender.notify()
        await asyncio.wait_for(erased.wait(), 10)  # not when they come back
        assert len(await rows_of(store, A)) == 1  # the welcome, held for them
        assert [action for _, action in channel.attempted] == [SendText("bye")]
        presence.away.clear()
        await sender.resume(A)
        await channel.wait_for(1)
    assert texts(channel, A) == ["welcome"]
    assert await rows_of(store, A) == []


async def test_with_several_workers_a_tab_closed_before_its_rows_were_read_lets_an_erasure_go_on(
    store: SqlStore,
) -> None:
    erased = asyncio.Event()

    async def done(_key: SessionKey, _effect: DataErased) -> list[Reply]:
        erased.set()
        return []

    presence = Presence()
    presence.away.add(A)
    channel = FakeChannel(fail=presence)
    effects = EffectTable({DataErased: [StoreData(store).erase, done]})
    sender = Sender(store, {"fake": channel}, effects=effects, local={"fake": list})
    await commit(store, A, SendText("bye"), DataErased(at=_now()))  # no worker read them yet
    async with running(sender):
        sender.left(A)  # A's last tab on this worker closed
        await asyncio.wait_for(erased.wait(), 10)
    assert channel.attempted == [(A, SendText("bye"))]
    assert await rows_of(store, A) == []


async def test_with_several_workers_the_lease_holder_runs_an_erasure_in_its_place_in_the_chat(
    database_url: str,
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("several workers share a PostgreSQL database")
    log: list[str] = []

    def erasure(who: str, store: SqlStore) -> EffectTable:
        async def done(_key: SessionKey, _effect: DataErased) -> list[Reply]:
            log.append(f"erased on {who}")
            return []

        return EffectTable({DataErased: [StoreData(store).erase, done]})

    def shown(_call: int, _key: SessionKey, action: Reply) -> None:
        log.append(action.text if isinstance(action, SendText) else "?")

    leading, other = await open_store(database_url), await open_store(database_url)
    try:
        assert await leading.hold_sender_lease()
        assert not await other.hold_sender_lease()
        nobody, tabs = FakeChannel(), FakeChannel(fail=shown)
        await commit(other, A, SendText("bye"), DataErased(at=_now()), SendText("welcome"))
        async with (
            running(Sender(leading, {"fake": nobody}, effects=erasure("leader", leading),
                           local={"fake": list})),
            running(Sender(other, {"fake": tabs}, effects=erasure("other", other),
                           local={"fake": lambda: [A]})) as sender,
        ):  # fmt: skip
            sender.notify()
            await tabs.wait_for(2)
    finally:
        await other.close()
        await leading.close()
    assert log == ["bye", "erased on leader", "welcome"]
    assert nobody.attempted == []
