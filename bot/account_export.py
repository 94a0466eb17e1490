"""The person's data export: everything the store keeps about them, as a JSON file in the chat."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from bot.channels.base import Capabilities, ChannelAdapter
from bot.framework.actions import Action, ExportRequested, SendDocument
from bot.framework.i18n import Catalogs
from bot.framework.session import SessionKey

ReadExport = Callable[[SessionKey], Awaitable[dict[str, Any]]]


class ExportDeliveringChannel:
    """A channel adapter that turns an export request into the file; the rest passes on."""

    def __init__(self, inner: ChannelAdapter, read: ReadExport, catalogs: Catalogs) -> None:
        self.inner = inner
        self.name: str = inner.name
        self.capabilities: Capabilities = inner.capabilities
        self._read = read
        self._catalogs = catalogs

    async def deliver(self, key: SessionKey, action: Action) -> None:
        """Deliver one action; an export request becomes a JSON document."""
        if not isinstance(action, ExportRequested):
            await self.inner.deliver(key, action)
            return
        data = {"exported_at": datetime.now(UTC).isoformat(), **await self._read(key)}
        t = self._catalogs.get(action.locale)
        await self.inner.deliver(
            key,
            SendDocument(
                "my-skills-data.json",
                json.dumps(data, ensure_ascii=False, indent=2, default=str).encode(),
                "application/json",
                "📦 " + t.gettext("This is all the data I keep about you."),
            ),
        )
