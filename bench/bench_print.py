"""Printing benchmark: the 300-family announcement to PDF, beside Qt drawing the same number of plain
text lines into a PDF.

    python bench/bench_print.py [--families 300] [--runs 5]

Target (issue 15): the announcement in under 3 s on this machine. The figure is the whole use case
(read the store, group families, lay out the tables, paint, write the file); the baseline is the
floor Qt itself sets: one drawText per line on a QPdfWriter, same font and size, no layout.
Exit status 1 when the target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QPointF
from PySide6.QtGui import QFontMetricsF, QGuiApplication, QPainter, QPdfWriter

from desktop_app.context import AppContext
from desktop_app.printing import service
from desktop_app.printing.engine import Paper, document_font, page_layout
from tests.support.print_data import big_rows, fill_store
from tests.support.seed import DESA

TARGET_S = 3.0


def plain_lines(path: Path, lines: list[str]) -> int:
    """The baseline: Qt writing `lines` into a PDF, one drawText each, a new page when one is full."""
    writer = QPdfWriter(str(path))
    writer.setPageLayout(page_layout(Paper.A4))
    writer.setResolution(300)
    painter = QPainter(writer)
    font = document_font(8.5)
    painter.setFont(font)
    step = QFontMetricsF(font, writer).height() * 1.5
    y, pages = step, 1
    for line in lines:
        if y > writer.height():
            writer.newPage()
            y, pages = step, pages + 1
        painter.drawText(QPointF(0, y), line)
        y += step
    painter.end()
    del writer
    return pages


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--families", type=int, default=300)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    QGuiApplication([])  # kept alive by Qt for the run
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        with AppContext.open(tmpdir / "data") as ctx:
            ctx.configure(desa_code=DESA, operator_name="Bench")
        rows = big_rows(args.families)
        ctx = AppContext.open(tmpdir / "data")
        fill_store(ctx, rows)
        lines = [f"{i:4d}  {p.name:<30}  {p.nik[:6]}******{p.nik[-4:]}  {p.dusun:<16} {p.rt}/{p.rw}  Diusulkan"
                 for i, p in enumerate(rows, start=1)]
        req = service.PrintRequest("announcement")
        service.print_pdf(ctx, req, tmpdir / "warm.pdf")  # fonts and region names loaded once
        doc_t, base_t = [], []
        pages = base_pages = 0
        for k in range(args.runs):
            t = time.perf_counter()
            pages = service.print_pdf(ctx, req, tmpdir / f"a{k}.pdf").pages
            doc_t.append(time.perf_counter() - t)
            t = time.perf_counter()
            base_pages = plain_lines(tmpdir / f"b{k}.pdf", lines)
            base_t.append(time.perf_counter() - t)
        ctx.close()
    med, base = statistics.median(doc_t), statistics.median(base_t)
    print(f"announcement, {args.families} families ({len(lines)} rows, {pages} pages A4): "
          f"{med * 1000:8.1f} ms median of {args.runs} (min {min(doc_t) * 1000:.1f}, max {max(doc_t) * 1000:.1f})")
    print(f"baseline: Qt drawText of {len(lines)} plain lines ({base_pages} pages):   "
          f"{base * 1000:8.1f} ms median (min {min(base_t) * 1000:.1f}, max {max(base_t) * 1000:.1f})")
    print(f"ratio {med / base:.1f}x the baseline; target < {TARGET_S:.1f} s: {'met' if med < TARGET_S else 'MISSED'}")
    return 0 if med < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
