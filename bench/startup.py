"""Benchmark: cold start of `python -m bot` (first getUpdates, first 200), then RSS in use.

Start-up is measured from the process's start to its first getUpdates on the stand-in and to
its first HTTP 200 (/healthz); then N people walk through a category and the RSS is read.

The bot runs in a process of its own against the Bot API stand-in (polling, 0 ms per call,
pacing lifted); every figure is the bot process's own.

    .venv/bin/python bench/startup.py                 # 3 starts, then 200 people
    .venv/bin/python bench/startup.py --starts 5 --people 200 --questions 5
    .venv/bin/python bench/startup.py --restart       # one data directory: starts 2.. are restarts

Each start has a new data directory, so each creates and migrates its database (Alembic is
loaded then); with --restart they share one, and every start after the first finds its schema
at head (as a restart in production does: Alembic is not loaded).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
from pathlib import Path

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from bench.botproc import BotProcess, free_port, product_env  # noqa: E402
from tests.e2e.telegram_people import Person  # noqa: E402
from tests.fakes.telegram_api import FakeTelegramApi  # noqa: E402

CATEGORY = "SOC"


async def walk(person: Person, questions: int) -> None:
    """/start, English, yes, the category, then `questions` answers."""
    question = await person.open(await person.onboard(), CATEGORY)
    for _ in range(questions):
        _, question = await person.answer(question)


async def start(
    people: int, questions: int, data_dir: Path
) -> tuple[float, float, float, float, float]:
    """One cold start on `data_dir`; then, if `people`, their walks.

    Returns seconds to the first getUpdates and to the first 200, the CPU seconds the process
    had used by then (less sensitive to a busy machine), and RSS now and at peak.
    """
    async with FakeTelegramApi() as api:
        port = free_port()
        env = product_env(
            api, data_dir, port, TELEGRAM_CHAT_RATE="100", TELEGRAM_GLOBAL_RATE="1000"
        )
        bot = BotProcess(["-m", "bot"], env)
        try:
            served, polled = await asyncio.gather(
                bot.first_ok(f"http://127.0.0.1:{port}/healthz"), bot.first_poll(api)
            )
            cpu = bot.cpu_seconds()
            crowd = [Person(api, 40_000 + n) for n in range(people)]
            await asyncio.gather(*(walk(person, questions) for person in crowd))
            rss, peak = bot.memory_mb()
        finally:
            bot.stop()
    return polled, served, cpu, rss, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--starts", type=int, default=3, help="cold starts measured (3)")
    parser.add_argument("--people", type=int, default=200, help="people active after (200)")
    parser.add_argument("--questions", type=int, default=5, help="answers per person (5)")
    parser.add_argument(
        "--restart", action="store_true", help="one data directory for all starts (see above)"
    )
    args = parser.parse_args()
    polls, serves, cpus = [], [], []
    with tempfile.TemporaryDirectory() as shared:
        for number in range(args.starts):
            people = args.people if number == args.starts - 1 else 0
            data_dir = Path(shared) / ("data" if args.restart else f"data{number}")
            polled, served, cpu, rss, peak = asyncio.run(start(people, args.questions, data_dir))
            polls.append(polled)
            serves.append(served)
            cpus.append(cpu)
            print(
                f"start {number + 1}: first getUpdates {polled:5.2f} s, first 200 {served:5.2f} s,"
                f" CPU by then {cpu:5.2f} s"
                f" | RSS {rss:4.0f} MB (peak {peak:4.0f}) with {people} people"
                f" | load {os.getloadavg()[0]:4.1f}",
                flush=True,
            )
    print(
        f"median of {args.starts}: first getUpdates {statistics.median(polls):5.2f} s, "
        f"first 200 {statistics.median(serves):5.2f} s, "
        f"CPU by then {statistics.median(cpus):5.2f} s"
    )


if __name__ == "__main__":
    main()
