"""Duplicate search for a member being typed (design.md §3 rules 1, 3, 5), over the `members` table.

local_db.duplicates does the same for the legacy `entry` table; this module reuses its name screen
and the person matcher (domain.matching) with candidates read from members: the ones born on the
typed date or on the date the NIK encodes (ix_members_birth_date), and the ones whose NIK is one
digit or one swap away (ix_members_nik). Name and date frequencies are counted in members.

Hits are local_db.duplicates.DuplicateHit, so the duplicate panel shows them as before; `record_id`
is the member's, `programme` holds the member's KK (a member has no programme).
Deleted members are never duplicates of anything.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session

from domain.dates import iso_dates_of_ddmmyy
from domain.matching import PersonRecord, ProbeStats, compare, nik_variants, prepare
from domain.matching.blocking import names_pass
from local_db.duplicates import (
    INACTIVE_REFERENCE_STATUSES,
    DuplicateHit,
    _cursor,
    _screen,
    _storable,
)

_COLS = ("m.record_id, m.name, m.nik, h.kk, h.desa_code, m.name_key, m.birth_date, m.sex, h.dusun, h.rt, h.rw, "
         "m.temp_id")
_FROM = "FROM members m LEFT JOIN households h ON h.record_id = m.household_id"
_SQL_NIK = f"SELECT {_COLS} {_FROM} WHERE m.nik = ? AND m.nik != '' AND m.deleted = 0 AND m.record_id != ?"
_SQL_BIRTH = f"SELECT {_COLS} {_FROM} WHERE m.birth_date = ? AND m.deleted = 0 AND m.record_id != ?"
_SQL_NEAR = f"SELECT {_COLS} {_FROM} WHERE m.nik IN ({{}}) AND m.deleted = 0 AND m.record_id != ?"
_SQL_REF = "SELECT programme, status FROM referencerecipient WHERE nik = ?"


class MemberStats:
    """domain.matching.NameStats counted over members (deleted ones too: a name's frequency stays)."""

    def __init__(self, cur: Any) -> None:
        self.cur = cur
        self._total: int | None = None
        self._names: dict[str, int] = {}
        self._prefixes: dict[str, int] = {}
        self._dates: dict[date, int] = {}

    def _count(self, sql: str, params: tuple[Any, ...]) -> int:
        return int(self.cur.execute(sql, params).fetchone()[0])

    def total(self) -> int:
        if self._total is None:
            self._total = self._count("SELECT coalesce(max(rowid), 0) FROM members", ())
        return self._total

    def name_count(self, key: str) -> int:
        if key not in self._names:
            self._names[key] = self._count("SELECT count(*) FROM members WHERE name_key = ?", (key,))
        return self._names[key]

    def prefix_count(self, key: str) -> int:
        if key not in self._prefixes:
            longer = self._count("SELECT count(*) FROM members WHERE name_key >= ? AND name_key < ?",
                                 (key + " ", key + "!"))
            self._prefixes[key] = longer + self.name_count(key)
        return self._prefixes[key]

    def date_count(self, d: date) -> int:
        if d not in self._dates:
            self._dates[d] = self._count("SELECT count(*) FROM members WHERE birth_date = ?", (d.isoformat(),))
        return self._dates[d]


def _person(row: Any) -> PersonRecord:
    rid, name, nik, kk, desa, _key, bd, sex, dusun, rt, rw, _temp = row
    born = bd if isinstance(bd, date) else (date.fromisoformat(str(bd)[:10]) if bd else None)
    return PersonRecord(id=rid, nik=nik or "", kk=kk or "", name=name, birth_date=born, sex=sex or "",
                        desa_code=desa or "", dusun=dusun or "", rt=rt or "", rw=rw or "")


def _probable(cur: Any, probe: PersonRecord, exclude: str) -> list[DuplicateHit]:
    p = prepare(probe)
    if not p.key:
        return []
    dates: set[str] = set()
    for dmy in p.dates:  # the NIK's date (either century)
        dates.update(iso_dates_of_ddmmyy(*dmy))
    if probe.birth_date is not None:
        dates.add(probe.birth_date.isoformat())
    rows: dict[str, Any] = {}
    for d in sorted(dates):
        for r in cur.execute(_SQL_BIRTH, (d, exclude)):
            rows[r[0]] = r
    typed = probe.nik if probe.nik.isdigit() and len(probe.nik) == 16 else ""
    variants = [v for v in nik_variants(typed) if _storable(v)]
    if variants:
        for r in cur.execute(_SQL_NEAR.format(",".join("?" * len(variants))), (*variants, exclude)):
            rows[r[0]] = r
    near = set(variants)
    cands = [r for r in rows.values() if not (p.nik and r[2] == p.nik)]  # the same NIK is rule 1's hit
    passing = _screen(p.key, p.joined, [r[5] or "" for r in cands])
    stats = ProbeStats(MemberStats(cur), p.key, probe.birth_date)
    out: list[tuple[float, DuplicateHit]] = []
    for i, r in enumerate(cands):
        if i not in passing and r[2] not in near:
            continue
        other = prepare(_person(r))
        if r[2] not in near and not names_pass(p, other):
            continue
        m = compare(p, other, stats)
        if not m.found:
            continue
        ident = f"NIK {r[2]}" if r[2] else f"nomor sementara {r[11]}"
        out.append((m.score, DuplicateHit(
            "probable_person", r[0], r[1], r[2] or "", r[3] or "", r[4] or "", m.score, False,
            f"Mungkin orang yang sama: {r[1]} ({ident}, KK {r[3] or '-'}); keyakinan {m.score:.0f}%: "
            f"{m.reason_text()}. Jika memang orang berbeda, isi alasannya.",
            decision=m.decision.value, reasons=m.reasons)))
    out.sort(key=lambda t: -t[0])
    return [h for _s, h in out]


def member_duplicates(session: Session, *, nik: str, nik_typed: str = "", name: str, birth_date: date | None,
                      sex: str = "", kk: str = "", desa_code: str = "", dusun: str = "", rt: str = "", rw: str = "",
                      exclude_record_id: str = "") -> list[DuplicateHit]:
    """Every duplicate finding for one member about to be saved, blocking ones first.

    `nik`: digits of a valid NIK ("" otherwise); `nik_typed`: the digits typed when the NIK is not
    valid, so the matcher can still find whom it was mistyped from. Rule 1 (same NIK) blocks; a
    probable person and a reference-list NIK are warnings here (programme rules are the proposal's).
    """
    cur = _cursor(session)
    exclude = exclude_record_id or ""
    hits: list[DuplicateHit] = []
    try:
        if nik:
            for r in cur.execute(_SQL_NIK, (nik, exclude)).fetchall():
                hits.append(DuplicateHit(
                    "nik", r[0], r[1], nik, r[3] or "", r[4] or "", None, True,
                    f"NIK {nik} sudah terdaftar sebagai anggota {r[1]} di keluarga KK {r[3] or '(belum ada KK)'}. "
                    "Buka data anggota itu, jangan memasukkannya lagi."))
        if name.strip():
            probe = PersonRecord(id=exclude, nik=nik or nik_typed, kk=kk, name=name, birth_date=birth_date, sex=sex,
                                 desa_code=desa_code, dusun=dusun, rt=rt, rw=rw)
            hits.extend(_probable(cur, probe, exclude))
        if nik:
            for prog, status in cur.execute(_SQL_REF, (nik,)).fetchall():
                active = (status or "").strip().lower() not in INACTIVE_REFERENCE_STATUSES
                state = "" if active else f" (status: {status})"
                hits.append(DuplicateHit("reference", None, "", nik, prog, "", None, False,
                                         f"NIK {nik} sudah ada di daftar penerima program {prog}{state}."))
    finally:
        cur.close()
    hits.sort(key=lambda h: not h.blocking)
    return hits
