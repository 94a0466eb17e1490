"""The person's data export: everything the store keeps about them, as a JSON file in the chat."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.framework.actions import DataErased, ExportRequested, Reply, SendDocument
from bot.framework.i18n import Catalogs
from bot.framework.session import SessionKey

ReadExport = Callable[[SessionKey], Awaitable[dict[str, Any]]]
FILENAME = "my-skills-data.json"


class PersonalData(Protocol):
    """Data kept about a person outside the conversation store (for example by a channel).

    Each such part is exported with the rest on /export and erased on /delete.
    """

    async def export(self, key: SessionKey) -> dict[str, Any]:
        """What this part keeps about the person, as JSON-safe data."""

    async def erase(self, key: SessionKey, effect: DataErased) -> list[Reply]:
        """Forget the person; shows nothing."""


class DataExport:
    """The handler of `ExportRequested`: reads the person's data and makes it a document.

    Args:
        read: The store's export of one person (bot.db.store.SqlStore.export).
        catalogs: For the caption, in the person's language.
        clock: The time stamped on the export.
        parts: Other personal data (channels' own tables), merged into the export.
    """

    def __init__(
        self,
        read: ReadExport,
        catalogs: Catalogs,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        parts: Sequence[PersonalData] = (),
    ) -> None:
        self._read = read
        self.parts = parts
        self._catalogs = catalogs
        self._clock = clock

    async def build(self, key: SessionKey, effect: ExportRequested) -> list[Reply]:
        """The export as one JSON document (read anew on a retry, so never stale)."""
        data = {"exported_at": self._clock().isoformat(), **await self._read(key)}
        for part in self.parts:
            data.update(await part.export(key))
        t = self._catalogs.get(effect.locale)
        content = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
        caption = "📦 " + t.gettext("This is all the data I keep about you.")
        return [SendDocument(FILENAME, content, "application/json", caption)]
