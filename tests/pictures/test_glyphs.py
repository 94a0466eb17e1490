"""Every text a picture draws, in every shipped language, has a glyph for each character."""

from __future__ import annotations

from datetime import date

import pytest
from babel.dates import format_date

from bot.config import DEFAULT_CONTENT, DEFAULT_LOCALES
from bot.dialogs.definition import load_content
from bot.framework.i18n import Catalogs
from bot.pictures.coverage import drawn, first_covering, missing
from bot.pictures.fonts import Script, find_font, font_for

CATALOGS = Catalogs(DEFAULT_LOCALES)
CONTENT = load_content(DEFAULT_CONTENT)
ISSUER = "SPOCC Skills Bot"  # bot.badges.service.default_issuer
LONGEST_DATE = date(2025, 9, 30)  # September: the longest month name in most languages


def drawn_texts(language: str) -> list[tuple[str, bool]]:
    """(text, bold) for every text the result picture and the badge draw in `language`.

    Each also with the "…" that a text too long for its line is clipped with.
    """
    t = CATALOGS.get(language)
    names = [t.pgettext(f"{c.id}.name", c.name) for c in CONTENT.categories]
    levels = [t.pgettext(f"level.{lv.level}.label", lv.label) for lv in CONTENT.levels]
    results = [(t.gettext("My skills"), True), (t.gettext("Not done yet"), False)]
    results += [(name, True) for name in names] + [(level, False) for level in levels]
    badge = [(text, True) for text in [*names, *levels, ISSUER]]
    badge += [(t.gettext("Self-assessed"), True), (t.gettext("Validated by a counsellor"), True)]
    badge.append((format_date(LONGEST_DATE, format="long", locale=language), True))
    texts = results + badge
    return texts + [(text[:-2] + "…", bold) for text, bold in texts if len(text) > 2]


@pytest.mark.parametrize("language", CATALOGS.languages)
def test_every_drawn_character_has_a_glyph(language: str) -> None:
    lacking: dict[str, set[str]] = {}
    for text, bold in drawn_texts(language):
        path = font_for(text, bold=bold)
        assert path is not None, "no font installed: see the README (fonts-noto-core)"
        if gaps := missing(text, path):
            lacking[f"{text!r} in {path.name}"] = gaps
    assert not lacking, f"{language}: characters without a glyph: {lacking}"


@pytest.mark.parametrize("language", ["ar", "fa"])
def test_right_to_left_texts_use_an_arabic_script_font(language: str) -> None:
    if language not in CATALOGS.languages:
        pytest.skip(f"no {language} catalog shipped")
    title = CATALOGS.get(language).gettext("My skills")
    path = font_for(title, bold=True)
    assert path is not None
    assert "Arabic" in path.name


def test_noto_sans_arabic_lacks_the_ellipsis_so_a_clipped_text_falls_back() -> None:
    arabic = find_font(Script.ARABIC)
    assert arabic is not None
    assert missing("مهارات…", arabic) == {"…"}
    fallback = font_for("مهارات…")
    assert fallback is not None
    assert not missing("مهارات…", fallback)


def test_format_marks_need_no_glyph() -> None:
    assert drawn("\u2068ب\u2069\u200c\ufe0f") == "ب"


def test_first_covering_prefers_order_then_fewest_missing() -> None:
    arabic, latin = find_font(Script.ARABIC), find_font(Script.LATIN)
    assert arabic is not None
    assert latin is not None
    assert first_covering("سلام", [arabic, latin]) == arabic
    assert first_covering("Hello", [arabic, latin]) == latin
    assert first_covering("سلام A", [arabic]) == arabic
    assert first_covering("x", []) is None
