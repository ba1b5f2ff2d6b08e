"""Households, members and proposals for the operator's app: checks while typing, saves, lists.

Form data arrive as dicts of strings (the keys of domain.records' payloads; lists for codes ticked
in a list; a birth date as typed, 17/8/85 included). `check_*` say what saving would say, without
writing; `save_*` run in one BEGIN IMMEDIATE transaction through local_db.household_repo (record +
outbox op + audit row), so nothing can slip in between the duplicate check and the insert.

Expected refusals are KnownErrors with Indonesian text naming the field: local_db.household_errors
(duplicate rules, wrong target), MemberRefused (the field checks), OverrideRequired (a probable
duplicate needs a reason, which goes to the member's override_reason and the audit row).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine

from domain import regions, temp_ids
from domain.dates import parse_date
from domain.errors import KnownError
from domain.findings import Findings
from domain.household_check import validate_household
from domain.idnumbers import normalize, parse_nik
from domain.issues import Issue, error, warning
from domain.member_check import validate_member
from domain.programmes import DEFAULT, Catalogue, Programme, Target
from domain.records import HouseholdPayload, Housing, MemberPayload, ProposalPayload, RecordType
from local_db import household_repo as repo
from local_db import record_list_query as lists
from local_db.household_errors import RecordRefused as RecordRefused  # re-exported: ui may not import local_db
from local_db.household_payloads import HOUSING_FIELDS
from local_db.household_repo import Saved, Who
from local_db.member_duplicates import DuplicateHit, member_duplicates
from local_db.record_list_query import ListFilter, View
from local_db.repository import session_scope

__all__ = ["HouseholdService", "ListFilter", "MemberCheck", "MemberRefused", "OverrideRequired", "View"]


class MemberRefused(KnownError):
    """The member's fields have errors (or a blocking duplicate); `issues` lists them all."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(i.message for i in self.issues))

    @classmethod
    def default_message(cls) -> str:
        return "Anggota tidak bisa disimpan. Periksa isian yang ditandai."


class HouseholdRefused(MemberRefused):
    @classmethod
    def default_message(cls) -> str:
        return "Keluarga tidak bisa disimpan. Periksa isian yang ditandai."


class OverrideRequired(KnownError):
    def __init__(self, hits: Sequence[DuplicateHit]) -> None:
        self.hits = list(hits)
        super().__init__("\n".join(h.message for h in self.hits) +
                         "\nSimpan hanya dengan alasan (mengapa ini bukan orang yang sama).")

    @classmethod
    def default_message(cls) -> str:
        return "Mungkin orang yang sama sudah terdaftar; isi alasannya."


def _hit_issue(hit: DuplicateHit) -> Issue:
    fld = "name" if hit.kind == "probable_person" else "nik"
    return (error if hit.blocking else warning)(fld, f"duplicate_{hit.kind}", hit.message)


@dataclass(slots=True)
class MemberCheck:
    """What saving a member would report."""

    findings: Findings
    duplicates: list[DuplicateHit] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [*self.findings.errors, *(_hit_issue(h) for h in self.duplicates if h.blocking)]

    @property
    def warnings(self) -> list[Issue]:
        return [*self.findings.warnings, *(_hit_issue(h) for h in self.duplicates if not h.blocking)]

    @property
    def probable(self) -> list[DuplicateHit]:
        return [h for h in self.duplicates if h.kind == "probable_person"]

    @property
    def nik_invalid(self) -> bool:
        return any(i.field == "nik" for i in self.findings.errors)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(data: Mapping[str, object], key: str) -> str:
    v = data.get(key)
    return "" if v is None else " ".join(str(v).split())


def _codes(data: Mapping[str, object], key: str) -> list[str]:
    v = data.get(key) or []
    items: Iterable[object] = v.split(",") if isinstance(v, str) else v if isinstance(v, Iterable) else []
    return [str(c) for c in items if c]


def _rt_rw(v: str) -> str:
    return v.zfill(3) if v.isdigit() else v


def _payload_issues(exc: ValidationError, labels: Mapping[str, str]) -> list[Issue]:
    out = []
    for e in exc.errors():
        fld = str(e["loc"][-1]) if e["loc"] else "data"
        label = labels.get(fld, fld)
        limit = (e.get("ctx") or {}).get("max_length")
        out.append(error(fld, "payload", f"{label} terlalu panjang (maksimal {limit} huruf)." if limit
                         else f"{label} tidak valid."))
    return out


def _float(text: str, fld: str, label: str, issues: list[Issue]) -> float | None:
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        issues.append(error(fld, "number", f"{label} harus angka."))
        return None


class HouseholdService:
    """The household model's use cases for one operator on one device (and desa)."""

    def __init__(self, engine: Engine, *, operator: str, device_id: str, desa_code: str | None,
                 catalogue: Catalogue = DEFAULT) -> None:
        self.engine = engine
        self.who = Who(operator, device_id)
        self.desa_code = regions.digits_of(desa_code) if desa_code else None
        self.catalogue = catalogue
        self._watch: Any = None

    @property
    def kabkota(self) -> str | None:
        return self.desa_code[:4] if self.desa_code else None

    # ---------------------------------------------------------------- payloads from form data

    def household_payload(self, data: Mapping[str, object]) -> tuple[HouseholdPayload | None, list[Issue]]:
        issues: list[Issue] = []
        housing: dict[str, Any] = {f: _text(data, f) for f in HOUSING_FIELDS if f != "floor_area_m2"}
        housing["floor_area_m2"] = _float(_text(data, "floor_area_m2"), "floor_area_m2", "Luas lantai", issues)
        livestock_in = data.get("livestock")
        counts = livestock_in if isinstance(livestock_in, Mapping) else {}
        livestock = {str(k): int(v) for k, v in counts.items() if int(v)}
        try:
            p = HouseholdPayload(
                kk=normalize(_text(data, "kk")), kk_pending=bool(data.get("kk_pending")),
                desa_code=regions.digits_of(_text(data, "desa_code") or (self.desa_code or "")),
                dusun=_text(data, "dusun"), rt=_rt_rw(_text(data, "rt")), rw=_rt_rw(_text(data, "rw")),
                address=_text(data, "address"), phone=re.sub(r"[\s\-]", "", _text(data, "phone")),
                housing=Housing(**housing), assets=_codes(data, "assets"), livestock=livestock,
                notes=str(data.get("notes") or "").strip())
        except ValidationError as exc:
            return None, [*issues, *_payload_issues(exc, {})]
        return (p if not issues else None), issues

    def member_payload(self, data: Mapping[str, object], today: date | None = None
                       ) -> tuple[MemberPayload | None, list[Issue]]:
        typed = _text(data, "birth_date")
        born = parse_date(typed, today=today)
        nik = _text(data, "nik")
        temp = _text(data, "temp_id").upper()
        difficulties = {str(k): str(v) for k, v in dict(data.get("difficulties") or {}).items() if v}  # type: ignore[call-overload]
        try:
            p = MemberPayload(
                household_id=_text(data, "household_id"), nik="" if temp else normalize(nik), temp_id=temp,
                former_ids=_codes(data, "former_ids"), name=_text(data, "name"),
                birth_place=_text(data, "birth_place"), birth_date=born.isoformat() if born else typed,
                sex=_text(data, "sex").upper(), relation=_text(data, "relation"),
                marital_status=_text(data, "marital_status"), education=_text(data, "education"),
                school_status=_text(data, "school_status"), occupation=_text(data, "occupation"),
                difficulties=difficulties, chronic_illness=_text(data, "chronic_illness"),
                pregnant=bool(data.get("pregnant")), ppks=_codes(data, "ppks"), criteria=_codes(data, "criteria"),
                phone=re.sub(r"[\s\-]", "", _text(data, "phone")), notes=str(data.get("notes") or "").strip(),
                override_reason=_text(data, "override_reason"))
        except ValidationError as exc:
            from domain.member_check import LABELS

            return None, _payload_issues(exc, LABELS)
        return p, []

    # ---------------------------------------------------------------- checks (no writing)

    def check_household(self, data: Mapping[str, object]) -> Findings:
        p, issues = self.household_payload(data)
        if p is None:
            return Findings(errors=issues)
        return validate_household(p, operator_desa=self.desa_code)

    def _member_hits(self, s: Any, p: MemberPayload, found: Findings, record_id: str | None,
                     household: Mapping[str, Any] | None) -> list[DuplicateHit]:
        digits = normalize(p.nik)
        valid = bool(digits) and not any(i.field == "nik" for i in found.errors)
        born = parse_date(p.birth_date)
        h = household or {}
        return member_duplicates(
            s, nik=digits if valid else "", nik_typed=digits if not valid and digits.isdigit() else "", name=p.name,
            birth_date=born, sex=p.sex if p.sex in ("L", "P") else "", kk=h.get("kk") or "",
            desa_code=h.get("desa_code") or (self.desa_code or ""), dusun=h.get("dusun") or "", rt=h.get("rt") or "",
            rw=h.get("rw") or "", exclude_record_id=record_id or "")

    def check_member(self, data: Mapping[str, object], *, record_id: str | None = None,
                     today: date | None = None) -> MemberCheck:
        p, issues = self.member_payload(data, today)
        if p is None:
            return MemberCheck(Findings(errors=issues))
        found = validate_member(p, today=today, operator_kabkota=self.kabkota)
        if not p.household_id:  # the household is saved with the first member: not the operator's error here
            found.errors = [i for i in found.errors if i.field != "household_id"]
        with session_scope(self.engine) as s:
            hh = repo.get(s, RecordType.HOUSEHOLD, p.household_id) if p.household_id else None
            hits = self._member_hits(s, p, found, record_id, hh)
        return MemberCheck(found, hits)

    # ---------------------------------------------------------------- writing

    def save_household(self, data: Mapping[str, object], *, record_id: str | None = None) -> Saved:
        p, issues = self.household_payload(data)
        if p is None:
            raise HouseholdRefused(issues)
        with session_scope(self.engine, write=True) as s:
            return repo.save_household(s, p, self.who, record_id=record_id, operator_desa=self.desa_code)

    def save_member(self, data: Mapping[str, object], *, record_id: str | None = None, override_reason: str = "",
                    today: date | None = None) -> Saved:
        """Create or change a member. Raises MemberRefused, OverrideRequired, household_errors.*"""
        p, issues = self.member_payload(data, today)
        if p is None:
            raise MemberRefused(issues)
        found = validate_member(p, today=today, operator_kabkota=self.kabkota)
        if found.errors:
            raise MemberRefused(found.errors)
        reason = " ".join((override_reason or p.override_reason).split())
        with session_scope(self.engine, write=True) as s:
            before = repo.get(s, RecordType.MEMBER, record_id) if record_id else None
            hh = repo.get(s, RecordType.HOUSEHOLD, p.household_id)
            hits = self._member_hits(s, p, found, record_id, hh)
            blocking = [h for h in hits if h.blocking]
            if blocking:
                raise MemberRefused([_hit_issue(h) for h in blocking])
            probable = [h for h in hits if h.kind == "probable_person"]
            if probable:
                reason = reason or (before["override_reason"] if before else "")
                if not reason:
                    raise OverrideRequired(probable)
            else:
                reason = ""
            p = p.model_copy(update={"override_reason": reason})
            return repo.save_member(s, p, self.who, record_id=record_id, today=today, operator_kabkota=self.kabkota)

    def replace_temp_id(self, member_id: str, nik: str) -> Saved:
        with session_scope(self.engine, write=True) as s:
            return repo.replace_member_temp_id(s, member_id, nik, self.who, operator_kabkota=self.kabkota)

    def move_member(self, member_id: str, household_id: str, *, reason: str = "") -> Saved:
        with session_scope(self.engine, write=True) as s:
            return repo.move_member(s, member_id, household_id, self.who, reason=reason)

    def save_proposal(self, payload: ProposalPayload, *, record_id: str | None = None) -> Saved:
        with session_scope(self.engine, write=True) as s:
            return repo.save_proposal(s, payload, self.who, record_id=record_id, catalogue=self.catalogue)

    def delete(self, record_type: RecordType, record_id: str, *, reason: str) -> Saved:
        with session_scope(self.engine, write=True) as s:
            return repo.soft_delete(s, record_type, record_id, self.who, reason=" ".join(reason.split()))

    # ---------------------------------------------------------------- reading

    @staticmethod
    def new_temp_id() -> str:
        return temp_ids.new_temp_id()

    def programmes_for(self, target: Target) -> list[Programme]:
        return self.catalogue.for_target(target)

    def household(self, record_id: str) -> dict[str, Any] | None:
        with session_scope(self.engine) as s:
            return repo.get(s, RecordType.HOUSEHOLD, record_id)

    def member(self, record_id: str) -> dict[str, Any] | None:
        with session_scope(self.engine) as s:
            return repo.get(s, RecordType.MEMBER, record_id)

    def members(self, household_id: str) -> list[dict[str, Any]]:
        with session_scope(self.engine) as s:
            return repo.members_of(s, household_id)

    def proposals(self, household_id: str) -> list[dict[str, Any]]:
        """The household's proposals and its members' (not deleted), oldest first."""
        with session_scope(self.engine) as s:
            conn = s.connection()
            res = conn.exec_driver_sql(
                "SELECT p.* FROM proposals p WHERE p.deleted = 0 AND (p.household_id = ? OR p.member_id IN "
                "(SELECT record_id FROM members WHERE household_id = ?)) ORDER BY p.created_at, p.record_id",
                (household_id, household_id))
            cols = list(res.keys())
            return [dict(zip(cols, r, strict=True)) for r in res.fetchall()]

    def rows(self, view: View, flt: ListFilter, *, limit: int = 2000) -> list[tuple[Any, ...]]:
        return lists.rows(self.engine, view, flt, limit=limit)

    def count(self, view: View, flt: ListFilter | None = None) -> int:
        return lists.count(self.engine, view, flt or ListFilter())

    def counts(self) -> dict[View, int]:
        """Active records of each table (what the three lists show with no filter)."""
        return {v: lists.count(self.engine, v, ListFilter()) for v in View}

    def waiting(self) -> dict[View, int]:
        """Saved here and not yet accepted by the server, per table (the status bar's "not sent")."""
        return lists.waiting(self.engine)

    def dusuns(self) -> list[str]:
        return lists.dusuns(self.engine)

    def store_changed(self) -> bool:
        """True when another connection (the CLI's `bansos import`, a sync run, another window) has
        committed to the store since the last call: the window then reloads its list and counts."""
        if self._watch is None:
            from local_db.store_watch import StoreWatch

            self._watch = StoreWatch(self.engine)
        return self._watch.changed()

    def nik_readback(self, text: str) -> Any:
        return parse_nik(text, operator_kabkota=self.kabkota)


def proposal_from(data: Mapping[str, object]) -> ProposalPayload:
    """A ProposalPayload from the proposal dialog's values (ids and codes)."""
    return ProposalPayload(
        type=_text(data, "type") or "new", programme=_text(data, "programme"),
        household_id=_text(data, "household_id"), member_id=_text(data, "member_id"),
        pengurus_id=_text(data, "pengurus_id"), criteria=_codes(data, "criteria"),
        note=str(data.get("note") or "").strip(), removal_reason=_text(data, "removal_reason"))
