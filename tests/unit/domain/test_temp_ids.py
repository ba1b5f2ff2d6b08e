"""Temporary ids for a person without a NIK: clearly marked, never a NIK, replaced with history kept."""

from __future__ import annotations

import pytest

from domain import temp_ids
from domain.idnumbers import parse_kk, parse_nik
from domain.member_id_change import replace_temp_id
from domain.records import MemberPayload

NIK = "1902016311820002"  # a woman born 23-11-82 in Kec. Tanjungpandan


def newborn(**over: object) -> MemberPayload:
    d: dict[str, object] = {"household_id": "hh-1", "temp_id": "TMP-0A1B2C3D4E5F", "name": "Bayi Aminah",
                            "birth_date": "1982-11-23", "sex": "P", "relation": "anak"}
    d.update(over)
    return MemberPayload.model_validate(d)


def test_new_temp_ids_are_marked_distinct_and_well_formed() -> None:
    ids = {temp_ids.new_temp_id() for _ in range(2000)}
    assert len(ids) == 2000
    for t in list(ids)[:50]:
        assert t.startswith("TMP-") and len(t) == 16 and temp_ids.is_temp_id(t)
        assert all(c in "0123456789ABCDEF" for c in t[4:])
        assert not parse_nik(t).valid


@pytest.mark.parametrize(("text", "well_formed", "marked"), [
    ("TMP-0A1B2C3D4E5F", True, True), (" tmp-0a1b2c3d4e5f ", True, True), ("TMP-123", False, True),
    ("1902016311820002", False, False), ("", False, False), (None, False, False),
])
def test_recognising_temp_ids(text: str | None, well_formed: bool, marked: bool) -> None:
    assert temp_ids.is_temp_id(text) is well_formed
    assert temp_ids.looks_temporary(text) is marked


@pytest.mark.parametrize("text", ["TMP-0A1B2C3D4E5F", "tmp-0a1b2c3d4e5f", "TMP-123"])
def test_a_temp_id_is_never_accepted_as_a_nik_or_kk_and_the_message_says_why(text: str) -> None:
    nik = parse_nik(text)
    assert not nik.valid and [e.code for e in nik.errors] == ["temp_id"]
    assert "nomor sementara, bukan NIK" in nik.errors[0].message
    kk = parse_kk(text)
    assert not kk.valid and [e.code for e in kk.errors] == ["temp_id"]
    assert "KK belum terbit" in kk.errors[0].message


def test_other_letters_in_a_nik_keep_the_old_message() -> None:
    assert [e.code for e in parse_nik("19020163118200AB").errors] == ["not_digits"]


def test_replacing_the_temp_id_with_the_nik_keeps_the_old_id_in_the_history() -> None:
    m = newborn(former_ids=["TMP-FFFFFFFFFFFF"])
    change = replace_temp_id(m, "1902.0163.1182.0002")
    assert change.ok and not change.errors and not change.warnings
    assert (change.old_id, change.new_nik) == ("TMP-0A1B2C3D4E5F", NIK)
    assert change.payload is not None
    assert (change.payload.nik, change.payload.temp_id) == (NIK, "")
    assert change.payload.former_ids == ["TMP-FFFFFFFFFFFF", "TMP-0A1B2C3D4E5F"]
    assert change.payload.name == m.name and change.payload.household_id == m.household_id
    assert m.temp_id == "TMP-0A1B2C3D4E5F" and m.nik == ""  # pure: the input is untouched


def test_replacing_with_a_bad_nik_is_refused_and_changes_nothing() -> None:
    change = replace_temp_id(newborn(), "1902016311820000")
    assert not change.ok and change.payload is None and change.new_nik == ""
    assert [e.code for e in change.errors] == ["serial"]
    assert change.old_id == "TMP-0A1B2C3D4E5F"


def test_replacing_with_another_temp_id_is_refused() -> None:
    change = replace_temp_id(newborn(), "TMP-AAAAAAAAAAAA")
    assert not change.ok and [e.code for e in change.errors] == ["temp_id"]


def test_a_nik_that_contradicts_the_typed_birth_date_is_a_warning_on_the_change() -> None:
    change = replace_temp_id(newborn(birth_date="2024-01-05"), NIK)
    assert change.ok and [w.code for w in change.warnings] == ["nik_birth_date_mismatch"]


def test_a_member_who_already_has_a_nik_has_nothing_to_replace() -> None:
    change = replace_temp_id(newborn(temp_id="", nik=NIK), "1902015910060008")
    assert not change.ok and [e.code for e in change.errors] == ["no_temp_id"]
    assert "tidak memakai nomor sementara" in change.errors[0].message
