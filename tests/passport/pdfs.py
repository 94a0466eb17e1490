"""Reading a passport PDF as people and programs do: its pages, codes, text, links and fonts."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import cast

import zxingcpp
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[Image.Image]:
    """The PDF's pages as pictures (pdftoppm, 150 dpi, greyscale as a printer would)."""
    source = tmp_path / "passport.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-png", source, tmp_path / "page"], check=True
    )
    pages = []
    for path in sorted(tmp_path.glob("page*.png")):
        with Image.open(path) as page:
            pages.append(page.copy())
    return pages


def decoded(pages: list[Image.Image]) -> set[str]:
    """The texts of every QR code zxing-cpp finds on the pages."""
    return {result.text for page in pages for result in zxingcpp.read_barcodes(page)}


def pdf_text(pdf: bytes) -> str:
    """The text a reader copies or a screen reader reads (pypdf puts Arabic in logical order)."""
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def link_targets(pdf: bytes) -> list[str]:
    """The address of every link annotation, page by page."""
    targets = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for ref in page.get("/Annots", []):
            annotation = ref.get_object()
            if annotation["/Subtype"] == "/Link":
                targets.append(str(annotation["/A"]["/URI"]))
    return targets


def embedded_fonts(pdf: bytes) -> set[str]:
    """The names of the fonts whose TrueType program is in the file."""
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources = cast(DictionaryObject, page["/Resources"])
        fonts = cast(DictionaryObject, resources["/Font"])
        for ref in fonts.values():
            font = cast(DictionaryObject, ref.get_object())
            if "/DescendantFonts" not in font:
                continue  # a built-in font, not embedded
            descendants = cast(ArrayObject, font["/DescendantFonts"])
            descendant = cast(DictionaryObject, descendants[0].get_object())
            descriptor = cast(DictionaryObject, descendant["/FontDescriptor"])
            if "/FontFile2" in descriptor:
                names.add(str(font["/BaseFont"]).split("+")[-1])
    return names
