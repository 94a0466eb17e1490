"""Figures per invite and per worker: visits, starts, consents, topics, badges, cases."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.outreach.charts import bar_chart
from bot.outreach.model import Invite
from bot.outreach.people import Person, read_people
from bot.outreach.storage import SqlOutreach


@dataclass(frozen=True)
class Funnel:
    """What came of one invite (or of all of a worker's): counts of people, never who."""

    label: str
    visits: int
    started: int
    consented: int
    finished: dict[str, int]
    self_badges: int
    validated_badges: int
    cases: int

    def rows(self, topics: Sequence[str]) -> list[tuple[str, int]]:
        """(step, count) from the landing page to cases, one row per topic finished."""
        return [
            ("landing visits", self.visits),
            ("started", self.started),
            ("consented", self.consented),
            *((f"finished {topic}", self.finished.get(topic, 0)) for topic in topics),
            ("badges self-assessed", self.self_badges),
            ("badges validated", self.validated_badges),
            ("cases opened", self.cases),
        ]


def funnel(label: str, visits: int, people: Sequence[Person]) -> Funnel:
    """Count the people of one invite or one worker."""
    finished: dict[str, int] = {}
    for person in people:
        for topic in person.levels:
            finished[topic] = finished.get(topic, 0) + 1
    return Funnel(
        label,
        visits,
        len(people),
        sum(p.consented for p in people),
        finished,
        sum(p.self_badges for p in people),
        sum(len(p.validated) for p in people),
        sum(p.cases for p in people),
    )


async def invite_funnels(
    engine: AsyncEngine, repo: SqlOutreach, invites: Sequence[Invite]
) -> list[Funnel]:
    """One funnel per invite, then a total row for them all."""
    codes = {invite.code for invite in invites}
    people: dict[str, list[Person]] = {code: [] for code in codes}
    async for person in read_people(engine, lambda p: p.invite in codes):
        people[str(person.invite)].append(person)
    visits = await repo.visits(sorted(codes))
    rows = [funnel(i.code, visits.get(i.code, 0), people[i.code]) for i in invites]
    everyone = [p for group in people.values() for p in group]
    return [*rows, funnel("all", sum(visits.values()), everyone)]


def funnels_csv(funnels: Sequence[Funnel], topics: Sequence[str]) -> str:
    """One line per funnel: the invite (or `all`) and each step's count."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    steps = [step for step, _ in funnels[0].rows(topics)] if funnels else []
    writer.writerow(["invite", *steps])
    for row in funnels:
        writer.writerow([row.label, *(count for _, count in row.rows(topics))])
    return out.getvalue()


def funnel_png(row: Funnel, topics: Sequence[str]) -> bytes:
    """The funnel of one invite (or of all) as a bar chart."""
    bars = [(step, count, str(count)) for step, count in row.rows(topics)]
    return bar_chart(f"Invite {row.label}", bars)
