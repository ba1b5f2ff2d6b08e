"""`bansos-server dedupe`: the dinas's data-cleansing job on a CSV/XLSX of persons.

Input columns as the member import: nik, kk, name, birth_date, sex, desa_code, dusun, rt, rw (header
case-insensitive, Indonesian names accepted; extra columns ignored). Output: one row per pair the
person matcher (domain.matching) calls same or probable: id_a, id_b, decision, score, reasons, with
the ids from --id-column or else the row numbers (the header is row 1). A row with no name, or with
neither a readable birth date nor a 16-digit NIK, is reported (stderr) and left out; the job goes on.

Blocking and scoring are those of domain.matching.blocking, with name and date frequencies counted
in the file itself (with --against-server: in the file plus the server's candidate members).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import Engine, select
from sqlmodel import col

from domain.errors import KnownError
from domain.matching import CounterStats, Match, PersonRecord, Prepared, compare, nik_variants, prepare
from domain.matching.blocking import candidate_pairs, match_all

COLUMNS = ("nik", "kk", "name", "birth_date", "sex", "desa_code", "dusun", "rt", "rw")
ALIASES = {"no_kk": "kk", "nomor_kk": "kk", "nama": "name", "nama_lengkap": "name", "tanggal_lahir": "birth_date",
           "tgl_lahir": "birth_date", "jenis_kelamin": "sex", "jk": "sex", "kode_desa": "desa_code", "desa": "desa_code"}
_NON_DIGIT = re.compile(r"\D")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y/%m/%d")


class DedupeError(KnownError):
    """The file as a whole cannot be read."""

    @classmethod
    def default_message(cls) -> str:
        return "Berkas tidak bisa dibaca sebagai daftar penduduk (CSV atau XLSX dengan baris judul)."


@dataclass(slots=True)
class DedupeReport:
    rows: int = 0
    bad: list[tuple[str, str]] = field(default_factory=list)  # ("baris N (id X)", reason)
    pairs: int = 0
    same: int = 0
    probable: int = 0


def _key(h: str) -> str:
    k = "_".join(str(h or "").strip().lower().replace("-", " ").split())
    return ALIASES.get(k, k)


def _read_table(path: Path) -> list[list[str]]:
    if not path.is_file():
        raise DedupeError(f"Berkas {path} tidak ditemukan.")
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        from python_calamine import CalamineWorkbook

        try:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
            return [[_cell(v) for v in row] for row in sheet.to_python()]
        except Exception as exc:  # calamine raises its own error types for bad workbooks
            raise DedupeError(f"Berkas Excel {path.name} tidak bisa dibaca: {exc}") from exc
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delim = max((";", ",", "\t"), key=first.count)
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim)]


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, datetime):
        return v.date().isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return str(v).strip()


def parse_date(text: str) -> date | None:
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _sex(text: str) -> str:
    t = text.strip().upper()
    if t in ("L", "LK", "LAKI-LAKI", "LAKI LAKI", "PRIA", "M"):
        return "L"
    if t in ("P", "PR", "PEREMPUAN", "WANITA", "F"):
        return "P"
    return ""


def read_persons(path: Path, *, id_column: str | None = None) -> tuple[list[PersonRecord], list[tuple[str, str]]]:
    """(records, bad rows). Raises DedupeError when the file or its header cannot be used."""
    table = _read_table(path)
    if not table:
        raise DedupeError(f"Berkas {path.name} kosong.")
    keys = [_key(h) for h in table[0]]
    missing = [c for c in ("name",) if c not in keys] or ([] if {"nik", "birth_date"} & set(keys) else ["birth_date"])
    if missing:
        raise DedupeError(f"Kolom wajib tidak ada di baris judul {path.name}: {', '.join(missing)}. "
                          f"Kolom yang dibaca: {','.join(COLUMNS)}.")
    id_key = _key(id_column) if id_column else None
    if id_key is not None and id_key not in keys:
        raise DedupeError(f"Kolom id '{id_column}' tidak ada di baris judul {path.name}.")
    out: list[PersonRecord] = []
    bad: list[tuple[str, str]] = []
    seen: set[str] = set()
    for n, values in enumerate(table[1:], start=2):
        if not any(str(v).strip() for v in values):
            continue
        d = {k: (str(values[i]).strip() if i < len(values) else "") for i, k in enumerate(keys) if k}
        rid = d.get(id_key, "") if id_key else str(n)
        label = f"baris {n}" + (f" (id {rid})" if id_key and rid else "")
        if not rid:
            bad.append((label, "kolom id kosong"))
            continue
        if rid in seen:
            bad.append((label, f"id {rid} sudah dipakai baris lain"))
            continue
        name = " ".join(d.get("name", "").split())
        nik = _NON_DIGIT.sub("", d.get("nik", ""))
        born = parse_date(d.get("birth_date", "")) if d.get("birth_date") else None
        if not name:
            bad.append((label, "nama kosong"))
            continue
        if born is None and len(nik) != 16:
            bad.append((label, "tanggal lahir tidak terbaca dan NIK bukan 16 angka"))
            continue
        seen.add(rid)
        out.append(PersonRecord(id=rid, nik=nik, kk=_NON_DIGIT.sub("", d.get("kk", "")), name=name, birth_date=born,
                                sex=_sex(d.get("sex", "")), desa_code=_NON_DIGIT.sub("", d.get("desa_code", "")),
                                dusun=d.get("dusun", ""), rt=d.get("rt", ""), rw=d.get("rw", "")))
    return out, bad


def _server_candidates(engine: Engine, items: list[Prepared]) -> list[PersonRecord]:
    """Active server members that share a birth date (typed or NIK-encoded) with a file row, or whose
    NIK is one digit or one swap away from a file row's NIK."""
    from server.models import HouseholdRow, MemberRow

    dates: set[str] = set()
    niks: set[str] = set()
    for p in items:
        if p.rec.birth_date is not None:
            dates.add(p.rec.birth_date.isoformat())
        for dd, mm, yy in p.dates:
            for century in (1900, 2000):
                try:
                    dates.add(date(century + yy, mm, dd).isoformat())
                except ValueError:
                    pass
        if p.nik:
            niks.add(p.nik)
            niks.update(nik_variants(p.nik))
    # The member's household gives the KK and the address (family context for the matcher).
    cols = (col(MemberRow.record_id), col(MemberRow.nik), col(HouseholdRow.kk), col(MemberRow.birth_date),
            col(MemberRow.desa_code), col(MemberRow.payload), col(HouseholdRow.payload))
    found: dict[str, PersonRecord] = {}
    with engine.connect() as conn:
        for column, values in ((col(MemberRow.birth_date), sorted(dates)), (col(MemberRow.nik), sorted(niks))):
            for i in range(0, len(values), 900):
                stmt = select(*cols).select_from(MemberRow).outerjoin(
                    HouseholdRow, col(HouseholdRow.record_id) == col(MemberRow.household_id)).where(
                    column.in_(values[i:i + 900]), col(MemberRow.deleted).is_(False), col(MemberRow.voided).is_(False))
                for row in conn.execute(stmt):
                    if row[0] not in found:
                        person = {**json.loads(row[6] or "{}"), **json.loads(row[5])}
                        found[row[0]] = server_person(row[0], row[1], row[2] or "", row[3], row[4], person)
    return list(found.values())


def server_person(rid: str, nik: str, kk: str, birth_date: str, desa: str, payload: str | dict[str, Any]) -> PersonRecord:
    p = json.loads(payload) if isinstance(payload, str) else payload
    return PersonRecord(id=rid, nik=nik, kk=kk, name=str(p.get("name", "")), birth_date=parse_date(birth_date or ""),
                        sex=str(p.get("sex", "")), desa_code=desa, dusun=str(p.get("dusun", "")),
                        rt=str(p.get("rt", "")), rw=str(p.get("rw", "")))


def dedupe(records: list[PersonRecord], *, server: Engine | None = None,
           progress: Callable[[str], None] | None = None) -> list[tuple[str, str, Match]]:
    """(id_a, id_b, match) for every pair called same or probable: within the file, or with `server`
    the file's rows against the server's members (id_b is then the server's record id)."""
    say = progress or (lambda _m: None)
    items = [prepare(r) for r in records]
    say(f"{len(items)} baris disiapkan")
    if server is None:
        found = match_all(items, progress=lambda i, n: say(f"menilai pasangan {i}/{n}"))
        return [(items[i].rec.id, items[j].rec.id, m) for i, j, m in found]
    others = [prepare(r) for r in _server_candidates(server, items)]
    say(f"{len(others)} anggota di server menjadi kandidat")
    every = items + others
    stats = CounterStats((p.key for p in every), (p.rec.birth_date for p in every))
    n_file = len(items)
    out: list[tuple[str, str, Match]] = []
    for i, j in sorted(candidate_pairs(every)):
        if (i < n_file) == (j < n_file):
            continue  # only file row against server member
        a, b = (every[i], every[j]) if i < n_file else (every[j], every[i])
        m = compare(a, b, stats)
        if m.found:
            out.append((a.rec.id, b.rec.id, m))
    return out


def write_pairs(pairs: Iterable[tuple[str, str, Match]], out: TextIO) -> int:
    w = csv.writer(out)
    w.writerow(["id_a", "id_b", "decision", "score", "reasons"])
    n = 0
    for a, b, m in pairs:
        w.writerow([a, b, m.decision.value, f"{m.score:.1f}", m.reason_text()])
        n += 1
    return n


def run(path: Path, out_path: Path, *, id_column: str | None = None, server: Engine | None = None,
        err: TextIO | None = None) -> DedupeReport:
    def say(msg: str) -> None:
        print(msg, file=err or sys.stderr, flush=True)

    say(f"membaca {path.name} ...")
    records, bad = read_persons(path, id_column=id_column)
    report = DedupeReport(rows=len(records) + len(bad), bad=bad)
    for label, reason in bad:
        say(f"dilewati, {label}: {reason}")
    pairs = dedupe(records, server=server, progress=say)
    tmp = out_path.with_name(out_path.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        report.pairs = write_pairs(pairs, f)
    tmp.replace(out_path)  # never a half-written result file
    report.same = sum(1 for *_x, m in pairs if m.decision.value == "same")
    report.probable = report.pairs - report.same
    say(f"selesai: {len(records)} baris dibaca, {len(bad)} dilewati, {report.pairs} pasangan "
        f"({report.same} sama, {report.probable} mungkin sama) -> {out_path}")
    return report
