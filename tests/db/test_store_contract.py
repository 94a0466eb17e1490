"""The store contract, run on SQLite (with either transaction of the applier) and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.db.store import OutboxItem, SqlStore, open_store
from bot.framework.actions import SendText
from bot.framework.engine_types import Sprint
from bot.framework.keyboards import Button, Keyboard
from bot.framework.session import Answer, Session
from tests.db.helpers import (
    KEY,
    OTHER,
    answer,
    count,
    forget,
    inbound,
    logging_answers,
    tally,
)


@pytest.fixture(params=["sqlite3", "core"])
async def store(request: pytest.FixtureRequest, database_url: str) -> AsyncIterator[SqlStore]:
    """A store whose events go through SqliteTransaction (group commit) or CoreTransaction."""
    if request.param == "sqlite3" and not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL has only the Core transaction")
    store = await open_store(database_url, group_commit=request.param == "sqlite3")
    yield store
    await store.close()


def texts(items: list[OutboxItem]) -> list[str]:
    return [item.action.text for item in items if isinstance(item.action, SendText)]


async def test_state_round_trips_and_version_increments(store: SqlStore) -> None:
    rich = Session(
        key=KEY,
        locale="ar",
        consent=True,
        step="question",
        category="social",
        shown_order=("b", "a"),
        asked_at="2025-01-01T00:00:00+00:00",
        answers={"social": {"q1": answer("q1").answer}},
        results={"social": {"level": 2, "flags": ["borderline"], "note": "مرحبا 👋"}},
    )
    assert await store.load(KEY) is None
    await store.process(inbound("1"), lambda _: Sprint(rich))
    await store.process(inbound("2"), lambda s: Sprint(s))
    assert await store.load(KEY) == rich
    exported = await store.export(KEY)
    assert exported["version"] == 2
    assert datetime.fromisoformat(exported["updated_at"]).utcoffset() == timedelta(0)


async def test_step_sees_the_saved_session(store: SqlStore) -> None:
    seen: list[int | None] = []

    def step(session: Session | None) -> Sprint:
        seen.append(tally(session) if session is not None else None)
        return count()(session)

    await store.process(inbound("1"), step)
    await store.process(inbound("2"), step)
    assert seen == [None, 1]
    assert tally(await store.load(KEY)) == 2


async def test_repeated_event_is_applied_once(store: SqlStore) -> None:
    first = await store.process(inbound("7"), count(texts=2))
    again = await store.process(inbound("7"), count(texts=2))
    assert first is not None
    assert len(first) == 2
    assert again is None
    assert tally(await store.load(KEY)) == 1
    assert [item.id for item in await store.pending()] == first
    # The same id from another channel is another event.
    other = inbound("7", KEY.__class__("whatsapp", "42"))
    assert await store.process(other, count(other.key)) is not None


async def test_failed_step_changes_nothing_and_can_be_retried(store: SqlStore) -> None:
    def broken(session: Session | None) -> Sprint:
        raise RuntimeError("engine bug")

    with pytest.raises(RuntimeError, match="engine bug"):
        await store.process(inbound("1"), broken)
    assert await store.pending() == []
    assert await store.process(inbound("1"), count()) is not None


async def test_erasure_forgets_state_answers_and_pending_messages(store: SqlStore) -> None:
    await store.process(inbound("1"), count(texts=3))
    await store.process(inbound("2"), logging_answers(answer("q1")))
    await store.process(inbound("3", OTHER), count(OTHER))
    ids = await store.process(inbound("4"), forget)
    assert await store.load(KEY) is None
    assert await store.answers_log(KEY) == []
    pending = await store.pending()
    assert [item.id for item in pending if item.key == KEY] == ids
    assert texts([p for p in pending if p.key == KEY]) == ["bye"]
    assert len([p for p in pending if p.key == OTHER]) == 1
    exported = await store.export(KEY)
    assert exported["state"] is None
    assert exported["answers"] == []
    await store.process(inbound("5"), count())  # a fresh start after erasure
    assert tally(await store.load(KEY)) == 1


async def test_answers_log_is_append_only_and_ordered(store: SqlStore) -> None:
    first = [answer("q1"), answer("q2", None)]
    second = [answer("q1", 3)]  # a changed answer is a new line, the old one stays
    await store.process(inbound("1"), logging_answers(*first))
    await store.process(inbound("2"), count())
    await store.process(inbound("3"), logging_answers(*second))
    assert await store.answers_log(KEY) == first + second
    assert await store.answers_log(OTHER) == []
    exported = await store.export(KEY)
    assert [a["question_id"] for a in exported["answers"]] == ["q1", "q2", "q1"]
    assert exported["answers"][1]["level"] is None


async def test_outbox_keeps_action_order_and_content(store: SqlStore) -> None:
    keyboard = Keyboard.column([Button("Yes 👍", "y"), Button("No", "n")])
    actions = [SendText("one", keyboard, ref="q:1"), SendText("two")]
    ids = await store.process(inbound("1"), lambda s: Sprint(Session(KEY), list(actions)))
    ids2 = await store.process(inbound("2"), count(texts=2))
    assert ids is not None
    assert ids2 is not None
    assert ids + ids2 == sorted(ids + ids2)
    pending = await store.pending()
    assert [p.action for p in pending[:2]] == actions
    assert texts(pending[2:]) == ["42 n=1 #0", "42 n=1 #1"]
    assert {p.attempts for p in pending} == {0}


async def test_pending_postpone_delivered(store: SqlStore) -> None:
    await store.process(inbound("1"), count(texts=3))
    await store.process(inbound("2", OTHER), count(OTHER, texts=2))
    items = await store.pending()
    mine = [item for item in items if item.key == KEY]
    await store.postpone(mine[0].id, datetime.now(UTC) + timedelta(hours=1))
    # A postponed row holds back the later rows of its chat, not other chats.
    assert [item.key for item in await store.pending()] == [OTHER, OTHER]
    assert len(await store.pending(limit=1)) == 1
    assert await store.pending(channel="whatsapp") == []
    await store.postpone(mine[0].id, datetime.now(UTC) - timedelta(seconds=1))
    again = await store.pending()
    assert [item.id for item in again] == [item.id for item in items]
    assert again[0].attempts == 2
    await store.delivered([item.id for item in items[:4]] + [999_999])
    assert [item.id for item in await store.pending()] == [items[4].id]
    await store.delivered([])


async def test_unreachable_marks_inactive_and_drops_pending(store: SqlStore) -> None:
    await store.process(inbound("1"), count(texts=2))
    await store.process(inbound("2", OTHER), count(OTHER))
    await store.mark_unreachable(KEY)
    assert [item.key for item in await store.pending()] == [OTHER]
    assert (await store.export(KEY))["active"] is False
    await store.process(inbound("3"), count())  # they came back
    assert (await store.export(KEY))["active"] is True


async def test_concurrent_events_of_one_chat_apply_one_at_a_time_in_order(
    store: SqlStore,
) -> None:
    ids = [f"e{i:02}" for i in range(50)]
    await asyncio.gather(*(store.process(inbound(i), count(event_id=i)) for i in ids))
    session = await store.load(KEY)
    assert tally(session) == 50
    assert session is not None
    assert session.results["tally"]["seen"] == ids
    assert texts(await store.pending()) == [f"42 n={n} #0" for n in range(1, 51)]


@pytest.mark.postgres
async def test_two_processes_serialize_one_chat(database_url: str) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("two processes share a database on PostgreSQL only")
    stores = [await open_store(database_url), await open_store(database_url)]
    try:
        calls = [
            stores[i % 2].process(inbound(f"e{i}"), count(event_id=f"e{i}")) for i in range(50)
        ]
        calls += [stores[1].process(inbound(f"e{i}"), count()) for i in range(10)]  # repeats
        await asyncio.gather(*calls)
        session = await stores[0].load(KEY)
        assert tally(session) == 50
        assert texts(await stores[1].pending()) == [f"42 n={n} #0" for n in range(1, 51)]
    finally:
        for store in stores:
            await store.close()


def test_answer_json_round_trip() -> None:
    record = answer("q9")
    assert Answer.from_json(record.answer.to_json()) == record.answer
