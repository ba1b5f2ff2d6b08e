"""Import candidate entries from a CSV (or .xlsx) file: all accepted rows in one transaction.

Order of work: read and check every row (fields, then duplicates inside the file), then open one
write transaction, check the remaining rows against the store, and insert all accepted rows with
Core executemany. A crash or kill before the commit leaves the store without any of the file's
rows; after it, with all of them. Rejected rows go to `<file>.rejects.csv` with the row number and
the reason in Indonesian.

Header (case-insensitive; Indonesian names accepted too): nik, kk, name, birth_date, sex,
desa_code, programme, and optionally address, dusun, rt, rw, phone, criteria, birth_place, notes,
latitude, longitude, override_reason (needed for rows that look like a person already entered).
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from desktop_app.services.entries import EntryService, hit_issue
from domain import names
from domain.errors import KnownError
from domain.matching import CounterStats, PersonRecord, Prepared, compare, prepare
from domain.matching.blocking import names_pass
from local_db import repository as repo
from local_db.duplicates import find_duplicates
from local_db.repository import NewEntry

log = logging.getLogger(__name__)

REQUIRED: tuple[str, ...] = ("nik", "kk", "name", "birth_date", "sex", "desa_code", "programme")
OPTIONAL: tuple[str, ...] = ("address", "dusun", "rt", "rw", "phone", "criteria", "birth_place", "notes",
                             "latitude", "longitude", "override_reason")
ALIASES: dict[str, str] = {
    "no_kk": "kk", "nomor_kk": "kk", "nama": "name", "nama_lengkap": "name", "tanggal_lahir": "birth_date",
    "tgl_lahir": "birth_date", "jenis_kelamin": "sex", "jk": "sex", "kode_desa": "desa_code", "desa": "desa_code",
    "program": "programme", "alamat": "address", "no_hp": "phone", "hp": "phone", "telepon": "phone",
    "kriteria": "criteria", "tempat_lahir": "birth_place", "catatan": "notes", "lintang": "latitude",
    "bujur": "longitude", "alasan": "override_reason", "alasan_override": "override_reason",
}
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
class RejectedRow:
    row: int  # line/row number in the file (the header is row 1)
    data: dict[str, str]
    reasons: list[str]


@dataclass(slots=True)
class ImportReport:
    path: Path
    total: int = 0
    accepted: int = 0
    with_warnings: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)
    record_ids: list[str] = field(default_factory=list)
    rejects_path: Path | None = None


def rejects_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".rejects.csv")


# --------------------------------------------------------------------------- reading


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # Indonesian digit grouping: 131.072


def _header_key(name: str) -> str:
    k = "_".join(str(name or "").strip().lower().replace("-", " ").split())
    return ALIASES.get(k, k)


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
    keys = [_header_key(h) for h in header]
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


# --------------------------------------------------------------------------- importing


@dataclass(slots=True)
class _Candidate:
    row: int
    data: dict[str, str]
    item: NewEntry
    birth_date: date
    warnings: list[str]


def import_file(
    service: EntryService,
    path: Path,
    *,
    rejects_path: Path | None = None,
    today: date | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import `path` through `service`'s rules. Raises ImportFileError, ImportCancelled."""
    path = Path(path)
    required = tuple(k for k in REQUIRED if not (k == "programme" and service.default_programme))
    _header, rows = read_rows(path, required=required)
    report = ImportReport(path=path, total=len(rows))
    source = f"impor {path.name}"

    def tick(phase: str, done: int) -> None:
        if progress is not None and (done % 500 == 0 or done == len(rows)):
            progress(phase, done, len(rows))
        if cancelled is not None and done % 500 == 0 and cancelled():
            raise ImportCancelled()

    # 1. Field checks and duplicates inside the file (first occurrence wins).
    seen_nik: dict[tuple[str, str], int] = {}
    seen_kk: dict[tuple[str, str], int] = {}
    by_birth: dict[tuple[int, int, int], list[Prepared]] = {}
    seen_people: list[Prepared] = []
    candidates: list[_Candidate] = []
    for done, (n, raw) in enumerate(rows, start=1):
        tick("periksa", done)
        data = service.prepared(raw)
        check, payload, extra = service.validate(data, today)
        if payload is None or not check.ok:
            report.rejected.append(RejectedRow(n, raw, [i.message for i in (*check.errors, *extra)]))
            continue
        reasons: list[str] = []
        prog = check.programme
        assert prog is not None and check.birth_date is not None
        first = seen_nik.get((payload.nik, prog.code))
        if first is not None:
            reasons.append(f"NIK {payload.nik} sudah ada di baris {first} untuk program {prog.code}.")
        first = seen_kk.get((payload.kk, prog.code))
        if first is not None and not prog.multiple_per_kk and not reasons:
            reasons.append(f"KK {payload.kk} sudah ada di baris {first} untuk program {prog.code} (satu KK satu bantuan).")
        key = names.name_key(payload.name)
        me = prepare(PersonRecord(id=str(n), nik=payload.nik, kk=payload.kk, name=payload.name,
                                  birth_date=check.birth_date, sex=payload.sex, desa_code=payload.desa_code,
                                  dusun=payload.dusun, rt=payload.rt, rw=payload.rw))
        if not reasons and not payload.override_reason:
            # The person matcher against the earlier rows sharing a birth date (typed or in the NIK).
            others = {b.rec.id: b for d in me.dates for b in by_birth.get(d, []) if b.nik != me.nik}
            stats = CounterStats([b.key for b in seen_people] + [me.key],
                                 [b.rec.birth_date for b in seen_people] + [me.rec.birth_date])
            for other in others.values():
                if not names_pass(me, other):
                    continue
                m = compare(me, other, stats)
                if m.found:
                    reasons.append(f"Mungkin orang yang sama dengan baris {other.rec.id} (keyakinan {m.score:.0f}%: "
                                   f"{m.reason_text()}); isi kolom override_reason bila memang orang berbeda.")
                    break
        if reasons:
            report.rejected.append(RejectedRow(n, raw, reasons))
            continue
        seen_nik[(payload.nik, prog.code)] = n
        seen_kk.setdefault((payload.kk, prog.code), n)
        for d in me.dates:
            by_birth.setdefault(d, []).append(me)
        seen_people.append(me)
        warns = [i.message for i in check.warnings]
        candidates.append(_Candidate(n, raw, NewEntry(payload=payload, name_key=key, audit_reason=source),
                                     check.birth_date, warns))

    # 2. Against the store, and the insert, in one write transaction.
    accepted: list[NewEntry] = []
    with repo.session_scope(service.engine, write=True) as s:
        for done, c in enumerate(candidates, start=1):
            tick("cek duplikat", done)
            p = c.item.payload
            hits = find_duplicates(s, nik=p.nik, kk=p.kk, programme=p.programme, name=p.name,
                                   birth_date=c.birth_date, catalogue=service.catalogue, sex=p.sex,
                                   desa_code=p.desa_code, dusun=p.dusun, rt=p.rt, rw=p.rw)
            blocking = [h.message for h in hits if h.blocking]
            probable = [h for h in hits if h.kind == "probable_person"]
            if blocking:
                report.rejected.append(RejectedRow(c.row, c.data, blocking))
                continue
            if probable and not p.override_reason:
                report.rejected.append(RejectedRow(c.row, c.data, [
                    probable[0].message + " Isi kolom override_reason bila memang orang berbeda."]))
                continue
            warnings = [*(_issue_dict("warning", m) for m in c.warnings),
                        *(hit_issue(h).to_dict() for h in hits)]
            reason = f"{source} baris {c.row}" + (f"; {p.override_reason}" if probable else "")
            if not probable and p.override_reason:
                p = p.model_copy(update={"override_reason": ""})
            accepted.append(NewEntry(payload=p, name_key=c.item.name_key, warnings=warnings, audit_reason=reason))
            if warnings:
                report.with_warnings += 1
        if cancelled is not None and cancelled():
            raise ImportCancelled()
        if progress is not None:
            progress("simpan", 0, len(accepted))
        report.record_ids = repo.bulk_create_entries(s, accepted, actor=service.operator, device_id=service.device_id)
    report.accepted = len(accepted)
    report.rejected.sort(key=lambda r: r.row)
    log.info("import: %d rows, %d accepted, %d rejected", report.total, report.accepted, len(report.rejected))
    report.rejects_path = write_rejects(report, rejects_path or rejects_path_for(path))
    return report


def _issue_dict(severity: str, message: str) -> dict[str, str]:
    return {"field": "", "code": "import_warning", "message": message, "severity": severity}


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
    if report.with_warnings:
        lines.append(f"{report.with_warnings} baris diterima dengan peringatan.")
    if report.rejects_path:
        lines.append(f"Baris yang ditolak dan alasannya: {report.rejects_path}")
    return "\n".join(lines)


__all__ = ["ImportCancelled", "ImportFileError", "ImportReport", "RejectedRow", "import_file", "read_rows",
           "rejects_path_for", "summary_text", "write_rejects"]
