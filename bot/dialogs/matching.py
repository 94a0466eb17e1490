"""Free text where a button was expected: digits (any script), letters, or the option's words."""

from __future__ import annotations

import re
import unicodedata

_LETTERS = "abcd"
_PUNCTUATION = re.compile(r"[\s\.,;:!?\"'()\[\]«»“”‘’–—-]+")


def normalize(text: str) -> str:
    """Case-folded, digits of any script as ASCII, punctuation and extra spaces removed."""
    digits = "".join(_ascii_digit(ch) for ch in unicodedata.normalize("NFKC", text))
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


def _ascii_digit(ch: str) -> str:
    if ch.isdigit() and not ch.isascii():
        return str(unicodedata.digit(ch, 0))
    return ch
