"""Duplicate search over the legacy `entry` table (design.md §3, rules 1-4): read-only since the
household model (ADR 0005); the app's checks are local_db.member_duplicates. Kept for the legacy
EntryService, the migration tests and the store benchmarks until the entry table goes.

Every query goes through an index (entry.nik, entry(kk, programme), entry.birth_date, the
birth date a NIK encodes, entry.name_key, referencerecipient primary key). The probable-person
check (rule 3) takes as candidates the entries born on the typed date or on the date the NIK
encodes (each side, typed or encoded), and the entries whose NIK is one digit or one swap away;
names are screened in C (rapidfuzz) and the survivors scored by the person matcher
(domain.matching) with name and date frequencies counted in this store, so a check costs the
same on ten entries or a million.

Soft-deleted entries are never duplicates of anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlmodel import Session

from domain.dates import iso_dates_of_ddmmyy
from domain.matching import Match, PersonRecord, ProbeStats, compare, nik_variants, prepare
from domain.matching.blocking import names_pass
from domain.programmes import DEFAULT, Catalogue, Programme
from local_db.matcher_migration import NIK_DATE_EXPR
from local_db.member_duplicates import (
    INACTIVE_REFERENCE_STATUSES,
    DuplicateHit,
    MemberStats,
    _cursor,
    _screen,
    _storable,
    reference_blocks,
)

_CHUNK = 500  # bound parameters per IN (...) query


def _programme(catalogue: Catalogue, code: str) -> Programme | None:
    try:
        return catalogue.resolve(code)
    except ValueError:
        return None


_SQL_NIK = ("SELECT record_id, name, nik, programme, desa_code FROM entry "
            "WHERE nik = ? AND deleted = 0 AND record_id != ?")
_SQL_KK = ("SELECT record_id, name, nik, programme, desa_code FROM entry "
           "WHERE kk = ? AND programme = ? AND deleted = 0 AND nik != ? AND record_id != ?")
_PERSON_COLS = "record_id, name, nik, programme, desa_code, name_key, kk, birth_date, sex, dusun, rt, rw"
_SQL_BIRTH = (f"SELECT {_PERSON_COLS} FROM entry INDEXED BY ix_entry_birth_date "
              "WHERE birth_date = ? AND deleted = 0 AND nik != ? AND record_id != ?")
# Two steps for the NIK's date: the covering index gives (rowid, name_key); only the rows whose names
# pass the screen are read from the table.
_SQL_NIK_DATE = f"SELECT rowid, name_key FROM entry INDEXED BY ix_entry_nik_date WHERE {NIK_DATE_EXPR} = ?"
_SQL_BY_ROWID = f"SELECT {_PERSON_COLS} FROM entry WHERE rowid IN ({{}}) AND deleted = 0 AND nik != ? AND record_id != ?"
_SQL_NIK_NEAR = f"SELECT {_PERSON_COLS} FROM entry WHERE nik IN ({{}}) AND deleted = 0 AND record_id != ?"
_SQL_REF = "SELECT programme, level, status FROM referencerecipient WHERE nik = ?"


def _ddmmyy(day: int, month: int, yy: int) -> str:
    return f"{day:02d}{month:02d}{yy:02d}"


def _record_of(row: Any) -> PersonRecord:
    rid, _nm, nk, _pg, desa, _key, kk, bd, sex, dusun, rt, rw = row
    born = bd if isinstance(bd, date) else (date.fromisoformat(bd) if bd else None)
    return PersonRecord(id=rid, nik=nk, kk=kk, name=_nm, birth_date=born, sex=sex, desa_code=desa, dusun=dusun,
                        rt=rt, rw=rw)


def probable_persons(session: Session, probe: PersonRecord, *, exclude_record_id: str = "",
                     stats: Any = None) -> list[tuple[Any, Match]]:
    """(row, match) for every active entry the matcher calls the same or probably the same person
    as `probe`, under another NIK; row = (record_id, name, nik, programme, desa_code, ...)."""
    p = prepare(probe)
    if not p.key:
        return []
    cur = _cursor(session)
    exclude = exclude_record_id or ""
    nik = p.nik
    rows: dict[str, Any] = {}
    dates: set[str] = set()
    nik_dates: set[str] = set()
    for dmy in p.dates:
        dates.update(iso_dates_of_ddmmyy(*dmy))
        nik_dates.add(_ddmmyy(*dmy))
        nik_dates.add(_ddmmyy(dmy[0] + 40, dmy[1], dmy[2]))  # the same date in a woman's NIK
    if probe.birth_date is not None:
        dates.add(probe.birth_date.isoformat())
    for d in sorted(dates):
        for r in cur.execute(_SQL_BIRTH, (d, nik, exclude)):
            rows[r[0]] = r
    by_nik_date: list[tuple[int, str]] = []
    for d in sorted(nik_dates):
        by_nik_date.extend(cur.execute(_SQL_NIK_DATE, (d,)).fetchall())
    if by_nik_date:
        keys = [k for _rowid, k in by_nik_date]
        screened = _screen(p.key, p.joined, keys)
        wanted = [by_nik_date[i][0] for i in screened]
        for part in _chunks(wanted):
            for r in cur.execute(_SQL_BY_ROWID.format(",".join("?" * len(part))), (*part, nik, exclude)):
                rows[r[0]] = r
    typed = nik or (probe.nik if probe.nik.isdigit() and len(probe.nik) == 16 else "")
    variants = [v for v in nik_variants(typed) if _storable(v)]
    if variants:
        for r in cur.execute(_SQL_NIK_NEAR.format(",".join("?" * len(variants))), (*variants, exclude)):
            rows[r[0]] = r
    out: list[tuple[Any, Match]] = []
    base = stats if stats is not None else MemberStats(cur, table="entry")
    probe_stats = ProbeStats(base, p.key, probe.birth_date)
    near = set(variants)
    cands = [r for r in rows.values() if not (nik and r[2] == nik)]
    # The name screen runs in C on the stored keys; only its survivors (and NIK neighbours) are
    # prepared and scored in Python: a placeholder birth date (1 January) can hold a thousand rows.
    passing = _screen(p.key, p.joined, [r[5] for r in cands])
    for i, r in enumerate(cands):
        if i not in passing and r[2] not in near:
            continue
        other = prepare(_record_of(r))
        if r[2] not in near and not names_pass(p, other):  # the stored key may predate today's rules
            continue
        m = compare(p, other, probe_stats)
        if m.found:
            out.append((r, m))
    cur.close()
    out.sort(key=lambda t: -t[1].score)
    return out


def find_duplicates(
    session: Session,
    *,
    nik: str,
    kk: str,
    programme: str,
    name: str,
    birth_date: date | None,
    exclude_record_id: str | None = None,
    catalogue: Catalogue = DEFAULT,
    sex: str = "",
    desa_code: str = "",
    dusun: str = "",
    rt: str = "",
    rw: str = "",
    nik_typed: str = "",
) -> list[DuplicateHit]:
    """All duplicate findings for one entry about to be saved, blocking ones first.

    `nik`, `kk` are normalised digits of valid numbers; `programme` a code (or name) in `catalogue`.
    `nik_typed`: the digits typed when the NIK is invalid, so that the person matcher can still find
    the entry it was probably mistyped from. The other keywords feed the person matcher.
    """
    prog = _programme(catalogue, programme)
    prog_code = prog.code if prog else programme
    hits: list[DuplicateHit] = []
    cur = _cursor(session)
    exclude = exclude_record_id or ""

    # 1. Same NIK: a second active entry in the same programme is blocked; elsewhere a warning.
    if nik:
        for rid, nm, nk, pg, desa in cur.execute(_SQL_NIK, (nik, exclude)).fetchall():
            same = pg == prog_code
            msg = (f"NIK {nk} sudah terdaftar untuk program {pg} atas nama {nm}." if same else
                   f"NIK {nk} sudah terdaftar di program lain ({pg}) atas nama {nm}.")
            hits.append(DuplicateHit("nik", rid, nm, nk, pg, desa, None, same, msg))

    # 2. Same KK in the same programme: one family, one aid, unless the programme allows more.
    #    (The same NIK was already reported under rule 1.)
    if kk and prog_code and not (prog and prog.multiple_per_kk):
        for rid, nm, nk, pg, desa in cur.execute(_SQL_KK, (kk, prog_code, nik, exclude)).fetchall():
            hits.append(DuplicateHit(
                "kk_programme", rid, nm, nk, pg, desa, None, True,
                f"Satu KK sudah menerima program {pg}: {nm} (NIK {nk}) ada di KK {kk} yang sama.",
            ))

    # 3. Probable same person under another NIK: the person matcher on the candidates.
    if name.strip():
        probe = PersonRecord(id=exclude or "", nik=nik or nik_typed, kk=kk, name=name, birth_date=birth_date, sex=sex,
                             desa_code=desa_code, dusun=dusun, rt=rt, rw=rw)
        for row, m in probable_persons(session, probe, exclude_record_id=exclude):
            rid, nm, nk, pg, desa = row[:5]
            hits.append(DuplicateHit(
                "probable_person", rid, nm, nk, pg, desa, m.score, False,
                f"Mungkin orang yang sama: {nm} (NIK {nk}, program {pg}); keyakinan {m.score:.0f}%: "
                f"{m.reason_text()}. Jika memang orang berbeda, isi alasannya.",
                decision=m.decision.value, reasons=m.reasons,
            ))

    # 4. Reference recipient list (NIK + programme + status, no names).
    if nik:
        for ref_prog, level, status in cur.execute(_SQL_REF, (nik,)).fetchall():
            active = (status or "").strip().lower() not in INACTIVE_REFERENCE_STATUSES
            blocks = active and reference_blocks(prog, level, _programme(catalogue, ref_prog))
            state = "" if active else f" (status: {status})"
            if blocks:
                msg = (f"NIK {nik} sudah menerima bantuan pusat {ref_prog}; penerima bantuan pusat tidak dapat "
                       f"didaftarkan ke program {prog_code}.")
            else:
                msg = f"NIK {nik} sudah ada di daftar penerima program {ref_prog}{state}."
            hits.append(DuplicateHit("reference", None, "", nik, ref_prog, "", None, blocks, msg))

    cur.close()
    hits.sort(key=lambda h: not h.blocking)
    return hits


# --------------------------------------------------------------------------- all groups


def _chunks(items: list[Any], n: int = _CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]
