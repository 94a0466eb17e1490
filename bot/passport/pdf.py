"""The printable passport: A4 pages drawn with Pillow (every script, right to left), as a PDF."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.outreach.flyer import qr_png
from bot.pictures.fonts import Script, TextStyle, draw_text, script_of, text_width

if TYPE_CHECKING:
    from PIL import Image

DPI = 200
WIDTH, HEIGHT = round(210 / 25.4 * DPI), round(297 / 25.4 * DPI)
MARGIN = 110
QR_SIDE = 300
BLOCK = 350
PER_PAGE = 5
LINE_SIZES = (44, 32, 26)
"""Pixel sizes of a badge's title, level line and ESCO line."""
MAX_LINES = 4
RTL_SCRIPTS = (Script.ARABIC, Script.HEBREW)
INK, GREY, PAPER = "#000000", "#444444", "#ffffff"


@dataclass(frozen=True, slots=True)
class Entry:
    """One badge on the passport, its lines already in the page's language(s).

    Attributes:
        lines: Title, level and how it was earned, ESCO skills; each a (first, second)
            pair where `second` is the country's language or empty.
        url: The verification page, also drawn as a QR code.
        colour: The category colour, for a thin bar beside the block.
    """

    lines: tuple[tuple[str, str], ...]
    url: str
    colour: str


@dataclass(frozen=True, slots=True)
class Sheet:
    """Everything on the passport: heading lines, the badges, the direction of the page."""

    heading: tuple[tuple[str, str], ...]
    entries: tuple[Entry, ...]
    rtl: bool = False
    empty: str = ""


def wrap(
    text: str, width: float, size: int, *, bold: bool = False, rtl: bool = False
) -> list[str]:
    """Break `text` into lines no wider than `width` at `size` (a long word stays whole)."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, bold=bold, rtl=rtl) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


class _Page:
    def __init__(self, sheet: Sheet) -> None:
        from PIL import Image, ImageDraw  # Pillow is loaded with the first picture drawn

        self.sheet = sheet
        self.image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
        self.draw = ImageDraw.Draw(self.image)

    def text(self, y: int, text: str, size: int, box: tuple[int, int], **kind: bool) -> int:
        """Draw wrapped text in the horizontal `box` from `y`; return the next free y.

        Lines align with the page (right on a right-to-left page); each runs in the direction
        of its own script, so an English ESCO label keeps its punctuation on an Arabic page.
        """
        bold, grey = kind.get("bold", False), kind.get("grey", False)
        rtl = script_of(text) in RTL_SCRIPTS
        left, right = box
        lines = wrap(text, right - left, size, bold=bold, rtl=rtl)
        if len(lines) > MAX_LINES:
            lines = [*lines[: MAX_LINES - 1], lines[MAX_LINES - 1] + " …"]
        for line in lines:
            x, anchor = (right, "ra") if self.sheet.rtl else (left, "la")
            style = TextStyle(size, GREY if grey else INK, bold, rtl, anchor)
            draw_text(self.draw, (x, y), line, style)
            y += round(size * 1.3)
        return y

    def pair(
        self, y: int, pair: tuple[str, str], size: int, box: tuple[int, int], bold: bool
    ) -> int:
        y = self.text(y, pair[0], size, box, bold=bold)
        if pair[1]:
            y = self.text(y, pair[1], round(size * 0.8), box, grey=True)
        return y + 6

    def entry(self, top: int, entry: Entry) -> None:
        from PIL import Image  # Pillow is loaded with the first picture drawn

        rtl = self.sheet.rtl
        qr_left = MARGIN if not rtl else WIDTH - MARGIN - QR_SIDE
        qr = Image.open(io.BytesIO(qr_png(entry.url, scale=8))).convert("RGB")
        self.image.paste(qr.resize((QR_SIDE, QR_SIDE), Image.Resampling.NEAREST), (qr_left, top))
        bar = WIDTH - MARGIN + 20 if not rtl else MARGIN - 32
        self.draw.rectangle((bar, top, bar + 12, top + QR_SIDE), fill=entry.colour)
        box = (MARGIN + QR_SIDE + 30, WIDTH - MARGIN) if not rtl else (MARGIN, qr_left - 30)
        y = top + 4
        for n, pair in enumerate(entry.lines):
            y = self.pair(y, pair, LINE_SIZES[min(n, 2)], box, bold=n == 0)
        self.text(max(y, top + QR_SIDE - 30), entry.url, 22, box, grey=True)


def _pages(sheet: Sheet) -> list[Image.Image]:
    chunks = [sheet.entries[i : i + PER_PAGE] for i in range(0, len(sheet.entries), PER_PAGE)]
    pages = []
    for chunk in chunks or [()]:
        page = _Page(sheet)
        y, box = MARGIN, (MARGIN, WIDTH - MARGIN)
        for n, pair in enumerate(sheet.heading):
            y = page.pair(y, pair, 72 if n == 0 else 34, box, bold=n == 0)
        page.draw.line((MARGIN, y + 10, WIDTH - MARGIN, y + 10), fill=INK, width=3)
        y += 50
        if not sheet.entries and sheet.empty:
            page.text(y, sheet.empty, 40, box)
        for entry in chunk:
            page.entry(y, entry)
            y += BLOCK + 20
        pages.append(page.image)
    return pages


def passport_pdf(sheet: Sheet, title: str = "Skills passport") -> bytes:
    """The passport as an A4 PDF, one picture per page, readable in black and white."""
    from fpdf import FPDF  # here, not at the top: fpdf2 and fontTools take ~200 ms and 25 MB

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_auto_page_break(False)
    for image in _pages(sheet):
        pdf.add_page()
        pdf.image(_png(image), x=0, y=0, w=210, h=297)
    return bytes(pdf.output())


def _png(image: Image.Image) -> io.BytesIO:
    out = io.BytesIO()
    image.save(out, format="PNG")
    out.seek(0)
    return out
