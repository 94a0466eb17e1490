"""Fixtures: badges and passports on a real database, the pages served on 127.0.0.1."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from aiohttp import web

from bot.badges.issue import BadgeIssuer
from bot.badges.keys import load_or_create
from bot.badges.page import VerifyPage, page_routes
from bot.badges.service import BadgeService, default_issuer
from bot.badges.sql_repository import SqlBadgeRepository
from bot.badges.urls import BadgeUrls
from bot.badges.web import BadgeHandlers, badge_routes
from bot.config import DEFAULT_CONTENT, DEFAULT_LOCALES
from bot.db.engine import create_engine, parse_url
from bot.db.migrate import migrate
from bot.dialogs.definition import load_content
from bot.framework.i18n import Catalogs
from bot.passport.page import PassportPage, passport_routes
from bot.passport.service import Passports
from bot.passport.storage import PassportLinks


@dataclass
class Served:
    """The badge service, the passports and the address they are served at."""

    badges: BadgeService
    passports: Passports
    base: str


@pytest.fixture
async def served(database_url: str, tmp_path: Path) -> AsyncIterator[Served]:
    """Badge documents, the verification page and the passport page, as the app mounts them."""
    await migrate(database_url)
    engine = create_engine(parse_url(database_url))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    urls = BadgeUrls(base)
    repo = SqlBadgeRepository(engine)
    issuer = BadgeIssuer(default_issuer(urls), urls, load_or_create(tmp_path), repo)
    content = load_content(DEFAULT_CONTENT)
    catalogs = Catalogs(DEFAULT_LOCALES, content.source_language)
    badges = BadgeService(issuer, repo, content, catalogs)
    passports = Passports(badges, PassportLinks(engine), content, catalogs, urls.verify_page, base)
    app = web.Application()
    app.add_routes(badge_routes(BadgeHandlers(issuer)))
    app.add_routes(page_routes(VerifyPage(issuer, content, catalogs)))
    app.add_routes(passport_routes(PassportPage(passports, content, catalogs, issuer)))
    runner = web.AppRunner(app)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    yield Served(badges, passports, base)
    await runner.cleanup()
    sock.close()
    await engine.dispose()
