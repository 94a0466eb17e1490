"""The result picture: five categories with colour, pictogram, level dots and a level word."""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw

from bot.pictures.fonts import TextStyle, draw_text, fit_size, text_width

WIDTH = 720
MARGIN = 24
HEADER = 112
ROW = 160
GAP = 10
TILE = 104
DOT = 32
BACKGROUND = "#ffffff"
INK = "#111111"
EMPTY_DOT = "#8a8a8a"
NAME_SIZE, LABEL_SIZE, TITLE_SIZE, MIN_SIZE = 40, 36, 46, 34
PNG_COLOURS = 64


@dataclass(frozen=True, slots=True)
class CategoryStyle:
    """One category: its id (picks the pictogram), localized name and "#rrggbb" colour."""

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
    """

    title: str
    level_labels: tuple[str, str, str, str]
    not_done: str
    rtl: bool


@dataclass(frozen=True, slots=True)
class _Box:
    left: int
    top: int
    size: int

    def at(self, fx: float, fy: float) -> tuple[float, float]:
        """A point given as fractions of the box."""
        return (self.left + fx * self.size, self.top + fy * self.size)

    def rect(
        self, x0: float, y0: float, x1: float, y1: float
    ) -> tuple[float, float, float, float]:
        """A rectangle given as fractions of the box."""
        return (*self.at(x0, y0), *self.at(x1, y1))


def render_results(
    levels: Mapping[str, int | None],
    categories: Sequence[CategoryStyle],
    labels: ResultLabels,
) -> bytes:
    """Draw the result picture as PNG bytes.

    Args:
        levels: Level 0-3 per category id; None or a missing id means "not done yet".
        categories: The categories in display order.
        labels: Localized words and the text direction.

    Returns:
        A palette PNG, about 720 px wide and well under 120 KB.
    """
    height = HEADER + len(categories) * (ROW + GAP) + MARGIN - GAP
    image = Image.new("RGB", (WIDTH, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    _draw_title(draw, labels)
    for index, category in enumerate(categories):
        top = HEADER + index * (ROW + GAP)
        _draw_row(draw, top, category, levels.get(category.id), labels)
    return _to_png(image)


def _draw_title(draw: ImageDraw.ImageDraw, labels: ResultLabels) -> None:
    size = fit_size(labels.title, WIDTH - 2 * MARGIN, TITLE_SIZE, min_size=MIN_SIZE, bold=True)
    style = TextStyle(size=size, fill=INK, bold=True, rtl=labels.rtl, anchor="mm")
    draw_text(draw, (WIDTH / 2, HEADER / 2), labels.title, style)


def _draw_row(
    draw: ImageDraw.ImageDraw,
    top: int,
    category: CategoryStyle,
    level: int | None,
    labels: ResultLabels,
) -> None:
    draw.rounded_rectangle(
        (MARGIN / 2, top, WIDTH - MARGIN / 2, top + ROW), radius=20, fill=_tint(category.color)
    )
    tile_left = WIDTH - MARGIN - TILE if labels.rtl else MARGIN
    tile = _Box(tile_left, top + 12, TILE)
    _draw_tile(draw, tile, category)
    _draw_dots(draw, tile, level, category.color, labels.rtl)
    _draw_words(draw, top, category.name, _level_word(level, labels), labels.rtl)


def _draw_tile(draw: ImageDraw.ImageDraw, box: _Box, category: CategoryStyle) -> None:
    draw.rounded_rectangle(
        box.rect(0, 0, 1, 1), radius=18, fill=category.color, outline=INK, width=2
    )
    ink = _ink_on(category.color)
    _pictogram(category.id)(draw, box, ink, category.color)


def _draw_dots(
    draw: ImageDraw.ImageDraw, tile: _Box, level: int | None, color: str, rtl: bool
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
    palette = image.quantize(
        colors=PNG_COLOURS, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    palette.save(out, format="PNG")  # optimize=True: 3 KB less, 6 times slower
    return out.getvalue()


Pictogram = Callable[[ImageDraw.ImageDraw, _Box, str, str], None]


def _person(draw: ImageDraw.ImageDraw, box: _Box, ink: str, cx: float, scale: float) -> None:
    head = 0.11 * scale
    draw.ellipse(box.rect(cx - head, 0.42 - 2.2 * head, cx + head, 0.42 - 0.2 * head), fill=ink)
    body = 0.2 * scale
    draw.pieslice(box.rect(cx - body, 0.46, cx + body, 0.46 + 2 * body), 180, 360, fill=ink)


def _social(draw: ImageDraw.ImageDraw, box: _Box, ink: str, paper: str) -> None:
    """Two people side by side."""
    _person(draw, box, ink, 0.33, 1.0)
    _person(draw, box, ink, 0.67, 1.0)


def _personal(draw: ImageDraw.ImageDraw, box: _Box, ink: str, paper: str) -> None:
    """One person with a star above the shoulder: "me"."""
    _person(draw, box, ink, 0.42, 1.35)
    _star(draw, box, ink, (0.78, 0.26), 0.13)


def _organisational(draw: ImageDraw.ImageDraw, box: _Box, ink: str, paper: str) -> None:
    """A checklist: three ticked boxes with lines."""
    for row in range(3):
        y = 0.16 + row * 0.25
        draw.rectangle(box.rect(0.14, y, 0.34, y + 0.2), fill=paper, outline=ink, width=4)
        tick = [box.at(0.18, y + 0.1), box.at(0.24, y + 0.16), box.at(0.36, y + 0.01)]
        draw.line(tick, fill=ink, width=6, joint="curve")
        draw.line([box.at(0.46, y + 0.1), box.at(0.86, y + 0.1)], fill=ink, width=8)


def _cooperative(draw: ImageDraw.ImageDraw, box: _Box, ink: str, paper: str) -> None:
    """Two linked rings: working together."""
    draw.ellipse(box.rect(0.14, 0.28, 0.58, 0.72), outline=ink, width=9)
    draw.ellipse(box.rect(0.42, 0.28, 0.86, 0.72), outline=ink, width=9)


def _creative(draw: ImageDraw.ImageDraw, box: _Box, ink: str, paper: str) -> None:
    """A light bulb with rays: an idea."""
    draw.ellipse(box.rect(0.32, 0.22, 0.68, 0.58), fill=ink)
    draw.polygon([box.at(0.38, 0.5), box.at(0.62, 0.5), box.at(0.58, 0.7), box.at(0.42, 0.7)], ink)
    draw.rectangle(box.rect(0.42, 0.72, 0.58, 0.8), fill=ink)
    rays = [((0.5, 0.06), (0.5, 0.15)), ((0.16, 0.4), (0.25, 0.4)), ((0.75, 0.4), (0.84, 0.4))]
    rays += [((0.24, 0.14), (0.3, 0.2)), ((0.76, 0.14), (0.7, 0.2))]
    for start, end in rays:
        draw.line([box.at(*start), box.at(*end)], fill=ink, width=6)


def _other(draw: ImageDraw.ImageDraw, box: _Box, ink: str, paper: str) -> None:
    """A star, for a category this module does not know."""
    _star(draw, box, ink, (0.5, 0.52), 0.34)


def _star(
    draw: ImageDraw.ImageDraw, box: _Box, ink: str, centre: tuple[float, float], radius: float
) -> None:
    points = []
    for index in range(10):
        reach = radius if index % 2 == 0 else radius * 0.45
        angle = math.pi * (index / 5 - 0.5)
        points.append(
            box.at(centre[0] + reach * math.cos(angle), centre[1] + reach * math.sin(angle))
        )
    draw.polygon(points, fill=ink)


_PICTOGRAMS: dict[str, Pictogram] = {
    "soc": _social,
    "per": _personal,
    "org": _organisational,
    "coo": _cooperative,
    "cre": _creative,
}


def _pictogram(category_id: str) -> Pictogram:
    """The pictogram for a category id ("SOC", "social", "SOC.x" all give the same)."""
    return _PICTOGRAMS.get(category_id[:3].lower(), _other)
