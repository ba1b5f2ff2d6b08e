"""Import households and members from a CSV (or .xlsx) file: one row per member, the household's
columns repeated on its members' rows (desktop_app.services.member_table), all accepted families in
one transaction.

Order of work: read and check every row (fields, duplicates inside the file, a family's members
together), then open one write transaction, check the families against the store (rules 1, 2, 3,
4, 5), and write: new households with their members through household_repo.bulk_insert_households,
members of a household already in the store through save_member, proposals through
household_repo.bulk_insert_proposals (the rows, ops and audit rows save_proposal writes).
A crash or kill before the commit leaves the store without any of the file's rows; after it, with
all accepted ones.

A family is accepted or rejected whole: one bad row rejects every row of its KK (each rejected row
says why), so no family is ever half-imported. Rejected rows go to `<file>.rejects.csv` with the
row number and the reason in Indonesian, ready to fix and import again.

The `programme` column (codes or names, comma-separated) makes proposals: a household programme
(PKH, BPNT, ...) one proposal on the household with that row's member as pengurus (the first row of
the family naming it; other rows naming it add nothing), a person programme (PBI-JK) one proposal
on that row's member.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from desktop_app.services import member_table as mt
from domain import names
from domain.errors import KnownError
from domain.household_check import validate_household
from domain.issues import Issue
from domain.matching import CounterStats, PersonRecord, Prepared, compare, prepare
from domain.matching.blocking import names_pass
from domain.member_check import check_household_members, validate_member
from domain.payload_parse import LABELS, parse_payload
from domain.programmes import Catalogue, Programme, UnknownProgramme
from domain.records import HouseholdPayload, MemberPayload, ProposalPayload
from local_db import household_listing as hl
from local_db import household_repo as hr
from local_db.household_errors import RecordRefused
from local_db.household_payloads import member_payload
from local_db.member_duplicates import probable_members
from local_db.repository import session_scope

log = logging.getLogger(__name__)

REQUIRED = mt.REQUIRED
MAX_ROWS = 200_000
MAX_CELL = 2_000  # no field of a member row is longer; a longer cell is a broken file


class ImportFileError(KnownError):
    """The file as a whole cannot be imported; `message` is Indonesian."""

    @classmethod
    def default_message(cls) -> str:
        return "Berkas ini tidak bisa diimpor. Periksa bentuk dan kolomnya."


class ImportCancelled(KnownError):
    """The operator stopped the import; nothing of it was saved."""

    @classmethod
    def default_message(cls) -> str:
        return "Impor dibatalkan; tidak ada data dari berkas ini yang disimpan."


@dataclass(frozen=True, slots=True)
class ImportTarget:
    """Where and as whom an import writes."""

    engine: Engine
    who: hr.Who
    catalogue: Catalogue
    desa_code: str | None = None  # this device's desa: rows of another desa are refused


@dataclass(frozen=True, slots=True)
class RejectedRow:
    row: int  # line/row number in the file (the header is row 1)
    data: dict[str, str]
    reasons: list[str]


@dataclass(slots=True)
class ImportReport:
    path: Path
    total: int = 0
    accepted: int = 0  # member rows saved
    with_warnings: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    household_ids: list[str] = field(default_factory=list)  # households created or added to
    member_ids: list[str] = field(default_factory=list)
    proposal_ids: list[str] = field(default_factory=list)
    rejects_path: Path | None = None


def rejects_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".rejects.csv")


# --------------------------------------------------------------------------- reading


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # Indonesian digit grouping: 131.072


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))  # Excel keeps numbers as floats: 3.0 -> "3"
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v).strip()


def _read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise ImportFileError(f"Berkas {path.name} bukan teks CSV yang bisa dibaca.")
    first = text.split("\n", 1)[0]
    delim = max((";", ",", "\t"), key=first.count)
    # Python's csv refuses fields over 131,072 characters with a bare csv.Error; read them whole and let
    # read_rows name the row and column that is too long.
    if csv.field_size_limit() < len(text) + 1:
        csv.field_size_limit(len(text) + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    try:
        return [list(r) for r in reader]
    except csv.Error as exc:
        raise ImportFileError(
            f"Berkas {path.name}, baris {reader.line_num}: tidak bisa dibaca sebagai CSV ({exc}). "
            "Perbaiki baris itu lalu impor lagi.") from exc


def _read_xlsx(path: Path) -> list[list[str]]:
    from python_calamine import CalamineWorkbook

    try:
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        return [[_cell(v) for v in row] for row in sheet.to_python()]
    except Exception as exc:  # calamine raises its own error types for bad workbooks
        raise ImportFileError(f"Berkas Excel {path.name} tidak bisa dibaca: {exc}") from exc


def read_rows(path: Path, *, required: tuple[str, ...] = REQUIRED) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(header as written, [(row number, {field: text})]); blank rows skipped."""
    if not path.is_file():
        raise ImportFileError(f"Berkas {path} tidak ditemukan.")
    try:
        table = _read_xlsx(path) if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods") else _read_csv(path)
    except OSError as exc:
        raise ImportFileError(f"Berkas {path.name} tidak bisa dibuka: {exc.strerror}.") from exc
    if not table:
        raise ImportFileError(f"Berkas {path.name} kosong.")
    header = [str(h).strip() for h in table[0]]
    keys = [mt.header_key(h) for h in header]
    missing = [k for k in required if k not in keys]
    if missing:
        raise ImportFileError(
            f"Kolom wajib tidak ada di baris judul {path.name}: {', '.join(missing)}. "
            f"Baris judul harus memuat: {','.join(REQUIRED)}."
        )
    rows: list[tuple[int, dict[str, str]]] = []
    for n, values in enumerate(table[1:], start=2):
        if not any(str(v).strip() for v in values):
            continue
        d = {k: (str(values[i]).strip() if i < len(values) else "") for i, k in enumerate(keys) if k}
        for i, k in enumerate(keys):
            if k and len(d[k]) > MAX_CELL:
                raise ImportFileError(
                    f"Berkas {path.name}, baris {n}, kolom '{header[i]}': isi terlalu panjang "
                    f"({_thousands(len(d[k]))} karakter; paling banyak {_thousands(MAX_CELL)}). "
                    "Perbaiki baris itu lalu impor lagi.")
        rows.append((n, d))
    if len(rows) > MAX_ROWS:
        raise ImportFileError(f"Berkas terlalu besar ({len(rows)} baris); pecah menjadi berkas di bawah {MAX_ROWS} baris.")
    return header, rows


# --------------------------------------------------------------------------- checking rows


@dataclass(slots=True)
class _Row:
    n: int
    raw: dict[str, str]
    household: HouseholdPayload
    member: MemberPayload
    programmes: list[Programme]
    warnings: list[str]
    person: Prepared


@dataclass(slots=True)
class _Family:
    key: tuple[str, str]  # (desa, KK)
    rows: list[_Row] = field(default_factory=list)
    reasons: dict[int, list[str]] = field(default_factory=dict)  # row -> why it was refused
    # (row, programme) -> what save_proposal would record with the proposal (rule 5's warnings)
    proposal_warnings: dict[tuple[int, str], list[Issue]] = field(default_factory=dict)

    def refuse(self, n: int, reason: str) -> None:
        self.reasons.setdefault(n, []).append(reason)


def _messages(issues: list[Issue]) -> list[str]:
    out = []
    for i in issues:
        label = LABELS.get(i.field, "")
        out.append(i.message if not label or i.message.startswith(label) else f"{label}: {i.message}")
    return out


def _check_row(n: int, raw: dict[str, str], hh_fields: dict[str, Any], target: ImportTarget, today: date | None,
               errors: list[str]) -> _Row | None:
    hh, issues = parse_payload(HouseholdPayload, hh_fields)
    mp, m_issues = parse_payload(MemberPayload, mt.member_fields(raw))
    issues += m_issues
    warnings: list[str] = []
    if hh is not None:
        found = validate_household(hh, operator_desa=target.desa_code)
        issues += found.errors
        warnings += _messages(found.warnings)
    if mp is not None:
        kab = target.desa_code[:4] if target.desa_code else None
        found_m = validate_member(mp, today=today, operator_kabkota=kab)
        issues += found_m.errors
        warnings += _messages([w for w in found_m.warnings if w.code != "empty" or w.field != "relation"])
    progs: list[Programme] = []
    for text in mt.programme_texts(raw):
        try:
            prog = target.catalogue.resolve(text)
        except UnknownProgramme as exc:
            errors.append(exc.message)
            continue
        if prog in progs:
            errors.append(f"Program {prog.code} disebut dua kali.")
        progs.append(prog)
    errors += _messages(issues)
    if errors or hh is None or mp is None:
        return None
    born = date.fromisoformat(mp.birth_date)
    person = prepare(PersonRecord(id=str(n), nik=mp.nik, kk=hh.kk, name=mp.name, birth_date=born, sex=mp.sex,
                                  desa_code=hh.desa_code, dusun=hh.dusun, rt=hh.rt, rw=hh.rw))
    return _Row(n, raw, hh, mp, progs, warnings, person)


def _same_household(a: HouseholdPayload, b: HouseholdPayload) -> list[str]:
    """The household columns in which row b differs from the family's first row a."""
    da, db = a.model_dump(), b.model_dump()
    return [k for k in da if k not in ("desil",) and db[k] not in (da[k], "", None, [], {})
            and not (isinstance(db[k], dict) and not any(db[k].values()))]


def _check_rows(rows: list[tuple[int, dict[str, str]]], target: ImportTarget, report: ImportReport,
                today: date | None, tick: Callable[[str, int], None]) -> list[_Family]:
    """Phase 1, no store: each row, duplicates inside the file, each family's members together."""
    families: dict[tuple[str, str], _Family] = {}
    seen_nik: dict[str, int] = {}
    by_birth: dict[tuple[int, int, int], list[Prepared]] = {}
    seen_people: list[Prepared] = []
    for done, (n, raw) in enumerate(rows, start=1):
        tick("periksa", done)
        errors: list[str] = []
        hh_fields = mt.household_fields(raw)
        row = _check_row(n, raw, hh_fields, target, today, errors)
        key = (hh_fields["desa_code"], hh_fields["kk"])
        fam = families.setdefault(key, _Family(key))
        if row is None:
            fam.rows.append(_Row(n, raw, HouseholdPayload(desa_code=""), MemberPayload(
                household_id="", name="", birth_date="", sex=""), [], [], prepare(PersonRecord(
                    "", "", "", "", None, ""))))
            fam.refuse(n, " | ".join(errors))
            continue
        fam.rows.append(row)
        mp = row.member
        ident = mp.nik or mp.temp_id
        first = seen_nik.get(ident)
        if first is not None:
            fam.refuse(n, f"NIK {ident} sudah ada di baris {first}.")
            continue
        if not mp.override_reason:
            # The person matcher against the earlier rows sharing a birth date (typed or in the NIK).
            me = row.person
            others = [b for b in {b.rec.id: b for d in me.dates for b in by_birth.get(d, [])}.values()
                      if b.nik != me.nik and names_pass(me, b)]
            # Name and date frequencies of the file so far: counted only when a candidate needs scoring.
            stats = CounterStats([b.key for b in seen_people] + [me.key],
                                 [b.rec.birth_date for b in seen_people] + [me.rec.birth_date]) if others else None
            hit = next((o for o in others if stats is not None and compare(me, o, stats).found), None)
            if hit is not None and stats is not None:
                m = compare(me, hit, stats)
                fam.refuse(n, f"Mungkin orang yang sama dengan baris {hit.rec.id} (keyakinan {m.score:.0f}%: "
                              f"{m.reason_text()}); isi kolom override_reason bila memang orang berbeda.")
                continue
        seen_nik[ident] = n
        for d in row.person.dates:
            by_birth.setdefault(d, []).append(row.person)
        seen_people.append(row.person)
    for fam in families.values():
        good = [r for r in fam.rows if r.n not in fam.reasons]
        if not good:
            continue
        head = good[0]
        for r in good[1:]:
            differ = _same_household(head.household, r.household)
            if differ:
                names_ = ", ".join(LABELS.get(k, k) for k in differ)
                r.warnings.append(f"Data keluarga ({names_}) berbeda dengan baris {head.n}; dipakai isi baris "
                                  f"{head.n}.")
        for issue in check_household_members([r.member for r in good], today=today):
            if issue.is_error:
                fam.refuse(good[-1].n, _messages([issue])[0])
    return list(families.values())


# --------------------------------------------------------------------------- against the store


def _reject_family(fam: _Family, report: ImportReport) -> None:
    first = min(fam.reasons) if fam.reasons else None
    for r in fam.rows:
        reasons = fam.reasons.get(r.n) or [f"Ikut ditolak: baris {first} keluarga KK {fam.key[1]} ini ditolak "
                                           "(satu keluarga diimpor utuh atau tidak sama sekali)."]
        report.rejected.append(RejectedRow(r.n, r.raw, reasons))


def _proposals(fam: _Family) -> list[tuple[_Row, Programme]]:
    """(row, programme) per proposal: a household programme once per family (its first row)."""
    out: list[tuple[_Row, Programme]] = []
    household_done: set[str] = set()
    for r in fam.rows:
        for prog in r.programmes:
            if prog.is_household:
                if prog.code in household_done:
                    continue
                household_done.add(prog.code)
            out.append((r, prog))
    return out


def _check_family(s: Session, fam: _Family, target: ImportTarget, today: date | None) -> dict[str, Any] | None:
    """Phase 2 checks against the store; returns the existing household of the KK, if any."""
    head = fam.rows[0].household
    existing = hl.household_by_kk(s, head.kk, head.desa_code) if head.kk else None
    if existing is None and head.kk:
        other = hl.household_by_kk(s, head.kk)
        if other is not None:
            fam.refuse(fam.rows[0].n, f"KK {head.kk} sudah terdaftar sebagai keluarga di desa lain "
                                      f"({other['desa_code']}).")
            return None
    if existing is not None:
        # The file's members join the family already in the store: check them all together.
        stored = [member_payload(m) for m in hr.members_of(s, existing["record_id"])]
        for issue in check_household_members([*stored, *(r.member for r in fam.rows)], today=today):
            if issue.is_error:
                fam.refuse(fam.rows[-1].n, _messages([issue])[0])
    for r in fam.rows:
        try:
            hr.check_member_ids(s, r.member, "")
        except RecordRefused as exc:
            fam.refuse(r.n, exc.message)
            continue
        hits = probable_members(s, r.person)
        if hits and not r.member.override_reason:
            fam.refuse(r.n, hits[0].message + " Isi kolom override_reason bila memang orang berbeda.")
        elif not hits and r.member.override_reason:  # nothing to override: the reason is not kept
            r.member = r.member.model_copy(update={"override_reason": ""})
        r.warnings += [h.message for h in hits]
    for r, prog in _proposals(fam):
        niks = [x.member.nik for x in fam.rows] if prog.is_household else [r.member.nik]
        if prog.is_household and existing is not None:
            niks += [m["nik"] for m in hr.members_of(s, existing["record_id"]) if m["nik"]]
            if hl.open_proposal(s, prog.code, existing["record_id"]) is not None:
                fam.refuse(r.n, f"Program: keluarga KK {head.kk} sudah punya usulan {prog.code} yang masih terbuka; "
                                "satu program hanya boleh satu usulan terbuka per keluarga.")
                continue
        try:
            # Rule 5 as save_proposal applies it (refusal or warning), asked before anything is written.
            found = hr._reference_findings(s, niks, prog, target.catalogue)
            fam.proposal_warnings[(r.n, prog.code)] = found
            r.warnings += [w.message for w in found]
        except RecordRefused as exc:
            fam.refuse(r.n, exc.message)
    return existing


def import_file(
    target: ImportTarget,
    path: Path,
    *,
    rejects_path: Path | None = None,
    today: date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import `path` into `target`'s store. Raises ImportFileError, ImportCancelled."""
    path = Path(path)
    _header, rows = read_rows(path)
    report = ImportReport(path=path, total=len(rows))

    def tick(phase: str, done: int) -> None:
        if progress is not None and (done % 500 == 0 or done == len(rows)):
            progress(phase, done, len(rows))
        if cancelled is not None and done % 500 == 0 and cancelled():
            raise ImportCancelled()

    families = _check_rows(rows, target, report, today, tick)
    with session_scope(target.engine, write=True) as s:
        new: list[tuple[_Family, HouseholdPayload, list[hr.NewMember]]] = []
        added: list[tuple[_Family, dict[str, Any]]] = []
        for done, fam in enumerate(families, start=1):
            tick("cek duplikat", done)
            if fam.reasons:
                _reject_family(fam, report)
                continue
            existing = _check_family(s, fam, target, today)
            if fam.reasons:
                _reject_family(fam, report)
                continue
            if existing is None:
                new.append((fam, fam.rows[0].household, [hr.NewMember(r.member, r.person.key or
                                                                       names.name_key(r.member.name))
                                                         for r in fam.rows]))
            else:
                added.append((fam, existing))
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        accepted = [r for fam, *_ in new for r in fam.rows] + [r for fam, _ in added for r in fam.rows]
        if progress is not None:
            progress("simpan", 0, len(accepted))
        member_of: dict[int, str] = {}  # row -> member id
        household_of: dict[tuple[str, str], str] = {}
        source = f"impor {path.name} baris"
        hids = hr.bulk_insert_households(s, [(h, ms) for _f, h, ms in new], target.who,
                                         reasons=[f"{source} {_rows_text(f)}" for f, _h, _ms in new])
        for (fam, _h, _ms), hid in zip(new, hids, strict=True):
            household_of[fam.key] = hid
        by_nik = _member_ids(s, hids)
        for fam, _h, _ms in new:
            for r in fam.rows:
                member_of[r.n] = by_nik[r.member.nik or r.member.temp_id]
        for fam, existing in added:
            household_of[fam.key] = existing["record_id"]
            for r in fam.rows:
                mp = r.member.model_copy(update={"household_id": existing["record_id"]})
                saved = hr.save_member(s, mp, target.who, today=today)
                member_of[r.n] = saved.record_id
        proposals: list[tuple[ProposalPayload, list[Issue]]] = []
        why: list[str] = []
        for fam in [f for f, *_ in new] + [f for f, _ in added]:
            for r, prog in _proposals(fam):
                hid, mid = household_of[fam.key], member_of[r.n]
                payload = (ProposalPayload(programme=prog.code, household_id=hid, pengurus_id=mid)
                           if prog.is_household else ProposalPayload(programme=prog.code, member_id=mid))
                proposals.append((payload, fam.proposal_warnings.get((r.n, prog.code), [])))
                why.append(f"{source} {r.n}")
        report.proposal_ids = hr.bulk_insert_proposals(s, proposals, target.who, reasons=why)
        report.household_ids = list(household_of.values())
        report.member_ids = list(member_of.values())
        report.accepted = len(accepted)
        report.with_warnings = sum(1 for r in accepted if r.warnings)
    report.rejected.sort(key=lambda r: r.row)
    log.info("import: %d rows, %d accepted, %d rejected, %d proposals", report.total, report.accepted,
             len(report.rejected), len(report.proposal_ids))
    report.rejects_path = write_rejects(report, rejects_path or rejects_path_for(path))
    return report


def _rows_text(fam: _Family) -> str:
    return ", ".join(str(r.n) for r in fam.rows)


def _member_ids(s: Session, household_ids: list[str]) -> dict[str, str]:
    """NIK (or temporary id) -> member id of the members just inserted into these households."""
    out: dict[str, str] = {}
    for i in range(0, len(household_ids), 500):
        part = household_ids[i:i + 500]
        rows = s.connection().exec_driver_sql(
            f"SELECT nik, temp_id, record_id FROM members WHERE household_id IN ({','.join('?' * len(part))})",
            tuple(part)).fetchall()
        out.update({nik or temp: rid for nik, temp, rid in rows})
    return out


def write_rejects(report: ImportReport, dest: Path) -> Path | None:
    """`baris,alasan,<original columns>` for every rejected row; removes a stale file when none."""
    if not report.rejected:
        if dest.exists():
            dest.unlink()
        return None
    cols: list[str] = []
    for r in report.rejected:
        for k in r.data:
            if k not in cols:
                cols.append(k)
    with dest.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["baris", "alasan", *cols])
        for r in report.rejected:
            w.writerow([r.row, " | ".join(r.reasons), *(r.data.get(k, "") for k in cols)])
    return dest


def summary_text(report: ImportReport) -> str:
    lines = [f"{report.path.name}: {report.total} baris, diterima {report.accepted}, ditolak {len(report.rejected)}."]
    if report.accepted:
        lines.append(f"Tersimpan: {len(report.household_ids)} keluarga, {len(report.member_ids)} anggota, "
                     f"{len(report.proposal_ids)} usulan.")
    if report.with_warnings:
        lines.append(f"{report.with_warnings} baris diterima dengan peringatan.")
    if report.rejects_path:
        lines.append(f"Baris yang ditolak dan alasannya: {report.rejects_path}")
    return "\n".join(lines)


__all__ = ["ImportCancelled", "ImportFileError", "ImportReport", "ImportTarget", "RejectedRow", "import_file",
           "read_rows", "rejects_path_for", "summary_text", "write_rejects"]
