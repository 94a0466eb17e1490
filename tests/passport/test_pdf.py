"""The passport PDF itself: fonts fall back per letter, long passports break between badges."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader

from bot.passport.pdf import passport_pdf
from bot.passport.sheet import Entry, Sheet
from tests.passport.pdfs import decoded, embedded_fonts, pdf_pages, pdf_text

ESCO = "ESCO: listen actively, show empathy, respect the diversity of cultural values and norms"


def badge(n: int) -> Entry:
    title = (f"Badge {n:02d} · Level 2/3", f"Značka {n:02d} · Raven 2/3")
    lines = (title, ("Self-assessed · 30 November 2026", "Samoocena"), (ESCO, ""))
    return Entry(
        ("Social skills", "Socialne spretnosti"),
        lines,
        f"https://example.org/v/b{n:02d}",
        "#e4572e",
    )


def sheet(*entries: Entry, name: str = "Amira") -> Sheet:
    return Sheet(
        title=("Skills passport", "Potni list veščin"),
        facts=((("Name", "Ime"), name), (("Date", "Datum"), "30 November 2026")),
        intro=("Soft skills in the SPOCC framework. Scan a code to check a badge.", ""),
        section=("Soft skills", "Mehke veščine"),
        entries=entries,
        check="Check this badge",
        lang="en",
    )


def test_a_line_mixing_greek_cyrillic_and_arabic_keeps_every_letter() -> None:
    pdf = passport_pdf(sheet(badge(1), name="أميرة · Αλέξης · Олена"))
    text = pdf_text(pdf)
    assert all(word in text for word in ("أميرة", "Αλέξης", "Олена", "Značka 01"))
    assert {"NotoSans", "NotoSansArabic"} <= embedded_fonts(pdf)


def test_a_long_passport_breaks_between_badges_and_numbers_its_pages(tmp_path: Path) -> None:
    entries = [badge(n) for n in range(12)]
    pdf = passport_pdf(sheet(*entries))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Skills passport · {number}/{len(pages)}" in text
    for entry in entries:
        [page] = [text for text in pages if entry.url in text]
        assert entry.lines[0][0] in page  # the title on the page of its link: the badge is whole
    assert decoded(pdf_pages(pdf, tmp_path)) == {entry.url for entry in entries}


def test_without_any_font_file_the_pdf_still_says_its_latin_text(tmp_path: Path) -> None:
    pdf = passport_pdf(sheet(badge(1)), dirs=())
    text = pdf_text(pdf)
    assert "Skills passport" in text
    assert "https://example.org/v/b01" in text
    assert "Zna?ka 01" in text  # a letter Helvetica lacks
    assert embedded_fonts(pdf) == set()
    assert decoded(pdf_pages(pdf, tmp_path)) == {"https://example.org/v/b01"}
