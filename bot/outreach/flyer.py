"""QR codes (segno), a share card (Pillow) and printable flyers (fpdf2) for one invite."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from bot.outreach.words import Words
from bot.pictures.fonts import TextStyle, draw_text, fit_size
from bot.pictures.pictograms import draw_pictogram

if TYPE_CHECKING:
    from PIL import Image, ImageDraw
    from segno import QRCode

CATEGORIES = (
    ("SOC", "#e4572e"),
    ("PER", "#f3a712"),
    ("ORG", "#29335c"),
    ("COO", "#4c956c"),
    ("CRE", "#8e44ad"),
)
INK, PAPER = "#111111", "#ffffff"
PAGE_MM = {"A4": (210.0, 297.0), "A6": (105.0, 148.0)}


def qr_code(url: str) -> QRCode:
    """The QR code of `url`, error correction M (segno is loaded with the first one)."""
    import segno

    return segno.make(url, error="m", micro=False)


def qr_png(url: str, scale: int = 10) -> bytes:
    """The QR code of `url` as a PNG (error correction M, a quiet zone of 4 modules)."""
    out = io.BytesIO()
    qr_code(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(url: str) -> bytes:
    """The QR code of `url` as an SVG."""
    out = io.BytesIO()
    qr_code(url).save(out, kind="svg", scale=10, border=4)
    return out.getvalue()


def _qr_image(url: str, size: int) -> Image.Image:
    from PIL import Image  # Pillow is loaded with the first picture drawn

    qr = Image.open(io.BytesIO(qr_png(url, scale=20))).convert("RGB")
    return qr.resize((size, size), Image.Resampling.NEAREST)


def pictogram_row(draw: ImageDraw.ImageDraw, left: int, top: int, width: int) -> int:
    """The five category pictograms on coloured tiles in a row; returns the row's height."""
    gap = width // 40
    tile = (width - 4 * gap) // 5
    for i, (category, colour) in enumerate(CATEGORIES):
        x = left + i * (tile + gap)
        draw.rounded_rectangle((x, top, x + tile, top + tile), radius=tile // 6, fill=colour)
        inset = tile // 8
        box = (x + inset, top + inset, x + tile - inset, top + tile - inset)
        draw_pictogram(draw, category, box, PAPER)
    return tile


def _line(
    draw: ImageDraw.ImageDraw,
    words: Words,
    y: int,
    text: str,
    width: int,
    size: int,
    bold: bool = False,
) -> None:
    fitted = fit_size(text, width - 80, size, min_size=max(12, size // 2), bold=bold)
    x, anchor = (width - 40, "rm") if words.rtl else (40, "lm")
    draw_text(draw, (x, y), text, TextStyle(fitted, INK, bold, words.rtl, anchor))


def panel(words: Words, width: int = 1200) -> Image.Image:
    """Pictograms, the title and three short lines: the words part of a flyer or card."""
    from PIL import Image, ImageDraw  # Pillow is loaded with the first picture drawn

    image = Image.new("RGB", (width, int(width * 0.62)), PAPER)
    draw = ImageDraw.Draw(image)
    tile = pictogram_row(draw, 40, 30, width - 80)
    y = 30 + tile + width // 14
    _line(draw, words, y, words.title, width, width // 16, bold=True)
    for n, text in enumerate(words.lines):
        _line(draw, words, y + (n + 1) * width // 11, text, width, width // 26)
    return image


def card_png(url: str, words: Words, size: int = 1080) -> bytes:
    """A square picture to share in a chat: the words above, the QR code below."""
    from PIL import Image  # Pillow is loaded with the first picture drawn

    card = Image.new("RGB", (size, size), PAPER)
    card.paste(panel(words, size), (0, 0))
    qr = int(size * 0.36)
    card.paste(_qr_image(url, qr), ((size - qr) // 2, size - qr - 10))
    out = io.BytesIO()
    card.save(out, format="PNG", optimize=True)
    return out.getvalue()


def flyer_pdf(url: str, words: Words, paper: str = "A4") -> bytes:
    """A printable flyer: words and pictograms on top, a large QR code, the address below."""
    from fpdf import FPDF  # here, not at the top: fpdf2 and fontTools take ~200 ms and 25 MB
    from PIL import Image, ImageDraw  # Pillow is loaded with the first picture drawn

    width, height = PAGE_MM[paper]
    margin = width * 0.08
    pdf = FPDF(unit="mm", format=(width, height))
    pdf.set_margins(margin, margin)
    pdf.set_auto_page_break(False)
    pdf.add_page()
    inner = width - 2 * margin
    pdf.image(_png(panel(words, 1600)), x=margin, y=margin, w=inner)
    qr_side = min(inner * 0.8, height - margin * 2 - inner * 0.62 - 12)
    qr_top = margin + inner * 0.62 + 4
    pdf.image(_png(_qr_image(url, 1200)), x=(width - qr_side) / 2, y=qr_top, w=qr_side)
    scan = Image.new("RGB", (1600, 110), PAPER)
    _line(ImageDraw.Draw(scan), words, 55, words.scan, 1600, 64, bold=True)
    pdf.image(_png(scan), x=margin, y=qr_top + qr_side + 1, w=inner)
    pdf.set_font("helvetica", size=max(6.0, width / 30))
    pdf.set_xy(margin, height - margin * 0.9)
    pdf.cell(inner, 4, url, align="C")
    return bytes(pdf.output())


def _png(image: Image.Image) -> io.BytesIO:
    out = io.BytesIO()
    image.save(out, format="PNG")
    out.seek(0)
    return out
