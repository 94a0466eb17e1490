"""The shipped languages' names, copied from Babel's CLDR data so as not to load it at run time."""

from __future__ import annotations

from functools import cache

NAMES: dict[str, tuple[str, str]] = {
    "ar": ("العربية", "Arabic"),
    "de": ("Deutsch", "German"),
    "el": ("Ελληνικά", "Greek"),
    "en": ("English", "English"),
    "fa": ("فارسی", "Persian"),
    "hr": ("hrvatski", "Croatian"),
    "it": ("italiano", "Italian"),
    "nl": ("Nederlands", "Dutch"),
    "ru": ("русский", "Russian"),
    "sl": ("slovenščina", "Slovenian"),
    "tr": ("Türkçe", "Turkish"),
    "uk": ("українська", "Ukrainian"),
}
"""Code: (the language's name for itself, its English name), as Babel gives them.

Asking Babel loads a language's whole CLDR data (about 1.5 MB each, kept for good), and the
language picker names all twelve to each new person. tests/framework/test_language_names.py
checks this table against Babel for every catalog under locales/.
"""


@cache
def own_name(code: str) -> str:
    """The language's name for itself as CLDR writes it (`slovenščina`), else the code."""
    if code in NAMES:
        return NAMES[code][0]
    return _babel_name(code, code)


@cache
def english_name(code: str) -> str:
    """The language's English name (`fa` → `Persian`), else the code."""
    if code in NAMES:
        return NAMES[code][1]
    return _babel_name(code, "en")


def _babel_name(code: str, locale: str) -> str:
    from babel import Locale  # only for a language not in NAMES

    return Locale.parse(code).get_display_name(locale) or code
