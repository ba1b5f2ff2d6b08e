"""One person in one step (`bansos add`): the household found or created by KK in the desa, the
member found or created by NIK, and optionally a proposal — all in one write transaction through
local_db.household_repo, so either all of it is saved or none.

A household programme (PKH, BPNT, ...) makes the proposal on the household with this person as the
pengurus; a person programme (PBI-JK) makes it on the member. Expected refusals are `AddRefused`
(every error found, each naming its field) and `OverrideNeeded` (duplicate rule 3: a probable same
person under another NIK, saved only with a reason).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine

from domain import criteria as crit
from domain import regions
from domain.dates import parse_date
from domain.errors import KnownError
from domain.household_check import validate_household
from domain.idnumbers import normalize
from domain.issues import Issue, error, warning
from domain.matching import PersonRecord
from domain.member_check import validate_member
from domain.payload_parse import parse_payload
from domain.programmes import Catalogue, Programme, UnknownProgramme
from domain.records import HouseholdPayload, MemberPayload, ProposalPayload
from local_db import household_listing as hl
from local_db import household_repo as hr
from local_db.household_errors import RecordRefused
from local_db.member_duplicates import ProbableMember, probable_members
from local_db.repository import session_scope


class AddRefused(KnownError):
    """Nothing was saved; `issues` name the fields."""

    def __init__(self, issues: Sequence[Issue] = ()) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(i.message for i in self.issues))

    @classmethod
    def default_message(cls) -> str:
        return "Data tidak tersimpan. Periksa isian yang ditandai."


class OverrideNeeded(KnownError):
    """Duplicate rule 3: probably a person already entered under another NIK."""

    def __init__(self, hits: Sequence[ProbableMember] = ()) -> None:
        self.hits = list(hits)
        super().__init__("\n".join(h.message for h in self.hits))

    @classmethod
    def default_message(cls) -> str:
        return "Mungkin orang yang sama sudah terdaftar; simpan hanya dengan alasan (mengapa orang berbeda)."


@dataclass(frozen=True, slots=True)
class AddResult:
    household_id: str
    member_id: str
    proposal_id: str | None
    household_created: bool
    member_created: bool
    warnings: list[Issue] = field(default_factory=list)

    @property
    def record_id(self) -> str:
        """The id `bansos add` prints: the proposal's when one was made, else the member's."""
        return self.proposal_id or self.member_id


def _text(data: Mapping[str, object], key: str) -> str:
    v = data.get(key)
    return "" if v is None else " ".join(str(v).split())


def _rt_rw(v: str) -> str:
    return v.zfill(3) if v.isdigit() else v


def refusal_issue(exc: RecordRefused, fld: str | None = None) -> Issue:
    return error(fld or exc.field or "data", exc.code or "refused", exc.message)


def add_person(engine: Engine, who: hr.Who, data: Mapping[str, object], *, catalogue: Catalogue,
               operator_desa: str | None = None, programme: str | None = None, override_reason: str = "",
               today: date | None = None) -> AddResult:
    """Save `data` (nik, kk, name, birth_date, sex, desa_code and optionally relation, address, dusun,
    rt, rw, phone, criteria, birth_place, notes) and a proposal of `programme` when given."""
    desa = regions.digits_of(_text(data, "desa_code")) or _text(data, "desa_code")
    kk = normalize(_text(data, "kk"))
    nik = normalize(_text(data, "nik"))
    criteria, unknown = crit.parse_list(_text(data, "criteria"))
    issues: list[Issue] = []
    if unknown:
        issues.append(error("criteria", "unknown", f"Kriteria tidak dikenal: {', '.join(unknown)}."))
    prog: Programme | None = None
    if programme:
        try:
            prog = catalogue.resolve(programme)
        except UnknownProgramme as exc:
            issues.append(error("programme", "unknown", exc.message))
    hh, hh_issues = parse_payload(HouseholdPayload, {
        "kk": kk, "desa_code": desa, "dusun": _text(data, "dusun"), "rt": _rt_rw(_text(data, "rt")),
        "rw": _rt_rw(_text(data, "rw")), "address": _text(data, "address"), "phone": _text(data, "phone")})
    issues += hh_issues
    born_text = _text(data, "birth_date")
    born = parse_date(born_text) if born_text else None
    member_fields = {"household_id": "-", "nik": nik, "name": _text(data, "name"),
                     "birth_date": born.isoformat() if born else born_text, "sex": _text(data, "sex").upper(),
                     "relation": _text(data, "relation"), "birth_place": _text(data, "birth_place"),
                     "criteria": criteria, "phone": _text(data, "phone"), "notes": _text(data, "notes")}
    mp, m_issues = parse_payload(MemberPayload, member_fields)
    issues += m_issues
    warnings: list[Issue] = []
    if hh is not None:
        found = validate_household(hh, operator_desa=operator_desa)
        issues += found.errors
    if mp is not None:
        found_m = validate_member(mp, today=today, operator_kabkota=operator_desa[:4] if operator_desa else None)
        issues += found_m.errors
    if issues or hh is None or mp is None:
        raise AddRefused(issues)
    with session_scope(engine, write=True) as s:
        existing_hh = hl.household_by_kk(s, kk, desa)
        existing_m = hl.member_by_nik(s, nik)
        try:
            if existing_hh is None:
                saved_h = hr.save_household(s, hh, who, operator_desa=operator_desa)
                hid = saved_h.record_id
                warnings += saved_h.warnings
            else:
                hid = existing_hh["record_id"]
            if existing_m is not None and existing_m["household_id"] != hid:
                hr.check_member_ids(s, mp, "")  # rule 1: names the family the NIK is in
            if existing_m is None:
                mp = mp.model_copy(update={"household_id": hid})
                hits = probable_members(s, PersonRecord(
                    id="", nik=nik, kk=kk, name=mp.name, birth_date=date.fromisoformat(mp.birth_date), sex=mp.sex,
                    desa_code=desa, dusun=hh.dusun, rt=hh.rt, rw=hh.rw))
                if hits and not override_reason:
                    raise OverrideNeeded(hits)
                if hits:  # saved over rule 3: the reason stays on the member, the finding is shown
                    warnings += [warning("name", "probable_person", h.message) for h in hits]
                    mp = mp.model_copy(update={"override_reason": override_reason})
                saved_m = hr.save_member(s, mp, who, today=today,
                                         operator_kabkota=operator_desa[:4] if operator_desa else None)
                mid = saved_m.record_id
                warnings += saved_m.warnings
            else:
                mid = existing_m["record_id"]
                if _names_differ(existing_m["name"], mp.name):
                    warnings.append(warning("nik", "existing_member",
                                            f"NIK {nik} sudah tercatat atas nama {existing_m['name']}; data "
                                            "anggota itu dipakai apa adanya (tidak diubah)."))
            pid: str | None = None
            if prog is not None:
                proposal = (ProposalPayload(programme=prog.code, household_id=hid, pengurus_id=mid)
                            if prog.is_household else ProposalPayload(programme=prog.code, member_id=mid))
                saved_p = hr.save_proposal(s, proposal, who, catalogue=catalogue, today=today)
                pid = saved_p.record_id
                warnings += saved_p.warnings
        except RecordRefused as exc:
            raise AddRefused([refusal_issue(exc)]) from exc
    return AddResult(hid, mid, pid, existing_hh is None, existing_m is None, warnings)


def _names_differ(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) != " ".join(b.casefold().split())
