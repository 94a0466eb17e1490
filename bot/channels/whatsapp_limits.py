"""WhatsApp's size limits, and cutting or splitting text at them without breaking a word."""

from __future__ import annotations

import regex

MAX_TEXT = 4096
MAX_BODY = 1024  # the body of an interactive message
MAX_CAPTION = 1024
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_LIST_BUTTON = 20
ELLIPSIS = "…"

_GRAPHEME = regex.compile(r"\X")
_BREAKS = ("\n\n", "\n", " ")


def graphemes(text: str) -> list[str]:
    """The user-perceived characters of `text` (an emoji with modifiers is one)."""
    return _GRAPHEME.findall(text)


def cut(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else its longest head that ends a word, + `…`.

    A single word longer than the limit is cut between graphemes. Whatever is cut, no
    grapheme (a letter with its marks, an emoji sequence) is ever split.
    """
    text = text.strip()
    if len(text) <= limit:
        return text
    head = _head(text, limit - len(ELLIPSIS))
    return head.rstrip(" ,.;:-–") + ELLIPSIS


def split(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, split at paragraphs, lines or words."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        head = _head(rest, limit)
        pieces.append(head.rstrip())
        rest = rest[len(head) :].strip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def _head(text: str, limit: int) -> str:
    """The longest prefix of whole graphemes within `limit`, ending at a break if one exists."""
    length = 0
    for grapheme in graphemes(text):
        if length + len(grapheme) > limit:
            break
        length += len(grapheme)
    whole = text[:length]
    if length == len(text) or text[length].isspace():
        return whole
    for mark in _BREAKS:
        at = whole.rfind(mark)
        if at > limit // 3:
            return whole[:at]
    return whole
