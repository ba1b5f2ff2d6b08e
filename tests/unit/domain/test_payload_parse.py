"""Schema errors of the three payloads come back as Indonesian findings naming the field."""

from __future__ import annotations

from domain.payload_parse import parse_payload
from domain.records import HouseholdPayload, MemberPayload, ProposalPayload


def test_a_good_row_gives_the_payload_and_no_issues() -> None:
    payload, issues = parse_payload(HouseholdPayload, {"kk": "1902011403123100", "desa_code": "1902012003",
                                                       "housing": {"floor_area_m2": "36.5"}})
    assert issues == [] and payload is not None and payload.housing.floor_area_m2 == 36.5


def test_each_schema_error_is_named_and_indonesian() -> None:
    payload, issues = parse_payload(HouseholdPayload, {
        "desa_code": "1902012003", "housing": {"floor_area_m2": "36,5"}, "kk_pending": "mungkin",
        "livestock": {"sapi": "dua"}, "rt": "123456", "warna": "biru"})
    assert payload is None
    msgs = {i.field: i.message for i in issues}
    assert msgs == {
        "floor_area_m2": "Luas lantai harus angka (pakai titik untuk desimal, misalnya 36.5).",
        "kk_pending": "KK belum terbit harus ya atau tidak.",
        "livestock": "Ternak (sapi) harus bilangan bulat.",
        "rt": "RT terlalu panjang (maksimal 5 huruf).",
        "warna": "Kolom 'warna' tidak dikenal.",
    }
    assert all(i.is_error and i.code == "payload" for i in issues)


def test_missing_required_fields() -> None:
    _, issues = parse_payload(MemberPayload, {"household_id": "h1"})
    assert {i.field: i.message for i in issues} == {
        "name": "Nama wajib diisi.", "birth_date": "Tanggal lahir wajib diisi.",
        "sex": "Jenis kelamin wajib diisi."}
    _, issues = parse_payload(ProposalPayload, {"programme": "PKH", "criteria": "nelayan"})
    assert [(i.field, i.message) for i in issues] == [("criteria", "Kriteria bentuknya tidak sesuai.")]
