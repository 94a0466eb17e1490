"""Shared fixtures for the channel tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.channels.telegram import TelegramChannel
from tests.channels.telegram_support import Recorder, WebhookSite, render_picture, telegram_config
from tests.fakes.telegram_api import FakeTelegramApi


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta periods: otherwise every RetryAfter warns (an error here)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramApi]:
    async with FakeTelegramApi() as fake:
        yield fake


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def channel(api: FakeTelegramApi, recorder: Recorder) -> AsyncIterator[TelegramChannel]:
    """A channel that is not started: for delivery tests."""
    built = TelegramChannel(telegram_config(api), recorder, render_picture)
    yield built
    await built.stop()


@pytest.fixture
async def polling(api: FakeTelegramApi, recorder: Recorder) -> AsyncIterator[TelegramChannel]:
    """A started channel in polling mode."""
    built = TelegramChannel(telegram_config(api), recorder, render_picture, poll_timeout=2)
    await built.start()
    yield built
    await built.stop()


@pytest.fixture
async def webhook(api: FakeTelegramApi, recorder: Recorder) -> AsyncIterator[WebhookSite]:
    """A started channel in webhook mode, its route served on 127.0.0.1."""
    site = WebhookSite(api, recorder)
    await site.start()
    yield site
    await site.stop()
