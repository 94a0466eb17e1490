"""Benchmark: the sender's outbox query with a large backlog, on SQLite or PostgreSQL.

Fills the outbox with `--rows` pending rows: one flooded chat holds most of them, the rest
are spread over `--chats` other chats (every tenth of them postponed, as after a failed send).
Then times `SqlStore.due` (one round of the sender: the next 50 chats, 20 rows each) and,
with `--old`, the query it replaced (a correlated EXISTS per row, sorted, LIMIT 500).

    .venv/bin/python bench/outbox.py                                  # SQLite, 100,000 rows
    .venv/bin/python bench/outbox.py --url postgresql+asyncpg://postgres@127.0.0.1:5432/bench
    .venv/bin/python bench/outbox.py --old                            # the old query as well

A PostgreSQL database given with `--url` is emptied of its outbox rows first.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, insert, text

from bot.db.models import outbox
from bot.db.rows import dumps
from bot.db.store import SqlStore, open_store
from bot.framework.actions import SendText
from bot.framework.codec import action_to_json

OLD_QUERY = """
SELECT o.id, o.channel, o.chat_id, o.action, o.attempts FROM outbox o
WHERE (o.not_before IS NULL OR o.not_before <= :now) AND o.channel = 'web'
  AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.channel = o.channel
                  AND e.chat_id = o.chat_id AND e.id < o.id AND e.not_before > :now)
ORDER BY o.id LIMIT 500
"""
ACTION = dumps(action_to_json(SendText("Please tap one of the buttons.", lang="en")))


async def fill(store: SqlStore, rows: int, chats: int) -> None:
    """Insert `rows` outbox rows: most for one chat, a few for each of `chats` others."""
    now = datetime.now(UTC)
    others = [f"person-{n:05d}" for n in range(chats)]
    per_other = max(1, rows // 50 // chats)
    plan = [(chat, per_other) for chat in others]
    plan.append(("flooder", rows - per_other * chats))
    async with store.engine.begin() as conn:
        await conn.execute(delete(outbox))
        for chat, count in plan:
            values = [
                {"channel": "web", "chat_id": chat, "action": ACTION, "created_at": now}
                for _ in range(count)
            ]
            for start in range(0, count, 5_000):
                await conn.execute(insert(outbox), values[start : start + 5_000])
        later = now + timedelta(hours=1)
        for chat in others[::10]:  # their first row failed: they wait, the rest go on
            await conn.execute(
                text(
                    "UPDATE outbox SET not_before = :later WHERE id = "
                    "(SELECT MIN(id) FROM outbox WHERE channel = 'web' AND chat_id = :chat)"
                ),
                {"later": later.replace(tzinfo=None) if _sqlite(store) else later, "chat": chat},
            )
    if not _sqlite(store):  # as autovacuum would: the deleted rows of earlier runs go away
        async with store.engine.execution_options(isolation_level="AUTOCOMMIT").connect() as c:
            await c.execute(text("VACUUM ANALYZE outbox"))


def _sqlite(store: SqlStore) -> bool:
    return store.engine.dialect.name == "sqlite"


async def time_rounds(store: SqlStore, repeat: int) -> tuple[list[float], int, int]:
    """Seconds per sender round, chats visited in a full round robin, rows seen in it."""
    times: list[float] = []
    for _ in range(repeat):
        began = time.perf_counter()
        await store.due("web", None, chats=50, per_chat=20)
        times.append(time.perf_counter() - began)
    after, visited, seen = None, 0, 0
    while True:
        window = await store.due("web", after, chats=50, per_chat=20)
        visited += len({item.key for item in window.items})
        seen += len(window.items)
        if window.last is None:
            return times, visited, seen
        after = window.last


async def time_old(store: SqlStore) -> float:
    """Seconds for the replaced query."""
    now = datetime.now(UTC)
    began = time.perf_counter()
    async with store.engine.connect() as conn:
        await conn.execute(text(OLD_QUERY), {"now": now.replace(tzinfo=None)})
    return time.perf_counter() - began


async def main(args: argparse.Namespace) -> None:
    """Fill, measure, print."""
    with tempfile.TemporaryDirectory() as tmp:
        url = args.url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        store = await open_store(url)
        try:
            await fill(store, args.rows, args.chats)
            times, visited, seen = await time_rounds(store, args.repeat)
            print(
                f"{store.engine.dialect.name}: {args.rows:,} pending rows, "
                f"{args.chats + 1} chats (one flooded)"
            )
            print(
                f"  one sender round (50 chats x 20 rows): median "
                f"{statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms"
            )
            print(f"  full round robin: {visited} chats with due rows, {seen} rows in hand")
            if args.old:
                print(f"  old query (EXISTS per row, LIMIT 500): {await time_old(store):.2f} s")
        finally:
            async with store.engine.begin() as conn:
                await conn.execute(delete(outbox))
            await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="DATABASE_URL (default: a temporary SQLite file)")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--chats", type=int, default=200, help="chats besides the flooded one")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--old", action="store_true", help="also time the replaced query")
    asyncio.run(main(parser.parse_args()))
