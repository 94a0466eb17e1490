"""Several worker processes on one listening socket, forked after it is bound."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import traceback
from collections.abc import Callable
from types import FrameType

from bot.config import Config, ConfigError

log = logging.getLogger(__name__)


def check_workers(config: Config) -> None:
    """Refuse a worker count the configuration cannot serve.

    Raises:
        ConfigError: naming WORKERS, with SQLite (one writer: one process) or Telegram polling
            (one getUpdates consumer per bot).
    """
    if config.workers == 1:
        return
    if config.database_url.startswith("sqlite"):
        raise ConfigError(
            f"WORKERS: {config.workers} workers need PostgreSQL (DATABASE_URL); SQLite runs one"
        )
    if config.telegram_token and config.telegram_mode != "webhook":
        raise ConfigError("WORKERS: several workers need TELEGRAM_MODE=webhook (polling is one)")


def run_workers(
    count: int, serve: Callable[[], None], forked: Callable[[], None] = lambda: None
) -> int:
    """Fork `count` children that each run `serve()`, call `forked()`, and wait.

    SIGTERM to this process is passed to every child (SIGINT from a terminal reaches them as
    a group already). When one child ends, the others are stopped, and its exit code is ours:
    a supervisor (systemd, docker) restarts the whole set.
    """
    children = [_fork(serve) for _ in range(count)]
    forked()

    def forward(signum: int, _frame: FrameType | None) -> None:
        _signal_all(children, signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the terminal signals the children itself
    code = 0
    first = True
    while children:
        pid, status = os.wait()
        if pid not in children:
            continue
        children.remove(pid)
        if first:
            code, first = os.waitstatus_to_exitcode(status), False
            _signal_all(children, signal.SIGTERM)
    return max(code, 0)


def _fork(serve: Callable[[], None]) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        serve()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _signal_all(children: list[int], signum: int) -> None:
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signum)
