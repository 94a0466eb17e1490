"""The composition root: configuration in, a wired aiohttp application out."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from aiohttp import web

from bot.audio import open_audio
from bot.badges.issue import BadgeIssuer
from bot.badges.keys import load_or_create
from bot.badges.page import VerifyPage, page_routes
from bot.badges.service import BadgeService, default_issuer
from bot.badges.sql_repository import SqlBadgeRepository
from bot.badges.urls import BadgeUrls
from bot.badges.web import BadgeHandlers, badge_routes
from bot.channels.base import ChannelAdapter
from bot.channels.webchat import WebChatChannel
from bot.channels.webchat_history import RecentHistory
from bot.channels.webchat_labels import page_labels
from bot.config import Config
from bot.counsel.console.routes import console_routes
from bot.counsel.console.sessions import load_or_create_key
from bot.counsel.service import CaseService
from bot.counsel.storage.cases import SqlCaseRepository
from bot.counsel.storage.people import SqlCounsellors
from bot.db.store import SqlStore, open_store
from bot.delivery.export import DataExport, PersonalData
from bot.delivery.parts import BadgeData, CaseData, PassportData, StoreData
from bot.delivery.runtime import Conversations
from bot.delivery.sender import RateLimits, Sender
from bot.delivery.table import host_effects
from bot.dialogs.content import Content
from bot.dialogs.conversation import SpoccDialogs
from bot.dialogs.definition import load_content
from bot.framework.engine import Engine
from bot.framework.i18n import Catalogs
from bot.host.health import health_routes
from bot.host.keyfiles import random_key
from bot.host.metrics import BotMetrics, CountedAdapter, metrics_route
from bot.host.retention import Retention
from bot.outreach.web import Outreach
from bot.passport.page import PassportPage, passport_routes
from bot.passport.service import Passports
from bot.passport.storage import PassportLinks
from bot.pictures.result_pictures import ResultPictures

if TYPE_CHECKING:  # each channel's modules are imported when it is configured
    from bot.channels.telegram import TelegramChannel
    from bot.channels.telegram_desk import TelegramCounsellorGroup
    from bot.channels.whatsapp import WhatsAppChannel

log = logging.getLogger(__name__)

STORE = web.AppKey("store", SqlStore)
CONVERSATIONS = web.AppKey("conversations", Conversations)
SENDER = web.AppKey("sender", Sender)
CONTENT = web.AppKey("content", Content)
CASES = web.AppKey("cases", CaseService)
EVENT_KEY_FILE = "event-ids.key"  # keys the hash under which applied event ids are kept


async def build_app(
    config: Config, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> web.Application:
    """Load content and catalogs, open (and migrate) the store, and wire every part.

    Bad content or a bad DATABASE_URL fail here, before anything listens. `clock` is the
    time source of inbound events and badges (tests pass a stepping clock).
    """
    content = load_content(config.content_path)
    catalogs = Catalogs(config.locales_dir, content.source_language)
    pictures = ResultPictures(content, catalogs)
    config.data_dir.mkdir(parents=True, exist_ok=True)
    issuer_keys = load_or_create(config.data_dir)  # a damaged key file stops us before the store
    session_key = load_or_create_key(config.data_dir)
    store = await open_store(config.database_url, random_key(config.data_dir / EVENT_KEY_FILE))
    dialogs = SpoccDialogs(content, catalogs, config.local_language, config.retake_after_days)
    engine = Engine(dialogs, catalogs)
    conversations = Conversations(store, engine, lambda: sender.notify())
    urls = BadgeUrls(config.public_url)
    badge_store = SqlBadgeRepository(store.engine)  # the badge tables share the database
    issuer = BadgeIssuer(default_issuer(urls), urls, issuer_keys, badge_store)
    badges = BadgeService(issuer, badge_store, content, catalogs, clock)
    outreach = Outreach(config, store.engine, catalogs, clock)  # its tables share the database
    metrics = BotMetrics()
    handle = outreach.gate(metrics.timed(conversations.handle), store)
    levels = {str(category.id): len(content.levels) for category in content.categories}
    cases = CaseService(
        SqlCaseRepository(store.engine), SqlCounsellors(store.engine), handle,
        store.answers_log, levels, clock,
    )  # fmt: skip
    await cases.sync(config.counsellors)

    audio = open_audio(config.data_dir, config.content_path.parent / "audio")  # None: off
    passports = Passports(
        badges, PassportLinks(store.engine), content, catalogs, urls.verify_page, config.public_url
    )
    personal: list[PersonalData] = [
        CaseData(cases),
        BadgeData(badges),
        PassportData(passports.links),
    ]
    webchat = WebChatChannel(
        handle,
        store.load,
        pictures.render_async,
        clock=clock,
        labels=lambda lang: page_labels(catalogs.get(lang)),
        public_url=config.public_url,
        on_return=lambda key: sender.resume(key),
        on_leave=lambda key: sender.left(key),
        audio=audio,
        history=RecentHistory(store.load, badges, content, catalogs),
    )
    adapters: dict[str, ChannelAdapter] = {webchat.name: webchat}
    limits: dict[str, RateLimits] = {}
    telegram: TelegramChannel | None = None
    group: TelegramCounsellorGroup | None = None
    if config.telegram_token:
        from bot.channels.telegram import TelegramChannel

        telegram = TelegramChannel(config, handle, pictures.render, audio=audio)
        adapters[telegram.name] = telegram
        limits[telegram.name] = RateLimits(config.telegram_chat_rate, config.telegram_global_rate)
        group = _counsellor_group(config, telegram, cases, content, clock)
    whatsapp: WhatsAppChannel | None = None  # on with WHATSAPP_TOKEN and WHATSAPP_PHONE_NUMBER_ID
    voices = None
    if (wa := config.whatsapp) is not None:
        from bot.channels.whatsapp import WhatsAppChannel
        from bot.channels.whatsapp_store import WhatsAppPersonalData, WhatsAppStore

        whatsapp_store = WhatsAppStore(store.engine)  # its tables share the database
        whatsapp = WhatsAppChannel(
            wa, handle, pictures.render, whatsapp_store, clock=clock, audio=audio
        )
        adapters[whatsapp.name] = whatsapp
        limits[whatsapp.name] = RateLimits(wa.chat_rate, wa.global_rate, wa.chat_burst)
        personal.append(WhatsAppPersonalData(whatsapp_store))
        voices = whatsapp_store.voice_of  # the counsellor's console plays them
        if group is not None:
            group.voices = voices  # and the group desk uploads them
    personal.append(StoreData(store))  # last: it checkpoints what the others erased
    effects = host_effects(
        badges, cases, DataExport(personal, catalogs, clock, content), passports
    )
    counted = {name: CountedAdapter(adapter, metrics) for name, adapter in adapters.items()}
    local = {webchat.name: webchat.connected_keys} if config.workers > 1 else None
    sender = Sender(
        store, counted, limits, effects=effects, max_attempts=config.outbox_max_attempts,
        local=local,
    )  # fmt: skip

    app = web.Application()
    app[STORE], app[SENDER], app[CONVERSATIONS], app[CONTENT], app[CASES] = (
        store,
        sender,
        conversations,
        content,
        cases,
    )
    app.router.add_routes([*health_routes(store.engine), metrics_route(metrics, store.engine)])
    app.router.add_routes(webchat.routes())
    present = lambda key: key.channel != webchat.name or webchat.connected(key)  # noqa: E731
    app.router.add_routes(
        console_routes(
            cases,
            content,
            config,
            session_key,
            clock,
            store.dead_letters,
            present=present,
            voices=voices,
        )
    )
    app.router.add_routes(outreach.routes(content, session_key))
    app.router.add_routes(badge_routes(BadgeHandlers(issuer, clock), urls.path_prefix))
    app.router.add_routes(
        page_routes(VerifyPage(issuer, content, catalogs, clock), urls.path_prefix)
    )
    app.router.add_routes(
        passport_routes(PassportPage(passports, content, catalogs, issuer), urls.path_prefix)
    )
    app.on_shutdown.append(_stopping(sender, webchat))
    app.cleanup_ctx.append(_run_sender)
    app.cleanup_ctx.append(_prune_hourly)
    retention = Retention(store, config.retention_days, metrics, clock)
    app.cleanup_ctx.append(retention.lifetime())
    if telegram is not None:
        if config.telegram_mode == "webhook":
            app.router.add_routes(telegram.routes())
        app.cleanup_ctx.append(_telegram_lifetime(telegram))
    if whatsapp is not None:
        app.router.add_routes(whatsapp.routes())
        app.cleanup_ctx.append(_whatsapp_lifetime(whatsapp))
    reminder = timedelta(minutes=config.counsellor_reminder_minutes)
    app.cleanup_ctx.append(_counsel_lifetime(cases, group, reminder))
    return app


def _counsellor_group(
    config: Config,
    telegram: TelegramChannel,
    cases: CaseService,
    content: Content,
    clock: Callable[[], datetime],
) -> TelegramCounsellorGroup | None:
    """The counsellors' group desk, when TELEGRAM_COUNSELLOR_CHAT_ID is set."""
    if config.telegram_counsellor_chat_id is None:
        return None
    from bot.channels.telegram_desk import TelegramCounsellorGroup

    catalogs = Catalogs(config.locales_dir, content.source_language)  # each counsellor's own
    group = TelegramCounsellorGroup(
        telegram.bot,
        config.telegram_counsellor_chat_id,
        cases,
        content,
        clock,
        catalogs,
        config.counsellor_group_language,
    )
    telegram.group_handler = group.receive
    cases.notifiers.append(group)
    return group


def _counsel_lifetime(
    cases: CaseService, group: TelegramCounsellorGroup | None, reminder: timedelta
) -> Callable[[web.Application], AsyncIterator[None]]:
    """The group desk's worker, and a periodic pass: reminders, unapplied counsellor events."""

    async def periodic() -> None:
        every = min(60.0, max(1.0, reminder.total_seconds() / 4))
        while True:
            try:
                await cases.deliver_pending()
                await cases.remind(reminder)
            except Exception as exc:  # the next pass tries again
                log.warning("counsellor reminders failed: %s", type(exc).__name__)
            await asyncio.sleep(every)  # a period, not a synchronisation

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        if group is not None:
            group.start()
        task = asyncio.create_task(periodic())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        if group is not None:
            await group.stop()

    return lifetime


def _stopping(
    sender: Sender, webchat: WebChatChannel
) -> Callable[[web.Application], Awaitable[None]]:
    """At shutdown: stop sending (what is left stays in the outbox), close the chat sockets."""

    async def stopping(app: web.Application) -> None:
        sender.stop()
        await webchat.close_all()

    return stopping


async def _run_sender(app: web.Application) -> AsyncIterator[None]:
    sender = app[SENDER]
    task = asyncio.create_task(sender.run())
    yield
    sender.stop()
    await task
    await app[STORE].close()


PRUNE_FIRST_AFTER = 60.0
"""Seconds from start-up to the first pruning pass: it takes the database's write lock, and the
first minute is for serving (and for people whose chats waited while the bot was down)."""


async def _prune_hourly(app: web.Application) -> AsyncIterator[None]:
    """Forget old event keys and conversations that never consented (bot.db.housekeeping)."""

    async def periodic() -> None:
        await asyncio.sleep(PRUNE_FIRST_AFTER)  # a delay, not a synchronisation
        while True:
            try:
                await app[STORE].prune(datetime.now(UTC))
            except Exception as exc:  # the next pass tries again
                log.warning("pruning the store failed: %s", type(exc).__name__)
            await asyncio.sleep(3600)  # a period, not a synchronisation

    task = asyncio.create_task(periodic())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def _telegram_lifetime(
    telegram: TelegramChannel,
) -> Callable[[web.Application], AsyncIterator[None]]:
    """Start polling (or register the webhook) after the sender; stop it before the sender."""

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        await telegram.start()
        yield
        await telegram.stop()

    return lifetime


def _whatsapp_lifetime(
    whatsapp: WhatsAppChannel,
) -> Callable[[web.Application], AsyncIterator[None]]:
    """Prune its log periodically; close its HTTP client (after the sender, which it serves)."""

    async def lifetime(app: web.Application) -> AsyncIterator[None]:
        whatsapp.start()
        yield
        await whatsapp.stop()

    return lifetime
