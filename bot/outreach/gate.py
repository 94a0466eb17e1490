"""Between the channels and the conversations: a `/start CODE` is checked before it is applied."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from bot.channels.base import InboundHandler
from bot.delivery.runtime import ConversationStore
from bot.framework.events import CommandReceived, Event, Inbound, TextReceived
from bot.outreach.service import OutreachService
from bot.outreach.telegram_invite import invite_args, made_invite


def start_code(event: Event) -> str | None:
    """The code of `/start CODE` (a command, or typed text such as the web chat sends)."""
    if isinstance(event, TextReceived) and event.text.strip().startswith("/start"):
        word, _, args = event.text.strip()[1:].partition(" ")
        event = CommandReceived(word.split("@")[0], args.strip())
    if isinstance(event, CommandReceived) and event.command.lower() == "start":
        return event.args.strip() or None
    return None


class InviteGate:
    """Wraps the conversation runtime's `handle`: an invite code becomes an `InviteOpened`."""

    def __init__(
        self,
        handle: InboundHandler,
        store: ConversationStore,
        invites: OutreachService,
        languages: tuple[str, ...] = (),
        public_url: str = "",
    ) -> None:
        self._handle, self._store, self._invites = handle, store, invites
        self._languages, self._public_url = languages, public_url

    async def __call__(self, inbound: Inbound) -> object:
        """Check the code (if any), or make a worker's invite; then hand the event on."""
        args = invite_args(inbound.event)
        if args is not None:
            made = await made_invite(
                inbound.key, args, self._invites, self._languages, self._public_url
            )
            return await self._handle(replace(inbound, event=made) if made else inbound)
        code = start_code(inbound.event)
        if code is None:
            return await self._handle(inbound)
        new_person = await self._store.load(inbound.key) is None
        who = hashlib.sha256(str(inbound.key).encode()).hexdigest()[:16]  # no chat id kept
        opened = await self._invites.admit(code, who, new_person)
        return await self._handle(replace(inbound, event=opened))
