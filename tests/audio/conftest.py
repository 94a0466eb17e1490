"""Fixtures for the audio tests: the real espeak-ng and opus-tools (installed by scripts/test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.audio import AudioService, open_audio


@pytest.fixture
def recorded(tmp_path: Path) -> Path:
    """An empty folder of recordings (data/audio), one subfolder per language."""
    folder = tmp_path / "recorded"
    folder.mkdir()
    return folder


@pytest.fixture
def audio(tmp_path: Path, recorded: Path) -> AudioService:
    """The audio service over a fresh cache; fails (not skips) without the programs."""
    service = open_audio(tmp_path / "data", recorded)
    assert service is not None, "install espeak-ng and opus-tools (scripts/test does)"
    return service
