"""Render a badge image with Pillow: colour, pictogram, level marks and localized text."""

from __future__ import annotations

import io
import itertools
import math
from typing import TYPE_CHECKING

from bot.badges.model import BadgeSpec, BadgeTexts
from bot.framework.bidi import starts_rtl
from bot.pictures.fonts import PreparedText, load_text_font, prepare_text
from bot.pictures.pictograms import draw_pictogram

if TYPE_CHECKING:
    from PIL import ImageDraw

    from bot.pictures.fonts import FontType

SIZE = 600
_SCALE = 2  # draw at 2x, then downsample: smooth edges without a vector library
_TEXT_WIDTH = 540
PICTOGRAM_BOX = (225, 84, 375, 234)
"""Where the pictogram is drawn, in pixels of the 600x600 image."""


def _rgb(color: str) -> tuple[int, int, int]:
    return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)


def _mix(color: tuple[int, int, int], other: tuple[int, int, int], t: float) -> str:
    r, g, b = (round(c + (o - c) * t) for c, o in zip(color, other, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def _star(cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.45
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def _marks(draw: ImageDraw.ImageDraw, level: int, cy: float, ink: str) -> None:
    s = _SCALE
    for i in range(3):
        cx = (300 + (i - 1) * 56) * s
        points = _star(cx, cy * s, 24 * s)
        if i < level:
            draw.polygon(points, fill=ink)
        else:
            draw.polygon(points, outline=ink, width=3 * s)


def _seal(draw: ImageDraw.ImageDraw, ink: str) -> None:
    """Draw a tick seal on the circle's upper right: validated by a counsellor."""
    s = _SCALE
    cx, cy, r = 420 * s, 86 * s, 38 * s
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill="#ffffff", outline=ink, width=5 * s)
    tick = [(cx - 17 * s, cy + 1 * s), (cx - 5 * s, cy + 14 * s), (cx + 19 * s, cy - 13 * s)]
    draw.line(tick, fill=ink, width=8 * s, joint="curve")


def _text(draw: ImageDraw.ImageDraw, text: str, y: float, size: int, fill: str) -> None:
    if not text:
        return
    s = _SCALE
    prepared = prepare_text(text, rtl=starts_rtl(text))  # a date's numbers stay in their place
    font = load_text_font(text, size * s, bold=True)
    while size > 12 and _width(draw, prepared, font) > _TEXT_WIDTH * s:
        size -= 2
        font = load_text_font(text, size * s, bold=True)
    draw.text(
        (300 * s, y * s),
        prepared.text,
        font=font,
        fill=fill,
        anchor="mm",
        direction=prepared.direction,
    )


def _width(draw: ImageDraw.ImageDraw, prepared: PreparedText, font: FontType) -> float:
    return draw.textlength(prepared.text, font=font, direction=prepared.direction)


def _text_block(draw: ImageDraw.ImageDraw, lines: list[tuple[str, int, str]]) -> None:
    """Stack the non-empty lines, centred as a block between y=362 and y=588."""
    lines = [line for line in lines if line[0]]
    if not lines:
        return
    centres = [0.0]
    for (_, above, _), (_, below, _) in itertools.pairwise(lines):
        centres.append(centres[-1] + above / 2 + below / 2 + 8)
    height = centres[-1] + lines[0][1] / 2 + lines[-1][1] / 2
    top = 362 + (226 - height) / 2 + lines[0][1] / 2
    for (text, size, fill), centre in zip(lines, centres, strict=True):
        _text(draw, text, top + centre, size, fill)


def render(spec: BadgeSpec, texts: BadgeTexts) -> bytes:
    """Render a 600x600 PNG for a badge (not yet baked).

    Args:
        spec: The badge class (colour, pictogram, level).
        texts: Localized text to draw; ``first_name`` only if the person gave it.

    Returns:
        PNG bytes.
    """
    from PIL import Image, ImageDraw  # Pillow is loaded with the first picture drawn

    s = _SCALE
    base = _rgb(spec.color)
    canvas = Image.new("RGB", (SIZE * s, SIZE * s), _mix(base, (255, 255, 255), 0.88))
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle(
        (8 * s, 8 * s, 592 * s, 592 * s), 36 * s, outline=spec.color, width=8 * s
    )
    draw.ellipse(
        (150 * s, 44 * s, 450 * s, 344 * s),
        fill=spec.color,
        outline=_mix(base, (0, 0, 0), 0.25),
        width=6 * s,
    )
    box = (PICTOGRAM_BOX[0] * s, PICTOGRAM_BOX[1] * s, PICTOGRAM_BOX[2] * s, PICTOGRAM_BOX[3] * s)
    draw_pictogram(draw, spec.pictogram or spec.category_id, box, "#ffffff")
    _marks(draw, spec.level, 290, "#ffffff")
    if spec.validated:
        _seal(draw, _mix(base, (0, 0, 0), 0.35))
    dark = _mix(base, (0, 0, 0), 0.55)
    _text_block(
        draw,
        [
            (texts.title, 44, dark),
            (texts.level_label, 32, dark),
            (texts.first_name, 28, "#222222"),
            (texts.status_text, 22, "#333333"),
            (texts.date_text, 22, "#333333"),
            (texts.issuer_name, 18, "#555555"),
        ],
    )
    image = canvas.reduce(_SCALE)  # box filter: fast, and exact for an integer factor
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
