"""Direction marks for chat texts: right-to-left paragraphs with Latin words and numbers inside.

Messaging apps guess each paragraph's direction from its first strong letter, and a Latin run
such as `/start /help` or a link inside Arabic text loses its leading `/` to the wrong side.
Channels that send plain text (Telegram, WhatsApp) pass a message through `for_direction`
before sending it; `isolate` wraps a value of unknown direction (a name, a code) that is put
into a sentence. The marks are invisible format characters (Unicode UAX #9).
"""

from __future__ import annotations

import re
import unicodedata

LRI = "\u2066"
"""Left-to-right isolate: what follows, up to PDI, is laid out left to right on its own."""
FSI = "\u2068"
"""First-strong isolate: like LRI or RLI, whichever the isolated text's first letter asks for."""
PDI = "\u2069"
"""Pop directional isolate: ends LRI, RLI or FSI."""
RLM = "\u200f"
"""Right-to-left mark: an invisible strong right-to-left letter."""

_MARKS = frozenset((LRI, FSI, PDI, RLM, "\u2067", "\u200e"))
_LTR = "A-Za-z0-9\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff"  # Latin, Greek, Cyrillic, digits
_INNER = _LTR + r"./:@#?=&%+_\-"
_RUN = re.compile(rf"[/#@+]?[{_LTR}](?:[{_INNER}]|[ ](?=[/#@+]?[{_LTR}]))*")
_TRAILING = ".,:;?!"


def isolate(value: str) -> str:
    """`value` wrapped in FSI…PDI, so its direction cannot disturb the sentence around it.

    Args:
        value: A name, code or number put into a sentence of either direction.

    Returns:
        The value between isolate marks; empty text stays empty.
    """
    return f"{FSI}{value}{PDI}" if value else value


def for_direction(text: str, *, rtl: bool) -> str:
    """Text marked up so that a plain-text chat shows it in the right order.

    For a right-to-left message, every line starts with RLM (the paragraph is right to left
    even when it starts with a Latin word or a number), and each run of Latin, Greek or
    Cyrillic words, digits and link punctuation is isolated left to right, so `/start /help`,
    `SOC 2` and `https://…/v/ab12` keep their order. Sentence punctuation after a run stays
    outside it. Left-to-right text is returned unchanged. Applying it twice changes nothing.

    Args:
        text: The message, in logical order, as the dialogs wrote it.
        rtl: Whether the message's language is written right to left.

    Returns:
        The text with invisible direction marks added.
    """
    if not rtl or not text:
        return text
    lines = strip_marks(text).split("\n")
    return "\n".join(RLM + _RUN.sub(_isolated_run, line) if line else line for line in lines)


def starts_rtl(text: str) -> bool:
    """Whether the first strong letter of `text` (or an RLM) is right to left.

    For texts that carry no language (captions), the same guess the apps make.
    """
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return True
        if kind == "L":
            return False
    return False


def strip_marks(text: str) -> str:
    """`text` without any of the direction marks this module adds."""
    return "".join(char for char in text if char not in _MARKS)


def _isolated_run(match: re.Match[str]) -> str:
    run = match.group(0)
    core = run.rstrip(_TRAILING)
    return f"{LRI}{core}{PDI}{run[len(core) :]}"
