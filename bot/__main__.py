"""Start the bot: `python -m bot` serves the web chat (and every channel configured)."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from aiohttp import web

from bot.app import build_app
from bot.config import Config, ConfigError
from bot.db.store import StoreError
from bot.delivery.runtime import settle_heap
from bot.dialogs.definition import ContentError
from bot.host.startup import check_content, check_data_dir, listen

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


def main() -> None:
    """Read the configuration, build the app, serve until stopped."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    # httpx logs each request URL at INFO, and a Bot API URL holds the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    env = {**read_dotenv(Path(".env")), **os.environ}
    try:
        config = Config.from_env(env)
        check_data_dir(config.data_dir)
        check_content(config.content_path)
        sock = listen(config)  # before the store is opened and migrated
        print(f"Web chat: http://{config.web_host}:{config.web_port}/", flush=True)
        web.run_app(serving(config), sock=sock, shutdown_timeout=SHUTDOWN_TIMEOUT, print=None)
    except (ConfigError, StoreError, ContentError) as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
