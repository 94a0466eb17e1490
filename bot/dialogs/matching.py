"""Free text where a button was expected: digits (any script), letters, or the option's words."""

from __future__ import annotations

import re
import unicodedata

_LETTERS = "abcd"
_PUNCTUATION = re.compile(r"[\s\.,;:!?\"'()\[\]«»“”‘’–—،؛؟-]+")
# Arabic-script letters that keyboards write in two ways: Arabic yeh, alef maksura and kaf
# for the Persian ones, and alef with hamza or madda often written as bare alef.
_ARABIC_SPELLING = str.maketrans(
    {"ي": "ی", "ى": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ـ": None}
)
_JOINERS = str.maketrans({"\u200c": " ", "\u200d": None})


def normalize(text: str) -> str:
    """Case-folded, digits of any script as ASCII, punctuation and extra spaces removed.

    Arabic-script spelling variants are folded too (vowel marks, tatweel, Arabic and Persian
    yeh and kaf, ZWNJ typed as a space), so typed words match however the keyboard wrote them.
    """
    folded = unicodedata.normalize("NFKC", text).translate(_JOINERS).translate(_ARABIC_SPELLING)
    digits = "".join(_ascii_digit(ch) for ch in folded if not _arabic_mark(ch))
    return _PUNCTUATION.sub(" ", digits.casefold()).strip()


def match_option(text: str, labels: list[str]) -> int | None:
    """Which of the shown options (0-based, in shown order) the text names, if any.

    Accepts "1"–"4" (also ١ ۱ and other scripts' digits, and keycap emoji such as 1️⃣), "A"–"D",
    and the option's own text.
    """
    said = normalize(text.replace("\ufe0f", "").replace("\u20e3", ""))
    if said.isdigit() and 1 <= int(said) <= len(labels):
        return int(said) - 1
    if len(said) == 1 and said in _LETTERS[: len(labels)]:
        return _LETTERS.index(said)
    wanted = [normalize(label) for label in labels]
    return wanted.index(said) if said and said in wanted else None


def _arabic_mark(ch: str) -> bool:
    """An Arabic vowel or other combining mark (harakat, shadda, superscript alef)."""
    return "\u0610" <= ch <= "\u061a" or "\u064b" <= ch <= "\u065f" or ch == "\u0670"


def _ascii_digit(ch: str) -> str:
    if ch.isdigit() and not ch.isascii():
        return str(unicodedata.digit(ch, 0))
    return ch
