"""The badge service: unit tests through the effects table, and the whole path through the app."""

from __future__ import annotations

import base64
import io
import json
import re
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import png
import pytest
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
from openbadges_bakery import unbake  # type: ignore[import-untyped]

from bot.app import build_app
from bot.badges.issue import BadgeIssuer
from bot.badges.keys import load_or_create
from bot.badges.model import IssuerInfo
from bot.badges.page import VerifyPage, badge_state, choose_language
from bot.badges.service import BadgeService, default_issuer, slug
from bot.badges.sql_repository import SqlBadgeRepository
from bot.badges.urls import BadgeUrls
from bot.config import DEFAULT_CONTENT, DEFAULT_LOCALES
from bot.db.engine import create_engine, parse_url
from bot.db.migrate import migrate
from bot.delivery.effects import EffectTable
from bot.delivery.parts import BadgeData
from bot.delivery.table import BadgeEffects
from bot.dialogs.content import Content
from bot.dialogs.definition import load_content
from bot.framework.actions import (
    BadgeEarned,
    DataErased,
    Effect,
    Reply,
    ResendBadges,
    SendDocument,
    SendText,
)
from bot.framework.i18n import Catalogs
from bot.framework.session import SessionKey
from tests.app_support import WebChatClient, app_config, onboard, payloads, web_chat

BASE = "https://badges.example.org"
ANA = SessionKey("web", "chat-ana")
BO = SessionKey("web", "chat-bo")
LINK = re.compile(r"https?://\S+/v/[A-Za-z0-9_-]+")


class SteppingClock:
    """Time that moves `step` forward at every reading (so no answer looks too fast)."""

    def __init__(self, step: timedelta = timedelta(seconds=5)) -> None:
        self.now = datetime.now(UTC)
        self.step = step

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(DEFAULT_CONTENT)


@pytest.fixture
async def service(tmp_path: Path, content: Content) -> AsyncIterator[BadgeService]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await migrate(url)
    engine = create_engine(parse_url(url))
    repo = SqlBadgeRepository(engine)
    urls = BadgeUrls(BASE)
    issuer = BadgeIssuer(default_issuer(urls), urls, load_or_create(tmp_path), repo)
    catalogs = Catalogs(DEFAULT_LOCALES, content.source_language)
    yield BadgeService(issuer, repo, content, catalogs)
    await engine.dispose()


def baked_assertion(png: bytes) -> dict[str, Any]:
    baked = unbake(io.BytesIO(png))
    assert isinstance(baked, str)
    document: dict[str, Any] = json.loads(baked)
    return document


class Shown:
    """The badge effects of one table, and the replies they produced, per person."""

    def __init__(self, service: BadgeService) -> None:
        badges = BadgeEffects(service)
        self.table = EffectTable(
            {
                BadgeEarned: [badges.issue],
                ResendBadges: [badges.resend],
                DataErased: [BadgeData(service).erase],
            }
        )
        self.replies: list[tuple[SessionKey, Reply]] = []

    async def run(self, key: SessionKey, effect: Effect) -> None:
        self.replies += [(key, reply) for reply in await self.table.replies(key, effect)]

    def of(self, key: SessionKey) -> list[Reply]:
        return [reply for k, reply in self.replies if k == key]


def sent(shown: Shown) -> tuple[list[SendDocument], list[SendText]]:
    replies = shown.of(ANA)
    documents = [a for a in replies if isinstance(a, SendDocument)]
    return documents, [a for a in replies if isinstance(a, SendText)]


async def test_an_earned_badge_arrives_as_a_baked_png_and_a_link(service: BadgeService) -> None:
    shown = Shown(service)
    await shown.run(ANA, BadgeEarned("SOC", 2, False, "en"))
    documents, texts = sent(shown)
    assert [d.filename for d in documents] == ["badge-social-on-my-own.png"]
    assert documents[0].mime_type == "image/png"
    assertion = baked_assertion(documents[0].content)
    assertion_id = assertion["id"].rsplit("/", 1)[1]
    assert assertion["badge"] == f"{BASE}/badges/class/soc-2"
    assert LINK.findall(texts[0].text) == [f"{BASE}/v/{assertion_id}"]
    assert BASE not in texts[0].speak
    assert texts[0].lang == "en"


async def test_earning_the_same_badge_again_reuses_the_award(service: BadgeService) -> None:
    shown = Shown(service)
    for _ in range(2):
        await shown.run(ANA, BadgeEarned("SOC", 2, False, "en"))
    await shown.run(ANA, BadgeEarned("SOC", 2, True, "en"))
    documents, _ = sent(shown)
    ids = [baked_assertion(d.content)["id"] for d in documents]
    assert ids[0] == ids[1] != ids[2]
    assert documents[2].filename == "badge-social-on-my-own-validated.png"
    assert len(await service.held(ANA)) == 2


async def test_resend_without_badges_is_a_kind_note(service: BadgeService) -> None:
    shown = Shown(service)
    await shown.run(ANA, ResendBadges("sl"))
    documents, texts = sent(shown)
    assert documents == []
    assert len(texts) == 1
    assert texts[0].lang == "sl"
    assert "🏅" in texts[0].text


async def test_resend_sends_every_valid_badge_again(service: BadgeService) -> None:
    shown = Shown(service)
    await shown.run(ANA, BadgeEarned("SOC", 2, False, "en"))
    await shown.run(ANA, BadgeEarned("PER", 3, False, "en"))
    await shown.run(ANA, ResendBadges("en"))
    documents, _ = sent(shown)
    names = [d.filename for d in documents]
    assert names[2:] == names[:2]
    assert documents[2].content == documents[0].content


async def test_erasure_through_the_table_revokes_every_badge(service: BadgeService) -> None:
    shown = Shown(service)
    await shown.run(ANA, BadgeEarned("SOC", 2, False, "en"))
    await shown.run(ANA, DataErased())
    assert await service.held(ANA) == []
    assert len(shown.of(ANA)) == 3  # erasure itself shows nothing


async def test_revoke_all_revokes_and_forgets_the_person(service: BadgeService) -> None:
    first = await service.earn(ANA, BadgeEarned("SOC", 2, False, "en"))
    assert await service.revoke_all(ANA) == 1
    assert await service.issuer.repository.is_revoked(first.assertion_id)
    assert await service.held(ANA) == []
    assert not await service.has_badges(ANA)
    again = await service.earn(ANA, BadgeEarned("SOC", 2, False, "en"))
    assert again.assertion_id != first.assertion_id


# -- the verification page, without a browser ------------------------------------------


@pytest.mark.parametrize(
    ("asked", "accept", "expected"),
    [
        ("sl", "en", "sl"),
        ("<script>", "sl-SI,sl;q=0.9,en;q=0.8", "sl"),
        (None, "ja-JP, en;q=0.5, sl;q=0.7", "sl"),
        (None, "de-DE, en;q=0.5, sl;q=0.7", "de"),
        (None, "ja, ko;q=0.5", "en"),
        (None, "sl;q=0", "en"),
        (None, None, "en"),
    ],
)
def test_the_page_language_comes_from_the_query_then_accept_language(
    asked: str | None, accept: str | None, expected: str
) -> None:
    catalogs = Catalogs(DEFAULT_LOCALES, "en")
    assert choose_language(catalogs, asked, accept) == expected


async def test_the_page_escapes_what_it_shows_and_hides_the_person(
    service: BadgeService, content: Content
) -> None:
    award = await service.earn(ANA, BadgeEarned("SOC", 2, False, "en"))
    hostile = IssuerInfo('<script>alert("x")</script>', 'https://x.org/"><b>', "a@b.org")
    issuer = BadgeIssuer(
        hostile, service.issuer.urls, service.issuer.keys, service.issuer.repository
    )
    page = VerifyPage(issuer, content, Catalogs(DEFAULT_LOCALES, "en"))
    request = make_mocked_request(
        "GET", f"/v/{award.assertion_id}", match_info={"assertion_id": award.assertion_id}
    )
    response = await page.show(request)
    assert isinstance(response.text, str)
    html = response.text
    assert "<script>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert '"><b>' not in html
    assert award.identity_hash not in html
    assert ANA.chat_id not in html
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


async def test_an_unknown_badge_gets_a_plain_404_page(service: BadgeService) -> None:
    page = VerifyPage(service.issuer, load_content(DEFAULT_CONTENT), Catalogs(DEFAULT_LOCALES))
    request = make_mocked_request("GET", "/v/nope", match_info={"assertion_id": "nope"})
    response = await page.show(request)
    assert response.status == 404


async def test_a_badge_past_its_valid_until_is_expired(service: BadgeService) -> None:
    award = await service.earn(ANA, BadgeEarned("SOC", 2, False, "en"))
    now = datetime.now(UTC)
    assert badge_state(award, now) == "valid"
    award.credential["validUntil"] = "2020-01-01T00:00:00Z"
    assert badge_state(award, now) == "expired"
    award.revoked = True
    assert badge_state(award, now) == "revoked"


# -- the whole path through the real app ------------------------------------------------


@pytest.fixture
def listening() -> Iterator[socket.socket]:
    """A bound socket, so the public URL is known before the app is built."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield sock
    sock.close()


@asynccontextmanager
async def serving(tmp_path: Path, sock: socket.socket, clock: SteppingClock) -> AsyncIterator[str]:
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    app = await build_app(app_config(tmp_path, public_url=url), clock=clock)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.SockSite(runner, sock).start()
    try:
        yield url
    finally:
        await runner.cleanup()


async def answer_category(client: WebChatClient, content: Content, category: str) -> None:
    """Answer at level 2, or 3 where level 2 sits where the last answer was (no same-position)."""
    questions = content.questions_of(category)
    last_position = -1
    for _ in questions:
        frame = await client.question()
        number = int(re.search(r"(\d+) / \d+", frame["text"]).group(1))  # type: ignore[union-attr]
        question = questions[number - 1]
        keys = [p.rsplit(":", 1)[1] for p in payloads(frame) if p.startswith("q:")]
        levels = {key: option.level for key in keys if (option := question.option(key))}
        choices = [k for k in keys if levels.get(k) == 2] + [k for k in keys if levels.get(k) == 3]
        key = next(k for k in choices if keys.index(k) != last_position)
        last_position = keys.index(key)
        await client.tap(next(p for p in payloads(frame) if p.endswith(f":{key}")))


async def get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


def png_of(frame: dict[str, Any]) -> bytes:
    return base64.b64decode(frame["href"].split(",", 1)[1])


async def test_a_badge_through_the_real_app_resent_and_revoked_on_delete(
    tmp_path: Path, listening: socket.socket, content: Content
) -> None:
    async with serving(tmp_path, listening, SteppingClock()) as url, web_chat(url) as client:
        await onboard(client)
        await client.tap("cat:SOC")
        await answer_category(client, content, "SOC")
        document = await client.next("document")
        assertion = baked_assertion(png_of(document))
        assert assertion["id"].startswith(f"{url}/badges/assertions/")
        level = int(assertion["badge"].rsplit("-", 1)[1])
        assert document["filename"] == f"badge-social-{slug(content.levels[level].label)}.png"
        link = LINK.findall((await client.next("message"))["text"])[0]
        status, page = await get(link)
        assert status == 200
        assert 'class="state valid"' in page
        assert (await get(assertion["id"]))[0] == 200

        await client.say("/badges")
        again = await client.next("document")
        assert baked_assertion(png_of(again))["id"] == assertion["id"]

        await client.confirm_delete()
        assert "deleted" in (await client.next("message"))["text"]
        await client.say("/start")  # typed at once, while the erasure may still be running
        await client.question()
        status, body = await get(assertion["id"])
        assert status == 410
        assert json.loads(body)["revoked"] is True
        status, page = await get(link)
        assert 'class="state revoked"' in page


async def test_a_badge_comes_with_a_preview_picture_first(service: BadgeService) -> None:
    shown = Shown(service)
    await shown.run(ANA, BadgeEarned("SOC", 2, False, "en"))
    kinds = [type(reply).__name__ for reply in shown.of(ANA)]
    assert kinds == ["SendImage", "SendDocument", "SendText"]


async def test_a_first_name_is_drawn_only_when_given(service: BadgeService) -> None:
    shown = Shown(service)
    await shown.run(ANA, BadgeEarned("PER", 2, False, "en"))
    await shown.run(BO, BadgeEarned("PER", 2, False, "en", first_name="Bojana"))
    without, named = (a.content for _, a in shown.replies if isinstance(a, SendDocument))
    assert "Bojana" not in json.dumps(baked_assertion(named))  # the name is in the picture only
    assert pixels(without) != pixels(named)


def pixels(image: bytes) -> list[bytes]:
    """The decoded rows of a PNG (read by pypng, not by the code that wrote it)."""
    _width, _height, rows, _info = png.Reader(bytes=image).asRGBA8()
    return [bytes(row) for row in rows]
