"""The copied language names are Babel's, for every shipped catalog, and others still get one."""

from __future__ import annotations

import pytest
from babel import Locale

from bot.config import DEFAULT_LOCALES
from bot.framework.i18n import Catalogs
from bot.framework.language_names import NAMES, english_name, own_name

SHIPPED = sorted(p.parent.parent.name for p in DEFAULT_LOCALES.glob("*/LC_MESSAGES/messages.po"))


def test_every_shipped_catalog_has_its_names_copied() -> None:
    assert set(SHIPPED) <= set(NAMES)


@pytest.mark.parametrize("code", sorted(NAMES))
def test_the_copied_names_are_babels(code: str) -> None:
    assert NAMES[code] == (
        Locale.parse(code).get_display_name(code),
        Locale.parse(code).get_display_name("en"),
    )


def test_a_language_not_copied_is_named_by_babel() -> None:
    assert "pt" not in NAMES
    assert own_name("pt") == "português"
    assert english_name("pt") == "Portuguese"


def test_native_name_is_capitalised() -> None:
    catalogs = Catalogs(DEFAULT_LOCALES)
    assert catalogs.native_name("sl") == "Slovenščina"
    assert catalogs.native_name("ar") == "العربية"
    assert catalogs.native_name("pt") == "Português"
