"""The result picture: five categories with colour, pictogram, level dots and a level word."""

from __future__ import annotations

import io
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.pictures.fonts import TextStyle, draw_text, fit_size, text_width
from bot.pictures.pictograms import Box, draw_pictogram

if TYPE_CHECKING:
    from PIL import Image, ImageDraw

WIDTH = 720
MARGIN = 24
HEADER = 112
ROW = 160
GAP = 10
TILE = 104
PICTOGRAM_INSET = 12
DOT = 32
BACKGROUND = "#ffffff"
INK = "#111111"
EMPTY_DOT = "#8a8a8a"
NAME_SIZE, LABEL_SIZE, TITLE_SIZE, MIN_SIZE = 40, 36, 46, 34
PNG_COLOURS = 64


@dataclass(frozen=True, slots=True)
class CategoryStyle:
    """One category: its content id (picks the pictogram), localized name and "#rrggbb" colour."""

    id: str
    name: str
    color: str


@dataclass(frozen=True, slots=True)
class ResultLabels:
    """The localized words on the picture.

    Attributes:
        title: The heading, e.g. "My skills".
        level_labels: Words for levels 0 to 3.
        not_done: Shown for a category without a result yet.
        rtl: Lay out right to left (text, and the picture mirrored).
        with_counsellor: Shown for a flagged category, which a counsellor will look at.
    """

    title: str
    level_labels: tuple[str, str, str, str]
    not_done: str
    rtl: bool
    with_counsellor: str = "With a counsellor"


@dataclass(frozen=True, slots=True)
class _Tile:
    """The square colour tile of a row."""

    left: int
    top: int
    size: int = TILE

    def inset(self, by: int) -> Box:
        """The tile's rectangle shrunk by `by` pixels on every side."""
        return (
            self.left + by,
            self.top + by,
            self.left + self.size - by,
            self.top + self.size - by,
        )


def _tile(row: int, rtl: bool) -> _Tile:
    """The tile of row `row` (0 is the first category): on the left, or the right when rtl."""
    left = WIDTH - MARGIN - TILE if rtl else MARGIN
    return _Tile(left, _row_top(row) + 12)


def _row_top(row: int) -> int:
    return HEADER + row * (ROW + GAP)


def pictogram_box(row: int, rtl: bool) -> Box:
    """Where the pictogram of row `row` is drawn, in pixels of the picture."""
    return _tile(row, rtl).inset(PICTOGRAM_INSET)


def render_results(
    levels: Mapping[str, int | None],
    categories: Sequence[CategoryStyle],
    labels: ResultLabels,
    flagged: Collection[str] = (),
    earlier: Mapping[str, int | None] | None = None,
) -> bytes:
    """Draw the result picture as PNG bytes.

    Args:
        levels: Level 0-3 per category id; None or a missing id means "not done yet".
        categories: The categories in display order.
        labels: Localized words and the text direction.
        flagged: Category ids a counsellor will look at: a question mark in the dots' place
            and the words `labels.with_counsellor`, instead of a level.
        earlier: The level before the latest retake, per category id; a rise is marked with an
            arrow beside the dots (`draw_rise`).

    Returns:
        A palette PNG, about 720 px wide and well under 120 KB.
    """
    from PIL import Image, ImageDraw  # Pillow is loaded with the first picture drawn

    height = HEADER + len(categories) * (ROW + GAP) + MARGIN - GAP
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    _draw_title(draw, labels)
    for row, category in enumerate(categories):
        level = levels.get(category.id)
        flag = category.id in flagged and level is not None
        _draw_row(draw, row, category, level, labels, flag)
        before = (earlier or {}).get(category.id)
        if before is not None and level is not None and level > before and not flag:
            draw_rise(draw, row, labels.rtl)
    return _to_png(image)


def rise_box(row: int, rtl: bool) -> Box:
    """Where the "level rose" arrow of row `row` is drawn: beside the dots, towards the text."""
    tile = _tile(row, rtl)
    top = tile.top + tile.size + 8
    left = tile.left - 18 if rtl else tile.left + tile.size + 4
    return (left, top, left + 14, top + DOT)


def draw_rise(draw: ImageDraw.ImageDraw, row: int, rtl: bool) -> None:
    """An upward arrow ("↑") beside a row's dots: the level is higher than last time."""
    left, top, right, bottom = rise_box(row, rtl)
    middle = (left + right) / 2
    head = top + (right - left)
    draw.polygon([(middle, top), (left, head), (right, head)], fill=INK)
    draw.rectangle((middle - 3, head, middle + 3, bottom), fill=INK)


def _draw_title(draw: ImageDraw.ImageDraw, labels: ResultLabels) -> None:
    size = fit_size(labels.title, WIDTH - 2 * MARGIN, TITLE_SIZE, min_size=MIN_SIZE, bold=True)
    style = TextStyle(size=size, fill=INK, bold=True, rtl=labels.rtl, anchor="mm")
    draw_text(draw, (WIDTH / 2, HEADER / 2), labels.title, style)


def _draw_row(
    draw: ImageDraw.ImageDraw,
    row: int,
    category: CategoryStyle,
    level: int | None,
    labels: ResultLabels,
    flagged: bool = False,
) -> None:
    top = _row_top(row)
    draw.rounded_rectangle(
        (MARGIN / 2, top, WIDTH - MARGIN / 2, top + ROW), radius=20, fill=_tint(category.color)
    )
    tile = _tile(row, labels.rtl)
    draw.rounded_rectangle(tile.inset(0), radius=18, fill=category.color, outline=INK, width=2)
    draw_pictogram(draw, category.id, pictogram_box(row, labels.rtl), _ink_on(category.color))
    if flagged:
        _draw_waiting(draw, tile, category.color)
        word = labels.with_counsellor
    else:
        _draw_dots(draw, tile, level, category.color, labels.rtl)
        word = _level_word(level, labels)
    _draw_words(draw, top, category.name, word, labels.rtl)


def _draw_waiting(draw: ImageDraw.ImageDraw, tile: _Tile, color: str) -> None:
    """Under the tile of a flagged category: a question mark on a band, not level dots."""
    y = tile.top + tile.size + 8
    band = (tile.left, y, tile.left + tile.size, y + DOT)
    draw.rounded_rectangle(band, radius=DOT // 2, fill=color, outline=INK, width=3)
    style = TextStyle(size=DOT - 4, fill=_ink_on(color), bold=True, anchor="mm")
    draw_text(draw, (tile.left + tile.size / 2, y + DOT / 2), "?", style)


def _draw_dots(
    draw: ImageDraw.ImageDraw, tile: _Tile, level: int | None, color: str, rtl: bool
) -> None:
    """Three dots under the tile, filled in reading order (from the right when rtl)."""
    step = (tile.size - DOT) / 2
    y = tile.top + tile.size + 8
    for index in range(3):
        x = tile.left + (2 - index if rtl else index) * step
        filled = level is not None and index < level
        fill = color if filled else BACKGROUND
        outline = INK if filled else EMPTY_DOT
        draw.ellipse((x, y, x + DOT, y + DOT), fill=fill, outline=outline, width=3)


def _draw_words(draw: ImageDraw.ImageDraw, top: int, name: str, word: str, rtl: bool) -> None:
    text_left = MARGIN + TILE + 20
    width = WIDTH - text_left - MARGIN
    x = WIDTH - text_left if rtl else text_left
    anchor = "rm" if rtl else "lm"
    name_size = fit_size(name, width, NAME_SIZE, min_size=MIN_SIZE, bold=True)
    word_size = fit_size(word, width, LABEL_SIZE, min_size=MIN_SIZE)
    name_style = TextStyle(size=name_size, fill=INK, bold=True, rtl=rtl, anchor=anchor)
    word_style = TextStyle(size=word_size, fill=INK, rtl=rtl, anchor=anchor)
    draw_text(draw, (x, top + 52), _clip(name, width, name_style), name_style)
    draw_text(draw, (x, top + 112), _clip(word, width, word_style), word_style)


def _clip(text: str, width: float, style: TextStyle) -> str:
    """Shorten text that still does not fit at the smallest size, ending it with an ellipsis."""
    shown = text
    while len(shown) > 1 and text_width(shown, style.size, bold=style.bold) > width:
        shown = shown[:-2] + "…"
    return shown


def _level_word(level: int | None, labels: ResultLabels) -> str:
    if level is None:
        return labels.not_done
    return labels.level_labels[max(0, min(3, level))]


def _rgb(color: str) -> tuple[int, int, int]:
    value = int(color.lstrip("#"), 16)
    return (value >> 16 & 255, value >> 8 & 255, value & 255)


def _tint(color: str) -> tuple[int, int, int]:
    """The colour mixed with a lot of white: a card background that keeps black text readable."""
    red, green, blue = _rgb(color)
    return (
        round(255 - (255 - red) * 0.18),
        round(255 - (255 - green) * 0.18),
        round(255 - (255 - blue) * 0.18),
    )


def _ink_on(color: str) -> str:
    """Black or white, whichever contrasts more with `color` (WCAG relative luminance)."""
    channels = [c / 255 for c in _rgb(color)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return INK if luminance > 0.179 else "#ffffff"


def _to_png(image: Image.Image) -> bytes:
    from PIL import Image  # Pillow is loaded with the first picture drawn

    palette = image.quantize(
        colors=PNG_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    palette.save(out, format="PNG")  # optimize=True: 3 KB less, 6 times slower
    return out.getvalue()
