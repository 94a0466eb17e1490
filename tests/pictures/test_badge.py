"""The badge image, read back by pypng: size, level marks, text inside the card, RTL text."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageChops, features

from bot.badges.model import BadgeSpec, BadgeTexts
from bot.pictures.badge import render
from bot.pictures.fonts import Script, find_font, script_of
from tests.pictures.pixels import dark_box, read_png

ARABIC = BadgeTexts("اجتماعي", "بمفردي", "٢٨ نوفمبر ٢٠٢٥", "تقييم ذاتي", "أميرة", "SPOCC")


LONG = BadgeTexts("Title " * 8, "Also in new situations " * 3, "1 Jan 2026", "Self-assessed")
MARK_CENTRES = [(244, 290), (300, 290), (356, 290)]  # the three level stars
TEXT_BAND = (20, 350, 580, 582)  # below the circle, inside the coloured border


@pytest.mark.parametrize("level", [0, 1, 2, 3])
@pytest.mark.parametrize("category", ["soc", "cre", "unknown"])
def test_a_badge_is_small_square_and_shows_its_level(category: str, level: int) -> None:
    spec = BadgeSpec(category, "A very long category name indeed", level, "Label", "#336699")
    data = render(spec, LONG)
    width, height, pixels = read_png(data)
    assert (width, height) == (600, 600)
    assert len(data) <= 200 * 1024
    filled = [pixels[y][x] == (255, 255, 255) for x, y in MARK_CENTRES]
    assert filled == [index < level for index in range(3)]


def test_long_text_is_shrunk_to_stay_inside_the_card() -> None:
    spec = BadgeSpec("soc", "Social", 2, "On my own", "#336699")
    _, _, pixels = read_png(render(spec, LONG))
    text = dark_box(pixels, TEXT_BAND, darker_than=128)
    assert text is not None
    left, _top, right, _bottom = text
    assert left >= 30
    assert right <= 570
    assert right - left > 400  # drawn across the card, not dropped


def test_rtl_text_uses_raqm_and_an_arabic_font() -> None:
    assert features.check("raqm")
    assert script_of(ARABIC.title) == Script.ARABIC
    path = find_font(Script.ARABIC, bold=True)
    assert path is not None
    assert "Arabic" in path.name


def test_rtl_label_renders() -> None:
    spec = BadgeSpec("social", "Social", 2, "x", "#e4572e")
    blank = Image.open(io.BytesIO(render(spec, BadgeTexts("", "", "", ""))))
    arabic = Image.open(io.BytesIO(render(spec, ARABIC)))
    band = (30, 360, 570, 590)
    changed = ImageChops.difference(blank.crop(band), arabic.crop(band)).convert("L")
    diff = changed.point(lambda v: 255 if v else 0).histogram()[255]
    assert diff > 2000  # the text band is drawn, not empty or tofu-free
    # Shaped text is centred: ink on both halves of the title line.
    title = arabic.crop((0, 365, 600, 405)).convert("L")
    left = title.crop((0, 0, 300, 40)).getextrema()[0]
    right = title.crop((300, 0, 600, 40)).getextrema()[0]
    assert isinstance(left, int)
    assert isinstance(right, int)
    assert left < 120
    assert right < 120


def test_first_name_is_optional() -> None:
    spec = BadgeSpec("social", "Social", 1, "With help", "#e4572e")
    named = render(spec, BadgeTexts("Social", "With help", "1 Jan 2026", "Self", "Amira"))
    anonymous = render(spec, BadgeTexts("Social", "With help", "1 Jan 2026", "Self"))
    assert named != anonymous
