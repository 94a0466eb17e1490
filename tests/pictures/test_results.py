"""The result picture, read back by pypng (not by Pillow, which wrote it)."""

from __future__ import annotations

import time

import pytest
from PIL import Image, ImageDraw, ImageFont

from bot.pictures import results as rp
from bot.pictures.fonts import Script, TextStyle, draw_text, find_font, has_raqm
from bot.pictures.results import CategoryStyle, ResultLabels, render_results
from tests.pictures.pixels import dark_box, read_png, rgb

CATEGORIES = [
    CategoryStyle("SOC", "Social skills", "#e4572e"),
    CategoryStyle("PER", "Personal skills", "#f3a712"),
    CategoryStyle("ORG", "Organisational skills", "#2e86ab"),
    CategoryStyle("COO", "Co-operative skills", "#3bb273"),
    CategoryStyle("CRE", "Creative thinking", "#7768ae"),
]
EN = ResultLabels(
    "My skills",
    ("Not yet", "With help", "On my own", "Also in new situations"),
    "not done yet",
    False,
)
AR = ResultLabels(
    "مهاراتي", ("ليس بعد", "بمساعدة", "بمفردي", "أيضًا في مواقف جديدة"), "لم يتم بعد", True
)
LEVELS: dict[str, int | None] = {"SOC": 3, "PER": 2, "ORG": 1, "COO": 0, "CRE": None}


def close(a: tuple[int, int, int], b: tuple[int, int, int], tolerance: int = 8) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def tile_edge(index: int, rtl: bool) -> tuple[int, int]:
    """A point inside the colour tile of row `index`, clear of the pictogram and the outline."""
    top = rp.HEADER + index * (rp.ROW + rp.GAP) + 12 + rp.TILE // 2
    left = rp.WIDTH - rp.MARGIN - rp.TILE if rtl else rp.MARGIN
    return left + 7, top


def test_png_is_valid_phone_sized_and_small() -> None:
    data = render_results(LEVELS, CATEGORIES, EN)
    width, height, _ = read_png(data)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert width == 720
    assert 800 <= height <= 1000
    assert len(data) < 120_000


@pytest.mark.parametrize("labels", [EN, AR], ids=["ltr", "rtl"])
def test_each_category_colour_is_in_its_tile(labels: ResultLabels) -> None:
    _, _, pixels = read_png(render_results(LEVELS, CATEGORIES, labels))
    for index, category in enumerate(CATEGORIES):
        x, y = tile_edge(index, labels.rtl)
        assert close(pixels[y][x], rgb(category.color)), (category.id, pixels[y][x])


def test_tiles_move_to_the_right_for_rtl() -> None:
    _, _, pixels = read_png(render_results(LEVELS, CATEGORIES, AR))
    x, y = tile_edge(0, rtl=False)
    assert not close(pixels[y][x], rgb(CATEGORIES[0].color))


def test_none_and_missing_levels_render() -> None:
    data = render_results({"SOC": None}, CATEGORIES, EN)
    assert read_png(data)[0] == 720


def test_out_of_range_level_is_clamped() -> None:
    clamped = read_png(render_results({"SOC": 7, "PER": -1}, CATEGORIES, EN))
    assert clamped == read_png(render_results({"SOC": 3, "PER": 0}, CATEGORIES, EN))


def test_unknown_category_gets_a_pictogram() -> None:
    data = render_results({"X": 1}, [CategoryStyle("X", "Other", "#000080")], EN)
    assert read_png(data)[1] < 400


LONG_EN = "Sozial- und Kommunikationskompetenzen im Alltag und bei der Arbeit"
LONG_AR = "المهارات الاجتماعية والتواصلية في الحياة اليومية وفي العمل"
LEVELS_EN = ("0", "1", "Also in every new and quite unexpected situation", "3")
LEVELS_AR = ("0", "1", "أيضًا في كل المواقف الجديدة وغير المتوقعة تمامًا", "3")


@pytest.mark.parametrize(
    ("name", "labels"),
    [
        (LONG_EN, ResultLabels("My skills", LEVELS_EN, "-", rtl=False)),
        (LONG_AR, ResultLabels("مهاراتي", LEVELS_AR, "-", rtl=True)),
    ],
    ids=["ltr", "rtl"],
)
def test_long_names_are_kept_inside_the_picture(name: str, labels: ResultLabels) -> None:
    """The text's ink lies inside its card: beside the tile, clear of the margins."""
    data = render_results({"SOC": 2}, [CategoryStyle("SOC", name, "#e4572e")], labels)
    width, height, pixels = read_png(data)
    beside = rp.MARGIN + rp.TILE + 4  # the tile and its dots are dark too: leave them out
    region = (
        (0, rp.HEADER, width - beside, height)
        if labels.rtl
        else (beside, rp.HEADER, width, height)
    )
    text = dark_box(pixels, region)
    assert text is not None
    left, top, right, bottom = text
    assert left >= rp.MARGIN
    assert right < width - rp.MARGIN
    assert top > rp.HEADER
    assert bottom < rp.HEADER + rp.ROW
    assert right - left > width / 2  # the long text is drawn, shortened, not dropped


def test_arabic_picture_renders() -> None:
    arabic = [CategoryStyle("SOC", "المهارات الاجتماعية", "#e4572e")]
    data = render_results({"SOC": 2}, arabic, AR)
    assert read_png(data)[0] == 720


def test_arabic_text_is_shaped() -> None:
    text = "المهارات الاجتماعية"
    shaped = Image.new("L", (600, 80), 255)
    draw_text(ImageDraw.Draw(shaped), (590, 40), text, TextStyle(size=40, rtl=True, anchor="rm"))
    font_path = find_font(Script.ARABIC)
    assert font_path is not None
    font = ImageFont.truetype(str(font_path), 40, layout_engine=ImageFont.Layout.BASIC)
    unshaped = Image.new("L", (600, 80), 255)
    ImageDraw.Draw(unshaped).text((590, 40), text, font=font, anchor="rm", fill=0)
    assert shaped.tobytes() != unshaped.tobytes()
    assert min(shaped.tobytes()) < 128  # something dark was drawn


def test_a_picture_renders_in_well_under_a_second(capsys: pytest.CaptureFixture[str]) -> None:
    render_results(LEVELS, CATEGORIES, EN)  # warm the font cache
    start = time.perf_counter()
    for _ in range(5):
        render_results(LEVELS, CATEGORIES, AR)
    per_picture = (time.perf_counter() - start) / 5
    with capsys.disabled():
        print(f"\nresult picture: {per_picture * 1000:.0f} ms (raqm={has_raqm()})")
    assert per_picture < 0.5  # measured 20 ms on the 2-core test machine


def _first_dot(row: int) -> tuple[int, int]:
    """A point inside the first level dot of row `row` (left to right)."""
    top = rp.HEADER + row * (rp.ROW + rp.GAP) + 12 + rp.TILE + 8 + rp.DOT // 2
    return rp.MARGIN + 8, top


def test_a_flagged_category_shows_its_own_mark_not_empty_dots() -> None:
    coo = 3  # level 0: its dots are all empty (white) when not flagged
    _, _, plain = read_png(render_results(LEVELS, CATEGORIES, EN))
    _, _, flagged = read_png(render_results(LEVELS, CATEGORIES, EN, flagged={"COO"}))
    x, y = _first_dot(coo)
    assert close(plain[y][x], (255, 255, 255))
    assert close(flagged[y][x], rgb("#3bb273"))
    soc_x, soc_y = _first_dot(0)
    assert plain[soc_y][soc_x] == flagged[soc_y][soc_x]  # the other rows are untouched


def _ink_in(pixels: list[list[tuple[int, int, int]]], box: tuple[float, ...]) -> int:
    left, top, right, bottom = (round(v) for v in box)
    return sum(
        1 for row in pixels[top:bottom] for p in row[left:right] if close(p, rgb(rp.INK), 40)
    )


@pytest.mark.parametrize("labels", [EN, AR], ids=["ltr", "rtl"])
def test_a_risen_level_is_marked_with_an_arrow_beside_its_dots(labels: ResultLabels) -> None:
    earlier: dict[str, int | None] = {"SOC": 1, "PER": 2, "ORG": 2}
    _, _, pixels = read_png(render_results(LEVELS, CATEGORIES, labels, earlier=earlier))
    _, _, plain = read_png(render_results(LEVELS, CATEGORIES, labels))
    soc, per, org = (rp.rise_box(row, labels.rtl) for row in range(3))
    assert _ink_in(pixels, soc) > 60  # SOC rose from 1 to 3: an arrow
    assert _ink_in(plain, soc) == 0  # no earlier level: no arrow
    assert _ink_in(pixels, per) == 0  # the same level: no arrow
    assert _ink_in(pixels, org) == 0  # lower than before: no arrow, nothing to shame
