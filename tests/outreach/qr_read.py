"""Read QR codes back: from PNG bytes (zxing-cpp), and from a PDF's first page (pdftoppm)."""

from __future__ import annotations

import io
import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image


def qr_texts(png: bytes) -> list[str]:
    """Every QR code's text found in a PNG."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    return [found.text for found in zxingcpp.read_barcodes(image)]


def pdf_page_png(pdf: bytes, dpi: int = 100) -> bytes:
    """The PDF's first page rendered by poppler's pdftoppm."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "flyer.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(source), f"{folder}/page"],
            check=True,
            timeout=60,
        )
        return (Path(folder) / "page.png").read_bytes()
