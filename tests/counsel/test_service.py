"""The case service on SQLite and PostgreSQL: claims, audit, relays, reminders, logins."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from bot.counsel.service import (
    Case,
    CaseConflict,
    CaseMessage,
    CaseService,
    Counsellor,
    NotAllowed,
)
from bot.counsel.storage.cases import SqlCaseRepository
from bot.counsel.storage.people import SqlCounsellors
from bot.db.store import SqlStore, open_store
from bot.framework.actions import RelayToCounsellor
from bot.framework.events import CounsellorJoined, CounsellorMessage, Inbound
from bot.framework.session import SessionKey

PERSON = SessionKey("telegram", "4242")
SUMMARY = {"category": "SOC", "level": 1, "flags": ["too_fast"], "language": "sl"}


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime(2026, 3, 1, 9, 0, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Inbox:
    """Stands in for Conversations.handle: records events; applies each event id once."""

    seen: dict[str, Inbound] = field(default_factory=dict)
    fail: bool = False

    async def handle(self, inbound: Inbound) -> bool:
        if self.fail:
            raise RuntimeError("database away")
        if inbound.event_id in self.seen:
            return False
        self.seen[inbound.event_id] = inbound
        return True


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[SqlStore]:
    opened = await open_store(database_url)
    yield opened
    await opened.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def inbox() -> Inbox:
    return Inbox()


@pytest.fixture
async def cases(store: SqlStore, clock: Clock, inbox: Inbox) -> CaseService:
    service = CaseService(
        SqlCaseRepository(store.engine),
        SqlCounsellors(store.engine),
        inbox.handle,
        store.answers_log,
        {"SOC": 4, "PER": 4},
        clock,
    )
    await service.sync([("Ana Novak", 501, True), ("Bo", 502, False), ("Cy", 503, False)])
    return service


async def person(cases: CaseService, name: str) -> Counsellor:
    return next(c for c in await cases.counsellors() if c.name == name)


async def test_open_case_is_idempotent_per_person(cases: CaseService) -> None:
    first = await cases.open_case(PERSON, "flags", SUMMARY)
    again = await cases.open_case(PERSON, "person", {**SUMMARY, "level": 2})
    assert again.id == first.id
    assert (again.status, again.summary["level"], again.language) == ("open", 2, "sl")
    assert [c.id for c in await cases.queue()] == [first.id]


async def test_concurrent_claims_exactly_one_wins(cases: CaseService, inbox: Inbox) -> None:
    case = await cases.open_case(PERSON, "flags", SUMMARY)
    bo, cy = await person(cases, "Bo"), await person(cases, "Cy")
    outcomes = await asyncio.gather(
        *(cases.claim(case.id, who) for who in (bo, cy) * 3), return_exceptions=True
    )
    won = [o for o in outcomes if isinstance(o, Case)]
    lost = [o for o in outcomes if isinstance(o, CaseConflict)]
    assert len(won) + len(lost) == 6
    holder = won[0].claimed_by
    assert all(o.claimed_by == holder for o in won)  # the winner's repeats change nothing
    loser = "Cy" if holder == "bo" else "Bo"
    assert all(f"already taken by {'Bo' if loser == 'Cy' else 'Cy'}" in str(o) for o in lost)
    claims = [row for row in await cases.audit(case.id) if row["action"] == "claim"]
    assert len(claims) == 1
    assert [type(i.event) for i in inbox.seen.values()] == [CounsellorJoined]


async def test_actions_need_the_claim_and_are_audited(cases: CaseService, clock: Clock) -> None:
    case = await cases.open_case(PERSON, "flags", SUMMARY)
    bo, cy = await person(cases, "Bo"), await person(cases, "Cy")
    with pytest.raises(NotAllowed):
        await cases.reply(case.id, bo, "hello")
    await cases.claim(case.id, bo)
    with pytest.raises(NotAllowed, match="held by Bo"):
        await cases.validate(case.id, cy, "SOC", 2)
    with pytest.raises(ValueError, match="unknown topic"):
        await cases.validate(case.id, bo, "XYZ", 2)
    clock.now += timedelta(minutes=5)
    await cases.reply(case.id, bo, "hello")
    await cases.validate(case.id, bo, "soc", 2, "good")
    closed = await cases.close(case.id, bo)
    audit = await cases.audit(case.id)
    assert [(a["name"], a["action"]) for a in audit] == [
        ("Bo", "claim"),
        ("Bo", "reply"),
        ("Bo", "validate"),
        ("Bo", "close"),
    ]
    assert audit[2]["detail"] == {"category": "SOC", "level": 2, "note": "good"}
    assert audit[1]["at"] == clock.now
    assert (closed.status, closed.outcome, closed.closed_at) == (
        "closed",
        "validated SOC 2",
        clock.now,
    )
    assert await cases.queue() == []


async def test_an_unapplied_event_is_applied_later_once(cases: CaseService, inbox: Inbox) -> None:
    case = await cases.open_case(PERSON, "person", SUMMARY)
    bo = await person(cases, "Bo")
    await cases.claim(case.id, bo)
    inbox.fail = True
    await cases.reply(case.id, bo, "are you there?")  # stored, not yet applied
    inbox.fail = False
    assert await cases.deliver_pending() == 1
    assert await cases.deliver_pending() == 0
    assert [type(i.event) for i in inbox.seen.values()] == [CounsellorJoined, CounsellorMessage]


async def test_relays_are_recorded_once(cases: CaseService) -> None:
    assert not await cases.relay_from_person(PERSON, RelayToCounsellor("hi", ref="r1"))
    case = await cases.open_case(PERSON, "person", SUMMARY)
    assert await cases.relay_from_person(PERSON, RelayToCounsellor("hi", ref="r1"))
    assert not await cases.relay_from_person(PERSON, RelayToCounsellor("hi", ref="r1"))
    assert [m.text for m in await cases.transcript(case.id)] == ["hi"]


async def test_reminders_come_once_per_period(cases: CaseService, clock: Clock) -> None:
    case = await cases.open_case(PERSON, "flags", SUMMARY)
    wait = timedelta(minutes=30)
    assert await cases.remind(wait) == []
    clock.now += timedelta(minutes=31)
    assert [c.id for c in await cases.overdue(wait)] == [case.id]
    assert [c.id for c in await cases.remind(wait)] == [case.id]
    assert await cases.remind(wait) == []
    clock.now += timedelta(minutes=31)
    assert [c.id for c in await cases.remind(wait)] == [case.id]


async def test_allowlist_admins_and_passwords(cases: CaseService) -> None:
    ana, bo = await person(cases, "Ana Novak"), await person(cases, "Bo")
    with pytest.raises(NotAllowed):
        await cases.add_counsellor(bo, "Dee", telegram_user_id=504)
    dee = await cases.add_counsellor(ana, "Dee", telegram_user_id=504, password="long enough pw")
    assert await cases.by_telegram(504) == dee
    assert await cases.authenticate("Dee", "long enough pw") == dee
    assert await cases.authenticate("Dee", "wrong password") is None
    assert await cases.authenticate("Nobody", "long enough pw") is None
    assert await cases.remove_counsellor(ana, "Dee")
    case = await cases.open_case(PERSON, "flags", SUMMARY)
    with pytest.raises(NotAllowed):
        await cases.claim(case.id, dee)  # removed people cannot act
    assert [a["action"] for a in await cases.audit()] == ["add_counsellor", "remove_counsellor"]


async def test_erasure_closes_cases_and_drops_transcripts(cases: CaseService) -> None:
    case = await cases.open_case(PERSON, "person", SUMMARY)
    await cases.relay_from_person(PERSON, RelayToCounsellor("my phone is 040 123 456", ref="x"))
    await cases.forget_person(PERSON)
    gone = await cases.get(case.id)
    assert gone is not None
    assert (gone.status, gone.summary, gone.outcome) == ("closed", {}, "erased")
    assert await cases.transcript(case.id) == []


@dataclass
class Heard:
    """A notifier that keeps what the person's side told the counsellors."""

    wrote: list[tuple[int, str]] = field(default_factory=list)

    async def case_opened(self, case: Case) -> None:
        return None

    async def person_wrote(self, case: Case, message: CaseMessage, file_ref: str) -> None:
        self.wrote.append((case.id, message.kind))

    async def case_changed(self, case: Case, action: str, counsellor: Counsellor) -> None:
        return None

    async def remind(self, cases: list[Case]) -> None:
        return None


async def test_asking_to_talk_on_an_open_case_is_recorded_and_moves_it_up(
    cases: CaseService, clock: Clock
) -> None:
    heard = Heard()
    cases.notifiers.append(heard)
    older = await cases.open_case(SessionKey("web", "older"), "flags", SUMMARY)
    clock.now += timedelta(minutes=5)
    flagged = await cases.open_case(PERSON, "flags", SUMMARY)
    assert [c.id for c in await cases.queue()] == [older.id, flagged.id]
    assert await cases.transcript(flagged.id) == []
    clock.now += timedelta(minutes=7)
    asked = await cases.open_case(PERSON, "person", SUMMARY)

    assert asked.id == flagged.id
    assert asked.asked_at == clock.now
    assert [c.id for c in await cases.queue()] == [flagged.id, older.id]
    lines = await cases.transcript(flagged.id)
    assert [(m.sender, m.kind, m.at) for m in lines] == [("person", "asked", clock.now)]
    assert heard.wrote == [(flagged.id, "asked")]
