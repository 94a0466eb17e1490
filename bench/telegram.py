"""Benchmark: N people at once through a category on Telegram, the real app over HTTP.

Starts the Bot API stand-in and the real app (SQLite in a temp dir, polling mode) in this
process, drives N people at once from /start through K answers, and prints actions per second
and p50/p99 reply latency (from a tap to the next question arriving), once per --delay-ms.

    .venv/bin/python bench/telegram.py    # 50 people; 0 and 100 ms per call; 0 and 8 s thinking
    .venv/bin/python bench/telegram.py --people 100 --questions 5 --delay-ms 100
    .venv/bin/python bench/telegram.py --chat-rate 20 --global-rate 1000   # pacing lifted

With --versus, the product (`python -m bot`) and the plain python-telegram-bot quiz bot
(bench/plain_bot.py) each run in a process of their own against the stand-in (0 ms per call,
people tapping as fast as replies come, pacing lifted to 1000/s and 100/s per chat), one after
the other in one run; each line gives taps/s, the bot process's CPU ms per tap (from /proc),
its RSS, and its start to first getUpdates:

    .venv/bin/python bench/telegram.py --versus --people 200 --questions 10
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

# This file's directory comes first on sys.path when run as a script, and this file's name
# would hide the `telegram` package (python-telegram-bot): put the project root there instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))
os.environ.setdefault("PTB_TIMEDELTA", "true")  # PTB 22 warns on every RetryAfter otherwise

from bench.botproc import BotProcess, free_port, product_env  # noqa: E402
from tests.e2e.telegram_people import Person, percentile, serve, telegram_env  # noqa: E402
from tests.fakes.telegram_api import FakeTelegramApi  # noqa: E402

CATEGORY = "SOC"
QUESTIONS = 13  # in Social skills; after the last one come the results and the menu


async def walk(person: Person, questions: int) -> None:
    """/start, English, yes, the category, then `questions` answers (and what follows)."""
    question = await person.open(await person.onboard(), CATEGORY)
    for number in range(1, questions + 1):
        _, question = await person.answer(question, "cat:" if number == QUESTIONS else "q:")


async def run(
    people: int, questions: int, delay_ms: float, rates: dict[str, str], think: float
) -> str:
    """One round; returns the line to print."""
    with tempfile.TemporaryDirectory() as data_dir:
        async with FakeTelegramApi(delay=delay_ms / 1000) as api:
            env = telegram_env(api, Path(data_dir), TELEGRAM_MODE="polling", **rates)
            crowd = [Person(api, 30_000 + n, think=think) for n in range(people)]
            async with serve(env):
                began = time.monotonic()
                await asyncio.gather(*(walk(person, questions) for person in crowd))
                elapsed = time.monotonic() - began
    actions = sum(person.actions for person in crowd)
    latencies = [seconds for person in crowd for seconds in person.latencies]
    return (
        f"delay {delay_ms:5.0f} ms | think {think:3.0f} s | "
        f"{people} people x {questions} answers | "
        f"{actions} actions in {elapsed:5.1f} s = {actions / elapsed:6.1f} actions/s | "
        f"reply latency p50 {percentile(latencies, 0.5):5.2f} s, "
        f"p99 {percentile(latencies, 0.99):5.2f} s, max {max(latencies):5.2f} s"
    )


async def plain_walk(person: Person, questions: int) -> None:
    """/start, then `questions` answers to the plain bot."""
    await person.say("/start")
    question = await person.next_with("q:")
    for number in range(1, questions + 1):
        _, question = await person.answer(question, "q:" if number < questions else "done:")


async def versus(which: str, people: int, questions: int) -> str:
    """One bot in its own process under the CPU-bound load; returns the line to print."""
    with tempfile.TemporaryDirectory() as data_dir:
        async with FakeTelegramApi() as api:
            if which == "product":
                env = product_env(
                    api,
                    Path(data_dir),
                    free_port(),
                    TELEGRAM_CHAT_RATE="100",
                    TELEGRAM_GLOBAL_RATE="1000",
                )
                bot = BotProcess(["-m", "bot"], env)
                walker = walk
            else:
                args = [api.base_url, api.token, data_dir, str(questions)]
                bot = BotProcess(["bench/plain_bot.py", *args], {})
                walker = plain_walk
            try:
                started = await bot.first_poll(api)
                crowd = [Person(api, 30_000 + n) for n in range(people)]
                cpu, began = bot.cpu_seconds(), time.monotonic()
                await asyncio.gather(*(walker(person, questions) for person in crowd))
                elapsed, cpu = time.monotonic() - began, bot.cpu_seconds() - cpu
                rss, peak = bot.memory_mb()
            finally:
                bot.stop()
    taps = sum(person.actions for person in crowd)
    latencies = [seconds for person in crowd for seconds in person.latencies]
    return (
        f"{which:7} | {people} people x {questions} answers | {taps} taps in {elapsed:5.1f} s "
        f"= {taps / elapsed:6.1f} taps/s | CPU {cpu * 1000 / taps:5.2f} ms/tap | "
        f"reply p50 {percentile(latencies, 0.5):5.2f} s, max {max(latencies):5.2f} s | "
        f"RSS {rss:4.0f} MB (peak {peak:4.0f}) | first poll {started:4.2f} s | "
        f"load {os.getloadavg()[0]:4.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--people", type=int, default=50, help="people at once (50)")
    parser.add_argument(
        "--delay-ms",
        type=float,
        nargs="+",
        default=[0.0, 100.0],
        help="added to every Bot API call; one round per value (0 100)",
    )
    parser.add_argument("--questions", type=int, default=5, help="answers per person (5)")
    parser.add_argument(
        "--think",
        type=float,
        nargs="+",
        default=[0.0, 8.0],
        help="mean seconds a person reads before each tap; one round per value (0 8)",
    )
    parser.add_argument("--chat-rate", help="TELEGRAM_CHAT_RATE (default: the app's, 1/s)")
    parser.add_argument("--global-rate", help="TELEGRAM_GLOBAL_RATE (default: the app's, 30/s)")
    parser.add_argument(
        "--versus",
        action="store_true",
        help="the product against the plain PTB bot, each in its own process: CPU per tap",
    )
    parser.add_argument(
        "--bots",
        nargs="+",
        choices=["plain", "product"],
        default=["plain", "product"],
        help="with --versus: which bots, in this order (plain product)",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="with --versus: alternating rounds of both (1)"
    )
    args = parser.parse_args()
    if args.versus:
        for _ in range(args.rounds):
            for which in args.bots:
                print(asyncio.run(versus(which, args.people, args.questions)), flush=True)
        return
    if not 1 <= args.questions <= QUESTIONS:
        parser.error(f"--questions: 1 to {QUESTIONS} (the Social skills category)")
    rates = {
        name: value
        for name, value in (
            ("TELEGRAM_CHAT_RATE", args.chat_rate),
            ("TELEGRAM_GLOBAL_RATE", args.global_rate),
        )
        if value is not None
    }
    print(f"pacing: {rates or 'app defaults (1 message/s per chat, 30/s in all)'}")
    for think in args.think:
        for delay in args.delay_ms:
            line = asyncio.run(run(args.people, args.questions, delay, rates, think))
            print(line, flush=True)


if __name__ == "__main__":
    main()
