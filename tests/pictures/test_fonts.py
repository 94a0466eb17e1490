"""Font lookup by script, and text preparation with and without raqm."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.pictures.fonts import Script, find_font, load_font, prepare_text, script_of


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Привет, Ελλάδα, hello", Script.LATIN),
        ("12 مرحبا", Script.ARABIC),
        ("سلام دوست", Script.ARABIC),
        ("שלום", Script.HEBREW),
        ("ሰላም", Script.ETHIOPIC),
        ("नमस्ते", Script.DEVANAGARI),
        ("١٢٣ !", Script.LATIN),
    ],
)
def test_script_of(text: str, script: Script) -> None:
    assert script_of(text) is script


@pytest.mark.parametrize("script", list(Script))
def test_every_script_finds_some_font_here(script: Script) -> None:
    found = find_font(script, bold=True)
    assert found is not None
    assert found.suffix in {".ttf", ".otf"}


def test_arabic_prefers_an_arabic_font() -> None:
    found = find_font(Script.ARABIC)
    assert found is not None
    assert "Arabic" in found.name


def test_no_font_folder_means_no_font(tmp_path: Path) -> None:
    assert find_font(Script.LATIN, dirs=[tmp_path / "missing", tmp_path]) is None


def test_font_in_a_given_folder_is_found(tmp_path: Path) -> None:
    source = find_font(Script.LATIN)
    assert source is not None
    (tmp_path / "deep").mkdir()
    copy = tmp_path / "deep" / source.name
    copy.write_bytes(source.read_bytes())
    assert find_font(Script.LATIN, dirs=[tmp_path]) == copy


def test_load_font_is_cached_and_sized() -> None:
    font = load_font(Script.LATIN, 40)
    assert font is load_font(Script.LATIN, 40)
    assert font.getbbox("H")[3] > 20


def test_fallback_without_raqm_joins_and_reorders_arabic() -> None:
    pytest.importorskip("arabic_reshaper")
    pytest.importorskip("bidi")
    prepared = prepare_text("مرحبا بك", rtl=True, raqm=False)
    assert prepared.direction is None
    assert prepared.text != "مرحبا بك"
    assert any("\ufe70" <= char <= "\ufeff" for char in prepared.text)  # presentation forms


def test_latin_text_passes_through_without_raqm() -> None:
    assert prepare_text("Hello", rtl=False, raqm=False).text == "Hello"


def test_raqm_path_only_sets_direction() -> None:
    prepared = prepare_text("مرحبا", rtl=True, raqm=True)
    assert (prepared.text, prepared.direction) == ("مرحبا", "rtl")
