"""The legacy entry model (one person in one programme). The operator's app no longer writes here:
it works on households, members and proposals (desktop_app/services/households.py, ADR 0005); this
service stays for the old-store fixtures, the CLI and sync code not yet moved, until they move too.

Entering, editing and deleting candidate entries.

`data` is a dict of strings with the keys of sync.protocol.EntryPayload (criteria as a list or a
comma-separated string). `check` says what saving would say, without writing; `save` validates,
searches duplicates and writes in one BEGIN IMMEDIATE transaction, so nothing can slip in between
the duplicate check and the insert.

Expected refusals are exceptions with Indonesian messages (`str(exc)`), never tracebacks:
EntryRejected (errors, including blocking duplicates) and OverrideRequired (a probable duplicate
needs a reason, which then goes to the audit log).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session

from domain import names, regions
from domain.entry import FIELD_LABELS, EntryCheck, validate_entry
from domain.errors import KnownError
from domain.issues import Issue, error, warning
from domain.programmes import DEFAULT, Catalogue
from local_db import repository as repo
from local_db.duplicates import DuplicateHit, find_duplicates
from local_db.models import AuditLog, Entry
from sync.protocol import EntryPayload

_HIT_FIELD = {"nik": "nik", "reference": "nik", "kk_programme": "kk", "probable_person": "name"}
_TEXT_FIELDS = ("birth_place", "dusun", "address", "notes")


class EntryError(KnownError):
    """Base of the expected refusals; `message` is the operator's text."""

    @classmethod
    def default_message(cls) -> str:
        return "Entri tidak bisa disimpan. Periksa isian yang ditandai."


class EntryRejected(EntryError):
    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(i.message for i in self.issues))

    @property
    def fields(self) -> list[str]:
        return list(dict.fromkeys(i.field for i in self.issues))


class OverrideRequired(EntryError):
    def __init__(self, hits: Sequence[DuplicateHit]) -> None:
        self.hits = list(hits)
        super().__init__("\n".join(h.message for h in self.hits) +
                         "\nSimpan hanya dengan alasan (mengapa ini bukan orang yang sama).")


def hit_issue(hit: DuplicateHit) -> Issue:
    fld = _HIT_FIELD[hit.kind]
    make = error if hit.blocking else warning
    return make(fld, f"duplicate_{hit.kind}", hit.message)


@dataclass(slots=True)
class CheckResult:
    entry: EntryCheck
    duplicates: list[DuplicateHit] = field(default_factory=list)
    extra_errors: list[Issue] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [*self.entry.errors, *self.extra_errors, *(hit_issue(h) for h in self.duplicates if h.blocking)]

    @property
    def warnings(self) -> list[Issue]:
        return [*self.entry.warnings, *(hit_issue(h) for h in self.duplicates if not h.blocking)]

    @property
    def probable(self) -> list[DuplicateHit]:
        return [h for h in self.duplicates if h.kind == "probable_person"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def needs_override_reason(self) -> bool:
        return bool(self.probable)


@dataclass(frozen=True, slots=True)
class SaveResult:
    record_id: str
    warnings: list[Issue]
    duplicates: list[DuplicateHit]
    created: bool = True
    changed: bool = True  # False: the data equalled the stored entry, nothing was written


def _text(data: Mapping[str, object], key: str) -> str:
    v = data.get(key)
    return "" if v is None else " ".join(str(v).split())


def _coord(data: Mapping[str, object], key: str) -> float | None:
    v = _text(data, key)
    return float(v) if v else None


def _rt_rw(v: str) -> str:
    return v.zfill(3) if v.isdigit() else v


def normalised_payload(data: Mapping[str, object], check: EntryCheck) -> EntryPayload:
    """The stored/sent form of a checked entry (digits only, ISO date, programme code)."""
    assert check.ok and check.nik and check.kk and check.birth_date and check.programme
    values: dict[str, object] = {
        "nik": check.nik.digits, "kk": check.kk.digits, "name": _text(data, "name"),
        "birth_date": check.birth_date.isoformat(), "sex": _text(data, "sex").upper(),
        "desa_code": regions.digits_of(_text(data, "desa_code")),
        "rt": _rt_rw(_text(data, "rt")), "rw": _rt_rw(_text(data, "rw")),
        "phone": re.sub(r"[\s\-]", "", _text(data, "phone")),
        "criteria": check.criteria, "programme": check.programme.code,
        "latitude": _coord(data, "latitude"), "longitude": _coord(data, "longitude"),
        "override_reason": _text(data, "override_reason"),
    }
    for key in _TEXT_FIELDS:
        values[key] = str(data.get(key) or "").strip() if key == "notes" else _text(data, key)
    return EntryPayload.model_validate(values)


def payload_issues(exc: ValidationError) -> list[Issue]:
    out = []
    for e in exc.errors():
        fld = str(e["loc"][0]) if e["loc"] else "data"
        label = FIELD_LABELS.get(fld, fld)
        limit = (e.get("ctx") or {}).get("max_length")
        msg = f"{label} terlalu panjang (maksimal {limit} huruf)." if limit else f"{label} tidak valid."
        out.append(error(fld, "payload", msg))
    return out


class EntryService:
    """Entry use cases for one operator on one device (and, once provisioned, one desa)."""

    def __init__(
        self, engine: Engine, *, operator: str, device_id: str, desa_code: str | None,
        catalogue: Catalogue = DEFAULT, default_programme: str | None = None,
    ) -> None:
        self.engine = engine
        self.operator = operator
        self.device_id = device_id
        self.desa_code = regions.digits_of(desa_code) if desa_code else None
        self.catalogue = catalogue
        self.default_programme = default_programme

    # ---------------------------------------------------------------- checking

    def prepared(self, data: Mapping[str, object]) -> dict[str, object]:
        """`data` with the default programme filled in when it names none."""
        d = dict(data)
        if not _text(d, "programme") and self.default_programme:
            d["programme"] = self.default_programme
        return d

    def validate(self, data: Mapping[str, object], today: date | None = None
                 ) -> tuple[EntryCheck, EntryPayload | None, list[Issue]]:
        """Field checks only (no store): the check, the normalised payload if valid, extra errors."""
        check = validate_entry(data, catalogue=self.catalogue, operator_desa=self.desa_code, today=today)
        if not check.ok:
            return check, None, []
        try:
            return check, normalised_payload(data, check), []
        except ValidationError as exc:
            return check, None, payload_issues(exc)

    def duplicates(self, session: Session, check: EntryCheck, data: Mapping[str, object],
                    record_id: str | None) -> list[DuplicateHit]:
        nik = check.nik.digits if check.nik and check.nik.valid else ""
        typed = check.nik.digits if check.nik and not check.nik.valid and check.nik.digits.isdigit() else ""
        kk = check.kk.digits if check.kk and check.kk.valid else ""
        prog = check.programme.code if check.programme else ""
        sex = _text(data, "sex").upper()[:1]
        return find_duplicates(session, nik=nik, kk=kk, programme=prog, name=_text(data, "name"),
                               birth_date=check.birth_date, exclude_record_id=record_id, catalogue=self.catalogue,
                               sex=sex if sex in ("L", "P") else "", desa_code=regions.digits_of(_text(data, "desa_code")),
                               dusun=_text(data, "dusun"), rt=_rt_rw(_text(data, "rt")), rw=_rt_rw(_text(data, "rw")),
                               nik_typed=typed)

    def check(self, data: Mapping[str, object], *, record_id: str | None = None,
              today: date | None = None) -> CheckResult:
        """What saving would report (errors, warnings, duplicates), without writing anything."""
        data = self.prepared(data)
        check, _payload, extra = self.validate(data, today)
        with repo.session_scope(self.engine) as s:
            hits = self.duplicates(s, check, data, record_id)
        return CheckResult(check, hits, extra)

    def probable_persons(self, data: Mapping[str, object], *, record_id: str | None = None,
                         today: date | None = None) -> list[DuplicateHit]:
        """Entries that are probably the person being typed (name, birth date, NIK near-equality...),
        also when the NIK is invalid: "this is probably X, already registered" beside the NIK error."""
        return self.check(data, record_id=record_id, today=today).probable

    # ---------------------------------------------------------------- writing

    def save(self, data: Mapping[str, object], *, record_id: str | None = None, override_reason: str = "",
             today: date | None = None) -> SaveResult:
        """Create (record_id None) or change an entry. Raises EntryRejected / OverrideRequired."""
        data = self.prepared(data)
        reason = " ".join((override_reason or _text(data, "override_reason")).split())
        check, payload, extra = self.validate(data, today)
        with repo.session_scope(self.engine, write=True) as s:
            existing: Entry | None = None
            if record_id is not None:
                existing = repo.get_entry(s, record_id)
                if existing is None:
                    raise EntryRejected([error("record_id", "not_found", "Entri tidak ditemukan (mungkin sudah dihapus).")])
                if existing.deleted:
                    raise EntryRejected([error("record_id", "deleted", "Entri ini sudah dihapus dan tidak bisa diubah.")])
            hits = self.duplicates(s, check, data, record_id)
            result = CheckResult(check, hits, extra)
            if not result.ok or payload is None:
                raise EntryRejected(result.errors)
            if result.probable:
                reason = reason or (existing.override_reason if existing else "")
                if not reason:
                    raise OverrideRequired(result.probable)
            else:
                reason = ""
            payload = payload.model_copy(update={"override_reason": reason})
            warnings = [i.to_dict() for i in result.warnings]
            key = names.name_key(payload.name)
            if existing is None:
                entry = repo.create_entry(s, payload=payload, name_key=key, warnings=warnings, actor=self.operator,
                                          device_id=self.device_id, reason=reason)
                return SaveResult(entry.record_id, result.warnings, hits, created=True)
            if repo.payload_of(existing) == payload:
                return SaveResult(existing.record_id, result.warnings, hits, created=False, changed=False)
            repo.update_entry(s, existing, payload=payload, name_key=key, warnings=warnings, actor=self.operator,
                              device_id=self.device_id, reason=reason)
            return SaveResult(existing.record_id, result.warnings, hits, created=False)

    def delete(self, record_id: str, *, reason: str) -> None:
        """Soft-delete with a reason (kept in the entry, the DELETE op and the audit log)."""
        reason = " ".join((reason or "").split())
        if not reason:
            raise EntryRejected([error("delete_reason", "empty", "Alasan penghapusan wajib diisi.")])
        if len(reason) > 500:
            raise EntryRejected([error("delete_reason", "too_long", "Alasan penghapusan terlalu panjang (maksimal 500 huruf).")])
        with repo.session_scope(self.engine, write=True) as s:
            entry = repo.get_entry(s, record_id)
            if entry is None:
                raise EntryRejected([error("record_id", "not_found", "Entri tidak ditemukan.")])
            if entry.deleted:
                return
            repo.soft_delete_entry(s, entry, reason=reason, actor=self.operator, device_id=self.device_id)

    # ---------------------------------------------------------------- reading

    def get(self, record_id: str) -> Entry | None:
        with repo.session_scope(self.engine) as s:
            return repo.get_entry(s, record_id)

    def audit_for(self, record_id: str) -> list[AuditLog]:
        with repo.session_scope(self.engine) as s:
            return repo.audit_for(s, record_id)

    def list_entries(self, *, include_deleted: bool = False, limit: int | None = None, offset: int = 0) -> list[Entry]:
        with repo.session_scope(self.engine) as s:
            return repo.list_entries(s, include_deleted=include_deleted, limit=limit, offset=offset)
