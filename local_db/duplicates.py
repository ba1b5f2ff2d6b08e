"""Duplicate search in the local store (design.md §3, rules 1-4).

Every query goes through an index (entry.nik, entry(kk, programme), entry.birth_date,
referencerecipient primary key); probable-person matching compares name keys only within the
block of entries sharing the birth date, in C (rapidfuzz), so a check costs the same on ten
entries or a million.

Soft-deleted entries are never duplicates of anything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from sqlalchemy import func, select, tuple_
from sqlmodel import Session

from domain import names
from domain.programmes import DEFAULT, Catalogue, Programme, SourceLevel
from local_db.models import Entry, ReferenceRecipient

# Core columns: plain SQL expressions (the SQLModel class attributes type as Python values).
E = Entry.__table__.c  # type: ignore[attr-defined]
REF = ReferenceRecipient.__table__.c  # type: ignore[attr-defined]

HitKind = Literal["nik", "kk_programme", "probable_person", "reference"]
_CHUNK = 500  # bound parameters per IN (...) query
INACTIVE_REFERENCE_STATUSES = frozenset({"nonaktif", "non-aktif", "tidak aktif", "inactive", "berhenti", "dihentikan"})


@dataclass(frozen=True, slots=True)
class DuplicateHit:
    kind: HitKind
    record_id: str | None  # None for a reference-list hit (the list has no local entry)
    name: str
    nik: str
    programme: str
    desa_code: str
    score: float | None
    blocking: bool
    message: str  # Indonesian, for the operator

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "record_id": self.record_id, "name": self.name, "nik": self.nik,
            "programme": self.programme, "desa_code": self.desa_code, "score": self.score,
            "blocking": self.blocking, "message": self.message,
        }


def _programme(catalogue: Catalogue, code: str) -> Programme | None:
    try:
        return catalogue.resolve(code)
    except ValueError:
        return None


def _cursor(session: Session) -> Any:
    """A DB-API cursor on the session's own connection (same transaction). The per-entry checks
    run as plain SQL: building SQLAlchemy expressions would cost more than the indexed lookups."""
    return session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]


_SQL_NIK = ("SELECT record_id, name, nik, programme, desa_code FROM entry "
            "WHERE nik = ? AND deleted = 0 AND record_id != ?")
_SQL_KK = ("SELECT record_id, name, nik, programme, desa_code FROM entry "
           "WHERE kk = ? AND programme = ? AND deleted = 0 AND nik != ? AND record_id != ?")
_SQL_BIRTH = ("SELECT record_id, name, nik, programme, desa_code, name_key FROM entry INDEXED BY ix_entry_birth_date "
              "WHERE birth_date = ? AND deleted = 0 AND nik != ? AND record_id != ?")
_SQL_REF = "SELECT programme, level, status FROM referencerecipient WHERE nik = ?"


def reference_blocks(target: Programme | None, ref_level: str, ref_programme: Programme | None) -> bool:
    """Default programme rule: an existing pusat (central) recipient cannot get a provinsi or
    kabupaten programme ("yang sudah mendapat bantuan pusat tidak akan bisa mendapatkan bantuan
    provinsi"). A configured programme can opt out with `allow_pusat_recipients`."""
    if target is None or target.level is SourceLevel.PUSAT or target.allow_pusat_recipients:
        return False
    level = (ref_level or (ref_programme.level if ref_programme else "")).strip().lower()
    return level == SourceLevel.PUSAT.value


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
) -> list[DuplicateHit]:
    """All duplicate findings for one entry about to be saved, blocking ones first.

    `nik`, `kk` are normalised digits; `programme` a code (or name) in `catalogue`.
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

    # 3. Probable same person: same birth date, close name key, different NIK.
    key = names.name_key(name)
    if birth_date is not None and key:
        rows = cur.execute(_SQL_BIRTH, (birth_date.isoformat(), nik, exclude)).fetchall()
        for idx, score in names.close_keys(key, [r[5] for r in rows]):
            rid, nm, nk, pg, desa, _key = rows[idx]
            hits.append(DuplicateHit(
                "probable_person", rid, nm, nk, pg, desa, round(score, 1), False,
                f"Mungkin orang yang sama: {nm} (NIK {nk}, program {pg}) lahir di tanggal yang sama, "
                f"kemiripan nama {score:.0f}%. Jika memang orang berbeda, isi alasannya.",
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


@dataclass(frozen=True, slots=True)
class GroupMember:
    record_id: str
    name: str
    nik: str
    kk: str
    programme: str
    desa_code: str
    birth_date: date


@dataclass(slots=True)
class DuplicateGroup:
    kind: Literal["nik", "kk_programme", "probable_person"]
    key: str  # the NIK, "KK/PROGRAMME" or the birth date
    members: list[GroupMember] = field(default_factory=list)
    score: float | None = None  # probable_person: the lowest pairwise score that links the group

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "key": self.key, "score": self.score,
            "members": [{
                "record_id": m.record_id, "name": m.name, "nik": m.nik, "kk": m.kk, "programme": m.programme,
                "desa_code": m.desa_code, "birth_date": m.birth_date.isoformat(),
            } for m in self.members],
        }


_MEMBER_COLUMNS = (E.record_id, E.name, E.nik, E.kk, E.programme, E.desa_code,
                   E.birth_date)


def _chunks(items: list[Any], n: int = _CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(items), n):
        yield items[i:i + n]


def _members(session: Session, where: Any) -> list[GroupMember]:
    stmt = select(*_MEMBER_COLUMNS).where(where, E.deleted == False).order_by(E.created_at)  # noqa: E712
    return [GroupMember(*r) for r in session.execute(stmt)]


def all_groups(session: Session, *, catalogue: Catalogue = DEFAULT) -> list[DuplicateGroup]:
    """Every duplicate group among active entries: same NIK, same KK + programme, probable person.

    The first two are GROUP BY ... HAVING count(*) > 1 over covering indexes (deleted rows are
    filtered afterwards, on the few candidates); the third compares name keys per birth date.
    """
    groups: list[DuplicateGroup] = []

    niks = list(session.execute(
        select(E.nik).group_by(E.nik).having(func.count() > 1)).scalars())
    by_nik: dict[str, list[GroupMember]] = defaultdict(list)
    for chunk in _chunks(niks):
        for m in _members(session, E.nik.in_(chunk)):
            by_nik[m.nik].append(m)
    groups += [DuplicateGroup("nik", k, v) for k, v in sorted(by_nik.items()) if len(v) > 1]

    single = {p.code for p in catalogue.all() if p.multiple_per_kk}
    pairs = [tuple(r) for r in session.execute(
        select(E.kk, E.programme).group_by(E.kk, E.programme).having(func.count() > 1))
        if r[1] not in single]
    by_kk: dict[tuple[str, str], list[GroupMember]] = defaultdict(list)
    for chunk in _chunks(pairs, _CHUNK // 2):
        for m in _members(session, tuple_(E.kk, E.programme).in_(chunk)):
            by_kk[(m.kk, m.programme)].append(m)
    for (kk, prog), members in sorted(by_kk.items()):
        if len({m.nik for m in members}) > 1:  # same NIK twice is already a NIK group
            groups.append(DuplicateGroup("kk_programme", f"{kk}/{prog}", members))

    groups += _probable_groups(session)
    return groups


def _probable_groups(session: Session) -> list[DuplicateGroup]:
    """Connected components of 'same birth date, close name key, different NIK'."""
    stmt = (select(E.birth_date, E.record_id, E.nik, E.name_key)
            .where(E.deleted == False)  # noqa: E712
            .order_by(E.birth_date))
    linked: list[tuple[str, str, float]] = []  # (record_id, record_id, score)
    block: list[tuple[str, str, str]] = []
    current: date | None = None

    def flush() -> None:
        if len(block) > 1:
            for i, j, score in names.close_pairs([b[2] for b in block]):
                if block[i][1] != block[j][1]:
                    linked.append((block[i][0], block[j][0], score))

    for bd, rid, nik, key in session.execute(stmt.execution_options(yield_per=5000)):
        if bd != current:
            flush()
            block = []
            current = bd
        block.append((rid, nik, key))
    flush()
    if not linked:
        return []

    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    low: dict[str, float] = {}
    for a, b, _score in linked:
        parent[find(a)] = find(b)
    for a, _b, score in linked:
        r = find(a)
        low[r] = min(low.get(r, 100.0), score)
    comps: dict[str, list[str]] = defaultdict(list)
    for rid in parent:
        comps[find(rid)].append(rid)
    member_by_id: dict[str, GroupMember] = {}
    ids = [rid for c in comps.values() for rid in c]
    for chunk in _chunks(ids):
        for m in _members(session, E.record_id.in_(chunk)):
            member_by_id[m.record_id] = m
    out = []
    for root, rids in comps.items():
        members = sorted((member_by_id[r] for r in rids if r in member_by_id), key=lambda m: (m.name, m.record_id))
        if len(members) > 1:
            out.append(DuplicateGroup("probable_person", members[0].birth_date.isoformat(), members,
                                      round(low[find(root)], 1)))
    out.sort(key=lambda g: (g.key, g.members[0].name))
    return out
