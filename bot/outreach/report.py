"""The programme report: what a period brought, for one organisation or all; small cells hidden."""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.outreach.charts import bar_chart
from bot.outreach.people import Person, read_people
from bot.outreach.storage import SqlOutreach

SMALL = 5  # a count below this is shown as "<5", so nobody can be picked out


def cell(count: int) -> str:
    """A count as shown: "<5" when fewer than SMALL people are in it."""
    return f"<{SMALL}" if count < SMALL else str(count)


@dataclass
class Report:
    """Counts for a period [start, end) and an organisation (None: everyone)."""

    start: datetime
    end: datetime
    organisation: str | None
    people: int = 0
    consented: int = 0
    finished: Counter[str] = field(default_factory=Counter)
    levels: dict[str, Counter[int]] = field(default_factory=dict)
    self_badges: int = 0
    validated_badges: int = 0
    cases: int = 0
    claim_minutes: list[float] = field(default_factory=list)
    languages: Counter[str] = field(default_factory=Counter)
    channels: Counter[str] = field(default_factory=Counter)
    rose: Counter[str] = field(default_factory=Counter)
    """People whose level of a topic rose on taking it again, by topic."""
    people_rose: int = 0

    def add(self, person: Person) -> None:
        """Count one person in."""
        self.people += 1
        self.consented += person.consented
        for topic, level in person.levels.items():
            self.finished[topic] += 1
            self.levels.setdefault(topic, Counter())[level] += 1
        self.self_badges += person.self_badges
        self.validated_badges += len(person.validated)
        self.cases += person.cases
        self.claim_minutes += [wait.total_seconds() / 60 for wait in person.waits]
        self.languages[person.language or "?"] += 1
        self.channels[person.channel] += 1
        self.rose.update(person.rose)
        self.people_rose += bool(person.rose)

    def lines(self, topics: Sequence[str]) -> list[tuple[str, str, str]]:
        """(section, item, shown count) for the page and the CSV; counts below 5 hidden."""
        wait = statistics.median(self.claim_minutes) if len(self.claim_minutes) >= SMALL else None
        rows = [
            ("people", "started", cell(self.people)),
            ("people", "consented", cell(self.consented)),
            *(("topics finished", t, cell(self.finished[t])) for t in topics),
            *(
                (f"levels {t}", f"level {lv}", cell(self.levels.get(t, Counter())[lv]))
                for t in topics
                for lv in range(4)
            ),
            ("badges", "self-assessed", cell(self.self_badges)),
            ("badges", "validated", cell(self.validated_badges)),
            ("progress", "people whose level rose", cell(self.people_rose)),
            *(("progress", f"level rose {t}", cell(self.rose[t])) for t in topics),
            ("cases", "opened", cell(self.cases)),
            ("cases", "median minutes until claimed", "—" if wait is None else f"{wait:.0f}"),
            *(("languages", lang, cell(n)) for lang, n in sorted(self.languages.items())),
            *(("channels", ch, cell(n)) for ch, n in sorted(self.channels.items())),
        ]
        return rows


async def build_report(
    engine: AsyncEngine,
    repo: SqlOutreach,
    start: datetime,
    end: datetime,
    organisation: str | None = None,
    progress: Callable[[int], object] | None = None,
) -> Report:
    """Read every person started in the period (through the organisation's invites)."""
    codes = {i.code for i in await repo.invites() if i.organisation == organisation}

    def keep(person: Person) -> bool:
        in_period = start <= person.started_at < end
        return in_period and (organisation is None or person.invite in codes)

    report = Report(start, end, organisation)
    async for person in read_people(engine, keep, progress=progress):
        report.add(person)
    return report


def report_csv(report: Report, topics: Sequence[str]) -> str:
    """The report as CSV: section, item, count (small counts as "<5")."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["section", "item", "count"])
    writer.writerows(report.lines(topics))
    return out.getvalue()


def level_chart(report: Report, topic: str, name: str) -> bytes:
    """How many people reached each level of one topic (small bars drawn empty)."""
    counts = report.levels.get(topic, Counter())
    rows = [
        (f"level {lv}", counts[lv] if counts[lv] >= SMALL else 0, cell(counts[lv]))
        for lv in range(4)
    ]
    return bar_chart(name, rows)
