"""A channel adapter wrapper that opens cases and relays to counsellors at delivery."""

from __future__ import annotations

from bot.channels.base import Capabilities, ChannelAdapter
from bot.counsel.service import CaseService
from bot.framework.actions import Action, DataErased, HandoffRequested, RelayToCounsellor
from bot.framework.session import SessionKey


class CaseDeliveringChannel:
    """Handles the handoff actions the engine put in the outbox; passes the rest on.

    `HandoffRequested` opens (or updates) the person's case, `RelayToCounsellor` adds the
    person's message to it; both are idempotent, so an outbox retry does no harm. `DataErased`
    also closes the person's cases and drops their transcripts, then goes on to `inner`.
    """

    def __init__(self, inner: ChannelAdapter, service: CaseService) -> None:
        self.inner = inner
        self.service = service
        self.name: str = inner.name
        self.capabilities: Capabilities = inner.capabilities

    async def deliver(self, key: SessionKey, action: Action) -> None:
        """Deliver one action; the person sees nothing of the two handoff actions."""
        match action:
            case HandoffRequested(reason, summary):
                await self.service.open_case(key, reason, summary)
            case RelayToCounsellor():
                await self.service.relay_from_person(key, action)
            case DataErased():
                await self.service.forget_person(key)
                await self.inner.deliver(key, action)
            case _:
                await self.inner.deliver(key, action)
