"""Two languages at once: a message again in a second language, from the same message ids."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.framework.i18n import Translator

SEPARATOR = "┄┄┄┄┄"
_PLACEHOLDER = re.compile(r"\\\{(\w+)\\\}")
LRM, RLM = "\u200e", "\u200f"


@dataclass(frozen=True, slots=True)
class RecordingTranslator(Translator):
    """A translator that remembers which message id gave each text it returned.

    `seen` maps a returned text to its `(context, message id)`; the dialogs use it unchanged, and
    `echo` turns what they composed into the second language by the same ids.
    """

    seen: dict[str, tuple[str | None, str]] = field(default_factory=dict)

    @classmethod
    def wrap(cls, translator: Translator) -> RecordingTranslator:
        """A recording copy of `translator` (the catalog is shared, not copied)."""
        return cls(translator.locale, translator.messages)

    def gettext(self, message: str) -> str:
        """As `Translator.gettext`, remembered."""
        text = Translator.gettext(self, message)
        self.seen.setdefault(text, (None, message))
        return text

    def pgettext(self, context: str, message: str) -> str:
        """As `Translator.pgettext`, remembered."""
        text = Translator.pgettext(self, context, message)
        self.seen.setdefault(text, (context, message))
        return text


def echo(text: str, primary: RecordingTranslator, second: Translator) -> str:
    """`text` with every catalog text the dialogs put in it replaced by its `second` translation.

    Emoji, numbers, names and anything not from a catalog stay as they are. A text with
    placeholders (`I will write {name} …`) is matched as a pattern and refilled.
    """
    if not primary.seen:
        return text
    found = sorted(primary.seen, key=len, reverse=True)
    patterns, targets = [], []
    for number, shown in enumerate(found):
        pattern = _PLACEHOLDER.sub(rf"(?P<v{number}_\1>.+?)", re.escape(shown))
        patterns.append(f"(?P<p{number}>{pattern})")
        context, msgid = primary.seen[shown]
        targets.append(second.pgettext(context, msgid) if context else second.gettext(msgid))

    def swap(match: re.Match[str]) -> str:
        number = int((match.lastgroup or "p0")[1:])
        prefix = f"v{number}_"
        groups = match.groupdict().items()
        values = {k.removeprefix(prefix): v for k, v in groups if k.startswith(prefix)}
        return targets[number].format(**values) if values else targets[number]

    return re.sub("|".join(patterns), swap, text)


def isolate_block(text: str, rtl: bool) -> str:
    """One language's block, each line opened with its direction's mark.

    The one place a block is made direction-safe: a chat app takes each line's direction from
    its first strong character, so an Arabic block under a Slovenian one stays right-to-left
    and the other way round. (The neutral bidi helper of bot/framework can replace this.)
    """
    mark = RLM if rtl else LRM
    return "\n".join(mark + line if line else line for line in text.split("\n"))


def join_blocks(first: str, first_rtl: bool, second: str, second_rtl: bool) -> str:
    """Both blocks, the second under a thin line; mixed directions are each isolated."""
    if first_rtl == second_rtl:
        return f"{first}\n{SEPARATOR}\n{second}"
    return f"{isolate_block(first, first_rtl)}\n{SEPARATOR}\n{isolate_block(second, second_rtl)}"
