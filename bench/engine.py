"""Benchmark: N simulated people through the assessment in one process, SQLite, durable commits.

Prints inbound events per second, p50/p99 latency per event (from handing the event to the
runtime until its state, answers and replies are committed), this process's CPU time per event
and the peak RSS. Wall-clock latency counts every moment another process holds the CPU or the
disk: check `uptime` first, and compare the CPU time per event between runs.

    .venv/bin/python bench/engine.py --people 200 --concurrency 100           # flat out
    .venv/bin/python bench/engine.py --people 2000 --concurrency 2000 --rate 1000   # paced
    .venv/bin/python bench/engine.py --people 10000 --concurrency 1000 --midway

Flat out, every simulated person taps again the moment the reply arrives (a closed loop: the
figure is the most events per second one process takes). With `--rate`, each person thinks
between taps so that all together offer about that many events per second, as real people
would; latency then shows what a person waits at that load.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import statistics
import tempfile
import time
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.channels.base import Capabilities
from bot.config import DEFAULT_CONTENT, DEFAULT_LOCALES
from bot.db.store import open_store
from bot.delivery.effects import EFFECT_TYPES, EffectTable
from bot.delivery.inbound_limit import InboundLimit
from bot.delivery.runtime import Conversations, settle_heap
from bot.delivery.sender import Sender
from bot.dialogs.conversation import SpoccDialogs
from bot.dialogs.definition import load_content
from bot.framework.actions import Action, Reply, SendText
from bot.framework.engine import Engine
from bot.framework.events import ChoiceSelected, CommandReceived, Event, Inbound
from bot.framework.i18n import Catalogs
from bot.framework.session import SessionKey


async def _nothing(key: SessionKey, effect: object) -> list[Reply]:
    return []


def no_effects() -> EffectTable:
    """Every effect (a badge, a case, an export) done at once with no reply: the engine alone."""
    return EffectTable({kind: [_nothing] for kind in EFFECT_TYPES}).require_all()


class NullChannel:
    """Delivers nowhere; remembers each chat's last buttons so the simulated person can tap."""

    name = "bench"
    capabilities = Capabilities()

    def __init__(self) -> None:
        self.buttons: dict[str, list[str]] = {}
        self.arrived: dict[str, asyncio.Event] = {}
        self.delivered = 0

    async def deliver(self, key: SessionKey, action: Action) -> None:
        """Count it; keep the buttons."""
        self.delivered += 1
        if isinstance(action, SendText) and action.keyboard:
            self.buttons[key.chat_id] = [b.payload for b in action.keyboard.buttons()]
            self.arrived.setdefault(key.chat_id, asyncio.Event()).set()


class Person:
    """Taps through onboarding and categories like a quick, decided person."""

    def __init__(
        self, chat: str, runtime: Conversations, channel: NullChannel, think: float
    ) -> None:
        self.key = SessionKey("bench", chat)
        self.runtime, self.channel, self.think = runtime, channel, think
        self.latencies: list[float] = []
        self.replies: list[float] = []
        self.started: list[float] = []

    async def send(self, event: Event, expect: str) -> None:
        """Send one event; wait for the reply with a button starting with `expect`.

        Thinks first, if pacing. A finished topic is answered with a tip (its own button)
        before the menu, so the first keyboard to arrive is not always the one to tap next.
        """
        if self.think:
            await asyncio.sleep(random.expovariate(1 / self.think))
        arrived = self.channel.arrived.setdefault(self.key.chat_id, asyncio.Event())
        arrived.clear()
        self.channel.buttons[self.key.chat_id] = []
        inbound = Inbound(self.key, event, uuid.uuid4().hex, datetime.now(UTC), "en")
        started = time.perf_counter()
        self.started.append(started)
        await self.runtime.handle(inbound)
        self.latencies.append(time.perf_counter() - started)
        while not any(p.startswith(expect) for p in self.channel.buttons[self.key.chat_id]):
            await asyncio.wait_for(arrived.wait(), 300)
            arrived.clear()
        self.replies.append(time.perf_counter() - started)

    async def tap(self, prefix: str, expect: str) -> None:
        """Tap the first button of the last reply whose payload starts with `prefix`."""
        buttons = self.channel.buttons[self.key.chat_id]
        payload = next(p for p in buttons if p.startswith(prefix))
        await self.send(ChoiceSelected(payload), expect)

    async def run(
        self, categories: Sequence[str], questions: Mapping[str, int], midway: bool
    ) -> None:
        """Start, agree, and answer every category (or half of the first)."""
        await self.send(CommandReceived("start"), "lang:en")
        await self.tap("lang:en", "consent:yes")
        await self.tap("consent:yes", "cat:")
        for category in categories:
            count = questions[category] // 2 if midway else questions[category]
            await self.tap(f"cat:{category}", "q:")
            for n in range(count):
                await self.tap("q:", "cat:" if n == count - 1 and not midway else "q:")
            if midway:
                return


async def bench(people: int, concurrency: int, midway: bool, rate: float) -> None:
    content = load_content(DEFAULT_CONTENT)
    catalogs = Catalogs(DEFAULT_LOCALES)
    with tempfile.TemporaryDirectory() as folder:
        store = await open_store(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        channel = NullChannel()
        sender = Sender(store, {channel.name: channel}, effects=no_effects())
        # Flat out, one simulated person taps far faster than anyone could: lift the
        # per-person flood limit then; paced, the product's own limit stays.
        limit = InboundLimit() if rate else InboundLimit(rate=1e9, burst=10**9)
        runtime = Conversations(
            store, Engine(SpoccDialogs(content, catalogs), catalogs), sender.notify, limit=limit
        )
        sending = asyncio.create_task(sender.run())
        settle_heap()
        categories = [c.id for c in content.categories]
        questions: dict[str, int] = {c: len(content.questions_of(c)) for c in categories}
        think = concurrency / rate if rate else 0.0
        everyone = [Person(f"p{n}", runtime, channel, think) for n in range(people)]
        gate = asyncio.Semaphore(concurrency)

        async def one(person: Person) -> None:
            async with gate:
                await person.run(categories, questions, midway)

        started, cpu = time.perf_counter(), time.process_time()
        await asyncio.gather(*(one(p) for p in everyone))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        sender.stop()
        await sending
        await store.close()
    report(everyone, elapsed, cpu, channel.delivered, concurrency, midway)


def report(
    everyone: list[Person],
    elapsed: float,
    cpu: float,
    delivered: int,
    concurrency: int,
    midway: bool,
) -> None:
    latencies = sorted(x for p in everyone for x in p.latencies)
    p50 = statistics.median(latencies) * 1000
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"people: {len(everyone)} ({'stopped midway' if midway else 'whole assessment'}), "
        f"{concurrency} at once"
    )
    print(
        f"inbound events: {len(latencies)} in {elapsed:.1f} s = "
        f"{len(latencies) / elapsed:.0f} events/s; replies delivered: {delivered}"
    )
    starts = sorted(t for p in everyone for t in p.started)
    low, high = starts[len(starts) // 10], starts[len(starts) * 9 // 10]
    print(f"sustained rate (middle 80% of events): {0.8 * len(starts) / (high - low):.0f}/s")
    print(f"latency per event: p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    print(
        f"CPU time of this process: {cpu:.1f} s = {cpu / len(latencies) * 1000:.2f} ms per "
        f"event (the simulated people included)"
    )
    replies = sorted(x for p in everyone for x in p.replies)
    print(
        f"reply latency (event in to question delivered): p50 "
        f"{statistics.median(replies) * 1000:.1f} ms, "
        f"p99 {replies[int(len(replies) * 0.99) - 1] * 1000:.1f} ms"
    )
    print(f"peak RSS: {rss_mb:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--midway", action="store_true", help="each person stops halfway")
    parser.add_argument("--rate", type=float, default=0.0, help="offered events/s (paced)")
    args = parser.parse_args()
    asyncio.run(bench(args.people, args.concurrency, args.midway, args.rate))


if __name__ == "__main__":
    main()
