"""The one XLSX writer of the app: every export to Excel goes through `write_table`.

Identifiers (NIK, KK, region codes) are written as text so Excel never turns a 16-digit number
into 3.3E+15 or drops a leading zero; the header row is bold and frozen; columns fit their content.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

log = logging.getLogger(__name__)
MAX_WIDTH = 60


def write_table(path: Path, headers: Sequence[str], rows: Iterable[Sequence[object]], *,
                text_columns: Iterable[int] = (), sheet: str = "Data") -> int:
    """Write a table to .xlsx (one sheet); `text_columns` are written as text. Returns rows written."""
    import xlsxwriter  # only when exporting: keeps the app's start-up light

    text_cols = set(text_columns)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "constant_memory": True})
    try:
        ws = wb.add_worksheet(sheet[:31])
        head = wb.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1})
        text_fmt = wb.add_format({"num_format": "@"})
        widths = [len(h) for h in headers]
        for c, h in enumerate(headers):
            ws.write_string(0, c, h, head)
        n = 0
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if c in text_cols or isinstance(v, str):
                    ws.write_string(r, c, str(v), text_fmt if c in text_cols else None)
                elif isinstance(v, bool):
                    ws.write_boolean(r, c, v)
                elif isinstance(v, (int, float)):
                    ws.write_number(r, c, v)
                else:
                    ws.write_string(r, c, str(v))
                if c < len(widths):
                    widths[c] = max(widths[c], min(len(str(v)), MAX_WIDTH))
            n += 1
        for c, w in enumerate(widths):
            ws.set_column(c, c, w + 2)
        ws.freeze_panes(1, 0)
    finally:
        wb.close()
    log.info("exported %d rows to xlsx", n)
    return n
