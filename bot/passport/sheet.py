"""What the passport shows, in its language(s): plain data, loaded with no PDF library."""

from __future__ import annotations

from dataclasses import dataclass

Pair = tuple[str, str]
"""A line and its optional second-language version (empty when there is none)."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One badge on the passport, its lines already in the page's language(s).

    Attributes:
        label: The category, in the label column.
        lines: Title and level, how and when it was earned, ESCO skills; each a (first, second)
            pair where `second` is the country's language or empty.
        url: The verification page: a link and a QR code.
        colour: The category colour, for a thin bar beside the block.
    """

    label: Pair
    lines: tuple[Pair, ...]
    url: str
    colour: str


@dataclass(frozen=True, slots=True)
class Sheet:
    """Everything on the passport.

    Attributes:
        title: The document's title ("Skills passport").
        facts: Label and value rows under the title: the first name if given, the date.
        intro: One sentence on what the badges are and how to check them.
        section: The heading of the badges ("Soft skills").
        entries: The badges.
        rtl: The page runs right to left (columns mirrored, lines aligned right).
        empty: Said instead of badges when there are none.
        check: Words before each verification link ("Check this badge").
        lang: The page's language code, for screen readers.
    """

    title: Pair
    facts: tuple[tuple[Pair, str], ...] = ()
    intro: Pair = ("", "")
    section: Pair = ("", "")
    entries: tuple[Entry, ...] = ()
    rtl: bool = False
    empty: str = ""
    check: str = ""
    lang: str = ""

    def text(self) -> str:
        """Every character the passport may show, for picking fonts."""
        pairs = [self.title, self.intro, self.section, *(name for name, _ in self.facts)]
        for entry in self.entries:
            pairs += [entry.label, *entry.lines, (entry.url, "")]
        values = [value for _, value in self.facts]
        return " ".join([*(a + b for a, b in pairs), *values, self.empty, self.check, "·…:/"])
