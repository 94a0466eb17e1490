"""Read pictures back with pypng (not Pillow, which wrote them) and compare drawn shapes."""

from __future__ import annotations

import png
from PIL import Image, ImageDraw

from bot.pictures.pictograms import Box, draw_pictogram

RGB = tuple[int, int, int]
Pixels = list[list[RGB]]
Mask = tuple[float, ...]
"""How much of each of the GRID x GRID cells is ink, 0.0 to 1.0, row by row."""
GRID = 24
"""Shapes are compared as ink masks scaled down to GRID x GRID cells."""


def read_png(data: bytes) -> tuple[int, int, Pixels]:
    """Width, height and RGB rows of a PNG, decoded by pypng."""
    width, height, rows, _info = png.Reader(bytes=data).asRGB8()
    pixels = [[(row[i], row[i + 1], row[i + 2]) for i in range(0, len(row), 3)] for row in rows]
    return width, height, pixels


def rgb(color: str) -> RGB:
    """A "#rrggbb" colour as a triple."""
    value = int(color.lstrip("#"), 16)
    return (value >> 16 & 255, value >> 8 & 255, value & 255)


def ink_mask(pixels: Pixels, box: Box, paper: RGB) -> Mask:
    """How much of each cell of `box` is ink, ink being whatever stands out from `paper`.

    A pixel is ink when it is further from `paper` than half the furthest pixel in the box, so
    white ink, black ink and anti-aliased edges all work. The box is scaled to GRID x GRID.
    """
    left, top, right, bottom = (round(v) for v in box)
    crop = [row[left:right] for row in pixels[top:bottom]]
    distance = [[sum(abs(a - b) for a, b in zip(p, paper, strict=True)) for p in r] for r in crop]
    furthest = max(max(r) for r in distance)
    if furthest < 60:
        return (0.0,) * GRID * GRID
    mask = Image.new("L", (right - left, bottom - top))
    mask.putdata([255 if d * 2 > furthest else 0 for r in distance for d in r])
    return _cells(mask)


def reference_mask(category_id: str) -> Mask:
    """The ink of the pictogram drawn alone (white on black), cell by cell."""
    size = 256
    image = Image.new("L", (size, size), 0)
    draw_pictogram(ImageDraw.Draw(image), category_id, (0, 0, size, size), "#ffffff")
    return _cells(image)


def _cells(mask: Image.Image) -> Mask:
    small = mask.resize((GRID, GRID), Image.Resampling.BOX)
    return tuple(value / 255 for value in small.tobytes())


def overlap(a: Mask, b: Mask) -> float:
    """Weighted intersection over union: 1.0 is the same shape, 0.0 nothing in common."""
    union = sum(max(x, y) for x, y in zip(a, b, strict=True))
    return sum(min(x, y) for x, y in zip(a, b, strict=True)) / union if union else 1.0


def dark_box(pixels: Pixels, region: Box, darker_than: int = 96) -> Box | None:
    """The bounding box (left, top, right, bottom; inclusive) of the dark pixels in `region`.

    Dark means every channel below `darker_than`: black text, not a tinted background.
    """
    left, top, right, bottom = (round(v) for v in region)
    found = [
        (x, y)
        for y in range(top, bottom)
        for x in range(left, right)
        if max(pixels[y][x]) < darker_than
    ]
    if not found:
        return None
    xs, ys = [x for x, _ in found], [y for _, y in found]
    return (min(xs), min(ys), max(xs), max(ys))
