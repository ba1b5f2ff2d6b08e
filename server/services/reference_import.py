"""`bansos-server import-reference FILE.csv`: the recipient list (nik, programme, level, status,
period). Resumable (progress per file checksum, committed every CHUNK rows), idempotent (a row
already present with the same values changes nothing), with a rejects file naming line and reason.
New or changed rows get a change_seq (villages of that kecamatan pull them) and re-check the
matching entries (flag, or auto-reject R05 per rule)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, update
from sqlmodel import Session, col, select

from domain.flags import FlagCode
from domain.idnumbers import parse_nik
from domain.programmes import Catalogue, SourceLevel, Target, UnknownProgramme
from domain.reasons import ReasonCode
from domain.states import ReviewState
from server import db
from server.models import AuditLog, ImportProgress, MemberRow, ProposalRow, ReferenceRecipient, table_of
from server.services.entries import flags_of
from server.services.reference import active_by_nik, judge
from server.services.seq import SeqAllocator, desa_feed, ref_feed
from server.settings import Settings

log = logging.getLogger("bansos.server.reference")
CHUNK = 1000
REQUIRED = ("nik", "programme", "level", "status", "period")
_LEVELS = {lv.value for lv in SourceLevel}


@dataclass
class ImportReport:
    file: str
    total: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped_resumed: int = 0
    entries_flagged: int = 0
    rejects_path: str | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        if self.errors:
            return "Impor gagal: " + "; ".join(self.errors)
        text = (f"{self.file}: {self.total} baris; baru {self.inserted}, diperbarui {self.updated}, "
                f"sama {self.unchanged}, ditolak {self.rejected}")
        if self.skipped_resumed:
            text += f", dilewati (sudah diimpor sebelumnya) {self.skipped_resumed}"
        if self.rejects_path and self.rejected:
            text += f". Baris yang ditolak: {self.rejects_path}"
        return text + f". Entri yang ditandai ulang: {self.entries_flagged}."


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check(row: dict[str, str]) -> tuple[dict[str, str] | None, str]:
    nik = parse_nik(row.get("nik", ""))
    if not nik.valid:
        return None, nik.errors[0].message
    level = (row.get("level") or "").strip().lower()
    if level not in _LEVELS:
        return None, f"level '{row.get('level', '')}' harus pusat, provinsi atau kabupaten"
    programme = " ".join((row.get("programme") or "").split()).upper()
    if not programme or len(programme) > 40:
        return None, "program wajib diisi (paling banyak 40 huruf)"
    period = (row.get("period") or "").strip()
    if not period or len(period) > 20:
        return None, "periode wajib diisi (paling banyak 20 huruf)"
    status = (row.get("status") or "").strip().lower()
    if len(status) > 40:
        return None, "status terlalu panjang"
    return {"nik": nik.digits, "programme": programme, "level": level, "status": status, "period": period}, ""


def import_csv(engine: Engine, path: str | Path, *, rejects_path: str | Path | None = None,
               settings: Settings | None = None, catalogue: Catalogue | None = None) -> ImportReport:
    settings = settings or Settings()
    catalogue = catalogue or Catalogue.from_file(settings.programmes_file)
    path = Path(path)
    report = ImportReport(file=str(path))
    if not path.is_file():
        report.errors.append(f"berkas {path} tidak ditemukan")
        return report
    rejects = Path(rejects_path) if rejects_path else path.with_suffix(path.suffix + ".rejects.csv")
    report.rejects_path = str(rejects)
    digest = _sha256(path)
    with Session(engine) as s:
        progress = s.get(ImportProgress, digest)
        start_after = progress.last_line if progress else 0
        if progress and progress.done:
            report.skipped_resumed = start_after
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        report.errors.append(f"kolom wajib tidak ada: {', '.join(missing)} (kolom: {', '.join(headers) or '-'})")
        return report
    reader.fieldnames = headers
    mode = "a" if start_after else "w"
    with open(rejects, mode, newline="", encoding="utf-8") as rf:
        rw = csv.writer(rf)
        if mode == "w":
            rw.writerow(["line", "reason", *REQUIRED])
        pending: list[tuple[int, dict[str, str]]] = []
        line = 1
        for raw in reader:
            line = reader.line_num
            report.total += 1
            if line <= start_after:
                report.skipped_resumed += 1 if not (progress and progress.done) else 0
                continue
            clean, reason = _check({k: (v or "") for k, v in raw.items() if isinstance(k, str)})
            if clean is None:
                report.rejected += 1
                rw.writerow([line, reason, *[(raw.get(c) or "") for c in REQUIRED]])
                continue
            pending.append((line, clean))
            if len(pending) >= CHUNK:
                _commit(engine, pending, digest, path, line, report, settings, catalogue, done=False)
                rf.flush()
                pending = []
        _commit(engine, pending, digest, path, line, report, settings, catalogue, done=True)
    if progress and progress.done:
        report.skipped_resumed = report.total
    log.info("reference import %s: %s", path.name, report.summary())
    return report


def _commit(engine: Engine, rows: list[tuple[int, dict[str, str]]], digest: str, path: Path, last_line: int,
            report: ImportReport, settings: Settings, catalogue: Catalogue, *, done: bool) -> None:
    now = datetime.now(UTC)
    with Session(engine) as s, db.serialised(s):
        seq = SeqAllocator(s)
        keys = {(r["nik"], r["programme"], r["period"]) for _, r in rows}
        existing: dict[tuple[str, str, str], ReferenceRecipient] = {}
        niks = sorted({k[0] for k in keys})
        for i in range(0, len(niks), 500):
            for ref in s.exec(select(ReferenceRecipient).where(col(ReferenceRecipient.nik).in_(niks[i : i + 500]))):
                existing[(ref.nik, ref.programme, ref.period)] = ref
        touched: set[str] = set()
        for _line, r in rows:
            key = (r["nik"], r["programme"], r["period"])
            found = existing.get(key)
            if found is None:
                ref = ReferenceRecipient(nik=r["nik"], programme=r["programme"], level=r["level"], status=r["status"],
                                         period=r["period"], kecamatan_code=r["nik"][:6], change_seq=seq.next(ref_feed(r["nik"][:6])),
                                         imported_at=now)
                existing[key] = ref
                report.inserted += 1
            elif (found.level, found.status) != (r["level"], r["status"]):
                ref = found
                ref.level, ref.status, ref.imported_at = r["level"], r["status"], now
                ref.change_seq = seq.next(ref_feed(ref.kecamatan_code))
                report.updated += 1
            else:
                report.unchanged += 1
                continue
            s.add(ref)
            touched.add(r["nik"])
        s.flush()
        report.entries_flagged += recheck_entries(s, touched, settings=settings, catalogue=catalogue, seq=seq, now=now)
        prog = s.get(ImportProgress, digest) or ImportProgress(file_sha256=digest, file_name=path.name[:300],
                                                               updated_at=now)
        prog.last_line, prog.done, prog.updated_at = last_line, done, now
        s.add(prog)
        seq.store()
        s.commit()


def recheck_entries(session: Session, niks: set[str], *, settings: Settings, catalogue: Catalogue,
                    seq: SeqAllocator, now: datetime) -> int:
    """Re-apply the reference rules (rule 5) to the live proposals these NIKs concern: a person
    programme's proposal on a member with one of them, a household programme's on a household where
    one of them lives (every live member's NIK counts). Returns how many proposals changed."""
    if not niks:
        return 0
    members = table_of(MemberRow)
    live = (members.c.deleted.is_(False), members.c.voided.is_(False))
    hit = [dict(r._mapping) for part in _parts(sorted(niks)) for r in session.execute(
        select(members.c.record_id, members.c.household_id).where(members.c.nik.in_(part), *live))]
    member_ids = {m["record_id"] for m in hit}
    household_ids = {m["household_id"] for m in hit}
    if not member_ids:
        return 0
    props = table_of(ProposalRow)
    found: dict[str, dict[str, Any]] = {}
    for column, values in ((props.c.member_id, member_ids), (props.c.household_id, household_ids)):
        for part in _parts(sorted(values)):
            for r in session.execute(props.select().where(column.in_(part), props.c.deleted.is_(False),
                                                         props.c.voided.is_(False))):
                found[r.record_id] = dict(r._mapping)
    # The NIKs of every member the proposals name or whose household they name.
    nik_of: dict[str, str] = {}
    by_household: dict[str, list[str]] = {}
    wanted_households = {p["household_id"] for p in found.values() if p["household_id"]}
    wanted_members = {p["member_id"] for p in found.values() if p["member_id"]}
    for column, values in ((members.c.household_id, wanted_households), (members.c.record_id, wanted_members)):
        for part in _parts(sorted(values)):
            for r in session.execute(select(members.c.record_id, members.c.household_id, members.c.nik).where(
                    column.in_(part), *live)):
                nik_of[r.record_id] = r.nik
                if r.record_id not in by_household.get(r.household_id, []):
                    by_household.setdefault(r.household_id, []).append(r.record_id)
    refs = active_by_nik(session, set(nik_of.values()), settings.reference_active_statuses)
    changed: list[dict[str, object]] = []
    audits: list[dict[str, object]] = []
    for p in found.values():
        try:
            on_household = catalogue.resolve(p["programme"]).target is Target.HOUSEHOLD
        except UnknownProgramme:
            on_household = False
        ids = by_household.get(p["household_id"], []) if on_household else [p["member_id"]]
        verdict = judge(p["programme"], [r for i in ids for r in refs.get(nik_of.get(i, ""), [])],
                        catalogue=catalogue, rules=settings.reference_rules)
        flags = set(flags_of({"flags": p["flags"]})) - {FlagCode.REF_MATCH, FlagCode.REF_REJECT}
        upd: dict[str, object] = {"record_id": p["record_id"]}
        if verdict is not None:
            flags.add(FlagCode.REF_REJECT if verdict.action == "reject" else FlagCode.REF_MATCH)
            if verdict.action == "reject" and p["review_state"] == ReviewState.PENDING:
                upd.update(review_state=str(ReviewState.REJECTED), review_reason_code=str(ReasonCode.ALREADY_RECIPIENT),
                           review_note=f"Otomatis: sudah menerima {verdict.programme} ({verdict.level}, "
                                       f"periode {verdict.period}).")
                audits.append({"at": now, "user_id": None, "username": "sistem", "action": "auto_reject",
                               "record_id": p["record_id"], "kecamatan_code": p["kecamatan_code"],
                               "before": json.dumps({"review_state": p["review_state"]}),
                               "after": json.dumps({"review_state": ReviewState.REJECTED,
                                                    "review_reason_code": ReasonCode.ALREADY_RECIPIENT})})
        new_flags = json.dumps(sorted(flags))
        if new_flags != p["flags"] or len(upd) > 1:
            upd.update(flags=new_flags, change_seq=seq.next(desa_feed(p["desa_code"])), updated_at=now)
            changed.append(upd)
    if changed:
        # Rows differ in their keys (some auto-rejected): one executemany per shape.
        by_shape: dict[tuple[str, ...], list[dict[str, object]]] = {}
        for u in changed:
            by_shape.setdefault(tuple(sorted(u)), []).append(u)
        for group in by_shape.values():
            session.execute(update(ProposalRow), group)
        if audits:
            from sqlalchemy import insert

            session.execute(insert(AuditLog), audits)
    return len(changed)


recheck_proposals = recheck_entries  # the name says what it rechecks now; the old name stays for callers


def _parts(values: list[str]) -> list[list[str]]:
    return [values[i:i + 500] for i in range(0, len(values), 500)]
