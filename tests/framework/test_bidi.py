"""Direction marks for plain-text channels: RLM per line, Latin runs isolated in RTL text."""

from __future__ import annotations

import unicodedata

import pytest
from bidi import get_display

from bot.framework.bidi import FSI, LRI, PDI, RLM, for_direction, isolate, strip_marks


def test_isolate_wraps_a_value_in_first_strong_isolate() -> None:
    assert isolate("Ana") == f"{FSI}Ana{PDI}"
    assert isolate("") == ""


def test_left_to_right_text_is_unchanged() -> None:
    text = "Send /start when you want.\nSOC 2"
    assert for_direction(text, rtl=False) == text


def test_commands_in_arabic_are_isolated_and_the_full_stop_stays_outside() -> None:
    text = "يمكنك حذف كل شيء في أي وقت باستخدام /delete."
    marked = for_direction(text, rtl=True)
    assert marked == RLM + f"يمكنك حذف كل شيء في أي وقت باستخدام {LRI}/delete{PDI}."


def test_several_commands_make_one_run() -> None:
    marked = for_direction("هذه تعمل: /start /help /language", rtl=True)
    assert marked.endswith(f"{LRI}/start /help /language{PDI}")


def test_each_line_starts_right_to_left_even_when_it_starts_with_latin() -> None:
    marked = for_direction("SOC 2\n\nسلام https://bot.example.org/v/ab12", rtl=True)
    lines = marked.split("\n")
    assert lines[0] == f"{RLM}{LRI}SOC 2{PDI}"
    assert lines[1] == ""
    assert lines[2] == f"{RLM}سلام {LRI}https://bot.example.org/v/ab12{PDI}"


def test_arabic_and_persian_digits_are_left_alone() -> None:
    assert for_direction("سؤال ٣ من ١٥", rtl=True) == RLM + "سؤال ٣ من ١٥"
    assert for_direction("پرسش ۳ از ۱۵", rtl=True) == RLM + "پرسش ۳ از ۱۵"


@pytest.mark.parametrize(
    "text",
    ["مرحبا /start.", "Ana و Bo", "", "\n", "a\nب", "۱۲ SOC 2 (3/15)", "سلام Привет, Ελλάδα"],
)
def test_marking_twice_is_marking_once_and_strips_back(text: str) -> None:
    once = for_direction(text, rtl=True)
    assert for_direction(once, rtl=True) == once
    assert strip_marks(once) == text
    assert all(unicodedata.category(c) != "Cn" for c in once)


def test_the_command_reads_in_order_in_a_right_to_left_display() -> None:
    """python-bidi's reference reordering shows `/delete` whole, on the left of the Arabic."""
    plain = get_display("باستخدام /delete.", base_dir="R")
    marked = strip_marks(get_display(for_direction("باستخدام /delete.", rtl=True), base_dir="R"))
    assert "delete/" in plain  # without marks the slash drifts to the wrong end
    assert "/delete" in marked
