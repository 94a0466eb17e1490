"""The console's language: the browser's Accept-Language before login, the counsellor's after."""

from __future__ import annotations

from bot.counsel.console.templates import form, select
from bot.framework.i18n import Catalogs, Translator

PATH = "/counsellor/language"


def from_header(header: str | None, catalogs: Catalogs) -> Translator:
    """The translator for the best shipped language in an Accept-Language header (else English).

    ``sl-SI,sl;q=0.9,en;q=0.8`` gives Slovenian; entries with ``q=0`` are refused; equal
    weights keep the browser's order.
    """
    weighted: list[tuple[float, int, str]] = []
    for place, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if tag and weight > 0:
            weighted.append((-weight, place, tag.strip()))
    for _weight, _place, tag in sorted(weighted):
        found = catalogs.best_match(tag)
        if found is not None:
            return catalogs.get(found)
    return catalogs.get(catalogs.source_language)


def picker(t: Translator, catalogs: Catalogs, csrf: str) -> str:
    """A small form at the foot of each page: the counsellor's language, by its own name."""
    names = [(code, catalogs.native_name(code)) for code in catalogs.languages]
    fields = select("language", "🌐 " + t.gettext("Language of the console"), names, t.locale)
    change = t.gettext("Change")
    return f"<footer>{form(PATH, csrf, fields, change, 'quiet')}</footer>"
