"""`python -m bot.counsel outreach-worker` and `report`: a login from the shell, a CSV export."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.counsel.__main__ import main
from bot.db.store import open_store
from bot.outreach.service import OutreachService
from bot.outreach.storage import SqlOutreach


def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("OUTREACH_PASSWORD", "a long pass phrase")


async def test_an_admin_adds_a_worker_from_the_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env(monkeypatch, tmp_path)
    assert await _main(["outreach-worker", "Sara Haddad", "--telegram-id", "777"]) == 0
    assert "sara-haddad" in capsys.readouterr().out
    store = await open_store(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    try:
        service = OutreachService(SqlOutreach(store.engine), lambda: datetime.now(UTC))
        worker = await service.authenticate("Sara Haddad", "a long pass phrase")
    finally:
        await store.close()
    assert worker is not None
    assert worker.telegram_user_id == 777


async def test_the_report_exports_as_csv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env(monkeypatch, tmp_path)
    out = tmp_path / "report.csv"
    args = ["report", "--from", "2026-01-01", "--to", "2027-01-01", "--out", str(out)]
    assert await _main(args) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert {"section": "people", "item": "started", "count": "<5"} in rows
    assert "365 days" in capsys.readouterr().out  # the bar shows on a terminal only
    assert await _main(["report", "--from", "2026-02-01", "--to", "2026-01-01",
                        "--out", str(out)]) == 1  # fmt: skip


async def _main(argv: list[str]) -> int:
    """The command in a worker thread: it runs its own event loop, as from a shell."""
    return await asyncio.to_thread(main, argv)
