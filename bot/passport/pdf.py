"""The printable passport: an A4 text PDF laid out like a Europass CV, in every script."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

import segno
from fpdf import FPDF
from fpdf.drawing import PaintedPath
from fpdf.enums import Align, MethodReturnValue, PathPaintRule, XPos, YPos

from bot.passport.sheet import Entry, Pair, Sheet
from bot.pictures.coverage import drawn, missing
from bot.pictures.fonts import FONT_DIRS, Script, file_names, find_named, script_of

PAGE_W, PAGE_H = 210.0, 297.0
MARGIN, TOP, BOTTOM = 18.0, 16.0, 18.0
LABEL = 42.0
"""Width of the label column (the category beside each badge), in mm."""
GUTTER = 6.0
CONTENT = PAGE_W - 2 * MARGIN - LABEL - GUTTER
QR_SIDE = 25.0
QR_GAP = 5.0
BAR = 1.2
"""Width of the category colour bar in the gutter."""
ENTRY_GAP = 7.0
LEADING = 1.3 * 25.4 / 72
"""Line height in mm per point of font size."""
INK, GREY = (0, 0, 0), (68, 68, 68)
SECOND = 0.8
"""Second-language lines are this much smaller than the line above them."""
BADGE_SIZES = (11.5, 9.5, 8.5)
"""Font sizes in points of a badge's title, how it was earned, and ESCO lines."""

FAMILIES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("sans", file_names(Script.LATIN, bold=False), file_names(Script.LATIN, bold=True)),
    (
        "arabic",
        file_names(Script.ARABIC, bold=False, latin_last=False),
        file_names(Script.ARABIC, bold=True, latin_last=False),
    ),
    ("dejavu", ("DejaVuSans.ttf",), ("DejaVuSans-Bold.ttf",)),
)
"""Font families: (name, regular files, bold files), each the first installed file named.

Noto Sans has Latin, Greek and Cyrillic; Noto Sans Arabic has Arabic and Persian but no Latin;
DejaVu Sans is the fallback for characters both lack.
"""


def font_files(text: str, dirs: Sequence[Path] = FONT_DIRS) -> dict[str, tuple[Path, Path]]:
    """The (regular, bold) files of the font families that `text` needs, first family first.

    The first installed family always; each further one only when it has a character of `text`
    that the families before it lack (so an English passport embeds no Arabic font).
    """
    found: dict[str, tuple[Path, Path]] = {}
    lacking = set(drawn(text))
    for name, regular_names, bold_names in FAMILIES:
        regular = find_named(regular_names, dirs)
        if regular is None or any(regular == files[0] for files in found.values()):
            continue
        if found and not lacking - missing("".join(lacking), regular):
            continue
        found[name] = (regular, find_named(bold_names, dirs) or regular)
        lacking = missing("".join(lacking), regular)
    return found


class _Layout:
    """Draws (or, with `draw=False`, only measures) the passport's blocks on one FPDF."""

    def __init__(self, pdf: FPDF, sheet: Sheet, families: Sequence[str]) -> None:
        self.pdf = pdf
        self.sheet = sheet
        self.families = families
        self.align = Align.R if sheet.rtl else Align.L

    def x(self, left: float, width: float) -> float:
        """The left edge of a box given for a left-to-right page, mirrored on an rtl one."""
        return PAGE_W - left - width if self.sheet.rtl else left

    def label_box(self) -> tuple[float, float]:
        """Left edge and width of the label column."""
        return self.x(MARGIN, LABEL), LABEL

    def content_box(self, *, qr: bool = False) -> tuple[float, float]:
        """Left edge and width of the content column, less the QR code's room if `qr`."""
        width = CONTENT - (QR_SIDE + QR_GAP if qr else 0)
        return self.x(MARGIN + LABEL + GUTTER, width), width

    def font(self, text: str, size: float, *, bold: bool = False) -> None:
        """Arabic-script text starts with the Arabic family, the rest with the first one."""
        arabic = script_of(text) is Script.ARABIC and "arabic" in self.families
        family = "arabic" if arabic else self.families[0] if self.families else "helvetica"
        self.pdf.set_font(family, "B" if bold else "", size)

    def text(
        self,
        y: float,
        box: tuple[float, float],
        text: str,
        size: float,
        style: _Style | None = None,
    ) -> float:
        """Write wrapped text in the column `box` from `y`; return the y under it.

        Lines align with the page (right on an rtl page) unless `style` says otherwise; each
        runs in the direction of its own script (the bidi algorithm), so an English ESCO label
        keeps its order on an Arabic page.
        """
        style = style or _Style()
        if not text:
            return y
        self.font(text, size, bold=style.bold)
        self.pdf.set_text_color(*(GREY if style.grey else INK))
        self.pdf.set_xy(box[0], y)
        height = self.pdf.multi_cell(
            box[1],
            style.line or size * LEADING,
            text if self.families else _latin1(text),
            align=style.align or self.align,
            link=style.link or None,
            new_x=XPos.LEFT,
            new_y=YPos.NEXT,
            dry_run=not style.draw,
            output=MethodReturnValue.HEIGHT,
        )
        return y + cast(float, height)

    def pair(
        self, y: float, box: tuple[float, float], pair: Pair, size: float, style: _Style
    ) -> float:
        """A line and its second-language version, smaller and grey, under it."""
        y = self.text(y, box, pair[0], size, style)
        second = _Style(grey=True, align=style.align, draw=style.draw)
        return self.text(y, box, pair[1], size * SECOND, second)

    def towards(self) -> Align:
        """How labels align: towards the content column."""
        return Align.L if self.sheet.rtl else Align.R

    def header(self, draw: bool) -> float:
        """Title, the label and value rows, the intro sentence; the y under them."""
        sheet, content, label = self.sheet, self.content_box(), self.label_box()
        y = self.pair(TOP, content, sheet.title, 20, _Style(bold=True, draw=draw)) + 2
        row = _Style(line=11 * LEADING, draw=draw)
        for name, value in sheet.facts:
            below = self.pair(y, label, name, 9, replace(row, grey=True, align=self.towards()))
            y = max(below, self.text(y, content, value, 11, row))
        return self.pair(y + 1.5, content, sheet.intro, 9, _Style(draw=draw)) + 6

    def section(self, y: float, draw: bool) -> float:
        """The heading in the label column with a thin rule across the content column."""
        line = 12 * LEADING
        style = _Style(bold=True, align=self.towards(), line=line, draw=draw)
        below = self.pair(y, self.label_box(), self.sheet.section, 12, style)
        if draw:
            x, width = self.content_box()
            self.pdf.set_draw_color(*INK)
            self.pdf.set_line_width(0.3)
            self.pdf.line(x, y + line / 2, x + width, y + line / 2)
        return max(below, y + line) + 4

    def entry(self, y: float, entry: Entry, draw: bool) -> float:
        """One badge from `y`: label, lines, link, bar and QR code; the y under it."""
        line = BADGE_SIZES[0] * LEADING
        style = _Style(align=self.towards(), line=line, draw=draw)
        label = self.pair(y, self.label_box(), entry.label, 10, style)
        box = self.content_box(qr=True)
        below = y
        for n, pair in enumerate(entry.lines):
            size = BADGE_SIZES[min(n, len(BADGE_SIZES) - 1)]
            below = self.pair(below, box, pair, size, _Style(bold=n == 0, draw=draw)) + 0.8
        link = f"{self.sheet.check}: {entry.url}" if self.sheet.check else entry.url
        below = self.text(below + 0.5, box, link, 8.5, _Style(link=entry.url, draw=draw))
        bottom = max(label, below, y + QR_SIDE)
        if draw:
            self.bar(y, bottom, entry.colour)
            self.qr(y, entry.url)
        return bottom

    def bar(self, top: float, bottom: float, colour: str) -> None:
        """The category's colour as a thin bar in the gutter beside the badge."""
        left = MARGIN + LABEL + GUTTER / 2 - BAR / 2
        self.pdf.set_fill_color(colour)
        self.pdf.rect(self.x(left, BAR), top + 0.5, BAR, bottom - top - 0.5, style="F")

    def qr(self, top: float, url: str) -> None:
        """The verification QR code at the content column's end, a link to the page too."""
        left = self.x(MARGIN + LABEL + GUTTER + CONTENT - QR_SIDE, QR_SIDE)
        draw_qr(self.pdf, url, left, top, QR_SIDE)
        self.pdf.link(left, top, QR_SIDE, QR_SIDE, url)

    def footer(self, page: int, pages: int) -> None:
        """The title and the page number at the foot of a page."""
        title = self.sheet.title[0]
        words = f"{title} · {page}/{pages}" if pages > 1 else title
        box = (MARGIN, PAGE_W - 2 * MARGIN)
        self.text(PAGE_H - BOTTOM + 6, box, words, 7.5, _Style(grey=True))


@dataclass(frozen=True, slots=True)
class _Style:
    """How `_Layout.text` writes: weight, grey, alignment, line height, link, or only measure."""

    bold: bool = False
    grey: bool = False
    align: Align | None = None
    line: float = 0.0
    link: str = ""
    draw: bool = True


def draw_qr(pdf: FPDF, url: str, left: float, top: float, side: float) -> None:
    """A QR code of `url` as one filled path of squares (crisp at any zoom), `side` mm wide.

    Its quiet zone (four modules) falls inside `side`; the page around it must stay white.
    """
    matrix = segno.make(url, error="m", micro=False).matrix
    border = 4
    module = side / (len(matrix) + 2 * border)
    with pdf.new_path(paint_rule=PathPaintRule.FILL_NONZERO) as path:
        path.style.fill_color = "#000000"
        _runs(path, matrix, left + border * module, top + border * module, module)


def _runs(
    path: PaintedPath, matrix: Sequence[Sequence[int]], x: float, y: float, module: float
) -> None:
    """One rectangle per horizontal run of dark modules."""
    for row, cells in enumerate(matrix):
        start = None
        for col, dark in enumerate([*cells, 0]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                path.rectangle(
                    x + start * module, y + row * module, (col - start) * module, module
                )
                start = None


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def passport_pdf(
    sheet: Sheet, title: str = "Skills passport", *, dirs: Sequence[Path] = FONT_DIRS
) -> bytes:
    """The passport as an A4 PDF with real text: selectable, searchable, read aloud, any zoom.

    Fonts are embedded (subset) with fallbacks, so Latin, Greek, Cyrillic, Arabic and Persian
    all show; Arabic is shaped (HarfBuzz). Black on white; the category colour is a thin bar.
    Without any installed TTF font it still makes the PDF, with the built-in Helvetica
    (characters beyond Latin-1 become "?").

    Args:
        sheet: What the passport says.
        title: The PDF's title (document properties).
        dirs: Where fonts are looked for.
    """
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_title(title)
    pdf.set_creator("SPOCC bot")
    if sheet.lang:
        pdf.set_lang(sheet.lang)
    pdf.set_auto_page_break(False)
    pdf.c_margin = 0
    files = font_files(sheet.text(), dirs)
    for name, (regular, bold) in files.items():
        pdf.add_font(name, "", regular)
        pdf.add_font(name, "B", bold)
    if files:
        pdf.set_fallback_fonts(list(files), exact_match=False)
        pdf.set_text_shaping(True)
    layout = _Layout(pdf, sheet, list(files))
    pdf.add_page()
    pages = _paginate(layout)
    total = max(page for page, _ in pages) + 1 if pages else 1
    y = layout.header(draw=True)
    y = layout.section(y, draw=True)
    if not sheet.entries:
        layout.text(y, layout.content_box(), sheet.empty, 11)
    for entry, (page, top) in zip(sheet.entries, pages, strict=True):
        if page + 1 > pdf.page:
            layout.footer(pdf.page, total)
            pdf.add_page()
        layout.entry(top, entry, draw=True)
    layout.footer(pdf.page, total)
    return bytes(pdf.output())


def _paginate(layout: _Layout) -> list[tuple[int, float]]:
    """The page (from 0) and top of every entry: each stays whole on one page."""
    y = layout.section(layout.header(draw=False), draw=False)
    page, places = 0, []
    for entry in layout.sheet.entries:
        height = layout.entry(0, entry, draw=False)
        if y + height > PAGE_H - BOTTOM and y > TOP:
            page, y = page + 1, TOP
        places.append((page, y))
        y += height + ENTRY_GAP
    return places
