"""Duplicate groups across villages: same NIK, same KK in a programme, probable same person.

Groups are recomputed for the keys a batch touched (old and new values of each changed record):
the active entries sharing a key form the group; the reviewer of the kecamatan settles it, or the
supervisor when its members span kecamatan. Probable same person: the person matcher
(domain.matching) on the active entries born on a touched record's birth date (typed or encoded in
its NIK) or holding a NIK one digit or one swap from it, with name and date frequencies counted in
srv_entry through its indexes; a group is a connected component of the pairs it links.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import func, insert, text, true, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from domain.dates import iso_dates_of_ddmmyy
from domain.matching import Match, PersonRecord, compare, nik_variants, prepare
from domain.matching.blocking import candidate_pairs
from domain.matching.record import decode_nik
from domain.programmes import Catalogue
from server.models import DuplicateGroup, DuplicateMember, Entry, table_of
from server.services import bulk
from server.services.entries import DUP_FLAGS, flags_of
from server.services.seq import SeqAllocator, desa_feed
from sync.review_protocol import GroupState


class Keys:
    """Keys touched by a batch."""

    def __init__(self) -> None:
        self.niks: set[str] = set()
        self.kks: set[str] = set()
        self.birth_dates: set[str] = set()
        self.person_dates: set[str] = set()  # typed and NIK-encoded birth dates
        self.near_niks: set[str] = set()  # NIKs one digit or one swap from a touched one
        self.persons: set[str] = set()  # birth date + first letter of the name key: the person-match lock

    def add(self, row: dict[str, Any] | None) -> None:
        if row:
            self.niks.add(row["nik"])
            self.kks.add(row["kk"])
            self.birth_dates.add(row["birth_date"])
            dates = {row["birth_date"]}
            dmy, _sex = decode_nik(row["nik"])
            if dmy is not None:
                dates.update(iso_dates_of_ddmmyy(*dmy))
            self.person_dates |= dates
            self.near_niks.update(nik_variants(row["nik"]))
            initial = (row.get("name_key") or "")[:1]
            self.persons.update(f"{d}|{initial}" for d in dates)  # the person-match lock


LOCK_BUCKETS = 1 << 26  # srv_dup_lock stays below 67M small rows; two batches rarely share a bucket


def _lock_keys(session: Session, keys: Keys) -> None:
    """PostgreSQL: lock the rows of srv_dup_lock for the batch's keys (hashed to buckets), in one
    sorted upsert, so two villages' batches that could form or extend the same group take turns for
    the rest of their transactions (each then sees the other's rows) — while batches with no key in
    common, nearly all of them, run in parallel. Row locks, not advisory locks: hundreds per batch
    would overflow PostgreSQL's shared lock table. The person key is birth date + name initial: a
    probable pair whose initials differ, sent at the same instant from two villages, is left to the
    next refresh. SQLite has one writer at a time anyway."""
    if session.get_bind().dialect.name != "postgresql":
        return
    names = [f"n{v}" for v in keys.niks] + [f"k{v}" for v in keys.kks] + [f"p{v}" for v in keys.persons]
    ids = sorted({int.from_bytes(hashlib.blake2b(n.encode(), digest_size=8).digest(), "big") % LOCK_BUCKETS
                  for n in names})
    if ids:
        session.execute(text("INSERT INTO srv_dup_lock (bucket) SELECT b FROM unnest(CAST(:ids AS bigint[])) AS b "
                             "ORDER BY b ON CONFLICT (bucket) DO UPDATE SET bucket = EXCLUDED.bucket"), {"ids": ids})


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    return bulk.chunks(values)


_COLS = tuple(col(c) for c in (Entry.record_id, Entry.nik, Entry.kk, Entry.programme, Entry.birth_date, Entry.name_key,
         Entry.kecamatan_code, Entry.kabkota_code, Entry.flags, Entry.desa_code))


def _active(session: Session, column: Any, values: set[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in _chunks(values):
        stmt = sa_select(*_COLS).where(bulk.one_of(session, col(column), part), col(Entry.deleted).is_(False),
                                       col(Entry.voided).is_(False))
        out.extend(dict(r._mapping) for r in session.execute(stmt))
    return out


_PERSON_COLS = (*_COLS, col(Entry.desa_code), col(Entry.payload))


class ServerStats:
    """domain.matching.NameStats counted in srv_entry through its indexes (every entry, deleted ones
    too: how common a name is does not change when an entry is deleted)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._total: int | None = None
        self._names: dict[str, int] = {}
        self._prefixes: dict[str, int] = {}
        self._dates: dict[date, int] = {}

    def _count(self, where: Any) -> int:
        return int(self.session.execute(sa_select(func.count()).select_from(table_of(Entry)).where(where)).scalar_one())

    def total(self) -> int:
        if self._total is None:
            n = -1
            if self.session.get_bind().dialect.name == "postgresql":  # the planner's estimate: no table scan
                # srv_entry is partitioned by province (0004): its own reltuples is -1, its partitions hold the rows.
                n = int(self.session.execute(text(
                    "SELECT coalesce(sum(greatest(reltuples, 0)), 0)::bigint FROM pg_class WHERE oid = "
                    "'srv_entry'::regclass OR oid IN (SELECT inhrelid FROM pg_inherits "
                    "WHERE inhparent = 'srv_entry'::regclass)")).scalar_one())
            if n <= 0:  # SQLite, or a table never analysed
                n = self._count(true())
            self._total = n
        return self._total

    def name_count(self, key: str) -> int:
        if key not in self._names:
            self._names[key] = self._count(col(Entry.name_key) == key)
        return self._names[key]

    def prefix_count(self, key: str) -> int:
        if key not in self._prefixes:
            # One statement, one snapshot: two counts taken apart could see rows other workers commit in
            # between and come out negative (a 500 from the matcher's log of a negative frequency).
            longer = self._count((col(Entry.name_key) >= key + " ") & (col(Entry.name_key) < key + "!"))
            self._prefixes[key] = longer + self.name_count(key)
        return self._prefixes[key]

    def date_count(self, d: date) -> int:
        if d not in self._dates:
            self._dates[d] = self._count(col(Entry.birth_date) == d.isoformat())
        return self._dates[d]


def person_of(row: dict[str, Any]) -> PersonRecord:
    payload = row["payload"]
    p = json.loads(payload) if isinstance(payload, str) else payload
    try:
        born: date | None = date.fromisoformat(row["birth_date"])
    except (TypeError, ValueError):
        born = None
    return PersonRecord(id=row["record_id"], nik=row["nik"], kk=row["kk"], name=str(p.get("name", "")),
                        birth_date=born, sex=str(p.get("sex", "")), desa_code=row.get("desa_code") or "",
                        dusun=str(p.get("dusun", "")), rt=str(p.get("rt", "")), rw=str(p.get("rw", "")))


def person_pairs(rows: Sequence[dict[str, Any]], stats: Any) -> list[tuple[str, str, Match]]:
    """(record_id, record_id, match) for the pairs under different NIKs the person matcher links."""
    items = [prepare(person_of(r)) for r in rows]
    out: list[tuple[str, str, Match]] = []
    for i, j in sorted(candidate_pairs(items)):
        a, b = items[i], items[j]
        if a.rec.nik == b.rec.nik:
            continue  # the NIK group
        m = compare(a, b, stats)
        if m.found:
            out.append((a.rec.id, b.rec.id, m))
    return out


def _person_components(rows: Sequence[dict[str, Any]], stats: Any) -> list[tuple[set[str], float, str]]:
    """Union-find over the matcher's pairs: (members, lowest pair score, key = earliest birth date)."""
    parent = {r["record_id"]: r["record_id"] for r in rows}
    born = {r["record_id"]: r["birth_date"] for r in rows}
    low: dict[str, float] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    pairs = person_pairs(rows, stats)
    for a, b, _m in pairs:
        parent[find(a)] = find(b)
    for a, _b, m in pairs:
        r = find(a)
        low[r] = min(low.get(r, 100.0), m.score)
    comps: dict[str, set[str]] = defaultdict(set)
    for rid in parent:
        comps[find(rid)].add(rid)
    return [(m, low.get(root, 0.0), min(born[x] for x in m)) for root, m in comps.items() if len(m) >= 2]


def _person_rows(session: Session, keys: Keys, touched: dict[str, dict[str, Any]],
                 live_touched: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The live entries around the touched ones: born on one of their dates (typed or NIK), or
    holding a NIK one digit or one swap from theirs; touched rows at their new state."""
    found: dict[str, dict[str, Any]] = {}
    for column, values in ((Entry.birth_date, keys.person_dates), (Entry.nik, keys.near_niks | keys.niks)):
        for part in _chunks(sorted(values)):
            stmt = sa_select(*_PERSON_COLS).where(bulk.one_of(session, col(column), part), col(Entry.deleted).is_(False),
                                                  col(Entry.voided).is_(False))
            for rec in session.execute(stmt):
                if rec.record_id not in touched:
                    found[rec.record_id] = dict(rec._mapping)
    for row in live_touched:
        found[row["record_id"]] = row
    return list(found.values())


def refresh(session: Session, keys: Keys, *, catalogue: Catalogue, seq: SeqAllocator, now: datetime,
            touched: dict[str, dict[str, Any]] | None = None, stored: set[str] | None = None) -> int:
    """Recompute the groups around `keys`; update DUP_* flags. Returns how many entries changed.

    Runs before the batch's rows are written: `touched` (the batch's rows, in memory, at their new
    state) stand in for their database copies, and the database supplies every other entry. A touched
    row whose flags change gets them (and a new change_seq) in memory; other rows get one UPDATE
    executemany. `stored`: the touched ids already in the database (only they can be group members
    yet); None means all of them.
    """
    touched = touched or {}
    if not (keys.niks or keys.kks or keys.birth_dates or keys.person_dates):
        return 0
    _lock_keys(session, keys)
    live_touched = [r for r in touched.values() if not r["deleted"] and not r["voided"]]

    def shared(column: Any, values: set[str], key: Callable[[dict[str, Any]], Any]) -> dict[Any, dict[str, dict[str, Any]]]:
        """key(row) -> {record_id: row} for the keys at least two live entries share, among the live
        entries whose `column` is one of `values` (most keys of a batch are held by one entry only)."""
        field = column.key
        others = [r for r in _active(session, column, values) if r["record_id"] not in touched]  # stale copies out
        held = [r for r in live_touched if r[field] in values]
        counts = Counter(map(key, held))
        counts.update(map(key, others))
        many = {k for k, n in counts.items() if n >= 2}
        out: dict[Any, dict[str, dict[str, Any]]] = defaultdict(dict)
        if many:
            for r in (*others, *held):
                if (k := key(r)) in many:
                    out[k][r["record_id"]] = r
        return out

    rows: dict[str, dict[str, Any]] = {}
    comps: list[tuple[str, str, set[str], float | None]] = []  # kind, key, members, score

    for nik, members in shared(Entry.nik, keys.niks, itemgetter("nik")).items():
        rows.update(members)
        comps.append(("nik", nik, set(members), None))

    for (kk, programme), members in shared(Entry.kk, keys.kks, itemgetter("kk", "programme")).items():
        prog = catalogue.get(programme)
        if not (prog is not None and prog.multiple_per_kk):
            rows.update(members)
            comps.append(("kk_programme", f"{kk}|{programme}", set(members), None))

    person_rows = {r["record_id"]: r for r in _person_rows(session, keys, touched, live_touched)}
    if len(person_rows) > 1:
        for ids, score, key in _person_components(list(person_rows.values()), ServerStats(session)):
            comps.append(("person", key, ids, score))
            rows.update((rid, person_rows[rid]) for rid in ids)

    existing = _existing_groups(session, set(touched) if stored is None else stored,
                                {(k, key) for k, key, _m, _s in comps})
    _reconcile(session, comps, existing, rows, now)

    # Flags: DUP_<kind> iff the entry is in a group of that kind now.
    member_kinds: dict[str, set[str]] = defaultdict(set)
    for kind, _key, members_, _score in comps:
        for rid in members_:
            member_kinds[rid].add(kind)
    dup_codes = set(DUP_FLAGS.values())
    for rid, row in touched.items():
        if rid not in rows and dup_codes & set(flags_of(row)):
            rows[rid] = row
    extra = {rid for g in existing for rid in g[1]} - set(rows)
    for rid in extra & touched.keys():
        rows[rid] = touched[rid]
    for part in _chunks(extra - touched.keys()):
        for rec in session.execute(sa_select(*_COLS).where(bulk.one_of(session, col(Entry.record_id), part))):
            rows[rec.record_id] = dict(rec._mapping)
    changed: list[dict[str, Any]] = []
    moved: list[tuple[str, dict[str, Any], set[str]]] = []
    for rid, r in rows.items():
        current = flags_of(r)
        flags = {f for f in current if f not in dup_codes}
        flags |= {DUP_FLAGS[k] for k in member_kinds.get(rid, ())}
        if set(current) != flags:
            moved.append((rid, r, flags))
    seq.lock(*{desa_feed(r["desa_code"]) for _rid, r, _f in moved})  # other villages' feeds, in order
    for rid, r, flags in moved:
        if rid in touched:  # written with the batch's rows
            r.update(flags=sorted(flags), change_seq=seq.next(desa_feed(r["desa_code"])), updated_at=now)
        else:
            changed.append({"record_id": rid, "flags": json.dumps(sorted(flags)),
                            "change_seq": seq.next(desa_feed(r["desa_code"])), "updated_at": now})
    n = len(moved)
    if changed:
        session.execute(update(Entry), changed)
    return n


def _existing_groups(session: Session, record_ids: set[str],
                     keys: set[tuple[str, str]]) -> list[tuple[DuplicateGroup, set[str]]]:
    """Live groups that held one of `record_ids`, or whose (kind, key) has a component now."""
    ids: set[int] = set()
    for part in _chunks(record_ids):
        ids |= set(session.exec(select(DuplicateMember.group_id).where(
            bulk.one_of(session, col(DuplicateMember.record_id), part))))
    by_kind: dict[str, set[str]] = defaultdict(set)
    for kind, key in keys:
        by_kind[kind].add(key)
    groups: dict[int, DuplicateGroup] = {}
    for kind, values in by_kind.items():
        for part in _chunks(values):
            for g in session.exec(select(DuplicateGroup).where(
                    DuplicateGroup.kind == kind, bulk.one_of(session, col(DuplicateGroup.key), part),
                    DuplicateGroup.state != GroupState.DISSOLVED)):
                groups[g.id or 0] = g
    for part in _chunks(ids - set(groups)):
        for g in session.exec(select(DuplicateGroup).where(bulk.one_of(session, col(DuplicateGroup.id), part),
                                                           DuplicateGroup.state != GroupState.DISSOLVED)):
            groups[g.id or 0] = g
    members: dict[int, set[str]] = defaultdict(set)
    for part in _chunks(groups):
        for m in session.execute(sa_select(DuplicateMember.group_id, DuplicateMember.record_id).where(  # type: ignore[call-overload]
                bulk.one_of(session, col(DuplicateMember.group_id), part))):
            members[m.group_id].add(m.record_id)
    return [(g, members[gid]) for gid, g in groups.items()]


def _scope(members: set[str], rows: dict[str, dict[str, Any]]) -> tuple[str, str]:
    kecs = {rows[m]["kecamatan_code"] for m in members if m in rows}
    kabs = {rows[m]["kabkota_code"] for m in members if m in rows}
    return (kecs.pop() if len(kecs) == 1 else ""), (kabs.pop() if len(kabs) == 1 else "")


def _reconcile(
    session: Session,
    comps: list[tuple[str, str, set[str], float | None]],
    existing: list[tuple[DuplicateGroup, set[str]]],
    rows: dict[str, dict[str, Any]],
    now: datetime,
) -> None:
    """Keep, reuse (the existing group of the kind and key that shares most members) or create a group
    per component; dissolve the open groups no component kept. A few statements for the whole batch,
    not a flush per group: this runs under the writer lock, and a batch can touch many groups."""
    used: set[int] = set()
    reused: list[tuple[DuplicateGroup, set[str]]] = []
    created: list[tuple[dict[str, Any], set[str]]] = []
    for kind, key, members, score in comps:
        same = [g for g, m in existing if g.kind == kind and g.key == key and m == members and g.id not in used]
        if same:
            used.add(same[0].id or 0)
            continue
        overlap = sorted(
            ((len(m & members), g) for g, m in existing if g.kind == kind and g.key == key and g.id not in used and m & members),
            key=lambda t: -t[0],
        )
        kec, kab = _scope(members, rows)
        if overlap:
            g = overlap[0][1]
            used.add(g.id or 0)
            g.state = GroupState.OPEN
            g.kecamatan_code, g.kabkota_code, g.score = kec, kab, score
            session.add(g)
            reused.append((g, members))
        else:
            created.append(({"kind": kind, "key": key, "state": GroupState.OPEN, "kecamatan_code": kec, "kabkota_code": kab,
                             "score": score, "kept_record_id": None, "settled_by": None, "settled_at": None,
                             "created_at": now}, members))
    for g, _m in existing:
        if g.id not in used and g.state == GroupState.OPEN:
            g.state = GroupState.DISSOLVED
            session.add(g)

    groups = table_of(DuplicateGroup)
    member_table = table_of(DuplicateMember)
    new_members: list[dict[str, Any]] = []
    if reused:  # a reused group gets its members anew
        for part in _chunks(g.id for g, _m in reused):
            session.execute(member_table.delete().where(bulk.one_of(session, member_table.c.group_id, part)))
        new_members += [{"group_id": g.id, "record_id": rid} for g, m in reused for rid in sorted(m)]
    if created:
        # Ids in the order of the rows (SQLAlchemy sorts RETURNING by parameter order, or inserts row by row).
        ids = session.execute(insert(groups).returning(groups.c.id, sort_by_parameter_order=True),
                              [r for r, _m in created]).scalars().all()
        new_members += [{"group_id": gid, "record_id": rid} for gid, (_r, m) in zip(ids, created, strict=True)
                        for rid in sorted(m)]
    if new_members:
        session.execute(insert(member_table), new_members)
