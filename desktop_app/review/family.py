"""A proposal's family as the reviewer reads it: the household (KK, address, house, assets, desil) and
each member (NIK read back, relation, condition), every code shown with its Indonesian label.

Pure: no HTTP, no Qt. Built from the wire (sync.review_protocol.HouseholdInfo / MemberInfo).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desktop_app.review.flags import FlagView, explain_flag
from domain import criteria as crit
from domain import housing_codes as hc
from domain import member_codes as mc
from domain import readback
from domain.dates import format_date
from domain.ppks import PPKS
from sync.review_protocol import HouseholdInfo, MemberInfo

# Housing fields in the order of the DTSEN questionnaire, with their code lists.
_HOUSING = (("tenure", hc.TENURE), ("floor_material", hc.FLOOR_MATERIAL), ("wall_material", hc.WALL_MATERIAL),
            ("roof_material", hc.ROOF_MATERIAL), ("water_source", hc.WATER_SOURCE), ("lighting", hc.LIGHTING),
            ("wattage", hc.WATTAGE), ("cooking_fuel", hc.COOKING_FUEL), ("toilet_facility", hc.TOILET_FACILITY),
            ("toilet_type", hc.TOILET_TYPE), ("sewage", hc.SEWAGE))


def _date_text(iso: str) -> str:
    try:
        return format_date(date.fromisoformat(iso))
    except ValueError:
        return iso or "-"


@dataclass(slots=True)
class MemberView:
    record_id: str
    version: int
    household_id: str
    nik: str  # "" while the person has only a temporary id
    temp_id: str
    name: str
    birth_place: str
    birth_date: str  # ISO
    sex: str
    relation: str  # code
    occupation: str
    education: str
    marital_status: str
    difficulties: dict[str, str]
    chronic_illness: str
    pregnant: bool
    ppks: list[str]
    criteria: list[str]
    desil: int | None
    flags: list[FlagView] = field(default_factory=list)
    deleted: bool = False
    conflict: dict[str, Any] | None = None  # a village edit kept beside the server values
    payload: dict[str, Any] = field(default_factory=dict)
    _nik_lines: list[str] | None = None

    @property
    def id_text(self) -> str:
        return self.nik or f"{self.temp_id} (belum ber-NIK)"

    @property
    def birth_date_text(self) -> str:
        return _date_text(self.birth_date)

    @property
    def relation_label(self) -> str:
        return mc.RELATION.label(self.relation) if self.relation else "(hubungan belum diisi)"

    @property
    def sex_label(self) -> str:
        return mc.SEX.label(self.sex)

    @property
    def nik_lines(self) -> list[str]:
        if self._nik_lines is None:
            self._nik_lines = readback.nik_lines(self.nik, self.birth_date, self.sex) if self.nik else []
        return self._nik_lines

    def condition_parts(self) -> list[str]:
        """Occupation, disability, illness, pregnancy, PPKS and criteria as short Indonesian phrases."""
        out: list[str] = []
        if self.occupation:
            out.append(mc.OCCUPATION.label(self.occupation))
        for d, sev in self.difficulties.items():
            out.append(f"{mc.DIFFICULTY.label(d)} ({mc.DIFFICULTY_SEVERITY.label(sev)})")
        if self.chronic_illness:
            out.append(f"sakit: {mc.CHRONIC_ILLNESS.label(self.chronic_illness)}")
        if self.pregnant:
            out.append("hamil")
        out += [f"PPKS: {PPKS.label(p)}" for p in self.ppks]
        out += [crit.label(c) for c in self.criteria]
        return out


@dataclass(slots=True)
class HouseholdView:
    record_id: str
    version: int
    desa_code: str
    kk: str
    kk_pending: bool
    address: str
    phone: str
    housing: list[tuple[str, str]]  # (question, answer label) of the answered housing fields
    floor_area_m2: float | None
    assets: list[str]  # labels
    livestock: list[str]  # "Sapi: 2"
    desil: int | None
    notes: str
    flags: list[FlagView] = field(default_factory=list)
    deleted: bool = False
    conflict: dict[str, Any] | None = None  # a village edit kept beside the server values
    payload: dict[str, Any] = field(default_factory=dict)
    _kk_lines: list[str] | None = None

    @property
    def kk_text(self) -> str:
        return self.kk or "KK belum terbit"

    @property
    def kk_lines(self) -> list[str]:
        if self._kk_lines is None:
            self._kk_lines = readback.kk_lines(self.kk) if self.kk else []
        return self._kk_lines


def address_text(address: str, dusun: str, rt: str, rw: str) -> str:
    dusun = dusun if not dusun or dusun.lower().startswith("dusun") else f"Dusun {dusun}"
    return ", ".join(x for x in (address, dusun,
                                 f"RT {rt}/RW {rw}" if rt or rw else "") if x)


def member_view(m: MemberInfo) -> MemberView:
    p = m.payload
    flags = [explain_flag(f.code, related=f.related_record_ids) for f in m.flags]
    return MemberView(
        record_id=m.record_id, version=m.version, household_id=p.household_id, nik=p.nik, temp_id=p.temp_id,
        name=p.name, birth_place=p.birth_place, birth_date=p.birth_date, sex=p.sex, relation=p.relation,
        occupation=p.occupation, education=p.education, marital_status=p.marital_status,
        difficulties=dict(p.difficulties), chronic_illness=p.chronic_illness, pregnant=p.pregnant,
        ppks=list(p.ppks), criteria=list(p.criteria), desil=m.desil, flags=flags, deleted=m.deleted or m.voided,
        conflict=m.conflict, payload=p.model_dump())


def household_view(h: HouseholdInfo) -> HouseholdView:
    p = h.payload
    housing = [(codes.title, codes.label(v)) for name, codes in _HOUSING if (v := getattr(p.housing, name))]
    livestock = [f"{hc.LIVESTOCK.label(k)}: {n}" for k, n in p.livestock.items() if n]
    flags = [explain_flag(f.code, related=f.related_record_ids) for f in h.flags]
    return HouseholdView(
        record_id=h.record_id, version=h.version, desa_code=h.desa_code, kk=p.kk, kk_pending=p.kk_pending,
        address=address_text(p.address, p.dusun, p.rt, p.rw), phone=p.phone, housing=housing,
        floor_area_m2=p.housing.floor_area_m2, assets=[hc.ASSET.label(a) for a in p.assets], livestock=livestock,
        desil=h.desil if h.desil is not None else p.desil, notes=p.notes, flags=flags,
        deleted=h.deleted or h.voided, conflict=h.conflict, payload=p.model_dump())


_RELATION_ORDER = {r.value: i for i, r in enumerate(mc.Relation)}


def ordered_members(members: list[MemberView]) -> list[MemberView]:
    """Head of the family first, then as the KK lists relations; a member without a relation last."""
    return sorted(members, key=lambda m: (_RELATION_ORDER.get(m.relation, len(_RELATION_ORDER)), m.birth_date))
