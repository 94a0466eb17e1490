"""The programme report counts people whose level rose when they took a topic again."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.db.models import conversations
from bot.db.store import open_store
from bot.outreach.report import build_report, report_csv
from bot.outreach.storage import SqlOutreach

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def state(level: int, earlier: list[int | None]) -> dict[str, Any]:
    history = [{"level": lv, "finished_at": "2026-11-01T09:00:00+00:00"} for lv in earlier]
    result = {"category": "SOC", "level": level, "badge_level": None}
    return {
        "consent": True,
        "locale": "en",
        "results": {"SOC": result},
        "history": {"SOC": history},
    }


async def test_the_report_counts_people_whose_level_rose(database_url: str) -> None:
    people = [state(2, [1])] * 5 + [state(3, [1, 2])] * 2  # 7 rose
    people += [state(1, [2]), state(2, [2]), state(2, [])]  # fell, same, first time
    store = await open_store(database_url)
    try:
        async with store.engine.begin() as conn:
            await conn.execute(
                conversations.insert(),
                [
                    {"channel": "web", "chat_id": f"c{n}", "state": json.dumps(data),
                     "created_at": NOW, "updated_at": NOW}
                    for n, data in enumerate(people)
                ],
            )  # fmt: skip
        report = await build_report(
            store.engine, SqlOutreach(store.engine), NOW - timedelta(days=1), NOW + timedelta(1)
        )
    finally:
        await store.close()
    assert report.people == 10
    assert (report.people_rose, report.rose["SOC"]) == (7, 7)
    csv_text = report_csv(report, ["SOC", "PER"])
    assert "progress,people whose level rose,7" in csv_text
    assert "progress,level rose SOC,7" in csv_text
    assert "progress,level rose PER,<5" in csv_text
