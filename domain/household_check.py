"""Validation of one household (HouseholdPayload): the KK, the address, the house and the assets.
The same on the desktop and on the server; errors block saving, warnings are shown and recorded."""

from __future__ import annotations

from typing import Any

from domain import field_rules as rules
from domain import housing_codes as hc
from domain.codelist import CodeList
from domain.findings import Findings
from domain.idnumbers import parse_kk
from domain.issues import Issue, error, warning
from domain.records import HouseholdPayload

LABELS: dict[str, str] = {
    "kk": "Nomor KK", "kk_pending": "KK belum terbit", "desa_code": "Kode desa", "dusun": "Dusun", "rt": "RT",
    "rw": "RW", "address": "Alamat", "phone": "Nomor HP", "latitude": "Lintang", "longitude": "Bujur",
    "floor_area_m2": "Luas lantai", "assets": "Aset", "livestock": "Ternak", "desil": "Desil", "notes": "Catatan",
}
# Housing field -> its code list (the label is the list's title).
HOUSING_LISTS: dict[str, CodeList[Any]] = {
    "tenure": hc.TENURE, "floor_material": hc.FLOOR_MATERIAL, "wall_material": hc.WALL_MATERIAL,
    "roof_material": hc.ROOF_MATERIAL, "water_source": hc.WATER_SOURCE, "lighting": hc.LIGHTING,
    "wattage": hc.WATTAGE, "cooking_fuel": hc.COOKING_FUEL, "toilet_facility": hc.TOILET_FACILITY,
    "toilet_type": hc.TOILET_TYPE, "sewage": hc.SEWAGE,
}
MAX_FLOOR_AREA_M2 = 5000.0
MAX_LIVESTOCK = 10_000


def validate_household(p: HouseholdPayload, *, operator_desa: str | None = None) -> Findings:
    res = Findings()
    res.extend(_kk(p))
    res.add(rules.desa("desa_code", p.desa_code, operator_desa))
    res.add(rules.rt_rw("rt", "RT", p.rt), rules.rt_rw("rw", "RW", p.rw), rules.phone("phone", p.phone))
    res.extend(rules.coordinates(p.latitude, p.longitude))
    res.extend(_housing(p))
    res.extend(_assets(p))
    if p.desil is not None and not 1 <= p.desil <= 10:
        res.add(error("desil", "range", f"Desil harus 1 sampai 10, bukan {p.desil}."))
    return res


def _kk(p: HouseholdPayload) -> list[Issue]:
    kk = p.kk.strip()
    if p.kk_pending:
        if kk:
            return [error("kk", "pending_with_number",
                          "Nomor KK diisi padahal ditandai 'KK belum terbit'; hapus tanda itu atau kosongkan nomornya.")]
        return [warning("kk", "kk_pending", "KK belum terbit: keluarga ini ditandai dan nomornya diisi begitu terbit.")]
    if not kk:
        return [error("kk", "empty", "Nomor KK wajib diisi; jika KK belum terbit, tandai 'KK belum terbit'.")]
    parsed = parse_kk(kk)
    return [*parsed.errors, *parsed.warnings]


def _housing(p: HouseholdPayload) -> list[Issue]:
    h = p.housing
    out = [lst.check(fld, getattr(h, fld)) for fld, lst in HOUSING_LISTS.items()]
    if h.floor_area_m2 is not None and not 0 < h.floor_area_m2 <= MAX_FLOOR_AREA_M2:
        out.append(error("floor_area_m2", "range",
                         f"Luas lantai harus lebih dari 0 dan paling banyak {MAX_FLOOR_AREA_M2:.0f} m², "
                         f"bukan {h.floor_area_m2:g}."))
    if h.wattage and h.lighting and h.lighting != hc.Lighting.PLN_METERAN:
        out.append(error("wattage", "without_meter",
                         "Daya terpasang hanya diisi untuk listrik PLN dengan meteran; kosongkan atau ubah sumber "
                         "penerangan."))
    if h.toilet_type and h.toilet_facility == hc.ToiletFacility.TIDAK_ADA:
        out.append(warning("toilet_type", "without_facility",
                           "Jenis kloset diisi padahal keluarga tidak punya fasilitas buang air besar."))
    return [i for i in out if i is not None]


def _assets(p: HouseholdPayload) -> list[Issue]:
    out: list[Issue] = []
    seen: set[str] = set()
    for code in p.assets:
        if code not in hc.ASSET:
            out.append(hc.ASSET.issue("assets", code))
        elif code in seen:
            out.append(error("assets", "repeated", f"Aset '{hc.ASSET.label(code)}' disebut dua kali."))
        seen.add(code)
    for code, n in p.livestock.items():
        if code not in hc.LIVESTOCK:
            out.append(hc.LIVESTOCK.issue("livestock", code))
        elif not 0 <= n <= MAX_LIVESTOCK:
            out.append(error("livestock", "range",
                             f"Jumlah ternak {hc.LIVESTOCK.label(code)} harus 0 sampai {MAX_LIVESTOCK}, bukan {n}."))
    return out
