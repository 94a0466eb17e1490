"""Private font lookup under /usr/share/fonts until ``bot/fonts.py`` exists."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from PIL import ImageFont, features

FONT_ROOT = Path("/usr/share/fonts/truetype")

# Script name (first word of the Unicode character name) → Noto family.
_SCRIPT_FAMILY = {
    "ARABIC": "NotoSansArabic",
    "HEBREW": "NotoSansHebrew",
    "DEVANAGARI": "NotoSansDevanagari",
    "ETHIOPIC": "NotoSansEthiopic",
    "BENGALI": "NotoSansBengali",
    "THAI": "NotoSansThai",
    "ARMENIAN": "NotoSansArmenian",
    "GEORGIAN": "NotoSansGeorgian",
    "TAMIL": "NotoSansTamil",
}
_FALLBACKS = ("noto/NotoSans-{w}.ttf", "dejavu/DejaVuSans-{w}.ttf", "dejavu/DejaVuSans.ttf")


def script_of(text: str) -> str:
    """Return the first non-Latin script named in ``text`` (or ``"LATIN"``)."""
    for char in text:
        if char.isalpha():
            script = unicodedata.name(char, "LATIN").split()[0]
            if script in _SCRIPT_FAMILY:
                return script
    return "LATIN"


def _candidates(script: str, weight: str) -> list[Path]:
    family = _SCRIPT_FAMILY.get(script)
    names = [f"noto/{family}-{weight}.ttf", f"noto/{family}-Regular.ttf"] if family else []
    names += [name.format(w=weight) for name in _FALLBACKS]
    return [FONT_ROOT / name for name in names]


@cache
def font_path(script: str, bold: bool) -> str | None:
    """Return a font file for a script, or None when no font is installed."""
    weight = "Bold" if bold else "Regular"
    return next((str(p) for p in _candidates(script, weight) if p.exists()), None)


@cache
def font_for(
    text: str, size: int, bold: bool = True
) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Return a font that covers ``text`` at ``size`` pixels.

    Uses the raqm layout engine (shaping and bidi for right-to-left scripts)
    whenever Pillow has it.

    Args:
        text: The text to draw.
        size: The font size in pixels.
        bold: Bold weight when available.

    Returns:
        A FreeType font, or Pillow's default font if none is installed.
    """
    path = font_path(script_of(text), bold)
    if path is None:
        return ImageFont.load_default(size)
    engine = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    return ImageFont.truetype(path, size, layout_engine=engine)
