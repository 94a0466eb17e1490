"""Wires outreach into the app: the invite gate around the conversations, and the routes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.base import InboundHandler
from bot.config import Config
from bot.counsel.console.sessions import SessionSigner
from bot.counsel.storage.people import SqlCounsellors
from bot.delivery.runtime import ConversationStore
from bot.dialogs.content import Content
from bot.framework.i18n import Catalogs
from bot.outreach.auth import Gatekeeper
from bot.outreach.console import OutreachConsole
from bot.outreach.gate import InviteGate
from bot.outreach.landing import Doors, Landing
from bot.outreach.service import OutreachService
from bot.outreach.storage import SqlOutreach


class Outreach:
    """The outreach part of the app, built once in the composition root."""

    def __init__(
        self,
        config: Config,
        engine: AsyncEngine,
        catalogs: Catalogs,
        clock: Callable[[], datetime],
    ) -> None:
        self.config, self.engine, self.catalogs, self.clock = config, engine, catalogs, clock
        self.service = OutreachService(SqlOutreach(engine), clock)

    def gate(self, handle: InboundHandler, store: ConversationStore) -> InviteGate:
        """The conversations' `handle`, with invite codes checked first."""
        languages = self.catalogs.languages
        return InviteGate(handle, store, self.service, languages, self.config.public_url)

    def routes(self, content: Content, session_key: bytes) -> list[web.RouteDef]:
        """The landing page and the outreach console."""
        config = self.config
        telegram = config.telegram_bot_username if config.telegram_token else None
        whatsapp = config.whatsapp_number if config.whatsapp is not None else None
        doors = Doors(config.public_url, telegram, whatsapp)
        gatekeeper = Gatekeeper(
            SessionSigner(session_key),
            SqlCounsellors(self.engine),
            self.service,
            config.public_url,
            self.clock,
        )
        topics = [(str(c.id), c.name) for c in content.categories]  # charts: no emoji font
        console = OutreachConsole(
            gatekeeper, self.service, self.catalogs, topics, config.public_url, self.clock
        )
        return [*Landing(self.service, self.catalogs, doors).routes(), *console.routes()]
