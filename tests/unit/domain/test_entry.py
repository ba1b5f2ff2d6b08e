"""validate_entry: one candidate as the form, a CSV row or a sync payload carries it."""

from __future__ import annotations

from datetime import date

import pytest

from domain.entry import parse_date, validate_entry

TODAY = date(2026, 11, 22)
GOOD = {"nik": "1902015708850001", "kk": "1902010101100001", "name": "Siti Aminah", "birth_date": "1985-08-17",
        "sex": "P", "desa_code": "19.02.01.2003", "programme": "pkh"}


def check(**over: object) -> object:
    return validate_entry({**GOOD, **over}, today=TODAY)


def test_good_entry() -> None:
    c = validate_entry(GOOD, today=TODAY)
    assert c.ok and not c.warnings
    assert c.programme.code == "PKH"  # type: ignore[union-attr]
    assert c.birth_date == date(1985, 8, 17)


@pytest.mark.parametrize(("over", "field", "code"), [
    ({"name": ""}, "name", "empty"),
    ({"name": "Siti 4minah"}, "name", "chars"),
    ({"birth_date": ""}, "birth_date", "empty"),
    ({"birth_date": "17 Agustus 1985"}, "birth_date", "format"),
    ({"birth_date": "2027-01-01"}, "birth_date", "future"),
    ({"sex": "X"}, "sex", "value"),
    ({"nik": "123"}, "nik", "length"),
    ({"kk": "1902010101100000"}, "kk", "serial"),
    ({"desa_code": ""}, "desa_code", "empty"),
    ({"desa_code": "1902019999"}, "desa_code", "unknown"),
    ({"rt": "12a"}, "rt", "format"),
    ({"phone": "12345"}, "phone", "format"),
    ({"latitude": "50"}, "latitude", "range"),
    ({"programme": "xyz"}, "programme", "unknown"),
    ({"criteria": "nelayan, astronaut"}, "criteria", "unknown"),
])
def test_errors_name_the_field(over: dict[str, object], field: str, code: str) -> None:
    c = check(**over)
    assert not c.ok  # type: ignore[attr-defined]
    assert (field, code) in {(i.field, i.code) for i in c.errors}  # type: ignore[attr-defined]


def test_warnings_do_not_block() -> None:
    c = check(sex="L", birth_date="1985-08-18", criteria=["lansia"])
    assert c.ok  # type: ignore[attr-defined]
    assert {i.code for i in c.warnings} == {"nik_sex_mismatch", "nik_birth_date_mismatch", "lansia_age"}  # type: ignore[attr-defined]


def test_entry_for_another_desa_than_the_operator_is_an_error() -> None:
    c = validate_entry(GOOD, today=TODAY, operator_desa="1902012004")
    assert ("desa_code", "foreign") in {(i.field, i.code) for i in c.errors}


def test_criteria_by_code_or_label_list_or_text() -> None:
    assert check(criteria="Nelayan; lansia").criteria == ["nelayan", "lansia"]  # type: ignore[attr-defined]
    assert check(criteria=["petani", "disabilitas"]).criteria == ["petani", "disabilitas"]  # type: ignore[attr-defined]


@pytest.mark.parametrize(("text", "expected"), [
    ("1985-08-17", date(1985, 8, 17)), ("17-08-1985", date(1985, 8, 17)), ("17/08/1985", date(1985, 8, 17)),
    ("17.8.1985", date(1985, 8, 17)), ("1985-02-30", None), ("85-08-17", None), ("", None),
])
def test_parse_date(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected
