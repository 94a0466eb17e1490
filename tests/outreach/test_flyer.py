"""QR codes, the share card and the flyers carry the landing address, readable by a scanner."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from bot.config import DEFAULT_LOCALES
from bot.framework.i18n import Catalogs
from bot.outreach.flyer import card_png, flyer_pdf, qr_png, qr_svg
from bot.outreach.words import words
from tests.outreach.qr_read import pdf_page_png, qr_texts

URL = "https://bot.example.org/i/Abc123_-xyzXYZ09"


def test_the_qr_png_reads_back_as_the_landing_address() -> None:
    assert qr_texts(qr_png(URL)) == [URL]


def test_the_qr_svg_is_an_svg() -> None:
    svg = qr_svg(URL).decode()
    assert svg.lstrip().startswith("<?xml") or "<svg" in svg[:200]
    assert "<path" in svg


@pytest.mark.parametrize(("paper", "size_mm"), [("A4", (210, 297)), ("A6", (105, 148))])
@pytest.mark.parametrize("language", ["en", "sl", "ar"])
def test_the_printed_flyer_scans_to_the_landing_page(
    paper: str, size_mm: tuple[int, int], language: str
) -> None:
    pdf = flyer_pdf(URL, words(Catalogs(DEFAULT_LOCALES).get(language)), paper)
    assert pdf.startswith(b"%PDF")
    page = Image.open(io.BytesIO(pdf_page_png(pdf)))
    width_mm = page.width / 100 * 25.4
    assert abs(width_mm - size_mm[0]) < 2
    assert qr_texts(pdf_page_png(pdf)) == [URL]


def test_the_share_card_is_square_and_scans() -> None:
    png = card_png(URL, words(Catalogs(DEFAULT_LOCALES).get("ar")))
    image = Image.open(io.BytesIO(png))
    assert image.width == image.height
    assert qr_texts(png) == [URL]
