"""One pictogram per shipped category, the same on issued badges and on the results picture."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.badges.issue import BadgeIssuer
from bot.badges.keys import load_or_create
from bot.badges.service import BadgeService, default_issuer
from bot.badges.sql_repository import SqlBadgeRepository
from bot.badges.urls import BadgeUrls
from bot.config import DEFAULT_CONTENT, DEFAULT_LOCALES
from bot.db.engine import create_engine, parse_url
from bot.db.migrate import migrate
from bot.dialogs.content import Content
from bot.dialogs.definition import load_content
from bot.framework.actions import BadgeEarned
from bot.framework.i18n import Catalogs
from bot.framework.session import SessionKey
from bot.pictures.badge import PICTOGRAM_BOX
from bot.pictures.results import CategoryStyle, ResultLabels, pictogram_box, render_results
from tests.pictures.pixels import Mask, ink_mask, overlap, read_png, reference_mask, rgb

UNKNOWN = "no-such-category"
SAME = 0.7  # one shape drawn at two sizes in two pictures (measured: 0.76 to 0.97)
DIFFERENT = 0.6  # two different shapes (measured: at most 0.39; the star and a person 0.51)


@pytest.fixture(scope="module")
def content() -> Content:
    return load_content(DEFAULT_CONTENT)


@pytest.fixture
async def service(tmp_path: Path, content: Content) -> AsyncIterator[BadgeService]:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await migrate(url)
    engine = create_engine(parse_url(url))
    repo = SqlBadgeRepository(engine)
    urls = BadgeUrls("https://badges.example.org")
    issuer = BadgeIssuer(default_issuer(urls), urls, load_or_create(tmp_path), repo)
    yield BadgeService(issuer, repo, content, Catalogs(DEFAULT_LOCALES, content.source_language))
    await engine.dispose()


async def issued_badge_masks(service: BadgeService, content: Content) -> dict[str, Mask]:
    """Issue a badge for every shipped category; the ink in each badge's pictogram box."""
    masks: dict[str, Mask] = {}
    for category in content.categories:
        key = SessionKey("web", f"chat-{category.id}")
        award = await service.earn(key, BadgeEarned(category.id, 2, False, "en"))
        _, _, pixels = read_png(award.png)
        masks[category.id] = ink_mask(pixels, PICTOGRAM_BOX, rgb(category.color))
    return masks


def results_masks(content: Content, rtl: bool) -> dict[str, Mask]:
    """The ink in each row's pictogram box of the results picture."""
    styles = [CategoryStyle(c.id, c.name, c.color) for c in content.categories]
    labels = ResultLabels("My skills", ("0", "1", "2", "3"), "not done", rtl)
    _, _, pixels = read_png(render_results({}, styles, labels))
    return {
        c.id: ink_mask(pixels, pictogram_box(row, rtl), rgb(c.color))
        for row, c in enumerate(content.categories)
    }


def test_every_shipped_category_has_its_own_pictogram(content: Content) -> None:
    fallback = reference_mask(UNKNOWN)
    masks = {c.id: reference_mask(c.id) for c in content.categories}
    assert len(masks) == 5
    for category_id, mask in masks.items():
        assert overlap(mask, fallback) < DIFFERENT, category_id
    for (a, mask_a), (b, mask_b) in itertools.combinations(masks.items(), 2):
        assert overlap(mask_a, mask_b) < DIFFERENT, (a, b)


async def test_every_issued_badge_shows_its_categorys_pictogram(
    service: BadgeService, content: Content
) -> None:
    badges = await issued_badge_masks(service, content)
    fallback = reference_mask(UNKNOWN)
    for category_id, mask in badges.items():
        assert overlap(mask, reference_mask(category_id)) > SAME, category_id
        assert overlap(mask, fallback) < DIFFERENT, category_id
    for (a, mask_a), (b, mask_b) in itertools.combinations(badges.items(), 2):
        assert overlap(mask_a, mask_b) < DIFFERENT, (a, b)


@pytest.mark.parametrize("rtl", [False, True], ids=["ltr", "rtl"])
async def test_the_results_picture_shows_the_badges_pictograms(
    service: BadgeService, content: Content, rtl: bool
) -> None:
    badges = await issued_badge_masks(service, content)
    rows = results_masks(content, rtl)
    for category_id, row in rows.items():
        scores = {other: overlap(row, badge) for other, badge in badges.items()}
        assert max(scores, key=scores.__getitem__) == category_id, scores
        assert scores[category_id] > SAME, scores
