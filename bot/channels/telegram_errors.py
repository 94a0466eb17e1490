"""Map python-telegram-bot errors onto the channel contract: RetryLater, Unreachable or drop."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.channels.base import RetryLater, Unreachable

NETWORK_BACKOFF = 5.0
BAD_TOKEN_BACKOFF = 60.0

_log = logging.getLogger(__name__)


@contextmanager
def mapped_errors(call: str, *, edit: bool = False) -> Iterator[None]:
    """Translate errors raised inside the block; `call` names the API method, for logs.

    429 → RetryLater(retry_after); network trouble and 5xx → RetryLater(NETWORK_BACKOFF);
    403 → Unreachable; 400 → logged and dropped (quietly for an edit: "message is not
    modified" or "message to edit not found" only mean there is nothing to change).
    """
    try:
        yield
    except RetryAfter as exc:
        raise RetryLater(retry_seconds(exc)) from None
    except Forbidden:
        raise Unreachable(f"{call}: the person blocked the bot or left") from None
    except BadRequest as exc:  # before NetworkError: BadRequest is one of its subclasses
        _log.log(logging.DEBUG if edit else logging.WARNING, "%s refused: %s", call, exc.message)
    except NetworkError as exc:  # TimedOut included
        _log.info("%s: network trouble (%s), retrying later", call, type(exc).__name__)
        raise RetryLater(NETWORK_BACKOFF) from None
    except InvalidToken:
        _log.error("%s: Telegram rejected the bot token", call)
        raise RetryLater(BAD_TOKEN_BACKOFF) from None
    except TelegramError as exc:
        _log.warning("%s failed: %s; dropped", call, type(exc).__name__)


def retry_seconds(exc: RetryAfter) -> float:
    """The server's retry_after in seconds, whether PTB gives an int or a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # PTB v22.2+ int→timedelta notice
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
