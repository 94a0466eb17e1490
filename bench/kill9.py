"""Crash trials: kill -9 the real bot mid-conversation, restart it, count what was lost.

Two kinds of trial, each against the real process (`python -m bot`, SQLite in a temp dir):

- answers: PEOPLE web-chat people tap answers as fast as replies come; the bot is killed
  after a random moment; every answer whose reply had arrived (so it was acknowledged) must
  be in the answers log after the restart.
- badge: one person answers a whole topic at the pace of a reader (no flag), and the bot is
  killed a random few milliseconds after the last answer, while the badge is being issued;
  after the restart the person reconnects and must get the summary, the picture and the
  badge file.

    .venv/bin/python bench/kill9.py                 # 5 answer trials, 3 badge trials
    .venv/bin/python bench/kill9.py --answers 10 --badges 5
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.dialogs.definition import load_content  # noqa: E402

PEOPLE = 20
READING_SECONDS = 2.2  # slower than the "too fast" rule (2 s), so a topic earns a badge
CATEGORY = "SOC"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_bot(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BOT_DATA_DIR": str(data_dir), "WEB_PORT": str(port)}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{data_dir / 'bot.db'}"
    return subprocess.Popen(
        [sys.executable, "-m", "bot"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def wait_ready(port: int) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(300):
            try:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)  # polling a process start-up
    raise RuntimeError("the bot did not start")


class Tab:
    """One web-chat tab: hello, taps, frames read in order."""

    def __init__(self, socket_: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket_
        self.token = ""
        self.frames: list[dict[str, Any]] = []

    async def next(self, within: float = 15) -> dict[str, Any]:
        """The next frame, `within` seconds at most."""
        frame: dict[str, Any] = await self.socket.receive_json(timeout=within)
        self.frames.append(frame)
        return frame

    async def question(self) -> dict[str, Any]:
        """The next message with buttons (noting the browser token on the way)."""
        while True:
            frame = await self.next()
            if frame.get("type") == "welcome":
                self.token = frame["token"]
            if frame.get("type") == "message" and frame.get("buttons"):
                return frame

    async def send(self, frame: dict[str, Any]) -> None:
        """Send a frame with a fresh client id."""
        await self.socket.send_json({"id": os.urandom(8).hex(), **frame})


def buttons(frame: dict[str, Any]) -> list[dict[str, str]]:
    return [button for row in frame["buttons"] for button in row]


async def onboard(tab: Tab, token: str | None = None) -> dict[str, Any]:
    await tab.send({"type": "hello", "token": token, "lang": "en"})
    await tab.question()
    await tab.send({"type": "choice", "payload": "lang:en"})
    await tab.question()
    await tab.send({"type": "choice", "payload": "consent:yes"})
    menu = await tab.question()
    await tab.send({"type": "choice", "payload": f"cat:{CATEGORY}"})
    return menu


def stored_answers(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT chat_id, COUNT(*) FROM answers GROUP BY chat_id").fetchall()
    return {chat_id: count for chat_id, count in rows}


def chat_id(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()[:32]


async def tapper(url: str, acked: dict[str, int], stop: asyncio.Event) -> None:
    """Answer as fast as replies come; count answers whose next question arrived."""
    async with aiohttp.ClientSession() as session, session.ws_connect(f"{url}/ws") as ws:
        tab = Tab(ws)
        await onboard(tab)
        question = await tab.question()
        key = chat_id(tab.token)
        acked[key] = 0
        while not stop.is_set():
            first = buttons(question)[0]["payload"]
            if not first.startswith("q:"):
                await tab.send({"type": "choice", "payload": f"cat:{CATEGORY}"})
            else:
                await tab.send({"type": "choice", "payload": first})
            question = await tab.question()
            if first.startswith("q:"):
                acked[key] += 1


async def answer_trial(workdir: Path, people: int) -> tuple[int, int]:
    """Acknowledged answers, and how many of them were lost across the kill."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    bot = start_bot(workdir, port)
    await wait_ready(port)
    acked: dict[str, int] = {}
    stop = asyncio.Event()
    tasks = [asyncio.create_task(tapper(url, acked, stop)) for _ in range(people)]
    await asyncio.sleep(random.uniform(2.0, 5.0))  # a random moment to crash at
    bot.send_signal(signal.SIGKILL)
    bot.wait()
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    restarted = start_bot(workdir, port)  # recovery: migrations, WAL replay
    await wait_ready(port)
    restarted.send_signal(signal.SIGTERM)
    restarted.wait()
    stored = stored_answers(workdir / "bot.db")
    lost = sum(max(0, n - stored.get(key, 0)) for key, n in acked.items())
    return sum(acked.values()), lost


def level_of(content: Any, frame: dict[str, Any], payload: str) -> int | None:
    key = payload.rsplit(":", 1)[-1]
    for question in content.questions.values():
        if question.situation in frame["text"] and question.question in frame["text"]:
            return next((o.level for o in question.options if o.key == key), None)
    return None


async def badge_trial(workdir: Path, content: Any) -> bool:
    """True when the badge (summary, picture and file) reached the person after the crash."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    bot = start_bot(workdir, port)
    await wait_ready(port)
    async with aiohttp.ClientSession() as session, session.ws_connect(f"{url}/ws") as ws:
        tab = Tab(ws)
        await onboard(tab)
        question = await tab.question()
        total = len(content.questions_of(CATEGORY))
        for number in range(1, total + 1):
            await asyncio.sleep(READING_SECONDS)  # a person reading (the too-fast rule)
            options = [b["payload"] for b in buttons(question) if b["payload"].startswith("q:")]
            pick = next((p for p in options if level_of(content, question, p) == 2), options[0])
            await tab.send({"type": "choice", "payload": pick})
            if number < total:
                question = await tab.question()
        await asyncio.sleep(random.uniform(0.0, 0.3))  # the badge is being issued
        bot.send_signal(signal.SIGKILL)
        bot.wait()
        token = tab.token
    bot = start_bot(workdir, port)
    await wait_ready(port)
    try:
        async with aiohttp.ClientSession() as session, session.ws_connect(f"{url}/ws") as ws:
            tab = Tab(ws)
            await tab.send({"type": "hello", "token": token, "lang": "en"})
            seen: set[str] = set()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not {"image", "document"} <= seen:
                try:
                    frame = await tab.next(within=deadline - time.monotonic())
                except TimeoutError:
                    break
                seen.add(frame.get("type", ""))
            return {"image", "document"} <= seen
    finally:
        bot.send_signal(signal.SIGTERM)
        bot.wait()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=5, help="answer trials")
    parser.add_argument("--badges", type=int, default=3, help="badge trials")
    parser.add_argument("--people", type=int, default=PEOPLE)
    args = parser.parse_args()
    content = load_content(ROOT / "data" / "spocc.yaml")
    total_acked = total_lost = 0
    for n in range(args.answers):
        with tempfile.TemporaryDirectory() as tmp:
            acked, lost = await answer_trial(Path(tmp), args.people)
        total_acked, total_lost = total_acked + acked, total_lost + lost
        print(f"answers trial {n + 1}: {acked} acknowledged, {lost} lost")
    badges = 0
    for n in range(args.badges):
        with tempfile.TemporaryDirectory() as tmp:
            arrived = await badge_trial(Path(tmp), content)
        badges += arrived
        print(f"badge trial {n + 1}: {'arrived' if arrived else 'MISSING'} after the restart")
    print(f"kill -9: {total_lost} of {total_acked} acknowledged answers lost;", end=" ")
    print(f"badge delivered after the crash in {badges} of {args.badges} trials")


if __name__ == "__main__":
    asyncio.run(main())
