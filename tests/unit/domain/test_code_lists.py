"""Every code list of the household model: stable unique codes, an Indonesian label for each, and the
contents the regulations and forms prescribe (KK relations, 26 PPKS types, DTSEN house and assets)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from domain import housing_codes as hc
from domain import member_codes as mc
from domain import proposal_codes as pc
from domain.codelist import CodeList
from domain.ppks import CHILD_TYPES, PPKS, Ppks

ALL_LISTS: list[CodeList[Any]] = [
    mc.SEX, mc.RELATION, mc.MARITAL_STATUS, mc.EDUCATION, mc.SCHOOL_STATUS, mc.OCCUPATION, mc.DIFFICULTY,
    mc.DIFFICULTY_SEVERITY, mc.CHRONIC_ILLNESS, PPKS, hc.TENURE, hc.FLOOR_MATERIAL, hc.WALL_MATERIAL,
    hc.ROOF_MATERIAL, hc.WATER_SOURCE, hc.LIGHTING, hc.WATTAGE, hc.COOKING_FUEL, hc.TOILET_FACILITY, hc.TOILET_TYPE,
    hc.SEWAGE, hc.ASSET, hc.LIVESTOCK, pc.PROPOSAL_TYPE, pc.REMOVAL_REASON, pc.MUSDESUS_DECISION,
]
# English words that must not appear in a label the operator reads (the UI speaks Bahasa Indonesia).
ENGLISH = re.compile(r"\b(own|none|other|others|yes|no|shared|public|house|land|died|moved|new|removal|"
                     r"correction|agreed|not|tank|floor|wall|roof|water|school|married|single|widow)\b", re.I)


@pytest.mark.parametrize("lst", ALL_LISTS, ids=lambda lst: lst.enum.__name__)
def test_codes_unique_stable_and_labelled_in_indonesian(lst: CodeList[Any]) -> None:
    codes = [m.value for m in lst]
    assert len(codes) == len(set(codes)) and all(codes)
    assert all(re.fullmatch(r"[a-z0-9_>]+|[LP]", c) for c in codes), codes  # no spaces, no capitals (but L/P)
    labels = [label for _, label in lst.items()]
    assert len(labels) == len(set(labels)), "two codes share a label"
    assert all(label.strip() == label and label for label in labels)
    assert not [label for label in labels if ENGLISH.search(label)]
    assert lst.title and not ENGLISH.search(lst.title)
    for m, label in lst.items():  # every code and every label reads back as its code
        assert lst.parse(m.value) is m and lst.parse(label) is m


def test_ppks_is_the_26_types_of_permensos_8_2012_in_order() -> None:
    assert len(PPKS) == 26
    labels = [label for _, label in PPKS.items()]
    assert labels[0] == "Anak balita telantar"
    assert labels[8] == "Penyandang disabilitas"
    assert labels[20] == "Korban bencana alam"
    assert labels[23] == "Fakir miskin"
    assert labels[25] == "Komunitas Adat Terpencil (KAT)"
    assert PPKS.parse("KAT") is Ppks.KOMUNITAS_ADAT_TERPENCIL and PPKS.parse("odha") is Ppks.ODHA
    assert len(CHILD_TYPES) == 7 and all(c.value.startswith("anak_") for c in CHILD_TYPES)


def test_relations_are_dukcapils_list_in_kk_order() -> None:
    assert [label for _, label in mc.RELATION.items()] == [
        "Kepala Keluarga", "Suami", "Istri", "Anak", "Menantu", "Cucu", "Orang Tua", "Mertua", "Famili Lain",
        "Pembantu", "Lainnya"]
    assert mc.RELATION.parse("kepala keluarga") is mc.Relation.KEPALA_KELUARGA
    assert {mc.Relation.SUAMI, mc.Relation.ISTRI} == mc.SPOUSES


def test_assets_are_the_14_movable_items_and_land_or_house_elsewhere() -> None:
    assert len(hc.MOVABLE_ASSETS) == 14
    assert hc.MOVABLE_ASSETS[0] is hc.Asset.TABUNG_GAS_5_5KG and hc.MOVABLE_ASSETS[-1] is hc.Asset.SMARTPHONE
    assert [a for a in hc.Asset if a not in hc.MOVABLE_ASSETS] == [hc.Asset.LAHAN_LAIN, hc.Asset.RUMAH_LAIN]
    assert {m.value for m in hc.Livestock} == {"sapi", "kerbau", "kuda", "babi", "kambing_domba"}


def test_wattage_steps_and_tenure_as_on_the_questionnaire() -> None:
    assert [w.value for w in hc.Wattage] == ["450", "900", "1300", "2200", ">2200"]
    assert hc.WATTAGE.parse("1.300 VA") is hc.Wattage.VA_1300
    assert [label for _, label in hc.TENURE.items()] == ["Milik sendiri", "Kontrak/sewa", "Bebas sewa", "Dinas",
                                                         "Lainnya"]
    assert hc.TOILET_FACILITY.parse("tidak ada fasilitas") is hc.ToiletFacility.TIDAK_ADA


def test_proposal_types_and_removal_reasons() -> None:
    assert [t.value for t in pc.ProposalType] == ["new", "correction", "removal"]
    assert pc.PROPOSAL_TYPE.parse("baru") is pc.ProposalType.NEW
    assert pc.PROPOSAL_TYPE.parse("Perbaikan data") is pc.ProposalType.CORRECTION
    assert {pc.RemovalReason.DIED, pc.RemovalReason.MOVED, pc.RemovalReason.NO_LONGER_ELIGIBLE} <= set(pc.RemovalReason)
    assert pc.REMOVAL_REASON.parse("meninggal") is pc.RemovalReason.DIED
    assert pc.REMOVAL_REASON.label("died") == "Meninggal dunia"
    assert {pc.RemovalReason.OTHER} == pc.NOTE_REQUIRED_REASONS
