"""Issue 12 item 12: the export is the complete JSON plus a plain page in the person's language."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.config import DEFAULT_LOCALES
from bot.delivery.export import DataExport
from bot.framework.actions import DataErased, ExportRequested, Reply, SendDocument
from bot.framework.i18n import Catalogs
from bot.framework.session import SessionKey
from tests.fakes.chat import shipped_content

PERSON = SessionKey("web", "p1")
VERIFY = "http://127.0.0.1:8080/v/ab12"


class Kept:
    """One part of a person's data with fixed rows (the parts themselves are tested elsewhere)."""

    tables: Sequence[str] = ()

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    async def export(self, key: SessionKey) -> dict[str, Any]:
        return self.data

    async def erase(self, key: SessionKey, effect: DataErased) -> list[Reply]:
        return []


STATE = {
    "locale": "sl",
    "results": {
        "SOC": {"level": 2, "flags": [], "badge_level": 2},
        "PER": {"level": 0, "flags": [{"code": "same_position"}]},
        "ORG": {"level": 1, "flags": [{"code": "too_fast"}]},
    },
    "validated": {"ORG": 2},
}
BADGES = [
    {
        "assertion_id": "ab12",
        "badge_class": "soc-2",
        "issued_on": "2026-11-28T09:00:00+00:00",
        "revoked": False,
        "verify_url": VERIFY,
    }
]


async def _documents() -> list[Reply]:
    content = shipped_content()
    catalogs = Catalogs(DEFAULT_LOCALES, content.source_language)
    parts = [Kept({"chat_id": "p1", "state": STATE}), Kept({"badges": BADGES})]
    export = DataExport(parts, catalogs, lambda: datetime(2026, 12, 1, tzinfo=UTC), content)
    return await export.build(PERSON, ExportRequested("sl"))


async def test_the_export_adds_a_plain_page_and_keeps_the_complete_json() -> None:
    summary, complete = await _documents()
    assert isinstance(summary, SendDocument)
    assert isinstance(complete, SendDocument)
    assert summary.mime_type == "text/html"
    assert complete.mime_type == "application/json"
    data = json.loads(complete.content)
    assert data["state"] == STATE
    assert data["badges"] == BADGES
    assert data["chat_id"] == "p1"


async def test_the_page_names_topics_levels_badges_and_how_to_delete_in_slovenian() -> None:
    summary, _ = await _documents()
    assert isinstance(summary, SendDocument)
    page = summary.content.decode()
    assert '<html lang="sl"' in page
    assert "Socialne spretnosti" in page
    assert "Ustvarjalno mišljenje" in page
    assert f'<a href="{VERIFY}">' in page
    assert "2026-11-28" in page
    assert "/delete" in page
    assert "Moje značke" in page
    assert "S svetovalcem" in page  # the flagged topic, PER
    assert "potrdil svetovalec" in page  # the validated one, ORG
    assert "chat_id" not in page
    assert "p1" not in page
