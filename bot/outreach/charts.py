"""Plain bar charts as PNG (Pillow): labels on the left, one bar and its number per row."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.pictures.fonts import TextStyle, draw_text

if TYPE_CHECKING:
    pass

WIDTH, ROW, LABEL_WIDTH, TOP = 720, 64, 300, 80
BAR, INK, PAPER = "#12355b", "#111111", "#ffffff"


def bar_chart(title: str, rows: Sequence[tuple[str, int, str]]) -> bytes:
    """`rows` are (label, value, shown text); a bar's length follows value, its text is shown."""
    from PIL import Image, ImageDraw  # Pillow is loaded with the first picture drawn

    height = TOP + ROW * max(1, len(rows)) + 16
    image = Image.new("RGB", (WIDTH, height), PAPER)
    draw = ImageDraw.Draw(image)
    draw_text(draw, (16, 30), title, TextStyle(36, INK, True, False, "lm"))
    most = max([value for _, value, _ in rows] + [1])
    for n, (label, value, shown) in enumerate(rows):
        middle = TOP + n * ROW + ROW // 2
        draw_text(draw, (16, middle), label[:24], TextStyle(30, INK, False, False, "lm"))
        length = int((WIDTH - LABEL_WIDTH - 110) * value / most)
        draw.rectangle((LABEL_WIDTH, middle - 20, LABEL_WIDTH + length, middle + 20), fill=BAR)
        draw_text(
            draw, (LABEL_WIDTH + length + 10, middle), shown, TextStyle(20, INK, True, False, "lm")
        )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
