"""What the figures need to know of each person, read from the stored conversations and cases."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.counsel_tables import counsel_cases
from bot.db.models import conversations


@dataclass(frozen=True)
class Person:
    """One conversation, without who: invite, channel, language, progress, cases."""

    invite: str | None
    channel: str
    language: str | None
    started_at: datetime
    consented: bool
    levels: dict[str, int]
    self_badges: int
    validated: dict[str, int]
    cases: int = 0
    waits: tuple[timedelta, ...] = field(default=())
    rose: tuple[str, ...] = ()
    """Topics taken again whose latest level is above the first one."""


def person_of(channel: str, state: dict[str, Any], started_at: datetime) -> Person:
    """The facts of one stored session state."""
    results: dict[str, dict[str, Any]] = state.get("results") or {}
    return Person(
        invite=state.get("invite"),
        channel=channel,
        language=state.get("locale"),
        started_at=started_at,
        consented=bool(state.get("consent")),
        levels={cat: int(r["level"]) for cat, r in results.items() if r.get("level") is not None},
        self_badges=sum(1 for r in results.values() if r.get("badge_level") is not None),
        validated={cat: int(level) for cat, level in (state.get("validated") or {}).items()},
        rose=risen_topics(results, state.get("history") or {}),
    )


def risen_topics(
    results: dict[str, dict[str, Any]], history: dict[str, list[dict[str, Any]]]
) -> tuple[str, ...]:
    """Topics whose current level is higher than the first recorded one."""
    risen = []
    for topic, earlier in sorted(history.items()):
        first = next((row.get("level") for row in earlier if row.get("level") is not None), None)
        now = (results.get(topic) or {}).get("level")
        if first is not None and now is not None and int(now) > int(first):
            risen.append(topic)
    return tuple(risen)


async def count_people(engine: AsyncEngine) -> int:
    """How many conversations there are (for a progress bar)."""
    async with engine.connect() as conn:
        return int(
            (await conn.execute(select(func.count()).select_from(conversations))).scalar() or 0
        )


async def read_people(
    engine: AsyncEngine,
    keep: Callable[[Person], bool],
    batch: int = 500,
    progress: Callable[[int], object] | None = None,
) -> AsyncIterator[Person]:
    """Every stored person that `keep` wants, with their cases, read in batches by id."""
    c, last = conversations.c, 0
    while True:
        query = select(c.id, c.channel, c.chat_id, c.state, c.created_at).where(c.id > last)
        async with engine.connect() as conn:
            rows = list(await conn.execute(query.order_by(c.id).limit(batch)))
        if not rows:
            return
        last = rows[-1].id
        kept = {
            (r.channel, r.chat_id): person_of(r.channel, json.loads(r.state or "{}"), r.created_at)
            for r in rows
        }
        kept = {key: person for key, person in kept.items() if keep(person)}
        for person in await _with_cases(engine, kept):
            yield person
        if progress is not None:
            progress(len(rows))


async def _with_cases(engine: AsyncEngine, people: dict[tuple[str, str], Person]) -> list[Person]:
    if not people:
        return []
    k = counsel_cases.c
    chats = {chat for _, chat in people}
    query = select(k.channel, k.chat_id, k.created_at, k.claimed_at).where(k.chat_id.in_(chats))
    async with engine.connect() as conn:
        rows = list(await conn.execute(query))
    cases: dict[tuple[str, str], list[Any]] = {}
    for row in rows:
        cases.setdefault((row.channel, row.chat_id), []).append(row)
    return [_add_cases(person, cases.get(key, [])) for key, person in people.items()]


def _add_cases(person: Person, rows: list[Any]) -> Person:
    waits = tuple(r.claimed_at - r.created_at for r in rows if r.claimed_at is not None)
    return Person(**{**person.__dict__, "cases": len(rows), "waits": waits})
