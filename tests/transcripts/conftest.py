"""The `update_golden` fixture; `pytest --update-golden` (see tests/conftest.py) rewrites."""

from __future__ import annotations

import pytest


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites the transcripts."""
    return bool(request.config.getoption("--update-golden"))
