"""Duplicate rule 3 over members (design.md §3): a probable same person under another NIK.

The household store's writes (local_db.household_repo) block rules 1, 2, 4 and 5; rule 3 is a
warning the operator overrides with a reason, so it is asked here before saving. Candidates come
through indexes only: members born on the typed date or on the date the NIK encodes
(ix_members_birth_date) and members whose NIK is one digit or one swap away (ix_members_nik); the
person matcher (domain.matching) scores them with name and date frequencies counted among the
members of this store. Deleted members are never duplicates.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session

from domain.dates import iso_dates_of_ddmmyy
from domain.matching import Match, PersonRecord, Prepared, ProbeStats, compare, nik_variants, prepare
from domain.matching.blocking import candidate_pairs, names_pass

_COLS = ("m.record_id, m.name, m.nik, m.name_key, h.kk, m.birth_date, m.sex, h.desa_code, h.dusun, h.rt, h.rw, "
         "m.household_id")
_FROM = "FROM members m LEFT JOIN households h ON h.record_id = m.household_id"
_SQL_BIRTH = f"SELECT {_COLS} {_FROM} WHERE m.birth_date = ? AND m.deleted = 0 AND m.record_id != ?"
_SQL_NIKS = f"SELECT {_COLS} {_FROM} WHERE m.nik IN ({{}}) AND m.deleted = 0 AND m.record_id != ?"


@dataclass(frozen=True, slots=True)
class ProbableMember:
    record_id: str
    name: str
    nik: str
    kk: str
    household_id: str
    match: Match

    @property
    def message(self) -> str:
        return (f"Mungkin orang yang sama: {self.name} (NIK {self.nik or '-'}, KK {self.kk or '-'}); keyakinan "
                f"{self.match.score:.0f}%: {self.match.reason_text()}.")


class MemberStats:
    """domain.matching.NameStats counted over the members table (deleted ones too: how common a name
    is does not change when a record is deleted)."""

    def __init__(self, cur: Any) -> None:
        self.cur = cur
        self._total: int | None = None
        self._names: dict[str, int] = {}
        self._prefixes: dict[str, int] = {}
        self._dates: dict[date, int] = {}

    def _count(self, sql: str, params: tuple[Any, ...]) -> int:
        return int(self.cur.execute(sql, params).fetchone()[0])

    def total(self) -> int:
        if self._total is None:  # max(rowid): one index step
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


def _cursor(s: Session) -> Any:
    return s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]


def _record(row: tuple[Any, ...]) -> PersonRecord:
    rid, name, nik, _key, kk, born, sex, desa, dusun, rt, rw, _hid = row
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
    impossible region or date need not be looked up."""
    day, month = int(nik[6:8]), int(nik[8:10])
    return (nik[2:4] != "00" and nik[4:6] != "00" and (1 <= day <= 31 or 41 <= day <= 71) and 1 <= month <= 12
            and nik[12:] != "0000")


def probable_members(s: Session, probe: PersonRecord | Prepared, *,
                     exclude_record_id: str = "") -> list[ProbableMember]:
    """Members the matcher calls the same or probably the same person as `probe`, under another NIK
    (the same NIK is rule 1, refused by the store), best first. `probe` may come prepared."""
    p = probe if isinstance(probe, Prepared) else prepare(probe)
    if not p.key:
        return []
    variants = [v for v in nik_variants(p.nik) if _storable(v)] if p.nik else []
    cur = _cursor(s)
    try:
        rows = {r[0]: r for r in _rows(cur, p, variants, exclude_record_id)}
        near = set(variants)
        stats: ProbeStats | None = None
        out: list[ProbableMember] = []
        for r in rows.values():
            if p.nik and r[2] == p.nik:
                continue
            other = prepare(_record(r))
            if r[2] not in near and not names_pass(p, other):
                continue
            stats = stats or ProbeStats(MemberStats(cur), p.key, p.rec.birth_date)
            m = compare(p, other, stats)
            if m.found:
                out.append(ProbableMember(r[0], r[1], r[2] or "", r[4] or "", r[11], m))
    finally:
        cur.close()
    out.sort(key=lambda x: -x.match.score)
    return out


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
