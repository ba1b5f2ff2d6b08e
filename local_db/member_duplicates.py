"""Duplicate search over members (design.md §3 rules 1, 3, 5): one module for the CLI, the CSV
import, the household service and the duplicate listing.

The household store's writes (local_db.household_repo) block rules 1, 2, 4 and 5; rule 3 (a probable
same person under another NIK) is a warning the operator overrides with a reason, so it is asked here
before saving. Candidates come through indexes only: members born on the typed date or on the date
the NIK encodes (ix_members_birth_date) and members whose NIK is one digit or one swap away
(ix_members_nik); names are screened in C (rapidfuzz) and the survivors scored by the person
matcher (domain.matching) with name and date frequencies counted among the members of this store.
Deleted members are never duplicates.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from rapidfuzz import fuzz, process
from sqlmodel import Session

from domain import regions
from domain.dates import iso_dates_of_ddmmyy
from domain.matching import Match, PersonRecord, Prepared, ProbeStats, compare, nik_variants, prepare
from domain.matching.blocking import SCREEN_RATIO, SCREEN_TOKEN_SET, candidate_pairs, names_pass
from domain.programmes import Programme, SourceLevel

_COLS = ("m.record_id, m.name, m.nik, m.name_key, h.kk, m.birth_date, m.sex, h.desa_code, h.dusun, h.rt, h.rw, "
         "m.household_id, m.temp_id")
_FROM = "FROM members m LEFT JOIN households h ON h.record_id = m.household_id"
_SQL_NIK = f"SELECT {_COLS} {_FROM} WHERE m.nik = ? AND m.nik != '' AND m.deleted = 0 AND m.record_id != ?"
_SQL_BIRTH = f"SELECT {_COLS} {_FROM} WHERE m.birth_date = ? AND m.deleted = 0 AND m.record_id != ?"
_SQL_NIKS = f"SELECT {_COLS} {_FROM} WHERE m.nik IN ({{}}) AND m.deleted = 0 AND m.record_id != ?"
_SQL_REF = "SELECT programme, status FROM referencerecipient WHERE nik = ?"

HitKind = Literal["nik", "kk_programme", "probable_person", "reference"]
INACTIVE_REFERENCE_STATUSES = frozenset({"nonaktif", "non-aktif", "tidak aktif", "inactive", "berhenti", "dihentikan"})


def reference_blocks(target: Programme | None, ref_level: str, ref_programme: Programme | None) -> bool:
    """Default programme rule: an existing pusat (central) recipient cannot get a provinsi or
    kabupaten programme ("yang sudah mendapat bantuan pusat tidak akan bisa mendapatkan bantuan
    provinsi"). A configured programme can opt out with `allow_pusat_recipients`."""
    if target is None or target.level is SourceLevel.PUSAT or target.allow_pusat_recipients:
        return False
    level = (ref_level or (ref_programme.level if ref_programme else "")).strip().lower()
    return level == SourceLevel.PUSAT.value


@dataclass(frozen=True, slots=True)
class DuplicateHit:
    """One finding shown in the duplicate panel (ui.duplicate_panel reads these fields)."""

    kind: HitKind
    record_id: str | None  # None for a reference-list hit (the list has no local record)
    name: str
    nik: str
    programme: str  # a member has no programme: its KK
    desa_code: str
    score: float | None  # probable_person: the matcher's confidence, 0-100
    blocking: bool
    message: str  # Indonesian, for the operator
    decision: str = ""  # probable_person: domain.matching.Decision value
    reasons: tuple[str, ...] = ()  # probable_person: the matcher's reasons, Indonesian

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "record_id": self.record_id, "name": self.name, "nik": self.nik,
            "programme": self.programme, "desa_code": self.desa_code, "score": self.score,
            "blocking": self.blocking, "message": self.message, "decision": self.decision,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class ProbableMember:
    record_id: str
    name: str
    nik: str
    kk: str
    household_id: str
    match: Match
    desa_code: str = ""
    temp_id: str = ""

    @property
    def message(self) -> str:
        ident = f"NIK {self.nik}" if self.nik else (f"nomor sementara {self.temp_id}" if self.temp_id else "NIK -")
        return (f"Mungkin orang yang sama: {self.name} ({ident}, KK {self.kk or '-'}); keyakinan "
                f"{self.match.score:.0f}%: {self.match.reason_text()}.")


class MemberStats:
    """domain.matching.NameStats counted over the members table (deleted ones too: how common a name
    is does not change when a record is deleted). `table="entry"` counts the legacy entries
    (local_db.duplicates); both have name_key and birth_date indexed."""

    def __init__(self, cur: Any, table: str = "members") -> None:
        assert table in ("members", "entry")  # interpolated into SQL: never from input
        self.cur = cur
        self.table = table
        self._total: int | None = None
        self._names: dict[str, int] = {}
        self._prefixes: dict[str, int] = {}
        self._dates: dict[date, int] = {}

    def _count(self, sql: str, params: tuple[Any, ...]) -> int:
        return int(self.cur.execute(sql.format(t=self.table), params).fetchone()[0])

    def total(self) -> int:
        if self._total is None:  # max(rowid): one index step; count(*) would read every row
            self._total = self._count("SELECT coalesce(max(rowid), 0) FROM {t}", ())
        return self._total

    def name_count(self, key: str) -> int:
        if key not in self._names:
            self._names[key] = self._count("SELECT count(*) FROM {t} WHERE name_key = ?", (key,))
        return self._names[key]

    def prefix_count(self, key: str) -> int:
        if key not in self._prefixes:
            longer = self._count("SELECT count(*) FROM {t} WHERE name_key >= ? AND name_key < ?",
                                 (key + " ", key + "!"))
            self._prefixes[key] = longer + self.name_count(key)
        return self._prefixes[key]

    def date_count(self, d: date) -> int:
        if d not in self._dates:
            self._dates[d] = self._count("SELECT count(*) FROM {t} WHERE birth_date = ?", (d.isoformat(),))
        return self._dates[d]


def _cursor(s: Session) -> Any:
    """A DB-API cursor on the session's own connection (same transaction): the checks run as plain
    SQL, building SQLAlchemy expressions would cost more than the indexed lookups."""
    return s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]


def _record(row: tuple[Any, ...]) -> PersonRecord:
    rid, name, nik, _key, kk, born, sex, desa, dusun, rt, rw, _hid, _temp = row
    bd = born if isinstance(born, date) else (date.fromisoformat(str(born)[:10]) if born else None)
    return PersonRecord(id=rid, nik=nik or "", kk=kk or "", name=name, birth_date=bd, sex=sex or "",
                        desa_code=desa or "", dusun=dusun or "", rt=rt or "", rw=rw or "")


def _rows(cur: Any, p: Prepared, variants: list[str], exclude: str) -> Iterator[tuple[Any, ...]]:
    dates: set[str] = set()
    for dmy in p.dates:
        dates.update(iso_dates_of_ddmmyy(*dmy))
    if p.rec.birth_date is not None:
        dates.add(p.rec.birth_date.isoformat())
    for d in sorted(dates):
        yield from cur.execute(_SQL_BIRTH, (d, exclude)).fetchall()
    for i in range(0, len(variants), 500):
        part = variants[i:i + 500]
        yield from cur.execute(_SQL_NIKS.format(",".join("?" * len(part))), (*part, exclude)).fetchall()


def _storable(nik: str) -> bool:
    """Could this NIK be stored at all? Saved NIKs passed the strict check, so a variant with an
    unknown province or an impossible date need not be looked up (each lookup is a disk read)."""
    day, month = int(nik[6:8]), int(nik[8:10])
    return (nik[:2] in regions.province_codes() and nik[2:4] != "00" and nik[4:6] != "00"
            and (1 <= day <= 31 or 41 <= day <= 71) and 1 <= month <= 12 and nik[12:] != "0000")


def _screen(key: str, joined: str, keys: list[str]) -> set[int]:
    """Indexes of `keys` whose names pass blocking's name screen (in C)."""
    passing = {i for _c, _s, i in process.extract(joined, [k.replace(" ", "") for k in keys], scorer=fuzz.ratio,
                                                   score_cutoff=SCREEN_RATIO, limit=None)}
    passing.update(i for _c, _s, i in process.extract(key, keys, scorer=fuzz.token_set_ratio,
                                                      score_cutoff=SCREEN_TOKEN_SET, limit=None))
    return passing


def _probable(cur: Any, p: Prepared, exclude: str) -> list[ProbableMember]:
    if not p.key:
        return []
    variants = [v for v in nik_variants(p.nik) if _storable(v)] if p.nik else []
    rows = {r[0]: r for r in _rows(cur, p, variants, exclude)}
    near = set(variants)
    cands = [r for r in rows.values() if not (p.nik and r[2] == p.nik)]  # the same NIK is rule 1's
    passing = _screen(p.key, p.joined, [r[3] or "" for r in cands])
    stats: ProbeStats | None = None
    out: list[ProbableMember] = []
    for i, r in enumerate(cands):
        close = r[2] in near  # a NIK one typo away: scored whatever the name
        if not close and i not in passing:
            continue
        other = prepare(_record(r))
        if not close and not names_pass(p, other):
            continue
        stats = stats or ProbeStats(MemberStats(cur), p.key, p.rec.birth_date)
        m = compare(p, other, stats)
        if m.found:
            out.append(ProbableMember(r[0], r[1], r[2] or "", r[4] or "", r[11], m, r[7] or "", r[12] or ""))
    out.sort(key=lambda x: -x.match.score)
    return out


def probable_members(s: Session, probe: PersonRecord | Prepared, *,
                     exclude_record_id: str = "") -> list[ProbableMember]:
    """Members the matcher calls the same or probably the same person as `probe`, under another NIK
    (the same NIK is rule 1, refused by the store), best first. `probe` may come prepared."""
    p = probe if isinstance(probe, Prepared) else prepare(probe)
    cur = _cursor(s)
    try:
        return _probable(cur, p, exclude_record_id)
    finally:
        cur.close()


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
                    "nik", r[0], r[1], nik, r[4] or "", r[7] or "", None, True,
                    f"NIK {nik} sudah terdaftar sebagai anggota {r[1]} di keluarga KK {r[4] or '(belum ada KK)'}. "
                    "Buka data anggota itu, jangan memasukkannya lagi."))
        if name.strip():
            probe = PersonRecord(id=exclude, nik=nik or nik_typed, kk=kk, name=name, birth_date=birth_date, sex=sex,
                                 desa_code=desa_code, dusun=dusun, rt=rt, rw=rw)
            hits.extend(DuplicateHit(
                "probable_person", h.record_id, h.name, h.nik, h.kk, h.desa_code, h.match.score, False,
                f"{h.message} Jika memang orang berbeda, isi alasannya.",
                decision=h.match.decision.value, reasons=h.match.reasons)
                for h in _probable(cur, prepare(probe), exclude))
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


# --------------------------------------------------------------------------- all groups (bansos duplicates)


@dataclass(slots=True)
class RecordGroup:
    """Records that duplicate each other: members with one NIK ("nik"), households with one KK ("kk"),
    open proposals of one programme and target ("proposal"), or probably one person ("probable_person")."""

    kind: str
    key: str
    records: list[dict[str, Any]]
    pairs: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "key": self.key, "records": self.records, "pairs": self.pairs}


_GROUP_SQL = {
    "nik": ("SELECT nik AS key, record_id, name, household_id, birth_date FROM members WHERE deleted = 0 AND nik != '' "
            "AND nik IN (SELECT nik FROM members WHERE deleted = 0 AND nik != '' GROUP BY nik HAVING count(*) > 1) "
            "ORDER BY nik, created_at"),
    "kk": ("SELECT kk AS key, record_id, desa_code, address FROM households WHERE deleted = 0 AND kk != '' "
           "AND kk IN (SELECT kk FROM households WHERE deleted = 0 AND kk != '' GROUP BY kk HAVING count(*) > 1) "
           "ORDER BY kk, created_at"),
    "proposal": ("SELECT programme || '/' || target_id AS key, record_id, programme, type, target_id FROM proposals p "
                 "WHERE deleted = 0 AND (review_state IS NULL OR review_state NOT IN ('APPROVED', 'REJECTED')) "
                 "AND (programme, target_id) IN (SELECT programme, target_id FROM proposals WHERE deleted = 0 "
                 "AND (review_state IS NULL OR review_state NOT IN ('APPROVED', 'REJECTED')) "
                 "GROUP BY programme, target_id HAVING count(*) > 1) ORDER BY programme, target_id, created_at"),
}


def record_groups(s: Session) -> list[RecordGroup]:
    """Every duplicate group among the active records of this store (rules 1-4)."""
    cur = _cursor(s)
    out: list[RecordGroup] = []
    try:
        for kind, sql in _GROUP_SQL.items():
            cur.execute(sql)
            cols = [d[0] for d in cur.description]
            by_key: dict[str, list[dict[str, Any]]] = {}
            for r in cur.fetchall():
                d = dict(zip(cols, r, strict=True))
                by_key.setdefault(d.pop("key"), []).append({k: str(v) if isinstance(v, date) else v
                                                            for k, v in d.items()})
            out += [RecordGroup(kind, k, v) for k, v in by_key.items()]
        rows = cur.execute(f"SELECT {_COLS} {_FROM} WHERE m.deleted = 0 ORDER BY m.created_at, m.record_id").fetchall()
        items = [prepare(_record(r)) for r in rows]
        stats = MemberStats(cur)
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        links: list[tuple[str, str, Match]] = []
        for i, j in sorted(candidate_pairs(items)):
            a, b = items[i], items[j]
            if a.nik and a.nik == b.nik:
                continue  # rule 1's group
            m = compare(a, b, stats)
            if m.found:
                links.append((a.rec.id, b.rec.id, m))
                parent[find(a.rec.id)] = find(b.rec.id)
        by_id = {p.rec.id: p.rec for p in items}
        comps: dict[str, list[str]] = {}
        for rid in parent:
            comps.setdefault(find(rid), []).append(rid)
        for rids in comps.values():
            members = sorted((by_id[r] for r in rids), key=lambda r: (r.name, r.id))
            group = set(rids)
            out.append(RecordGroup(
                "probable_person", min(str(r.birth_date) for r in members),
                [{"record_id": r.id, "name": r.name, "nik": r.nik, "kk": r.kk,
                  "birth_date": str(r.birth_date)} for r in members],
                [{"record_id_a": a, "record_id_b": b, "decision": m.decision.value, "score": round(m.score, 1),
                  "reasons": m.reason_text()} for a, b, m in links if a in group]))
    finally:
        cur.close()
    return out
