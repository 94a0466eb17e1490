"""Which characters a font file has (its cmap), and the first font of a list that has them all."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=64)
def code_points(path: Path) -> frozenset[int]:
    """The code points a font file maps to glyphs (its best Unicode cmap).

    Args:
        path: A .ttf or .otf file (the first face of a collection).

    Returns:
        The set of code points; empty if the file has no Unicode cmap.
    """
    from fontTools.ttLib import TTFont  # here: fontTools is only needed for pictures

    with TTFont(str(path), lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap() or {})


def drawn(text: str) -> str:
    """The characters of `text` that need a glyph: not format marks nor variation selectors.

    Direction isolates, ZWJ and ZWNJ are read by the shaper and drawn as nothing.
    """
    return "".join(
        char
        for char in text
        if unicodedata.category(char) != "Cf" and not 0xFE00 <= ord(char) <= 0xFE0F
    )


def missing(text: str, path: Path) -> set[str]:
    """The characters of `text` that the font at `path` cannot draw."""
    have = code_points(path)
    return {char for char in drawn(text) if ord(char) not in have}


def first_covering(text: str, candidates: Sequence[Path]) -> Path | None:
    """The first font that draws every character of `text`, else the one that misses fewest.

    Args:
        text: What is to be drawn with one font.
        candidates: Installed font files, most preferred first.

    Returns:
        A path from `candidates`, or None when it is empty.
    """
    best: tuple[int, Path] | None = None
    for path in candidates:
        lacking = len(missing(text, path))
        if lacking == 0:
            return path
        if best is None or lacking < best[0]:
            best = (lacking, path)
    return best[1] if best else None
