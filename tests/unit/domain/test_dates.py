"""One input rule and one display format for dates (domain/dates.py)."""

from __future__ import annotations

from datetime import date

import pytest

from domain.dates import format_date, parse_date
from domain.entry import validate_entry

TODAY = date(2026, 12, 6)


@pytest.mark.parametrize(("text", "expected"), [
    ("17/8/85", date(1985, 8, 17)),    # what operators type from an old KTP
    ("17-08-85", date(1985, 8, 17)),
    ("1.1.20", date(2020, 1, 1)),      # a two-digit year is the latest such year not in the future
    ("6/12/26", date(2026, 12, 6)),
    ("7/12/26", date(1926, 12, 7)),    # tomorrow in 2026 cannot be a birth date: 1926
    ("17/08/1985", date(1985, 8, 17)),
    ("1985-08-17", date(1985, 8, 17)),
    ("31/2/85", None), ("85/08/17", None), ("17/8/5", None), ("17/8/985", None), ("", None),
])
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text, today=TODAY) == expected


def test_format_date_is_day_month_year() -> None:
    assert format_date(date(1985, 8, 17)) == "17-08-1985"
    assert format_date(None) == ""


def test_entry_check_accepts_a_two_digit_year() -> None:
    data = {"nik": "1902015708850001", "kk": "1902010101200001", "name": "Siti Aminah", "birth_date": "17/8/85",
            "sex": "P", "desa_code": "1902012003", "programme": "pkh", "address": "Jl. Merdeka 1"}
    check = validate_entry(data, today=TODAY)
    assert not [i for i in check.errors if i.field == "birth_date"]
    assert not [i for i in check.warnings if i.field == "birth_date"]
