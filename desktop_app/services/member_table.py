"""The member table of imports and exports: one row per member, the household's columns (KK,
address, DTSEN house and assets) repeated on each of its members' rows, and a programme column.

This module is the file layout only: the column names (English, with Indonesian aliases), a row of
text -> household and member payload fields, and payloads -> a row of text. The importer
(csv_import) and the export (household_export) both use it, so an export re-imports unchanged.
Coded cells accept the code or its Indonesian label (any case); exports write codes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from domain import criteria as crit
from domain import housing_codes as hc
from domain import member_codes as mc
from domain import temp_ids
from domain.codelist import CodeList
from domain.dates import parse_date
from domain.idnumbers import normalize
from domain.ppks import PPKS
from domain.records import HouseholdPayload, Housing, MemberPayload

REQUIRED: tuple[str, ...] = ("nik", "kk", "name", "birth_date", "sex", "desa_code")
HOUSEHOLD_COLUMNS: tuple[str, ...] = (
    "kk", "desa_code", "dusun", "rt", "rw", "address", "household_phone", "latitude", "longitude",
    *Housing.model_fields, "assets", "livestock", "household_notes",
)
MEMBER_COLUMNS: tuple[str, ...] = (
    "nik", "name", "birth_place", "birth_date", "sex", "relation", "marital_status", "education", "school_status",
    "occupation", "difficulties", "chronic_illness", "pregnant", "ppks", "criteria", "phone", "notes",
)
PROPOSAL_COLUMNS: tuple[str, ...] = ("programme",)
# The export's column order; an import reads any order and any subset holding REQUIRED.
COLUMNS: tuple[str, ...] = (*HOUSEHOLD_COLUMNS[:2], *MEMBER_COLUMNS, *PROPOSAL_COLUMNS, *HOUSEHOLD_COLUMNS[2:])
OPTIONAL_IMPORT: tuple[str, ...] = ("override_reason",)
# Identifiers written as text (Excel would turn 16 digits into 1.9E+15 and drop RT's leading zeros).
TEXT_COLUMNS: tuple[str, ...] = ("kk", "desa_code", "nik", "rt", "rw", "phone", "household_phone", "birth_date")

ALIASES: dict[str, str] = {
    "no_kk": "kk", "nomor_kk": "kk", "nama": "name", "nama_lengkap": "name", "tanggal_lahir": "birth_date",
    "tgl_lahir": "birth_date", "jenis_kelamin": "sex", "jk": "sex", "kode_desa": "desa_code", "desa": "desa_code",
    "program": "programme", "alamat": "address", "no_hp": "phone", "hp": "phone", "telepon": "phone",
    "kriteria": "criteria", "tempat_lahir": "birth_place", "catatan": "notes", "lintang": "latitude",
    "bujur": "longitude", "alasan": "override_reason", "alasan_override": "override_reason",
    "hubungan": "relation", "shdk": "relation", "hubungan_keluarga": "relation", "status_perkawinan": "marital_status",
    "pendidikan": "education", "ijazah": "education", "partisipasi_sekolah": "school_status",
    "pekerjaan": "occupation", "kesulitan": "difficulties", "disabilitas": "difficulties",
    "penyakit_kronis": "chronic_illness", "hamil": "pregnant", "jenis_ppks": "ppks",
    "hp_keluarga": "household_phone", "telepon_keluarga": "household_phone", "catatan_keluarga": "household_notes",
    "status_rumah": "tenure", "kepemilikan_rumah": "tenure", "luas_lantai": "floor_area_m2",
    "lantai": "floor_material", "dinding": "wall_material", "atap": "roof_material", "air_minum": "water_source",
    "penerangan": "lighting", "daya_listrik": "wattage", "bahan_bakar_memasak": "cooking_fuel",
    "fasilitas_bab": "toilet_facility", "jenis_kloset": "toilet_type", "pembuangan_tinja": "sewage",
    "aset": "assets", "ternak": "livestock",
}
HOUSING_LISTS: dict[str, CodeList[Any]] = {
    "tenure": hc.TENURE, "floor_material": hc.FLOOR_MATERIAL, "wall_material": hc.WALL_MATERIAL,
    "roof_material": hc.ROOF_MATERIAL, "water_source": hc.WATER_SOURCE, "lighting": hc.LIGHTING,
    "wattage": hc.WATTAGE, "cooking_fuel": hc.COOKING_FUEL, "toilet_facility": hc.TOILET_FACILITY,
    "toilet_type": hc.TOILET_TYPE, "sewage": hc.SEWAGE,
}
MEMBER_LISTS: dict[str, CodeList[Any]] = {
    "relation": mc.RELATION, "marital_status": mc.MARITAL_STATUS, "education": mc.EDUCATION,
    "school_status": mc.SCHOOL_STATUS, "occupation": mc.OCCUPATION, "chronic_illness": mc.CHRONIC_ILLNESS,
}
_YES = {"ya", "y", "yes", "1", "true", "benar"}
_NO = {"tidak", "t", "no", "n", "0", "false", "salah", ""}


def header_key(name: str) -> str:
    k = "_".join(str(name or "").strip().lower().replace("-", " ").split())
    return ALIASES.get(k, k)


def _code(lst: CodeList[Any], text: str) -> str:
    """The code of a code or label; unknown text is kept so the domain check names the field."""
    return (lst.parse(text) or text) if text else ""


def _codes(lst: CodeList[Any], text: str) -> list[str]:
    return [_code(lst, part.strip()) for part in text.replace(";", ",").split(",") if part.strip()]


def _pairs(text: str) -> list[tuple[str, str]]:
    """'melihat:berat, mendengar:sedikit' -> [('melihat', 'berat'), ...]."""
    out = []
    for part in text.replace(";", ",").split(","):
        if part.strip():
            k, _, v = part.partition(":")
            out.append((k.strip(), v.strip()))
    return out


def _number(text: str) -> str | None:
    return text.replace(",", ".") if text else None


def _rt_rw(v: str) -> str:
    return v.zfill(3) if v.isdigit() else v


def household_fields(row: Mapping[str, str]) -> dict[str, Any]:
    """HouseholdPayload fields from a row (to be checked by domain.payload_parse + household_check)."""
    g = row.get
    livestock: dict[str, Any] = {}
    for k, v in _pairs(g("livestock", "")):
        livestock[_code(hc.LIVESTOCK, k)] = v or "?"
    housing: dict[str, Any] = {f: _code(lst, g(f, "")) for f, lst in HOUSING_LISTS.items()}
    housing["floor_area_m2"] = _number(g("floor_area_m2", ""))
    return {
        "kk": normalize(g("kk", "")), "desa_code": normalize(g("desa_code", "")), "dusun": g("dusun", ""),
        "rt": _rt_rw(g("rt", "")), "rw": _rt_rw(g("rw", "")), "address": g("address", ""),
        "phone": g("household_phone", ""), "latitude": _number(g("latitude", "")),
        "longitude": _number(g("longitude", "")), "housing": housing, "assets": _codes(hc.ASSET, g("assets", "")),
        "livestock": livestock, "notes": g("household_notes", ""),
    }


def pregnant_value(text: str) -> bool | str:
    t = text.strip().lower()
    return True if t in _YES else False if t in _NO else text


def member_fields(row: Mapping[str, str]) -> dict[str, Any]:
    """MemberPayload fields from a row (household_id is filled when the household is known)."""
    g = row.get
    born_text = g("birth_date", "")
    born = parse_date(born_text) if born_text else None
    codes, unknown = crit.parse_list(g("criteria", ""))
    ident = g("nik", "")
    temp = temp_ids.looks_temporary(ident)  # a person without a NIK yet: the temporary id in the nik column
    return {
        "household_id": "-", "nik": "" if temp else normalize(ident),
        "temp_id": temp_ids.normalise(ident) if temp else "", "name": " ".join(g("name", "").split()),
        "birth_place": g("birth_place", ""), "birth_date": born.isoformat() if born else born_text,
        "sex": g("sex", "").strip().upper(), **{f: _code(lst, g(f, "")) for f, lst in MEMBER_LISTS.items()},
        "difficulties": {_code(mc.DIFFICULTY, k): _code(mc.DIFFICULTY_SEVERITY, v)
                         for k, v in _pairs(g("difficulties", ""))},
        "pregnant": pregnant_value(g("pregnant", "")), "ppks": _codes(PPKS, g("ppks", "")),
        "criteria": [*codes, *unknown], "phone": g("phone", ""), "notes": g("notes", ""),
        "override_reason": g("override_reason", ""),
    }


def programme_texts(row: Mapping[str, str]) -> list[str]:
    return [p.strip() for p in row.get("programme", "").replace(";", ",").split(",") if p.strip()]


# --------------------------------------------------------------------------- export


def _num(v: float | None) -> str:
    return "" if v is None else f"{v:g}"


def row_of(h: HouseholdPayload, m: MemberPayload, programmes: list[str]) -> dict[str, str]:
    """The row an export writes for one member (its household's columns repeated)."""
    hs = h.housing
    return {
        "kk": h.kk, "desa_code": h.desa_code, "dusun": h.dusun, "rt": h.rt, "rw": h.rw, "address": h.address,
        "household_phone": h.phone, "latitude": _num(h.latitude), "longitude": _num(h.longitude),
        **{f: getattr(hs, f) for f in HOUSING_LISTS}, "floor_area_m2": _num(hs.floor_area_m2),
        "assets": ",".join(h.assets), "livestock": ",".join(f"{k}:{v}" for k, v in sorted(h.livestock.items())),
        "household_notes": h.notes,
        "nik": m.nik or m.temp_id, "name": m.name, "birth_place": m.birth_place, "birth_date": m.birth_date, "sex": m.sex,
        **{f: getattr(m, f) for f in MEMBER_LISTS},
        "difficulties": ",".join(f"{k}:{v}" for k, v in sorted(m.difficulties.items())),
        "pregnant": "ya" if m.pregnant else "", "ppks": ",".join(m.ppks), "criteria": ",".join(m.criteria),
        "phone": m.phone, "notes": m.notes, "programme": ",".join(programmes),
    }
