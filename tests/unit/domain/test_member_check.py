"""Validation of one member and of a household's members together: each finding fires on bad data and
stays quiet on good data, with an Indonesian message naming the field."""

from __future__ import annotations

from datetime import date

import pytest

from domain.member_check import check_household_members, validate_member
from domain.records import MemberPayload

TODAY = date(2025, 6, 1)
SITI = "1902016311820002"  # woman, 23-11-82, Kec. Tanjungpandan


def member(**over: object) -> MemberPayload:
    d: dict[str, object] = {
        "household_id": "hh-1", "nik": SITI, "name": "Siti Aminah", "birth_place": "Tanjungpandan",
        "birth_date": "1982-11-23", "sex": "P", "relation": "istri", "marital_status": "kawin",
        "education": "smp", "school_status": "tidak_sekolah_lagi", "occupation": "mengurus_rumah_tangga",
        "chronic_illness": "tidak_ada", "criteria": ["ibu_hamil"], "pregnant": True, "phone": "081273451120",
    }
    d.update(over)
    return MemberPayload.model_validate(d)


def codes(m: MemberPayload) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    res = validate_member(m, today=TODAY)
    return [(i.field, i.code) for i in res.errors], [(i.field, i.code) for i in res.warnings]


def test_a_complete_member_passes_without_findings() -> None:
    assert codes(member()) == ([], [])


@pytest.mark.parametrize(("over", "expected"), [
    ({"household_id": ""}, ("household_id", "empty")),
    ({"name": ""}, ("name", "empty")),
    ({"name": "Siti 4minah"}, ("name", "chars")),
    ({"birth_date": "2030-01-01"}, ("birth_date", "future")),
    ({"birth_date": "23/13/1982"}, ("birth_date", "format")),
    ({"sex": "X"}, ("sex", "unknown_code")),
    ({"relation": "ipar"}, ("relation", "unknown_code")),
    ({"marital_status": "janda"}, ("marital_status", "unknown_code")),
    ({"education": "sltp"}, ("education", "unknown_code")),
    ({"school_status": "kuliah"}, ("school_status", "unknown_code")),
    ({"occupation": "astronot"}, ("occupation", "unknown_code")),
    ({"chronic_illness": "flu"}, ("chronic_illness", "unknown_code")),
    ({"difficulties": {"terbang": "parah"}}, ("difficulties", "unknown_code")),
    ({"difficulties": {"melihat": "sangat"}}, ("difficulties", "severity")),
    ({"ppks": ["pengangguran"]}, ("ppks", "unknown_code")),
    ({"ppks": ["fakir_miskin", "fakir_miskin"]}, ("ppks", "repeated")),
    ({"criteria": ["kaya"]}, ("criteria", "unknown")),
    ({"phone": "12345"}, ("phone", "format")),
    ({"nik": "", "temp_id": ""}, ("nik", "empty")),
    ({"nik": "TMP-0A1B2C3D4E5F"}, ("nik", "temp_id")),  # a temporary id typed into the NIK field
    ({"nik": "1902016311820000"}, ("nik", "serial")),
    ({"temp_id": "TMP-0A1B2C3D4E5F"}, ("temp_id", "with_nik")),  # both: replace, do not add
    ({"nik": "", "temp_id": "SEMENTARA-1"}, ("temp_id", "format")),
    ({"former_ids": ["1902016311820002"]}, ("former_ids", "format")),
])
def test_each_error(over: dict[str, object], expected: tuple[str, str]) -> None:
    errors, _ = codes(member(**over))
    assert expected in errors


def test_pregnancy_on_a_male_is_an_error_and_says_so() -> None:
    m = member(nik="1902010905780001", name="Ahmad Fauzi", birth_date="1978-05-09", sex="L", relation="kepala_keluarga",
               criteria=[], pregnant=True)
    res = validate_member(m, today=TODAY)
    assert [(i.field, i.code) for i in res.errors] == [("pregnant", "male")]
    assert "hanya untuk perempuan" in res.errors[0].message
    assert ("criteria", "ibu_hamil_male") in codes(member(**{**m.model_dump(), "pregnant": False,
                                                             "criteria": ["ibu_hamil"]}))[0]


@pytest.mark.parametrize(("over", "expected"), [
    ({"nik": "", "temp_id": "TMP-0A1B2C3D4E5F"}, ("nik", "temp_id")),  # flagged: no NIK yet
    ({"birth_date": "1982-11-24"}, ("birth_date", "nik_birth_date_mismatch")),
    ({"relation": "suami"}, ("relation", "spouse_sex")),
    ({"relation": ""}, ("relation", "empty")),  # old entries do not know it: to be completed
    ({"marital_status": "belum_kawin"}, ("marital_status", "spouse_unmarried")),
    ({"ppks": ["anak_telantar"]}, ("ppks", "child_type_adult")),
    ({"ppks": ["lanjut_usia_telantar"]}, ("ppks", "elderly_young")),
    ({"criteria": ["lansia"], "pregnant": False}, ("criteria", "lansia_age")),
])
def test_each_warning(over: dict[str, object], expected: tuple[str, str]) -> None:
    errors, warnings = codes(member(**over))
    assert errors == [] and expected in warnings


def test_pregnancy_at_an_unlikely_age_is_a_warning() -> None:
    m = member(nik="1902014101500003", birth_date="1950-01-01", criteria=[])
    assert codes(m) == ([], [("pregnant", "age")])


def test_a_member_with_only_a_temp_id_is_valid() -> None:
    m = member(nik="", temp_id="tmp-0a1b2c3d4e5f", relation="anak", birth_date="2025-05-01", marital_status="belum_kawin",
               pregnant=False, criteria=[], ppks=["anak_balita_telantar"], difficulties={"melihat": "sedikit"})
    errors, warnings = codes(m)
    assert errors == [] and warnings == [("nik", "temp_id")]
    assert "nomor sementara TMP-0A1B2C3D4E5F" in validate_member(m, today=TODAY).warnings[0].message


def test_messages_are_indonesian_and_name_the_field() -> None:
    res = validate_member(member(relation="ipar", occupation="astronot"), today=TODAY)
    msgs = {i.field: i.message for i in res.errors}
    assert msgs["relation"].startswith("Hubungan dengan kepala keluarga: 'ipar' tidak dikenal")
    assert msgs["occupation"].startswith("Pekerjaan utama: 'astronot' tidak dikenal")


# ---------------------------------------------------------------------------- household level

HEAD = {"nik": "1902010905780001", "name": "Ahmad Fauzi", "birth_date": "1978-05-09", "sex": "L",
        "relation": "kepala_keluarga", "criteria": [], "pregnant": False}
CHILD = {"nik": "1902010207090003", "name": "Muhammad Rizki", "birth_date": "2009-07-02", "sex": "L",
         "relation": "anak", "criteria": [], "pregnant": False, "marital_status": "belum_kawin"}


def family_codes(*members: MemberPayload) -> list[tuple[str, str, str]]:
    return [(i.field, i.code, i.severity.value) for i in check_household_members(members, today=TODAY)]


def test_a_normal_family_has_no_findings() -> None:
    assert family_codes(member(**HEAD), member(), member(**CHILD)) == []


def test_two_heads_of_family_is_an_error_naming_both() -> None:
    second = member(**{**HEAD, "nik": "1902011010930018", "name": "Hendra Saputra", "birth_date": "1993-10-10"})
    issues = check_household_members([member(**HEAD), second], today=TODAY)
    assert [(i.field, i.code) for i in issues if i.is_error] == [("relation", "two_heads")]
    assert "Ahmad Fauzi" in issues[0].message and "Hendra Saputra" in issues[0].message


def test_no_head_is_a_warning_and_an_empty_household_says_nothing() -> None:
    assert family_codes(member(), member(**CHILD)) == [("relation", "no_head", "warning")]
    assert family_codes() == []


def test_the_same_person_twice_in_a_family_is_an_error() -> None:
    assert ("nik", "repeated_in_household", "error") in family_codes(member(**HEAD), member(), member())
    baby = {**CHILD, "nik": "", "temp_id": "TMP-0A1B2C3D4E5F"}
    assert ("temp_id", "repeated_in_household", "error") in family_codes(member(**HEAD), member(**baby),
                                                                         member(**{**baby, "temp_id": "tmp-0a1b2c3d4e5f"}))


def test_two_husbands_is_an_error_and_a_child_older_than_the_head_a_warning() -> None:
    husband = {**HEAD, "relation": "suami"}
    found = family_codes(member(**HEAD), member(**{**husband, "nik": "1902011010930018"}),
                         member(**{**husband, "nik": "1902012703880012"}))
    assert ("relation", "two_husbands", "error") in found
    old_child = member(**{**CHILD, "nik": "1902011702550004", "birth_date": "1955-02-17"})
    assert family_codes(member(**HEAD), old_child) == [("birth_date", "child_older_than_head", "warning")]
