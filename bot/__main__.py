"""Start the bot: `python -m bot` serves the web chat (and every channel configured)."""

from __future__ import annotations

import gc

gc.disable()  # until the modules are loaded: what they make lives for ever (see main)

import argparse
import asyncio
import os
import socket
import sys
import tempfile
from pathlib import Path

# Optional extras that httpx and Mako (Alembic's) load when rich, click or pygments happen to be
# installed, as the dev tools install them (production does not): httpx's command line client
# and Mako's syntax-highlighted tracebacks. Never used by the bot; 9 MB and 90 ms of modules.
for _extra in ("httpx._main", "mako.ext.pygmentplugin"):
    sys.modules.setdefault(_extra, None)  # type: ignore[arg-type]  # importing it: ImportError

from aiohttp import web

from bot.app import build_app
from bot.config import Config, ConfigError
from bot.db.migrate import migrate
from bot.db.store import StoreError
from bot.delivery.runtime import settle_heap
from bot.dialogs.definition import ContentError
from bot.host.logs import configure_logging
from bot.host.metrics import use_multiprocess
from bot.host.startup import check_content, check_data_dir, listen
from bot.host.workers import check_workers, run_workers

SHUTDOWN_TIMEOUT = 2.0
"""Seconds the web server waits for requests in progress after SIGTERM/SIGINT."""


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file (comments and blank lines skipped)."""
    if not path.is_file():
        return {}
    pairs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            pairs[key.strip()] = value.strip().strip("'\"")
    return pairs


async def serving(config: Config) -> web.Application:
    """The app, set to settle the process's heap once it has started (see settle_heap)."""
    app = await build_app(config)
    app.on_startup.append(_settle)
    return app


async def _settle(app: web.Application) -> None:
    settle_heap()


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument(
        "--workers", type=int, default=None, help="worker processes on one port (WORKERS)"
    )
    return parser.parse_args()


def main() -> None:
    """Read the configuration, build the app, serve until stopped (in N workers if asked)."""
    gc.freeze()  # the modules' objects: no collection need walk them again (nor copy, forked)
    gc.enable()
    workers = _arguments().workers
    env = {**read_dotenv(Path(".env")), **os.environ}
    if workers is not None:
        env["WORKERS"] = str(workers)
    try:
        config = Config.from_env(env)
        configure_logging(config.log_format)
        check_workers(config)
        check_data_dir(config.data_dir)
        check_content(config.content_path)
        sock = listen(config, reuse_port=config.workers > 1)  # before the store is opened
        if config.workers > 1:
            asyncio.run(migrate(config.database_url))  # once, before the workers start
        print(f"Web chat: http://{config.web_host}:{config.web_port}/", flush=True)
    except (ConfigError, StoreError, ContentError) as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        raise SystemExit(2) from None
    if config.workers == 1:
        _serve(config, sock)
        return
    with tempfile.TemporaryDirectory(prefix="bot-metrics-") as shared:
        worker = lambda: _worker(config, sock, shared)  # noqa: E731
        raise SystemExit(run_workers(config.workers, worker, forked=sock.close))


def _worker(config: Config, inherited: socket.socket, metrics_dir: str) -> None:
    """One worker on a socket of its own: the kernel spreads connections over the workers.

    On one shared socket, whichever worker accepted first kept a proxy's keep-alive
    connections, so one worker could carry all the load while the others idled.
    """
    use_multiprocess(metrics_dir)  # every worker's counters, summed on any worker's /metrics
    own = listen(config, reuse_port=True)
    inherited.close()  # the parent closes its copy once all are forked
    _serve(config, own)


def _serve(config: Config, sock: socket.socket) -> None:
    try:
        web.run_app(serving(config), sock=sock, shutdown_timeout=SHUTDOWN_TIMEOUT, print=None)
    except (ConfigError, StoreError, ContentError) as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
