"""Catalogs: a language's file is read when the language is first asked for, not at start."""

from __future__ import annotations

from pathlib import Path

from bot.framework.i18n import Catalogs

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: {lang}\\n"

msgid "Hello"
msgstr "{hello}"
"""


def write(root: Path, lang: str, hello: str) -> None:
    folder = root / lang / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "messages.po").write_text(PO.format(lang=lang, hello=hello), encoding="utf-8")


def test_a_catalog_is_read_when_first_asked_for(tmp_path: Path) -> None:
    write(tmp_path, "sl", "Zdravo")
    catalogs = Catalogs(tmp_path, "en")
    write(tmp_path, "sl", "Živjo")  # changed after start, before anyone asked for Slovenian
    assert catalogs.languages == ("en", "sl")
    assert catalogs.best_match("sl-SI") == "sl"
    assert catalogs.get("sl").gettext("Hello") == "Živjo"
    write(tmp_path, "sl", "Pozdravljeni")  # once read, kept
    assert catalogs.get("sl").gettext("Hello") == "Živjo"
    assert catalogs.get("xx").gettext("Hello") == "Hello"
    assert catalogs.get(None).locale == "en"
    assert catalogs.best_match("de") is None
