"""The official 1EdTech OB 2.0 validator (badgecheck) accepts hosted and baked badges."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.badges.conftest import LiveBadges

DRIVER = Path(__file__).with_name("badgecheck_driver.py")
PYTHON = Path(os.environ.get("BADGECHECK_PYTHON", "/tmp/badgecheck-venv/bin/python"))

if not PYTHON.exists() and os.environ.get("CI"):
    raise RuntimeError(f"badgecheck venv missing in CI: {PYTHON} (scripts/test installs it)")
pytestmark = pytest.mark.skipif(
    not PYTHON.exists(),
    reason=f"badgecheck venv missing: run tests/badges/install_badgecheck.sh ({PYTHON})",
)


def _badgecheck(target: str) -> dict[str, Any]:
    done = subprocess.run(
        [str(PYTHON), str(DRIVER), target],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report: dict[str, Any] = json.loads(done.stdout)["report"]
    return report


def test_hosted_assertion_is_valid(live: LiveBadges) -> None:
    award = live.issue()
    report = _badgecheck(live.urls.assertion(award.assertion_id))
    assert report["messages"] == []
    assert (report["valid"], report["errorCount"], report["warningCount"]) == (True, 0, 0)


def test_baked_png_is_valid(live: LiveBadges, tmp_path: Path) -> None:
    award = live.issue()
    path = tmp_path / "badge.png"
    path.write_bytes(award.png)
    report = _badgecheck(str(path))
    assert report["messages"] == []
    assert (report["valid"], report["errorCount"], report["warningCount"]) == (True, 0, 0)
    assert report["validationSubject"] == live.urls.assertion(award.assertion_id)


def test_unknown_assertion_is_invalid(live: LiveBadges) -> None:
    report = _badgecheck(live.urls.assertion("no-such-assertion"))
    assert report["valid"] is False
    assert report["errorCount"] > 0
