"""Dates as operators type and read them: one input rule and one display format for every screen.

Shown everywhere as DD-MM-YYYY (17-08-1985): the entry form, lists, the review panel, duplicate
comparison, printed documents and XLSX cells. Typed as DD-MM-YYYY, DD/MM/YYYY or DD.MM.YYYY with one
or two digit day and month, a two-digit year (17/8/85), or ISO YYYY-MM-DD.
"""

from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4}|\d{2})")

DISPLAY_FORMAT = "%d-%m-%Y"
XLSX_FORMAT = "dd-mm-yyyy"  # the same, as a spreadsheet number format


def _in_the_past(day: int, month: int, yy: int, today: date) -> date:
    """A two-digit year of a date in the past: the latest such date that is not after today."""
    d = date(today.year - today.year % 100 + yy, month, day)
    return d if d <= today else date(d.year - 100, month, day)


def parse_date(text: str, *, today: date | None = None) -> date | None:
    """The date typed, or None when it is not one (31-02-1985, 85-08-17, empty)."""
    t = (text or "").strip()
    try:
        m = _ISO.fullmatch(t)
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = _DMY.fullmatch(t)
        if m:
            if len(m[3]) == 2:
                return _in_the_past(int(m[1]), int(m[2]), int(m[3]), today or date.today())
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def format_date(d: date | None) -> str:
    """17-08-1985; empty for no date."""
    return d.strftime(DISPLAY_FORMAT) if d is not None else ""


def iso_dates_of_ddmmyy(day: int, month: int, yy: int) -> list[str]:
    """The ISO dates a NIK's DDMMYY can stand for (19YY and 20YY: the NIK does not record the century)."""
    out = []
    for century in (1900, 2000):
        try:
            out.append(date(century + yy, month, day).isoformat())
        except ValueError:
            pass
    return out
