"""The effects stage inside the sender: real store, real badge and case services, fake channel."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openbadges_bakery import unbake  # type: ignore[import-untyped]

from bot.badges.issue import BadgeIssuer
from bot.badges.keys import load_or_create
from bot.badges.service import BadgeService, default_issuer
from bot.badges.sql_repository import SqlBadgeRepository
from bot.badges.urls import BadgeUrls
from bot.channels.base import RetryLater
from bot.config import DEFAULT_CONTENT, DEFAULT_LOCALES
from bot.counsel.service import CaseService
from bot.counsel.storage.cases import SqlCaseRepository
from bot.counsel.storage.people import SqlCounsellors
from bot.db.store import SqlStore
from bot.delivery.effects import EffectTable, UnhandledEffect
from bot.delivery.export import DataExport
from bot.delivery.parts import StoreData
from bot.delivery.sender import RateLimits, Sender
from bot.delivery.table import BadgeEffects, CaseEffects, host_effects
from bot.dialogs.definition import load_content
from bot.framework.actions import (
    Action,
    BadgeEarned,
    ExportRequested,
    HandoffRequested,
    Reply,
    ResendBadges,
    SendDocument,
    SendText,
)
from bot.framework.engine_types import Sprint
from bot.framework.events import Inbound, TextReceived
from bot.framework.i18n import Catalogs
from bot.framework.session import Session, SessionKey
from bot.passport.service import Passports
from bot.passport.storage import PassportLinks
from tests.delivery.support import running
from tests.fakes.channel import FakeChannel

A = SessionKey("fake", "chat-a")
B = SessionKey("fake", "chat-b")
_ids: Iterator[int] = iter(range(1_000_000))


async def commit(store: SqlStore, key: SessionKey, *actions: Action) -> None:
    """Commit one event whose step puts `actions` in the outbox."""
    event = Inbound(key, TextReceived("hi"), f"ev{next(_ids)}", datetime.now(UTC))
    await store.process(event, lambda _: Sprint(Session(key), list(actions)))


def kinds(channel: FakeChannel, key: SessionKey) -> list[str]:
    shown = channel.of(key)
    return [a.text if isinstance(a, SendText) else type(a).__name__ for a in shown]


def assertion_id(png: bytes) -> str:
    baked = unbake(io.BytesIO(png))
    assert isinstance(baked, str)
    value: str = json.loads(baked)["id"]
    return value


@pytest.fixture
def catalogs() -> Catalogs:
    return Catalogs(DEFAULT_LOCALES, "en")


@pytest.fixture
def badges(store: SqlStore, tmp_path: Path, catalogs: Catalogs) -> BadgeService:
    repo = SqlBadgeRepository(store.engine)  # the badge tables share the database, as in the app
    urls = BadgeUrls("https://badges.example.org")
    issuer = BadgeIssuer(default_issuer(urls), urls, load_or_create(tmp_path), repo)
    return BadgeService(issuer, repo, load_content(DEFAULT_CONTENT), catalogs)


class Counted:
    """Counts how often the badge effect ran (the real handler does the work)."""

    def __init__(self, badges: BadgeService) -> None:
        self.runs = 0
        self._issue = BadgeEffects(badges).issue

    async def issue(self, key: SessionKey, earned: BadgeEarned) -> list[Reply]:
        self.runs += 1
        return await self._issue(key, earned)


async def test_a_badge_retried_after_a_crash_between_effect_and_delivery_is_issued_once(
    store: SqlStore, badges: BadgeService
) -> None:
    await commit(store, A, BadgeEarned("SOC", 2, False, "en"), SendText("next"))
    table = EffectTable({BadgeEarned: [BadgeEffects(badges).issue]})
    [row, _] = await store.pending()
    before_crash = await table.replies(A, row.action)  # the effect ran; then the process died
    channel = FakeChannel()
    async with running(Sender(store, {"fake": channel}, effects=table)):  # the next process
        await channel.wait_for(4)
    shown = kinds(channel, A)
    assert (len(shown), shown[:2], shown[3]) == (4, ["SendImage", "SendDocument"], "next")
    [held] = await badges.held(A)
    [document] = [a for a in channel.of(A) if isinstance(a, SendDocument)]
    [issued] = [a for a in before_crash if isinstance(a, SendDocument)]
    assert assertion_id(document.content) == assertion_id(issued.content)
    assert held.assertion_id in assertion_id(document.content)
    assert await store.pending() == []


async def test_a_reply_that_fails_is_retried_without_running_the_effect_again(
    store: SqlStore, badges: BadgeService
) -> None:
    counted = Counted(badges)
    channel = FakeChannel(fail=lambda call, _k, _a: RetryLater(0.01) if call == 2 else None)
    await commit(store, A, BadgeEarned("SOC", 2, False, "en"), SendText("next"))
    async with running(
        Sender(store, {"fake": channel}, effects=EffectTable({BadgeEarned: [counted.issue]}))
    ):
        await channel.wait_for(4)
    assert counted.runs == 1
    assert kinds(channel, A)[:2] == ["SendImage", "SendDocument"]  # the preview is not repeated
    assert kinds(channel, A)[3] == "next"
    assert len(await badges.held(A)) == 1


async def test_an_effects_replies_go_out_in_order_before_the_chats_next_row(
    store: SqlStore,
) -> None:
    async def three(_key: SessionKey, effect: ResendBadges) -> Sequence[Reply]:
        return [SendText(f"{effect.locale}{n}") for n in range(3)]

    channel = FakeChannel(fail=lambda call, key, _a: RetryLater(0.01) if call == 3 else None)
    await commit(store, A, SendText("before"), ResendBadges("r"))
    await commit(store, A, SendText("after"))
    await commit(store, B, ResendBadges("b"))
    limits = {"fake": RateLimits(per_chat_per_second=50, global_per_second=100, per_chat_burst=1)}
    table = EffectTable({ResendBadges: [three]})
    async with running(Sender(store, {"fake": channel}, limits, effects=table)):
        await channel.wait_for(8)
    assert kinds(channel, A) == ["before", "r0", "r1", "r2", "after"]
    assert kinds(channel, B) == ["b0", "b1", "b2"]


class Seen(logging.Handler):
    """Sets `event` when a record at ERROR or above is logged."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.event = asyncio.Event()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        self.event.set()


async def test_an_effect_without_a_handler_is_reported_and_kept(store: SqlStore) -> None:
    seen = Seen()
    logging.getLogger("bot").addHandler(seen)
    channel = FakeChannel()
    await commit(store, A, SendText("a0"), HandoffRequested("borderline"), SendText("a2"))
    await commit(store, B, SendText("b0"))
    try:
        async with running(Sender(store, {"fake": channel}, effects=EffectTable({}))):
            await channel.wait_for(2)
            await seen.event.wait()
    finally:
        logging.getLogger("bot").removeHandler(seen)
    assert "HandoffRequested" in seen.messages[0]
    assert A.chat_id not in " ".join(seen.messages)
    assert kinds(channel, A) == ["a0"]  # nothing after it goes out before it
    assert kinds(channel, B) == ["b0"]
    waiting = (await store.export(A))["pending_messages"]
    assert [m["type"] for m in waiting] == ["handoff", "text"]


def test_start_up_refuses_a_table_that_misses_an_effect_type(catalogs: Catalogs) -> None:
    table = EffectTable({BadgeEarned: [BadgeEffects(object()).issue]})  # type: ignore[arg-type]
    with pytest.raises(UnhandledEffect, match=r"HandoffRequested.*ExportRequested"):
        table.require_all()
    assert "BadgeEarned" not in table.missing()


async def test_a_handoff_retried_opens_one_case_and_shows_nothing(store: SqlStore) -> None:
    async def handle(_inbound: Inbound) -> bool:
        return True

    levels = {"SOC": 4}
    cases = CaseService(
        SqlCaseRepository(store.engine), SqlCounsellors(store.engine), handle,
        store.answers_log, levels,
    )  # fmt: skip
    table = EffectTable({HandoffRequested: [CaseEffects(cases).open]})
    for _ in range(2):
        assert await table.replies(A, HandoffRequested("borderline", {"category": "SOC"})) == []
    assert [case.key for case in await cases.queue()] == [A]


async def test_an_export_becomes_one_json_document(store: SqlStore, catalogs: Catalogs) -> None:
    await commit(store, A, SendText("kept"))
    export = DataExport([StoreData(store)], catalogs, lambda: datetime(2026, 1, 2, tzinfo=UTC))
    [document] = await export.build(A, ExportRequested("en"))
    assert isinstance(document, SendDocument)
    data: dict[str, Any] = json.loads(document.content)
    assert data["exported_at"] == "2026-01-02T00:00:00+00:00"
    assert data["pending_messages"] == [
        {"type": "text", "text": "kept", "keyboard": None, "ref": "", "speak": "", "lang": ""}
    ]


def test_the_host_table_covers_every_effect(
    badges: BadgeService, store: SqlStore, catalogs: Catalogs
) -> None:
    content = load_content(DEFAULT_CONTENT)
    passports = Passports(badges, PassportLinks(store.engine), content, catalogs, str, "http://x")
    export = DataExport([StoreData(store)], catalogs)
    table = host_effects(badges, _NoCases(), export, passports)
    assert table.missing() == []


class _NoCases:
    async def open_case(self, key: SessionKey, reason: str, summary: dict[str, Any]) -> object:
        return None

    async def relay_from_person(self, key: SessionKey, relay: object) -> bool:
        return False
