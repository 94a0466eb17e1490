"""Translations: gettext catalogs in locales/, read with Babel, one Translator per language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.framework.language_names import own_name

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "ckb"})


def gettext(message: str) -> str:
    """Mark a text for the catalogs; a `Translator` translates it where it is shown."""
    return message


def is_rtl(language: str | None) -> bool:
    """Whether a language code (`ar`, `fa_IR`, `fa-AF`) is written right to left."""
    return (language or "").replace("-", "_").split("_")[0].lower() in RTL_LANGUAGES


@dataclass(frozen=True, slots=True)
class Translator:
    """Looks up UI strings (`gettext`) and content texts (`pgettext`) in one language."""

    locale: str
    messages: dict[tuple[str | None, str], str]

    @property
    def rtl(self) -> bool:
        """True for right-to-left scripts."""
        return is_rtl(self.locale)

    def gettext(self, message: str) -> str:
        """The translation of a UI string, or the English source when missing."""
        return self.messages.get((None, message)) or message

    def pgettext(self, context: str, message: str) -> str:
        """The translation of a content text identified by `context` (e.g. `SC-SOC-01.a`)."""
        return self.messages.get((context, message)) or message

    def long_date(self, day: date) -> str:
        """`day` written out in this language (`3. marec 2025`), as Babel's CLDR data has it."""
        from babel.dates import format_date  # loaded with the first date shown

        return format_date(day, format="long", locale=self.locale)


class Catalogs:
    """All languages found under `locales/`, plus the source language.

    A language's catalog is read the first time it is asked for (reading all twelve took
    0.4 s of every start, and their memory, though most people use one or two).
    """

    def __init__(self, locales_dir: Path, source_language: str = "en") -> None:
        self.source_language = source_language
        self._translators = {source_language: Translator(source_language, {})}
        self._files = {
            po_path.parent.parent.name: po_path
            for po_path in sorted(locales_dir.glob("*/LC_MESSAGES/messages.po"))
        }
        self._files.pop(source_language, None)

    @property
    def languages(self) -> tuple[str, ...]:
        """Language codes, the source language first."""
        return (self.source_language, *sorted(self._files))

    def get(self, language: str | None) -> Translator:
        """The translator for a language, falling back to the source language."""
        found = self._translators.get(language or "")
        if found is not None:
            return found
        path = self._files.get(language or "")
        if path is None:
            return self._translators[self.source_language]
        assert language is not None
        translator = self._translators[language] = Translator(language, _read(path))
        return translator

    def best_match(self, hint: str | None) -> str | None:
        """The supported language closest to a platform hint such as `sl-SI` or `pt_BR`."""
        if not hint:
            return None
        base = hint.replace("-", "_").split("_")[0].lower()
        return base if base == self.source_language or base in self._files else None

    def native_name(self, language: str) -> str:
        """The language's own name for itself, capitalised (e.g. `Slovenščina`)."""
        name = own_name(language)
        return name[:1].upper() + name[1:]


def _read(po_path: Path) -> dict[tuple[str | None, str], str]:
    from babel.messages.pofile import read_po  # loaded with the first catalog read

    with po_path.open("rb") as handle:
        catalog = read_po(handle)
    messages: dict[tuple[str | None, str], str] = {}
    for message in catalog:
        if message.id and isinstance(message.id, str) and message.string and not message.fuzzy:
            messages[(message.context, message.id)] = str(message.string)
    return messages
