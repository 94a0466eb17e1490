"""SqlBadgeRepository on SQLite and PostgreSQL: the BadgeRepository contract plus people."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from bot.badges.model import Alignment, Award, BadgeSpec
from bot.badges.sql_repository import SqlBadgeRepository
from bot.badges.status import LIST_BITS
from bot.db.engine import create_engine, parse_url
from bot.db.migrate import migrate
from bot.framework.session import SessionKey

SPEC = BadgeSpec(
    category_id="soc",
    category_name="Social skills",
    level=2,
    level_label="On my own",
    color="#1d5fa8",
    alignments=(
        Alignment("show empathy", "http://data.europa.eu/esco/skill/77b6", "ESCO v1.2.0"),
        Alignment("communicating", "http://data.europa.eu/esco/skill/6f14", "ESCO v1.2.0", "T4.1"),
    ),
)
ANA = SessionKey("web", "chat-ana")
BOJAN = SessionKey("telegram", "42")


def award(assertion_id: str, status_index: int, spec: BadgeSpec = SPEC) -> Award:
    return Award(
        assertion_id=assertion_id,
        spec=spec,
        recipient_type="url",
        identity_hash="sha256$" + "ab" * 32,
        salt="00" * 16,
        issued_on=datetime(2026, 11, 28, 9, 30, 15, 123456, tzinfo=UTC),
        status_index=status_index,
        narrative="Self-assessment in a chat.",
        png=b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        credential={"id": f"urn:uuid:{assertion_id}", "name": "Social skills: On my own ✓"},
    )


@pytest.fixture
async def repo(database_url: str) -> AsyncIterator[SqlBadgeRepository]:
    await migrate(database_url)
    engine = create_engine(parse_url(database_url))
    yield SqlBadgeRepository(engine)
    await engine.dispose()


async def test_an_award_round_trips_exactly(repo: SqlBadgeRepository) -> None:
    saved = award("a1", 7)
    await repo.save_award(saved)
    assert await repo.get_award("a1") == saved
    assert await repo.get_award("nope") is None


async def test_saving_again_replaces_the_award_but_keeps_its_holder(
    repo: SqlBadgeRepository,
) -> None:
    token = await repo.person_token(ANA, "token-ana")
    await repo.save_award(award("a1", 7), token)
    await repo.save_award(replace(award("a1", 7), narrative="Validated later."))
    found = await repo.get_award("a1")
    assert found is not None
    assert found.narrative == "Validated later."
    assert [a.assertion_id for a in await repo.awards_of(token)] == ["a1"]


async def test_revoking_keeps_the_first_reason_and_sets_the_status_bit(
    repo: SqlBadgeRepository,
) -> None:
    await repo.save_award(award("a1", 7))
    await repo.save_award(award("a2", 9))
    assert not await repo.revoke("unknown", "why")
    assert not await repo.is_revoked("a1")
    assert await repo.revoke("a1", "first reason")
    assert await repo.revoke("a1", "second reason")
    revoked = await repo.get_award("a1")
    assert revoked is not None
    assert (revoked.revoked, revoked.revocation_reason) == (True, "first reason")
    assert await repo.is_revoked("a1")
    assert not await repo.is_revoked("a2")
    assert await repo.revoked_status_indexes() == {7}


async def test_an_award_saved_as_revoked_is_revoked(repo: SqlBadgeRepository) -> None:
    gone = replace(award("a1", 3), revoked=True, revocation_reason="withdrawn")
    await repo.save_award(gone)
    assert await repo.is_revoked("a1")
    assert await repo.get_award("a1") == gone


async def test_status_indexes_are_unique_random_and_in_the_list(
    repo: SqlBadgeRepository,
) -> None:
    reserved = list(await asyncio.gather(*(repo.next_status_index() for _ in range(40))))
    reserved += [await repo.next_status_index() for _ in range(40)]
    assert len(set(reserved)) == 80
    assert all(0 <= index < LIST_BITS for index in reserved)
    assert reserved != sorted(reserved)  # not handed out in order


async def test_badge_classes_round_trip_and_the_newest_wins(repo: SqlBadgeRepository) -> None:
    assert await repo.get_badge_class(SPEC.class_id) is None
    await repo.save_badge_class(SPEC)
    assert await repo.get_badge_class(SPEC.class_id) == SPEC
    renamed = replace(SPEC, category_name="Socialne veščine", alignments=())
    await repo.save_badge_class(renamed)
    assert await repo.get_badge_class(SPEC.class_id) == renamed


async def test_a_person_keeps_one_token_per_conversation(repo: SqlBadgeRepository) -> None:
    assert await repo.find_person_token(ANA) is None
    first = await repo.person_token(ANA, "token-ana")
    again = await repo.person_token(ANA, "another-token")
    other = await repo.person_token(BOJAN, "token-bojan")
    assert first == again == "token-ana"
    assert other == "token-bojan"
    assert await repo.find_person_token(ANA) == "token-ana"


async def test_awards_of_a_person_are_theirs_oldest_first(repo: SqlBadgeRepository) -> None:
    ana, bojan = await repo.person_token(ANA, "t-ana"), await repo.person_token(BOJAN, "t-bo")
    later = replace(award("a-later", 1), issued_on=datetime(2026, 12, 1, tzinfo=UTC))
    await repo.save_award(later, ana)
    await repo.save_award(award("a-first", 2), ana)
    await repo.save_award(award("b-1", 3), bojan)
    assert [a.assertion_id for a in await repo.awards_of(ana)] == ["a-first", "a-later"]
    assert [a.assertion_id for a in await repo.awards_of(bojan)] == ["b-1"]


async def test_forgetting_a_person_unlinks_their_awards_and_drops_images(
    repo: SqlBadgeRepository,
) -> None:
    token = await repo.person_token(ANA, "t-ana")
    await repo.save_award(award("a1", 1), token)
    await repo.revoke("a1", "deleted")
    await repo.forget_person(ANA)
    await repo.forget_person(ANA)  # harmless twice
    assert await repo.find_person_token(ANA) is None
    assert await repo.awards_of(token) == []
    kept = await repo.get_award("a1")
    assert kept is not None
    assert (kept.revoked, kept.png) == (True, b"")
    assert await repo.person_token(ANA, "t-new") == "t-new"
