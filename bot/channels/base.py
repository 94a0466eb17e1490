"""What every channel adapter offers, and how delivery failures are reported to the sender."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Protocol

from bot.framework.actions import Reply
from bot.framework.events import Inbound
from bot.framework.session import SessionKey


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a channel can show; actions are rendered within these limits."""

    max_buttons: int = 10
    max_button_label: int = 64
    max_text: int = 4096
    can_edit: bool = False
    can_send_voice: bool = False


DELIVERY_REF: ContextVar[str | None] = ContextVar("delivery_ref", default=None)
"""Set by the sender around each `deliver`: `<outbox id>.<reply index>`, the same on every retry
and after a restart, so a channel that sends one reply as several parts can skip those it sent."""


class RetryLater(Exception):
    """The platform asked us to wait (HTTP 429) or was briefly unreachable."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds:.1f}s")
        self.seconds = seconds


class Unreachable(Exception):
    """The person cannot be reached any more (blocked the bot, chat deleted)."""


class NotConnected(Exception):
    """Nobody is connected to receive this now (a closed web-chat tab); keep it for their return.

    The sender parks the chat: its rows stay in the outbox, no attempt is counted, and it is
    woken by `Sender.resume(key)` when the person connects again. An erasure does not wait
    (`SqlStore.park`): what is queued before it is dropped, and it runs at once.
    """


class ChannelAdapter(Protocol):
    """Turns neutral replies into platform calls; it renders and sends, nothing more.

    Effects (badges, cases, exports, erasure) never reach a channel: the sender's effects
    table carries them out first and hands over the replies they produce.
    """

    name: str
    capabilities: Capabilities

    async def deliver(self, key: SessionKey, action: Reply) -> None:
        """Show one reply to one person; raise RetryLater, Unreachable or NotConnected."""


InboundHandler = Callable[[Inbound], Awaitable[object]]
"""What an adapter calls with each parsed event (the conversation runtime)."""
