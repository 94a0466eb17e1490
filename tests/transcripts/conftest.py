"""The `--update-golden` option: `pytest tests/transcripts --update-golden` rewrites the walks."""

from __future__ import annotations

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    """Register `--update-golden`."""
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite tests/transcripts/*.txt from their replay instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites the transcripts."""
    return bool(request.config.getoption("--update-golden"))
