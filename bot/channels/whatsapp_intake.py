"""A person's WhatsApp message in: window opened, invite read, voice kept, event applied."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime

from bot.channels.base import InboundHandler, RetryLater
from bot.channels.whatsapp_graph import GraphClient
from bot.channels.whatsapp_parse import Incoming
from bot.channels.whatsapp_render import MORE
from bot.channels.whatsapp_store import WhatsAppStore
from bot.framework.events import ChoiceSelected, CommandReceived, Event, Inbound, TextReceived
from bot.framework.session import SessionKey

CHANNEL = "whatsapp"
# A wa.me invite pre-fills the first message: `start CODE`, or a bare code with a digit in it.
_INVITE = re.compile(r"^(?:start\s+([A-Za-z0-9_-]{1,64})|([A-Za-z_-]*\d[A-Za-z0-9_-]{0,63}))$")

_log = logging.getLogger(__name__)


def invite_code(text: str) -> str | None:
    """The invite code a person's first message carries, if it looks like one."""
    found = _INVITE.match(text.strip())
    return None if found is None else found.group(1) or found.group(2)


class Intake:
    """Applies each message before the webhook answers (the caller awaits `take`)."""

    def __init__(
        self,
        store: WhatsAppStore,
        graph: GraphClient,
        handle: InboundHandler,
        after: Callable[[str, int | None], None],
        clock: Callable[[], datetime],
    ) -> None:
        self._store, self._graph, self._handle = store, graph, handle
        self._after, self._clock = after, clock

    async def take(self, message: Incoming) -> None:
        """Open the window, then apply the event (a repeat is applied once, by message id)."""
        now = self._clock()
        new = await self._store.wrote(message.chat_id, message.recipient, now, message.message_id)
        event = message.event
        if isinstance(event, ChoiceSelected) and event.payload.startswith(MORE):
            self._after(message.chat_id, int(event.payload[len(MORE) :] or 0))
            return
        if message.media is not None:
            await self._keep_voice(message.chat_id, *message.media, now)
        key = SessionKey(CHANNEL, message.chat_id)
        await self._handle(Inbound(key, _first(event) if new else event, message.message_id, now))
        self._after(message.chat_id, None)

    async def _keep_voice(
        self, chat_id: str, media_id: str, mime_type: str, sent: datetime
    ) -> None:
        """Download a voice note or audio now (its URL expires), for the counsellor.

        It is kept under the time its message came in (`sent`), which an erasure compares.
        """
        try:
            kind, content = await self._graph.download(media_id)
        except (RetryLater, Exception) as exc:
            _log.info("a voice note could not be fetched: %s", type(exc).__name__)
            return
        await self._store.keep_voice(media_id, chat_id, kind or mime_type, content, sent)


def _first(event: Event) -> Event:
    """A person's very first message: an invite code becomes `/start CODE`, as on Telegram."""
    if isinstance(event, TextReceived) and (code := invite_code(event.text)) is not None:
        return CommandReceived("start", code)
    return event
