"""The person's data export: everything the store keeps about them, as a JSON file in the chat."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.delivery.export_summary import FILENAME as SUMMARY_FILENAME
from bot.delivery.export_summary import summary_page
from bot.dialogs.content import Content
from bot.framework.actions import DataErased, ExportRequested, Reply, SendDocument
from bot.framework.i18n import Catalogs
from bot.framework.session import SessionKey

FILENAME = "my-skills-data.json"


class PersonalData(Protocol):
    """One part of what is kept about a person: the store, cases, badges, a channel's tables.

    Every part is exported on /export and erased on /delete, in the order given. `tables`
    names the tables it covers (a test checks that every table about a person is covered).

    An erasure removes what was kept up to the erasing event, not what the person did after
    it. What a later effect writes comes after the erasure anyway (the sender runs a chat's
    rows in order); what a channel keeps on the way in is cut at `effect.at`.
    """

    @property
    def tables(self) -> Sequence[str]:
        """The tables (by name) whose rows about the person this part exports and erases."""

    async def export(self, key: SessionKey) -> dict[str, Any]:
        """What this part keeps about the person, as JSON-safe data."""

    async def erase(self, key: SessionKey, effect: DataErased) -> list[Reply]:
        """Forget the person; shows nothing."""


class DataExport:
    """The handler of `ExportRequested`: reads every part of the person's data into a document.

    Args:
        parts: Every part of a person's data (bot.delivery.parts), merged into the export;
            the same list is erased on /delete (bot.delivery.table).
        catalogs: For the captions and the summary, in the person's language.
        clock: The time stamped on the export.
        content: For the plain summary's topic and level names; without it, only the JSON.
    """

    def __init__(
        self,
        parts: Sequence[PersonalData],
        catalogs: Catalogs,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        content: Content | None = None,
    ) -> None:
        self.parts = parts
        self._catalogs = catalogs
        self._clock = clock
        self._content = content

    async def build(self, key: SessionKey, effect: ExportRequested) -> list[Reply]:
        """A plain summary page, then the complete JSON (read anew on a retry, so never stale)."""
        data: dict[str, Any] = {"exported_at": self._clock().isoformat()}
        for part in self.parts:
            data.update(await part.export(key))
        t = self._catalogs.get(effect.locale)
        content = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
        caption = "📦 " + t.gettext("This is all the data I keep about you.")
        complete = SendDocument(FILENAME, content, "application/json", caption)
        if self._content is None:
            return [complete]
        page = summary_page(data, t, self._content)
        said = "📄 " + t.gettext("Your results and badges, easy to read. Open it to see them.")
        return [SendDocument(SUMMARY_FILENAME, page, "text/html", said), complete]
