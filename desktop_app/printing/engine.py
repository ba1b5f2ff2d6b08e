"""A small print engine on Qt's own print support: QPdfWriter / QPrinter + QPainter.

A `Document` is a list of blocks (headings, paragraphs, label/value lines, tables, signature
blocks, page breaks) and the kop (letterhead). `render(doc, device)` lays it out in two passes:
first into pages (so the footer can say "Halaman 2 dari 7"), then paints them. Tables repeat
their header row on every page and never cut a row in half: a row that does not fit goes to the
next page whole. A heading is kept with what follows it.

No browser, no office suite: the same painting goes to a PDF file (QPdfWriter) or to a printer
chosen in QPrintDialog (QPrinter); both are QPagedPaintDevice.

Over the 450-line guide (issue 11) on purpose: the block types, the two-pass layout and the painter
share one set of metrics and page geometry; split, each half would import the other's privates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from domain.errors import KnownError

FONT_FAMILIES = ["DejaVu Sans", "Arial", "Liberation Sans", "Helvetica"]
MARGINS_MM = QMarginsF(20, 15, 15, 15)  # left wider for binding / a punched file
FOOTER_MM = 8.0


class Paper(StrEnum):
    A4 = "a4"
    F4 = "f4"  # folio 215 x 330 mm, the usual Indonesian office paper


PAPER_LABELS = {Paper.A4: "A4 (210 × 297 mm)", Paper.F4: "F4 / Folio (215 × 330 mm)"}


def page_size(paper: Paper) -> QPageSize:
    if paper == Paper.F4:
        return QPageSize(QSizeF(215, 330), QPageSize.Unit.Millimeter, "F4", QPageSize.SizeMatchPolicy.ExactMatch)
    return QPageSize(QPageSize.PageSizeId.A4)


def page_layout(paper: Paper) -> QPageLayout:
    return QPageLayout(page_size(paper), QPageLayout.Orientation.Portrait, MARGINS_MM, QPageLayout.Unit.Millimeter)


class PrintError(KnownError):
    """A document could not be written (folder missing, file in use); the message says what to do."""

    @classmethod
    def default_message(cls) -> str:
        return "Dokumen tidak bisa dicetak atau disimpan. Periksa pilihan cetak dan folder tujuan, lalu coba lagi."


# ----------------------------------------------------------------------------------------- blocks


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


_QT_ALIGN = {Align.LEFT: Qt.AlignmentFlag.AlignLeft, Align.CENTER: Qt.AlignmentFlag.AlignHCenter,
             Align.RIGHT: Qt.AlignmentFlag.AlignRight}


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    size: float = 12
    align: Align = Align.CENTER
    underline: bool = False


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    size: float = 10
    bold: bool = False
    align: Align = Align.LEFT
    italic: bool = False


@dataclass(frozen=True, slots=True)
class Fields:
    """'Label : value' lines with the colons aligned (a letter's identity block)."""

    rows: tuple[tuple[str, str], ...]
    label_mm: float = 45
    size: float = 10


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: float  # relative share of the table width
    align: Align = Align.LEFT


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    size: float = 8.5
    min_row_mm: float = 0  # rows for handwriting (decision columns) need room


@dataclass(frozen=True, slots=True)
class Signer:
    role: str  # "Ketua Musyawarah"
    name: str = ""  # empty: a dotted line to write on
    caption: str = ""  # line above the role, e.g. "Mengetahui,"


@dataclass(frozen=True, slots=True)
class Signatures:
    signers: tuple[Signer, ...]
    place_date: str = ""  # "Buluh Tumbang, 14 Juli 2025" above the last signer
    size: float = 10


@dataclass(frozen=True, slots=True)
class Spacer:
    mm: float


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Fields | Table | Signatures | Spacer | PageBreak


@dataclass(frozen=True, slots=True)
class Document:
    title: str  # also the footer's left text
    kop: tuple[str, ...]
    blocks: tuple[Block, ...]
    footer_note: str = ""


# ----------------------------------------------------------------------------------------- layout


@dataclass(slots=True)
class _Op:
    kind: str  # "text" | "rect" | "line"
    rect: QRectF
    text: str = ""
    font: QFont | None = None
    flags: int = 0
    fill: bool = False
    width: float = 1.0


@dataclass(slots=True)
class _Page:
    ops: list[_Op] = field(default_factory=list)


def document_font(size: float, *, bold: bool = False, italic: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(FONT_FAMILIES)
    f.setPointSizeF(size)
    f.setBold(bold)
    f.setItalic(italic)
    # No ligatures: "fl" in "Zulkifli" must stay two letters for search and copy-paste from the PDF.
    for tag in ("liga", "clig", "dlig"):
        f.setFeature(QFont.Tag(tag), 0)
    return f


def _wrap(text: str, width: float, fm: QFontMetricsF) -> Qt.TextFlag:
    """Wrap at words; a word wider than the cell (a long name, a narrow header) wraps anywhere
    instead of being clipped."""
    if fm.horizontalAdvance(text) <= width or all(fm.horizontalAdvance(w) <= width for w in text.split()):
        return Qt.TextFlag.TextWordWrap
    return Qt.TextFlag.TextWrapAnywhere


class _Layout:
    """Pass 1: place every block on pages, in device pixels of the target device."""

    def __init__(self, device: QPagedPaintDevice) -> None:
        self.device = device
        self.px_per_mm = device.logicalDpiY() / 25.4
        self.width = float(device.width())
        self.bottom = float(device.height()) - self.mm(FOOTER_MM)
        self.pages: list[_Page] = [_Page()]
        self.y = 0.0
        self._metrics: dict[tuple[float, bool, bool], QFontMetricsF] = {}
        self._fonts: dict[tuple[float, bool, bool], QFont] = {}
        self._by_font: dict[int, QFontMetricsF] = {}

    def mm(self, v: float) -> float:
        return v * self.px_per_mm

    def font(self, size: float, bold: bool = False, italic: bool = False) -> QFont:
        key = (size, bold, italic)
        if key not in self._fonts:
            self._fonts[key] = document_font(size, bold=bold, italic=italic)
            self._metrics[key] = QFontMetricsF(self._fonts[key], self.device)
            self._by_font[id(self._fonts[key])] = self._metrics[key]
        return self._fonts[key]

    def metrics(self, size: float, bold: bool = False, italic: bool = False) -> QFontMetricsF:
        self.font(size, bold, italic)
        return self._metrics[(size, bold, italic)]

    def text_height(self, text: str, width: float, size: float, bold: bool = False, italic: bool = False) -> float:
        fm = self.metrics(size, bold, italic)
        if not text:
            return fm.height()
        flags = int(_wrap(text, width, fm) | Qt.AlignmentFlag.AlignLeft)
        return fm.boundingRect(QRectF(0, 0, width, 1e7), flags, text).height()

    @property
    def page(self) -> _Page:
        return self.pages[-1]

    def new_page(self) -> None:
        self.pages.append(_Page())
        self.y = 0.0

    def ensure(self, height: float) -> bool:
        """Start a new page unless `height` fits below y; True when a page was started."""
        if self.y + height > self.bottom and self.y > 0:
            self.new_page()
            return True
        return False

    def text(self, rect: QRectF, text: str, font: QFont, align: Align = Align.LEFT, *, vcenter: bool = False) -> None:
        flags = int(_wrap(text, rect.width(), self._by_font[id(font)]) | _QT_ALIGN[align]
                    | (Qt.AlignmentFlag.AlignVCenter if vcenter else Qt.AlignmentFlag.AlignTop))
        self.page.ops.append(_Op("text", rect, text, font, flags))

    # ---- blocks
    def kop(self, lines: Sequence[str]) -> None:
        if not lines:
            return
        # The desa's own line stands out; lines after it (address, phone) are small.
        main = next((i for i, ln in enumerate(lines) if ln.upper().startswith(("DESA ", "KELURAHAN "))),
                    len(lines) - 1)
        for i, line in enumerate(lines):
            size, bold = (15.0, True) if i == main else (13.0, True) if i < main else (9.0, False)
            h = self.text_height(line, self.width, size, bold)
            self.text(QRectF(0, self.y, self.width, h), line, self.font(size, bold), Align.CENTER)
            self.y += h
        self.y += self.mm(1.5)
        # The double rule under a kop: a thick line over a thin one.
        self.page.ops.append(_Op("line", QRectF(0, self.y, self.width, 0), width=self.mm(0.7)))
        self.y += self.mm(1.0)
        self.page.ops.append(_Op("line", QRectF(0, self.y, self.width, 0), width=self.mm(0.25)))
        self.y += self.mm(5)

    def heading(self, b: Heading, keep_with: float) -> None:
        h = self.text_height(b.text, self.width, b.size, True)
        self.ensure(h + keep_with)
        self.text(QRectF(0, self.y, self.width, h), b.text, self.font(b.size, True), b.align)
        if b.underline:
            fm = self.metrics(b.size, True)
            tw = min(self.width, fm.horizontalAdvance(b.text))
            x = {Align.LEFT: 0.0, Align.CENTER: (self.width - tw) / 2, Align.RIGHT: self.width - tw}[b.align]
            self.page.ops.append(_Op("line", QRectF(x, self.y + h, tw, 0), width=self.mm(0.2)))
        self.y += h + self.mm(2)

    def paragraph(self, b: Paragraph) -> None:
        for part in b.text.split("\n"):
            h = self.text_height(part, self.width, b.size, b.bold, b.italic)
            self.ensure(h)
            self.text(QRectF(0, self.y, self.width, h), part, self.font(b.size, b.bold, b.italic), b.align)
            self.y += h
        self.y += self.mm(2)

    def fields(self, b: Fields) -> None:
        lw = self.mm(b.label_mm)
        colon = self.metrics(b.size).horizontalAdvance(" : ")
        vw = self.width - lw - colon
        font = self.font(b.size)
        for label, value in b.rows:
            h = max(self.text_height(label, lw, b.size), self.text_height(value, vw, b.size))
            self.ensure(h)
            self.text(QRectF(0, self.y, lw, h), label, font)
            self.text(QRectF(lw, self.y, colon, h), " : ", font)
            self.text(QRectF(lw + colon, self.y, vw, h), value, font)
            self.y += h + self.mm(0.6)
        self.y += self.mm(2)

    def _row_height(self, cells: Sequence[str], widths: Sequence[float], size: float, bold: bool,
                    pad: float, min_h: float) -> float:
        inner = [max(1.0, w - 2 * pad) for w in widths]
        return max(min_h, max(self.text_height(c, w, size, bold) for c, w in zip(cells, inner, strict=True)) + 2 * pad)

    def _row(self, cells: Sequence[str], cols: Sequence[Column], widths: Sequence[float], h: float, size: float,
             bold: bool, pad: float, header: bool) -> None:
        font = self.font(size, bold)
        x = 0.0
        for cell, col, w in zip(cells, cols, widths, strict=True):
            r = QRectF(x, self.y, w, h)
            self.page.ops.append(_Op("rect", r, fill=header, width=self.mm(0.2)))
            inner = r.adjusted(pad, pad, -pad, -pad)
            self.text(inner, cell, font, Align.CENTER if header else col.align, vcenter=header)
            x += w
        self.y += h

    def table(self, b: Table, progress: Callable[[int], None] | None = None) -> None:
        total = sum(c.width for c in b.columns)
        widths = [self.width * c.width / total for c in b.columns]
        pad = self.mm(1.0)
        titles = [c.title for c in b.columns]
        head_h = self._row_height(titles, widths, b.size, True, pad, 0)
        min_h = self.mm(b.min_row_mm)
        first = True
        for i, row in enumerate(b.rows):
            cells = [*row, *[""] * (len(b.columns) - len(row))][: len(b.columns)]
            h = self._row_height(cells, widths, b.size, False, pad, min_h)
            # A row never splits: it goes whole to the next page, under a repeated header.
            if first:
                self.ensure(head_h + h)
                self._row(titles, b.columns, widths, head_h, b.size, True, pad, True)
                first = False
            elif self.ensure(h):
                self._row(titles, b.columns, widths, head_h, b.size, True, pad, True)
            self._row(cells, b.columns, widths, h, b.size, False, pad, False)
            if progress is not None and i % 50 == 0:
                progress(i)
        if first:  # no rows: the header alone says what would be listed
            self.ensure(head_h)
            self._row(titles, b.columns, widths, head_h, b.size, True, pad, True)
        self.y += self.mm(3)

    def signatures(self, b: Signatures) -> None:
        n = max(1, len(b.signers))
        cols = min(n, 3)
        col_w = self.width / max(cols, 2)
        lone = n == 1  # one signer signs at the right, as in a letter
        fm_h = self.metrics(b.size).height()
        per_row = fm_h * 3 + self.mm(22)
        rows = (n + cols - 1) // cols
        self.ensure(per_row * rows + (fm_h if b.place_date else 0))
        font, bold = self.font(b.size), self.font(b.size, True)
        if b.place_date:
            x = self.width - col_w
            self.text(QRectF(x, self.y, col_w, fm_h), b.place_date, font, Align.CENTER)
            self.y += fm_h
        for r in range(rows):
            chunk = b.signers[r * cols:(r + 1) * cols]
            # Fewer signers on the last line: centre them under the ones above.
            offset = self.width - col_w if lone else (cols - len(chunk)) * col_w / 2
            for k, s in enumerate(chunk):
                x = offset + k * col_w
                y = self.y
                self.text(QRectF(x, y, col_w, fm_h), s.caption, font, Align.CENTER)
                self.text(QRectF(x, y + fm_h, col_w, fm_h * 2), s.role, font, Align.CENTER)
                name = s.name or "(" + "." * 40 + ")"
                self.text(QRectF(x, y + fm_h * 2 + self.mm(20), col_w, fm_h), name, bold if s.name else font,
                          Align.CENTER)
                if s.name:
                    tw = min(col_w - self.mm(6), self.metrics(b.size, True).horizontalAdvance(s.name))
                    self.page.ops.append(_Op("line", QRectF(x + (col_w - tw) / 2, y + fm_h * 3 + self.mm(20), tw, 0),
                                             width=self.mm(0.2)))
            self.y += per_row
        self.y += self.mm(2)

    def run(self, doc: Document, progress: Callable[[int], None] | None = None) -> list[_Page]:
        self.kop(doc.kop)
        blocks = doc.blocks
        for i, b in enumerate(blocks):
            if isinstance(b, Heading):
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                keep = self.mm(25) if isinstance(nxt, (Table, Paragraph, Fields)) else 0.0
                self.heading(b, keep)
            elif isinstance(b, Paragraph):
                self.paragraph(b)
            elif isinstance(b, Fields):
                self.fields(b)
            elif isinstance(b, Table):
                self.table(b, progress)
            elif isinstance(b, Signatures):
                self.signatures(b)
            elif isinstance(b, Spacer):
                self.y += self.mm(b.mm)
            elif isinstance(b, PageBreak) and self.y > 0:
                self.new_page()
        return self.pages


# ----------------------------------------------------------------------------------------- paint


def page_label(page: int, total: int) -> str:
    return f"Halaman {page} dari {total}"


def render(doc: Document, device: QPagedPaintDevice, progress: Callable[[int], None] | None = None) -> int:
    """Lay out and paint `doc` on `device` (page layout already set); returns the number of pages."""
    pages = _Layout(device).run(doc, progress)
    total = len(pages)
    painter = QPainter()
    if not painter.begin(device):
        raise PrintError("Pencetak atau berkas tujuan tidak bisa dibuka untuk menulis.")
    try:
        px_mm = device.logicalDpiY() / 25.4
        width, height = float(device.width()), float(device.height())
        footer_font = document_font(7.5)
        shade = QColor(225, 225, 225)
        for n, page in enumerate(pages, start=1):
            if n > 1:
                device.newPage()
            for op in page.ops:
                if op.kind == "text":
                    assert op.font is not None
                    painter.setFont(op.font)
                    painter.setPen(Qt.GlobalColor.black)
                    painter.drawText(op.rect, op.flags, op.text)
                elif op.kind == "rect":
                    painter.setPen(QPen(Qt.GlobalColor.black, op.width))
                    if op.fill:
                        painter.fillRect(op.rect, shade)
                    painter.drawRect(op.rect)
                else:
                    painter.setPen(QPen(Qt.GlobalColor.black, op.width))
                    painter.drawLine(op.rect.topLeft(), op.rect.topRight())
            y = height - FOOTER_MM * px_mm + 2 * px_mm
            painter.setPen(QPen(Qt.GlobalColor.black, 0.2 * px_mm))
            painter.drawLine(QRectF(0, y, width, 0).topLeft(), QRectF(0, y, width, 0).topRight())
            painter.setFont(footer_font)
            rect = QRectF(0, y + 1 * px_mm, width, FOOTER_MM * px_mm - 3 * px_mm)
            left = doc.title + (f" — {doc.footer_note}" if doc.footer_note else "")
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), left)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), page_label(n, total))
    finally:
        painter.end()
    return total


def write_pdf(doc: Document, path: Path, paper: Paper = Paper.A4,
              progress: Callable[[int], None] | None = None) -> int:
    """Write `doc` as a PDF file; returns the number of pages. Raises PrintError with an Indonesian message."""
    path = Path(path)
    if not path.parent.is_dir():
        raise PrintError(f"Folder {path.parent} tidak ada. Pilih folder lain untuk menyimpan PDF.")
    tmp = path.with_name(path.name + ".part")
    writer = QPdfWriter(str(tmp))
    writer.setPageLayout(page_layout(paper))
    writer.setResolution(300)  # device pixels per inch; text stays vector either way
    writer.setTitle(doc.title)
    writer.setCreator("Bansos Desa")
    try:
        pages = render(doc, writer, progress)
    except BaseException:
        del writer
        tmp.unlink(missing_ok=True)
        raise
    del writer  # the file is finished when the writer goes away
    try:
        tmp.replace(path)  # a half-written file never takes the name
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise PrintError(f"PDF tidak bisa disimpan ke {path}: {exc.strerror or exc}. "
                         "Tutup berkas itu bila sedang dibuka, atau pilih nama lain.") from exc
    return pages
