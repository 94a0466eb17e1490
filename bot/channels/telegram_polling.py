"""The getUpdates long-poll loop: raw updates in order, offset kept, errors backed off."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from telegram import Bot
from telegram.error import RetryAfter, TelegramError

from bot.channels.telegram_errors import retry_seconds

ALLOWED_UPDATES = ("message", "callback_query", "my_chat_member")
MIN_BACKOFF = 1.0
MAX_BACKOFF = 30.0
READ_MARGIN = 10.0

_log = logging.getLogger(__name__)


class UpdatePoller:
    """Fetches updates and hands each raw update (a dict) to `receive`, oldest first.

    An update counts as confirmed once a later getUpdates carries an offset above its id, so
    each batch is confirmed by the next poll, or by `confirm()` at shutdown.
    """

    def __init__(
        self, bot: Bot, receive: Callable[[dict[str, Any]], None], timeout: float = 25.0
    ) -> None:
        self._bot = bot
        self._receive = receive
        self._timeout = timeout
        self.offset = 0

    async def run(self) -> None:
        """Poll until cancelled; never ends on an error."""
        backoff = MIN_BACKOFF
        while True:
            try:
                batch = await self._fetch(self._timeout)
            except RetryAfter as exc:
                await asyncio.sleep(retry_seconds(exc))
                continue
            except Exception as exc:
                _log.warning("getUpdates failed (%s); retry in %.0fs", type(exc).__name__, backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, MAX_BACKOFF)
                continue
            backoff = MIN_BACKOFF
            self._take(batch)

    async def confirm(self) -> None:
        """Tell Telegram the updates received so far are done (best effort, at shutdown)."""
        if self.offset:
            with contextlib.suppress(TelegramError):
                await self._fetch(0, limit=1)

    def _take(self, batch: list[Any]) -> None:
        for raw in batch:
            if isinstance(raw, dict) and isinstance(raw.get("update_id"), int):
                self.offset = max(self.offset, raw["update_id"] + 1)
                self._receive(raw)

    async def _fetch(self, poll_seconds: float, limit: int = 100) -> list[Any]:
        """Raw getUpdates, so one update PTB cannot parse is skipped alone.

        `Bot.get_updates` parses the whole batch and fails (logging the raw batch, with
        personal data) if one update does not parse. Bot API method names are
        case-insensitive; the lower-case name keeps PTB from warning that `get_updates` exists.
        """
        kwargs = {
            "offset": self.offset,
            "timeout": int(poll_seconds),
            "limit": limit,
            "allowed_updates": list(ALLOWED_UPDATES),
        }
        result = await self._bot.do_api_request(
            "getupdates", api_kwargs=kwargs, read_timeout=poll_seconds + READ_MARGIN
        )
        return result if isinstance(result, list) else []
