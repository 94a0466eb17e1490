"""Shared fixtures."""

from __future__ import annotations

import os

os.environ.setdefault("PTB_TIMEDELTA", "true")  # PTB 22 warns on every RetryAfter otherwise
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.host.postgres_support import fresh_postgres


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A URL of an empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        return
    async with fresh_postgres() as url:
        yield url


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register `--update-golden` (rewrites tests/transcripts/*.txt, see its README)."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/transcripts/*.txt from their replay instead of comparing",
    )
