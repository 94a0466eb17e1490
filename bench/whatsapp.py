"""Benchmark: N people at once through a category on WhatsApp, the real app over HTTP.

Starts the Cloud API stand-in (each call delayed by --delay-ms) and the real app (SQLite in a
temp dir) in this process; N people send the invite, choose English, agree, open a category
and answer, reading 3-10 s before each tap. Prints p50/p99 of the first reply to each tap.
The app's own pacing (1 message per 6 s per person on average, bursts of 45; 80/s in all)
stays on.

    .venv/bin/python bench/whatsapp.py                  # 50 people, 100 ms per call, 13 answers
    .venv/bin/python bench/whatsapp.py --people 20 --questions 5 --delay-ms 0
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

# This file's directory comes first on sys.path when run as a script, where bench/telegram.py
# would hide the `telegram` package: put the project root there instead.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from tests.e2e.telegram_people import percentile  # noqa: E402
from tests.e2e.whatsapp_people import SECRET, Reader, ids, onboard, serve, whatsapp_env  # noqa: E402
from tests.fakes.whatsapp_api import FakeCloudApi  # noqa: E402

CATEGORY = "SOC"
QUESTIONS = 13


async def walk(api: FakeCloudApi, n: int, questions: int, latencies: list[float]) -> None:
    """One person: invite, language, consent, category, then `questions` answers."""
    person = api.person(f"US.{10**15 + n}", wa_id=str(38640000000 + n))
    reader, reading = Reader(api, person), random.Random(n)
    await onboard(api, reader, first=f"start bench{n}")
    await api.tap(person, f"cat:{CATEGORY}")
    question = await reader.next_with("q:")
    for number in range(1, questions + 1):
        await asyncio.sleep(reading.uniform(3.0, 10.0))  # a person reads: load modelling
        began = time.monotonic()
        await api.tap(person, ids(question)[0])
        question = await reader.next_with("cat:" if number == QUESTIONS else "q:")
        latencies.append(time.monotonic() - began)


async def run(people: int, questions: int, delay_ms: float) -> str:
    """One round; returns the line to print."""
    latencies: list[float] = []
    with tempfile.TemporaryDirectory() as data_dir:
        async with FakeCloudApi(SECRET, delay=delay_ms / 1000) as api:
            async with serve(api, whatsapp_env(api, Path(data_dir))):
                began = time.monotonic()
                await asyncio.gather(*(walk(api, n, questions, latencies) for n in range(people)))
                elapsed = time.monotonic() - began
            refused = len(api.refused)
    return (
        f"delay {delay_ms:4.0f} ms | {people} people x {questions} answers in {elapsed:5.1f} s | "
        f"first reply p50 {percentile(latencies, 0.5):4.2f} s, "
        f"p99 {percentile(latencies, 0.99):4.2f} s, max {max(latencies):4.2f} s | "
        f"refused by limits: {refused}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--people", type=int, default=50, help="people at once (50)")
    parser.add_argument("--questions", type=int, default=QUESTIONS, help="answers each (13)")
    parser.add_argument("--delay-ms", type=float, default=100.0, help="per API call (100)")
    args = parser.parse_args()
    print(asyncio.run(run(args.people, args.questions, args.delay_ms)), flush=True)


if __name__ == "__main__":
    main()
