"""Validation of one household: the KK (or its absence, flagged), the address, the house, the assets."""

from __future__ import annotations

import pytest

from domain.household_check import validate_household
from domain.records import HOUSEHOLD_FIELDS, HouseholdPayload

KK = "1902011403123100"
DESA = "1902012003"


def household(**over: object) -> HouseholdPayload:
    d: dict[str, object] = {
        "kk": KK, "desa_code": DESA, "dusun": "Air Serkuk", "rt": "001", "rw": "001",
        "address": "Jl. Air Serkuk No. 12", "phone": "081273451120", "latitude": -2.74, "longitude": 107.65,
        "housing": {"tenure": "milik_sendiri", "floor_area_m2": 36, "floor_material": "semen_bata_merah",
                    "wall_material": "kayu_papan", "roof_material": "seng", "water_source": "sumur_terlindung",
                    "lighting": "pln_meteran", "wattage": "450", "cooking_fuel": "gas_3kg",
                    "toilet_facility": "sendiri", "toilet_type": "leher_angsa", "sewage": "tangki_septik"},
        "assets": ["sepeda_motor", "smartphone"], "livestock": {"kambing_domba": 3},
    }
    d.update(over)
    return HouseholdPayload.model_validate(d)


def found(h: HouseholdPayload, operator_desa: str | None = None) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    res = validate_household(h, operator_desa=operator_desa)
    return [(i.field, i.code) for i in res.errors], [(i.field, i.code) for i in res.warnings]


def test_a_complete_household_passes() -> None:
    assert found(household(), operator_desa=DESA) == ([], [])
    assert found(HouseholdPayload(kk=KK, desa_code=DESA)) == ([], [])  # the house may be filled in later


def with_housing(**h: object) -> HouseholdPayload:
    base = household().housing.model_dump()
    return household(housing={**base, **h})


@pytest.mark.parametrize(("h", "expected"), [
    (household(kk=""), ("kk", "empty")),
    (household(kk="1902011403120000"), ("kk", "serial")),
    (household(kk="TMP-0A1B2C3D4E5F"), ("kk", "temp_id")),
    (household(kk_pending=True), ("kk", "pending_with_number")),
    (household(desa_code=""), ("desa_code", "empty")),
    (household(desa_code="9999999999"), ("desa_code", "unknown")),
    (household(rt="12a"), ("rt", "format")),
    (household(rw="1234"), ("rw", "format")),
    (household(phone="0211234"), ("phone", "format")),
    (household(latitude=40.0), ("latitude", "range")),
    (household(longitude=None), ("longitude", "pair")),
    (with_housing(tenure="numpang"), ("tenure", "unknown_code")),
    (with_housing(floor_material="emas"), ("floor_material", "unknown_code")),
    (with_housing(wall_material="kaca"), ("wall_material", "unknown_code")),
    (with_housing(roof_material="daun"), ("roof_material", "unknown_code")),
    (with_housing(water_source="laut"), ("water_source", "unknown_code")),
    (with_housing(lighting="lilin"), ("lighting", "unknown_code")),
    (with_housing(wattage="600"), ("wattage", "unknown_code")),
    (with_housing(cooking_fuel="nuklir"), ("cooking_fuel", "unknown_code")),
    (with_housing(toilet_facility="sungai"), ("toilet_facility", "unknown_code")),
    (with_housing(toilet_type="duduk"), ("toilet_type", "unknown_code")),
    (with_housing(sewage="got"), ("sewage", "unknown_code")),
    (with_housing(floor_area_m2=0), ("floor_area_m2", "range")),
    (with_housing(floor_area_m2=90000), ("floor_area_m2", "range")),
    (with_housing(lighting="non_pln", wattage="900"), ("wattage", "without_meter")),
    (household(assets=["kapal_pesiar"]), ("assets", "unknown_code")),
    (household(assets=["mobil", "mobil"]), ("assets", "repeated")),
    (household(livestock={"ayam": 20}), ("livestock", "unknown_code")),
    (household(livestock={"sapi": -1}), ("livestock", "range")),
    (household(desil=11), ("desil", "range")),
])
def test_each_error(h: HouseholdPayload, expected: tuple[str, str]) -> None:
    assert expected in found(h)[0]


def test_a_household_of_another_desa_is_refused_for_this_operator() -> None:
    assert ("desa_code", "foreign") in found(household(), operator_desa="1902012004")[0]


def test_kk_not_issued_yet_is_allowed_and_flagged() -> None:
    errors, warnings = found(household(kk="", kk_pending=True))
    assert errors == [] and warnings == [("kk", "kk_pending")]
    res = validate_household(household(kk=""))
    assert "KK belum terbit" in res.errors[0].message  # the empty-KK error tells how to proceed


def test_toilet_type_without_a_toilet_is_a_warning() -> None:
    assert found(with_housing(toilet_facility="tidak_ada", toilet_type="cemplung")) == (
        [], [("toilet_type", "without_facility")])


def test_messages_name_the_question() -> None:
    res = validate_household(with_housing(roof_material="daun"))
    assert res.errors[0].message.startswith("Jenis atap terluas: 'daun' tidak dikenal. Pilihan: beton (Beton)")


def test_desil_is_server_owned_not_a_village_field() -> None:
    assert "desil" not in HOUSEHOLD_FIELDS and {"kk", "housing", "assets", "livestock"} <= set(HOUSEHOLD_FIELDS)
    assert found(household(desil=3)) == ([], [])
