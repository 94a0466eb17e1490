"""A bot in a process of its own, for benchmarks: its CPU time, memory and start-up moments.

The load generator (the Bot API stand-in and the simulated people) stays in the benchmark's
process, so only the bot's own work is counted. Linux only (reads /proc).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import aiohttp

from tests.fakes.telegram_api import FakeTelegramApi

ROOT = Path(__file__).resolve().parent.parent
_TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class BotProcess:
    """`python <args>` started in the project root with `env` added to this environment."""

    def __init__(self, args: Sequence[str], env: Mapping[str, str]) -> None:
        self.started = time.monotonic()
        self._proc = subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env={**os.environ, "PTB_TIMEDELTA": "true", **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def cpu_seconds(self) -> float:
        """User plus system CPU time of the process so far (every thread)."""
        fields = Path(f"/proc/{self._proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICK

    def memory_mb(self) -> tuple[float, float]:
        """Resident set size now and at its peak, in MB."""
        lines = Path(f"/proc/{self._proc.pid}/status").read_text().splitlines()
        status = dict(line.split(":", 1) for line in lines)
        return (int(status["VmRSS"].split()[0]) / 1024, int(status["VmHWM"].split()[0]) / 1024)

    async def first_poll(self, api: FakeTelegramApi, timeout: float = 60.0) -> float:  # noqa: ASYNC109
        """Seconds from the start of the process to its first getUpdates on `api`."""
        await api.wait_for(lambda: bool(api.calls_of("getUpdates")) or self.dead(), timeout)
        if self.dead():
            raise RuntimeError(f"the bot exited: {self.errors()}")
        return api.calls_of("getUpdates")[0].at - self.started

    async def first_ok(self, url: str, timeout: float = 60.0) -> float:  # noqa: ASYNC109
        """Seconds from the start of the process to the first HTTP 200 from `url`."""
        async with aiohttp.ClientSession() as http:
            while time.monotonic() - self.started < timeout and not self.dead():
                try:
                    async with http.get(url) as reply:
                        if reply.status == 200:
                            return time.monotonic() - self.started
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.005)  # polling a port: the only way to see it open
        raise RuntimeError(f"no 200 from {url}: {self.errors()}")

    def dead(self) -> bool:
        """True once the process has exited."""
        return self._proc.poll() is not None

    def errors(self) -> str:
        """The last lines the process wrote to stderr (once it has exited)."""
        if not self.dead() or self._proc.stderr is None:
            return "still running"
        return self._proc.stderr.read().decode(errors="replace")[-2000:]

    def stop(self) -> None:
        """SIGTERM, then wait (SIGKILL after 10 s)."""
        if not self.dead():
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.communicate()


def product_env(api: FakeTelegramApi, data_dir: Path, port: int, **more: str) -> dict[str, str]:
    """The environment for `python -m bot` against `api`, polling, serving on `port`."""
    return {
        "BOT_DATA_DIR": str(data_dir),
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "TELEGRAM_WEBHOOK_SECRET": "bench-secret_0123",
        "TELEGRAM_MODE": "polling",
        "WEB_PORT": str(port),
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        **more,
    }
