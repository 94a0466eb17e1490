"""The language picker: the shipped catalogs, likely ones first, pages within 10 rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import DEFAULT_LOCALES
from bot.dialogs.languages import (
    MAX_ROWS,
    language_page,
    ordered_languages,
    pages,
    typed_language,
)
from bot.framework.bidi import strip_marks
from bot.framework.i18n import Catalogs

TWELVE = ("en", "sl", "hr", "it", "el", "nl", "de", "uk", "ru", "ar", "fa", "tr")
PO = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'


def catalogs_for(tmp_path: Path, codes: tuple[str, ...]) -> Catalogs:
    """Catalogs with empty .po files for `codes`: what ships decides what is offered."""
    for code in codes:
        folder = tmp_path / code / "LC_MESSAGES"
        folder.mkdir(parents=True)
        (folder / "messages.po").write_text(PO, encoding="utf-8")
    return Catalogs(tmp_path)


@pytest.fixture
def twelve(tmp_path: Path) -> Catalogs:
    return catalogs_for(tmp_path, TWELVE)


def labels(catalogs: Catalogs, guess: str | None, page: int) -> list[str]:
    keyboard = language_page(catalogs, guess, page, "Back").keyboard
    return [strip_marks(button.label) for button in keyboard.buttons()]


def test_every_shipped_catalog_is_offered() -> None:
    catalogs = Catalogs(DEFAULT_LOCALES)
    shipped = {p.parent.parent.name for p in DEFAULT_LOCALES.glob("*/LC_MESSAGES/messages.po")}
    offered = set()
    for page in range(len(pages(ordered_languages(catalogs, None)))):
        keyboard = language_page(catalogs, None, page, "Back").keyboard
        offered |= {b.payload[5:] for b in keyboard.buttons() if b.payload.startswith("lang:")}
    assert offered == shipped | {"en"}
    assert {"ar", "fa", "uk"} <= offered


def test_order_is_guess_partners_english_then_english_names(twelve: Catalogs) -> None:
    assert ordered_languages(twelve, None) == [
        *("sl", "hr", "it", "el", "nl", "en"),
        *("ar", "de", "fa", "ru", "tr", "uk"),  # Arabic, German, Persian, Russian, Turkish, ...
    ]
    assert ordered_languages(twelve, "fa")[:3] == ["fa", "sl", "hr"]
    assert ordered_languages(twelve, "xx") == ordered_languages(twelve, None)


def test_names_are_in_their_own_script(twelve: Catalogs) -> None:
    page_one = labels(twelve, "ar", 0)
    assert page_one[0] == "🗣️ العربية"
    everything = page_one + labels(twelve, "ar", 1)
    for name in ("Українська", "فارسی", "Ελληνικά", "Slovenščina", "Hrvatski", "Türkçe"):
        assert f"🗣️ {name}" in everything


@pytest.mark.parametrize("count", range(1, 30))
def test_pages_never_exceed_ten_rows_and_keep_every_language(count: int) -> None:
    codes = [f"l{n}" for n in range(count)]
    split = pages(codes)
    assert [code for page in split for code in page] == codes
    for number, page in enumerate(split):
        navigation = (number > 0) + (number < len(split) - 1)
        assert len(page) + navigation <= MAX_ROWS
    assert len(split) == 1 or all(split)


def test_twelve_languages_make_two_pages_with_more_and_back(twelve: Catalogs) -> None:
    first = language_page(twelve, None, 0, "Back").keyboard.buttons()
    second = language_page(twelve, None, 1, "Nazaj").keyboard.buttons()
    assert len(first) == MAX_ROWS
    assert first[-1].payload == "langs:1"
    assert strip_marks(first[-1].label) == "🌐 ➡️ Русский · Türkçe · Українська"
    assert (second[0].label, second[0].payload) == ("⬅️ Nazaj", "langs:0")
    assert [b.payload for b in second[1:]] == ["lang:ru", "lang:tr", "lang:uk"]


def test_a_page_past_the_end_shows_the_last(twelve: Catalogs) -> None:
    assert language_page(twelve, None, 7, "Back").page == 1


def test_few_languages_fit_one_page_without_navigation(tmp_path: Path) -> None:
    catalogs = catalogs_for(tmp_path, ("sl", "ar"))
    assert labels(catalogs, None, 0) == ["🗣️ Slovenščina", "🗣️ English", "🗣️ العربية"]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("العربية", "ar"),
        ("فارسی", "fa"),
        ("українська", "uk"),
        ("Persian", "fa"),
        ("ar", "ar"),
        ("1", "sl"),
        ("٧", "ar"),  # Arabic-Indic seven: the seventh in the picker's order
        ("۹", "fa"),  # Persian nine
        ("nothing", None),
    ],
)
def test_typed_language(twelve: Catalogs, typed: str, code: str | None) -> None:
    assert typed_language(twelve, typed, None) == code
