"""The language picker: every shipped catalog, likely ones first, in pages of at most 10 rows.

The languages are the catalogs under `locales/` (`Catalogs.languages`), the one source of truth.
Each row shows the language's own name in its own script after a 🗣️ ("the language you
speak"); flags are not used because they stand for countries, not languages (Arabic is spoken in
twenty countries, Persian in three, and a flag can exclude or offend). A page holds at most
`MAX_ROWS` rows, WhatsApp's list limit and the smallest of our channels, so every channel shows
the same pages: when more languages ship than fit, the last row is 🌐 ➡️ with the names that
follow, and the next page starts with ⬅️.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.dialogs.matching import match_option
from bot.framework.bidi import isolate
from bot.framework.i18n import Catalogs
from bot.framework.keyboards import Button, Keyboard
from bot.framework.language_names import english_name

PARTNER_LANGUAGES = ("sl", "hr", "it", "el", "nl")
"""The local languages of the SoftSkills4EU partner countries (SI, HR, IT, CY, NL)."""
MAX_ROWS = 10
"""Rows on one page, navigation included: WhatsApp's list message holds 10."""
MORE_NAMES = 3
"""How many of the next page's names the 🌐 ➡️ row shows."""
LANGUAGE_ICON = "🗣️"


def ordered_languages(catalogs: Catalogs, guess: str | None) -> list[str]:
    """Every shipped language in the picker's order.

    The channel's guess first, then the partner countries' languages, then the source
    language (English), then the rest by their English names (so no script is pushed back
    as a block).

    Args:
        catalogs: The shipped catalogs.
        guess: A shipped language code the channel suggests, or None.

    Returns:
        Language codes, each once.
    """
    codes = list(catalogs.languages)
    first = [guess] if guess in codes else []
    partners = [code for code in PARTNER_LANGUAGES if code in codes]
    source = [catalogs.source_language]
    rest = sorted(set(codes) - {*first, *partners, *source}, key=english_name)
    return list(dict.fromkeys([*first, *partners, *source, *rest]))


def pages(codes: list[str], max_rows: int = MAX_ROWS) -> list[list[str]]:
    """Split the ordered codes into pages that fit `max_rows` with their navigation rows.

    Args:
        codes: Languages in picker order.
        max_rows: Rows a page may hold, ⬅️ and 🌐 ➡️ included (at least 3).

    Returns:
        One list of codes per page; a single page when everything fits.
    """
    result: list[list[str]] = []
    rest = list(codes)
    while rest:
        room = max_rows - (1 if result else 0)  # ⬅️ on every page but the first
        if len(rest) > room:
            room -= 1  # 🌐 ➡️
        result.append(rest[:room])
        rest = rest[room:]
    return result or [[]]


@dataclass(frozen=True, slots=True)
class LanguagePage:
    """One page of the picker, as neutral buttons."""

    keyboard: Keyboard
    page: int
    count: int


def language_page(
    catalogs: Catalogs, guess: str | None, page: int, back_label: str
) -> LanguagePage:
    """The keyboard of page `page` (clamped to the pages there are).

    Args:
        catalogs: The shipped catalogs (names come from Babel's locale data).
        guess: The channel's language, shown first.
        page: Which page, 0 first.
        back_label: The word for ⬅️ in the person's current language.

    Returns:
        The page's keyboard: ⬅️ (after the first page), the languages, 🌐 ➡️ (when more follow).
    """
    split = pages(ordered_languages(catalogs, guess))
    page = max(0, min(page, len(split) - 1))
    rows = [Button(f"{LANGUAGE_ICON} {catalogs.native_name(c)}", f"lang:{c}") for c in split[page]]
    if page > 0:
        rows.insert(0, Button(f"⬅️ {back_label}", f"langs:{page - 1}"))
    if page + 1 < len(split):
        following = split[page + 1]
        names = " · ".join(isolate(catalogs.native_name(c)) for c in following[:MORE_NAMES])
        more = "…" if len(following) > MORE_NAMES else ""
        rows.append(Button(f"🌐 ➡️ {names}{more}", f"langs:{page + 1}"))
    return LanguagePage(Keyboard.column(rows), page, len(split))


def typed_language(catalogs: Catalogs, text: str, guess: str | None) -> str | None:
    """The language a typed answer names: its number in picker order, name or code.

    Args:
        catalogs: The shipped catalogs.
        text: What the person typed ("3", "٣", "العربية", "arabic", "ar").
        guess: The language the picker put first.

    Returns:
        A shipped language code, or None.
    """
    codes = ordered_languages(catalogs, guess)
    for names in (
        [catalogs.native_name(code) for code in codes],
        [english_name(code) for code in codes],
        codes,
    ):
        index = match_option(text, names)
        if index is not None:
            return codes[index]
    return None
