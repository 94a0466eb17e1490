"""Is a walk in one language? No sentence of another shipped catalog may appear in it."""

from __future__ import annotations

from functools import cache

from bot.config import DEFAULT_LOCALES
from bot.framework.bilingual import LRM, RLM
from bot.framework.i18n import Catalogs

LANGUAGES = Catalogs(DEFAULT_LOCALES).languages
MIN_WORDS = 3  # shorter texts (names, "OK", "Dva jezika") may be the same in two languages


@cache
def foreign_sentences(language: str) -> tuple[str, ...]:
    """Every catalog sentence of the other languages that this language's catalog never uses."""
    catalogs = Catalogs(DEFAULT_LOCALES)
    own = set(catalogs.get(language).messages.values())
    own |= {msgid for _ctx, msgid in catalogs.get("sl").messages} if language == "en" else set()
    foreign: set[str] = set()
    for other in catalogs.languages:
        if other == language:
            continue
        texts = list(catalogs.get(other).messages.values())
        if other == "en":  # the source catalog is empty: its texts are the message ids
            texts = [msgid for _ctx, msgid in catalogs.get("sl").messages]
        foreign |= {text for text in texts if len(text.split()) >= MIN_WORDS}
    return tuple(sorted(foreign - own, key=len, reverse=True))


def strays(texts: list[str], language: str) -> list[tuple[str, str]]:
    """(shown text, foreign sentence in it) for each text that is not all in `language`."""
    needles = foreign_sentences(language)
    found = []
    for text in texts:
        plain = text.replace(RLM, "").replace(LRM, "")
        hit = next((needle for needle in needles if needle in plain), None)
        if hit is not None:
            found.append((text, hit))
    return found
