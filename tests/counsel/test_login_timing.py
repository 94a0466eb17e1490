"""A console login costs the same scrypt work whether or not the name exists.

Wall time on a shared 2-core machine is noisy, so the test measures work instead: the
process's CPU time (every thread, the scrypt worker thread included), median of several tries.
Other processes' load does not count towards it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.counsel.service import CaseService
from bot.counsel.storage.cases import SqlCaseRepository
from bot.counsel.storage.people import SqlCounsellors
from bot.db.store import open_store

TRIES = 5


@pytest.fixture
async def cases(database_url: str) -> AsyncIterator[CaseService]:
    store = await open_store(database_url)

    async def handle(_: object) -> None:
        return None

    service = CaseService(
        SqlCaseRepository(store.engine),
        SqlCounsellors(store.engine),
        handle,
        store.answers_log,
        {"SOC": 4},
        lambda: datetime.now(UTC),
    )
    await service.add_counsellor(None, "Ana Novak", password="correct horse battery")
    await service.add_counsellor(None, "Telegram Only", telegram_user_id=77)
    yield service
    await store.close()


async def _cpu_seconds(cases: CaseService, name: str) -> float:
    """Median CPU time of a failed login as `name`."""
    spent = []
    for _ in range(TRIES):
        start = time.process_time()
        assert await cases.authenticate(name, "wrong password") is None
        spent.append(time.process_time() - start)
    return statistics.median(spent)


@pytest.mark.parametrize("name", ["Nobody At All", "Telegram Only"])
async def test_a_login_without_a_stored_password_does_the_scrypt_work(
    cases: CaseService, name: str
) -> None:
    real = await _cpu_seconds(cases, "Ana Novak")
    other = await _cpu_seconds(cases, name)
    assert real > 0.005, "a wrong password for a real name runs scrypt"
    assert other > real / 2, (other, real)
