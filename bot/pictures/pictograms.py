"""The drawn pictograms, one per SPOCC category, keyed by the content's category id."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import ImageDraw


Box = tuple[float, float, float, float]
"""A square as (left, top, right, bottom) in pixels."""
Ink = str
Pictogram = Callable[["ImageDraw.ImageDraw", Box, Ink], None]


def _person(draw: ImageDraw.ImageDraw, cx: float, top: float, s: float, ink: Ink) -> None:
    draw.ellipse((cx - s * 0.16, top, cx + s * 0.16, top + s * 0.32), fill=ink)
    draw.pieslice((cx - s * 0.3, top + s * 0.38, cx + s * 0.3, top + s * 0.98), 180, 360, fill=ink)


def social(draw: ImageDraw.ImageDraw, box: Box, ink: Ink) -> None:
    """Two people side by side, with a speech bubble."""
    x0, y0, x1, _ = box
    s = x1 - x0
    _person(draw, x0 + s * 0.3, y0 + s * 0.3, s * 0.7, ink)
    _person(draw, x0 + s * 0.7, y0 + s * 0.3, s * 0.7, ink)
    draw.rounded_rectangle((x0 + s * 0.36, y0, x0 + s * 0.64, y0 + s * 0.2), s * 0.05, fill=ink)
    draw.polygon(
        [
            (x0 + s * 0.45, y0 + s * 0.19),
            (x0 + s * 0.5, y0 + s * 0.28),
            (x0 + s * 0.55, y0 + s * 0.19),
        ],
        fill=ink,
    )


def personal(draw: ImageDraw.ImageDraw, box: Box, ink: Ink) -> None:
    """One person with a heart."""
    x0, y0, x1, _ = box
    s = x1 - x0
    _person(draw, x0 + s * 0.42, y0 + s * 0.12, s * 0.9, ink)
    hx, hy, r = x0 + s * 0.8, y0 + s * 0.22, s * 0.08
    draw.ellipse((hx - 2 * r, hy - r, hx, hy + r), fill=ink)
    draw.ellipse((hx, hy - r, hx + 2 * r, hy + r), fill=ink)
    draw.polygon(
        [(hx - 2 * r + 2, hy + r * 0.3), (hx + 2 * r - 2, hy + r * 0.3), (hx, hy + r * 2.6)],
        fill=ink,
    )


def organisational(draw: ImageDraw.ImageDraw, box: Box, ink: Ink) -> None:
    """A checklist: a board with three ticked lines."""
    x0, y0, x1, y1 = box
    s = x1 - x0
    width = max(1, round(s * 0.05))
    draw.rounded_rectangle(
        (x0 + s * 0.15, y0 + s * 0.05, x1 - s * 0.15, y1), s * 0.06, outline=ink, width=width
    )
    for row in range(3):
        y = y0 + s * (0.3 + row * 0.24)
        draw.line(
            [(x0 + s * 0.25, y), (x0 + s * 0.31, y + s * 0.06), (x0 + s * 0.42, y - s * 0.06)],
            fill=ink,
            width=width,
            joint="curve",
        )
        draw.line([(x0 + s * 0.5, y), (x1 - s * 0.25, y)], fill=ink, width=width)


def cooperative(draw: ImageDraw.ImageDraw, box: Box, ink: Ink) -> None:
    """Three linked rings (people working together)."""
    x0, y0, x1, _ = box
    s = x1 - x0
    width = max(1, round(s * 0.06))
    r = s * 0.22
    for cx, cy in ((0.5, 0.3), (0.3, 0.66), (0.7, 0.66)):
        px, py = x0 + s * cx, y0 + s * cy
        draw.ellipse((px - r, py - r, px + r, py + r), outline=ink, width=width)


def creative(draw: ImageDraw.ImageDraw, box: Box, ink: Ink) -> None:
    """A light bulb with rays."""
    x0, y0, x1, _ = box
    s = x1 - x0
    cx = x0 + s * 0.5
    draw.ellipse((cx - s * 0.24, y0 + s * 0.16, cx + s * 0.24, y0 + s * 0.64), fill=ink)
    draw.rectangle((cx - s * 0.12, y0 + s * 0.58, cx + s * 0.12, y0 + s * 0.78), fill=ink)
    draw.rounded_rectangle(
        (cx - s * 0.1, y0 + s * 0.8, cx + s * 0.1, y0 + s * 0.88), s * 0.03, fill=ink
    )
    width = max(1, round(s * 0.04))
    for dx, dy, ex, ey in (
        (0, 0.02, 0, 0.1),
        (-0.36, 0.14, -0.29, 0.2),
        (0.36, 0.14, 0.29, 0.2),
        (-0.44, 0.42, -0.34, 0.42),
        (0.44, 0.42, 0.34, 0.42),
    ):
        draw.line([(cx + s * dx, y0 + s * dy), (cx + s * ex, y0 + s * ey)], fill=ink, width=width)


def star(draw: ImageDraw.ImageDraw, box: Box, ink: Ink) -> None:
    """A five-pointed star: the fallback for a category without its own pictogram."""
    x0, y0, x1, _ = box
    s = x1 - x0
    cx, cy = x0 + s / 2, y0 + s * 0.53
    points = []
    for i in range(10):
        reach = s * (0.47 if i % 2 == 0 else 0.2)
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + reach * math.cos(angle), cy + reach * math.sin(angle)))
    draw.polygon(points, fill=ink)


PICTOGRAMS: Mapping[str, Pictogram] = MappingProxyType(
    {
        "SOC": social,
        "PER": personal,
        "ORG": organisational,
        "COO": cooperative,
        "CRE": creative,
    }
)
"""The pictogram of each category id in data/spocc.yaml."""


def pictogram_for(category_id: str) -> Pictogram:
    """The pictogram of a content category id, or the star for an unknown one.

    Case is ignored: a badge class carries the id lower-cased (``soc-2`` for ``SOC``), so
    badges and the results picture find the same pictogram.
    """
    return PICTOGRAMS.get(category_id.upper(), star)


def draw_pictogram(draw: ImageDraw.ImageDraw, category_id: str, box: Box, ink: Ink) -> None:
    """Draw the pictogram of a category (see `pictogram_for`) inside the square ``box``."""
    pictogram_for(category_id)(draw, box, ink)
