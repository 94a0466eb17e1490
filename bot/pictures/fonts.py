"""Find a font file on this machine for a script, so pictures show real letters, not boxes."""

from __future__ import annotations

import importlib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from bot.pictures.coverage import first_covering

if TYPE_CHECKING:  # Pillow itself is loaded with the first picture drawn
    from PIL import ImageDraw, ImageFont

FontType: TypeAlias = "ImageFont.FreeTypeFont | ImageFont.ImageFont"
"""What `load_font` returns: a TrueType font, or Pillow's bundled one when none is found."""

FONT_DIRS: tuple[Path, ...] = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local/share/fonts",
    Path.home() / ".fonts",
)


@cache
def has_raqm() -> bool:
    """Whether Pillow can shape text itself (libraqm with FriBiDi and HarfBuzz)."""
    from PIL import features

    return bool(features.check("raqm"))


class Script(Enum):
    """The writing systems we pick fonts for; the value is the Unicode name's first word."""

    LATIN = "LATIN"  # also Cyrillic and Greek: Noto Sans and DejaVu Sans cover all three
    ARABIC = "ARABIC"  # Arabic, Persian, Urdu, Pashto
    HEBREW = "HEBREW"
    ETHIOPIC = "ETHIOPIC"  # Tigrinya, Amharic
    DEVANAGARI = "DEVANAGARI"
    BENGALI = "BENGALI"
    TAMIL = "TAMIL"
    THAI = "THAI"
    ARMENIAN = "ARMENIAN"
    GEORGIAN = "GEORGIAN"


_LATIN_REGULAR = ("NotoSans-Regular.ttf", "DejaVuSans.ttf", "LiberationSans-Regular.ttf")
_LATIN_BOLD = ("NotoSans-Bold.ttf", "DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf")
_EXTRA: dict[Script, tuple[str, ...]] = {
    Script.ARABIC: ("NotoSansArabic", "NotoNaskhArabic"),
}


def file_names(script: Script, *, bold: bool, latin_last: bool = True) -> tuple[str, ...]:
    """Preferred file names: the script's Noto families, then (`latin_last`) a Latin font."""
    latin = _LATIN_BOLD if bold else _LATIN_REGULAR
    if script is Script.LATIN:
        return latin
    families = _EXTRA.get(script, ("NotoSans" + script.value.title(),))
    weight = "Bold" if bold else "Regular"
    return tuple(f"{family}-{weight}.ttf" for family in families) + (latin if latin_last else ())


def script_of(text: str) -> Script:
    """The script of the first letter in `text` that is not Latin, Cyrillic or Greek.

    Args:
        text: Any text; digits, spaces and punctuation are ignored.

    Returns:
        The first such script we have fonts for, else `Script.LATIN`.
    """
    for char in text:
        if char.isalpha():
            first_word = unicodedata.name(char, "LATIN").split()[0]
            if first_word in _SCRIPTS and first_word != "LATIN":
                return Script(first_word)
    return Script.LATIN


_SCRIPTS = {script.value for script in Script}


def find_font(
    script: Script, *, bold: bool = False, dirs: Sequence[Path] = FONT_DIRS
) -> Path | None:
    """The best installed font file for a script, or None if there is none.

    Args:
        script: Which letters the font must have.
        bold: Prefer a bold face.
        dirs: Folders searched recursively, in order.

    Returns:
        The path of the first preferred file name found, or None.
    """
    return _first_match(file_names(script, bold=bold), tuple(dirs))


def find_named(names: Sequence[str], dirs: Sequence[Path] = FONT_DIRS) -> Path | None:
    """The first installed font file among `names` (file names such as "DejaVuSans.ttf")."""
    return _first_match(tuple(names), tuple(dirs))


@lru_cache(maxsize=32)
def _first_match(names: tuple[str, ...], dirs: tuple[Path, ...]) -> Path | None:
    found = _index(dirs)
    return next((found[name] for name in names if name in found), None)


@lru_cache(maxsize=4)
def _index(dirs: tuple[Path, ...]) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in _font_files(dirs):
        found.setdefault(path.name, path)
    return found


def _font_files(dirs: Iterable[Path]) -> Iterable[Path]:
    for folder in dirs:
        if folder.is_dir():
            yield from sorted(folder.rglob("*.[ot]tf"))


def font_for(text: str, *, bold: bool = False, dirs: Sequence[Path] = FONT_DIRS) -> Path | None:
    """The font file that draws `text`: the script's fonts, then Latin ones, first that has all.

    Noto Sans Arabic has no "…" nor Latin letters, for example; a text with those falls back
    to the next font that has every character (DejaVu Sans has Arabic, Persian and "…").

    Args:
        text: The whole text that is drawn with one font.
        bold: Prefer bold faces.
        dirs: Folders searched recursively.

    Returns:
        The first preferred installed file that has a glyph for every character, else the one
        that misses fewest; None if no font is installed.
    """
    return _covering(text, bold, tuple(dirs))


@lru_cache(maxsize=4096)
def _covering(text: str, bold: bool, dirs: tuple[Path, ...]) -> Path | None:
    found = _index(dirs)
    names = file_names(script_of(text), bold=bold)
    return first_covering(text, [found[name] for name in names if name in found])


def load_text_font(text: str, size: int, *, bold: bool = False) -> FontType:
    """A font of `size` pixels that has every character of `text` (see `font_for`)."""
    path = font_for(text, bold=bold)
    return load_font(script_of(text), size, bold=bold) if path is None else _load(path, size)


@lru_cache(maxsize=128)
def _load(path: Path, size: int) -> FontType:
    from PIL import ImageFont

    engine = ImageFont.Layout.RAQM if has_raqm() else ImageFont.Layout.BASIC
    return ImageFont.truetype(str(path), size=size, layout_engine=engine)


@lru_cache(maxsize=64)
def load_font(script: Script, size: int, *, bold: bool = False) -> FontType:
    """A font of `size` pixels for a script; Pillow's bundled font if no file is installed.

    Args:
        script: Which letters the font must have.
        size: Em size in pixels.
        bold: Prefer a bold face.

    Returns:
        A loaded font; cached, so callers may ask again cheaply.
    """
    from PIL import ImageFont

    path = find_font(script, bold=bold)
    if path is None:
        return ImageFont.load_default(size=size)
    return _load(path, size)


@dataclass(frozen=True, slots=True)
class PreparedText:
    """Text ready for `ImageDraw.text`: the string plus the direction to pass, if any."""

    text: str
    direction: str | None


def prepare_text(text: str, *, rtl: bool, raqm: bool | None = None) -> PreparedText:
    """Get text ready to draw, shaping and reordering right-to-left scripts.

    With raqm, Pillow shapes and orders the text itself; we only pass the paragraph direction.
    Without it, Arabic letters must be joined (`arabic-reshaper`) and put in visual order
    (`python-bidi`) before drawing; if those packages are missing the text is drawn as is.

    Args:
        text: Logical-order text, as stored.
        rtl: The paragraph runs right to left.
        raqm: Whether Pillow's raqm layout is in use (a parameter so tests can take both paths;
            None: whether it is installed).

    Returns:
        The string and the `direction` argument for Pillow.
    """
    if has_raqm() if raqm is None else raqm:
        return PreparedText(text, "rtl" if rtl else "ltr")
    if script_of(text) is Script.LATIN:
        return PreparedText(text, None)
    return PreparedText(_visual_order(text, rtl=rtl), None)


def _visual_order(text: str, *, rtl: bool) -> str:
    try:
        reshaper = importlib.import_module("arabic_reshaper")
        bidi = importlib.import_module("bidi")
    except ImportError:
        return text
    return str(bidi.get_display(reshaper.reshape(text), base_dir="R" if rtl else "L"))


def text_width(text: str, size: int, *, bold: bool = False, rtl: bool = False) -> float:
    """How wide `text` is when drawn at `size` pixels with the font `draw_text` would pick."""
    font = load_text_font(text, size, bold=bold)
    prepared = prepare_text(text, rtl=rtl)
    return font.getlength(prepared.text, direction=prepared.direction)


def fit_size(text: str, max_width: float, size: int, *, min_size: int, bold: bool = False) -> int:
    """The largest size from `size` down to `min_size` at which `text` fits in `max_width`."""
    while size > min_size and text_width(text, size, bold=bold) > max_width:
        size -= 2
    return max(size, min_size)


@dataclass(frozen=True, slots=True)
class TextStyle:
    """How to draw one piece of text."""

    size: int
    fill: str = "#111111"
    bold: bool = False
    rtl: bool = False
    anchor: str = "lm"


def draw_text(
    draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, style: TextStyle
) -> None:
    """Draw text with a font that has its letters, shaped and ordered for its direction.

    Args:
        draw: Where to draw.
        xy: The anchor point (see Pillow's text anchors; "rm" right-aligns for rtl layouts).
        text: Logical-order text.
        style: Size, colour, weight, direction and anchor.
    """
    font = load_text_font(text, style.size, bold=style.bold)
    prepared = prepare_text(text, rtl=style.rtl)
    draw.text(
        xy,
        prepared.text,
        fill=style.fill,
        font=font,
        anchor=style.anchor,
        direction=prepared.direction,
    )
