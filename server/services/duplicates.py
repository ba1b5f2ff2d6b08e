"""Duplicate groups across villages (design.md §3): the same NIK on two members (kind "nik"), the
same KK on two households ("kk"), a second open proposal for the same programme and target
("kk_programme", key programme|target_id: rule 4), and the probable same person under another NIK
("person", on members).

Groups are recomputed for the keys a batch touched (old and new values of each changed record): the
live records sharing a key form the group; the reviewer of the kecamatan settles it, or the
supervisor when its members span kecamatan. `refresh` runs inside the batch's transaction and is
set-based (one IN query per key kind). The person matcher (domain.matching) is slower and not
needed for the batch's answer, so `refresh_persons` runs after the batch commits, in its own
transaction, over the members the batch touched: born on a touched member's birth date (typed or
encoded in the NIK) or holding a NIK one digit or one swap from it, with name and date frequencies
counted in srv_member through its indexes; a group is a connected component of the pairs it links.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, func, insert, text, true, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from domain.dates import iso_dates_of_ddmmyy
from domain.matching import Match, PersonRecord, compare, nik_variants, prepare
from domain.matching.blocking import candidate_pairs
from domain.matching.record import decode_nik
from domain.programmes import Catalogue
from domain.records import RecordType
from server.models import DuplicateGroup, DuplicateMember, HouseholdRow, MemberRow, ProposalRow, table_of
from server.services import bulk
from server.services.entries import DUP_FLAGS, flags_of
from server.services.seq import SeqAllocator, desa_feed
from sync.review_protocol import GroupState

_HOUSEHOLD, _MEMBER, _PROPOSAL = table_of(HouseholdRow), table_of(MemberRow), table_of(ProposalRow)
TABLES: dict[RecordType, Table] = {RecordType.HOUSEHOLD: _HOUSEHOLD, RecordType.MEMBER: _MEMBER,
                                   RecordType.PROPOSAL: _PROPOSAL}
# Which records a group of each kind holds.
KIND_TYPE: dict[str, RecordType] = {"nik": RecordType.MEMBER, "person": RecordType.MEMBER,
                                    "kk": RecordType.HOUSEHOLD, "kk_programme": RecordType.PROPOSAL}
CLOSED_REVIEW = "REJECTED"  # a rejected proposal is no longer open (rule 4)


def target_key(row: dict[str, Any]) -> str:
    """Rule 4's key of a proposal row: programme|target record id."""
    return f"{row['programme']}|{row['target_id']}"


def _open(rtype: RecordType, row: dict[str, Any]) -> bool:
    if row["deleted"] or row["voided"]:
        return False
    return rtype is not RecordType.PROPOSAL or row.get("review_state") != CLOSED_REVIEW


class Keys:
    """Keys touched by a batch."""

    def __init__(self) -> None:
        self.niks: set[str] = set()
        self.kks: set[str] = set()
        self.targets: set[str] = set()  # programme|target_id
        self.members: set[str] = set()  # member ids for the person matcher (after commit)

    def add(self, rtype: RecordType, row: dict[str, Any] | None) -> None:
        if not row:
            return
        if rtype is RecordType.MEMBER:
            if row["nik"]:
                self.niks.add(row["nik"])
            self.members.add(row["record_id"])
        elif rtype is RecordType.HOUSEHOLD:
            if row["kk"]:
                self.kks.add(row["kk"])
        elif row["target_id"]:
            self.targets.add(target_key(row))


LOCK_BUCKETS = 1 << 26  # srv_dup_lock stays below 67M small rows; two batches rarely share a bucket


def _lock_names(session: Session, names: Iterable[str]) -> None:
    """PostgreSQL: lock the rows of srv_dup_lock for these keys (hashed to buckets), in one sorted
    upsert, so two villages' batches that could form or extend the same group take turns for the rest
    of their transactions (each then sees the other's rows) — while batches with no key in common,
    nearly all of them, run in parallel. Row locks, not advisory locks: hundreds per batch would
    overflow PostgreSQL's shared lock table. SQLite has one writer at a time anyway."""
    if session.get_bind().dialect.name != "postgresql":
        return
    ids = sorted({int.from_bytes(hashlib.blake2b(n.encode(), digest_size=8).digest(), "big") % LOCK_BUCKETS
                  for n in names})
    if ids:
        session.execute(text("INSERT INTO srv_dup_lock (bucket) SELECT b FROM unnest(CAST(:ids AS bigint[])) AS b "
                             "ORDER BY b ON CONFLICT (bucket) DO UPDATE SET bucket = EXCLUDED.bucket"), {"ids": ids})


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    return bulk.chunks(values)


_GROUP_COLS = {
    RecordType.HOUSEHOLD: ("record_id", "kk", "desa_code", "kecamatan_code", "kabkota_code", "flags", "deleted",
                           "voided"),
    RecordType.MEMBER: ("record_id", "nik", "desa_code", "kecamatan_code", "kabkota_code", "flags", "deleted",
                        "voided"),
    RecordType.PROPOSAL: ("record_id", "programme", "target_id", "review_state", "desa_code", "kecamatan_code",
                          "kabkota_code", "flags", "deleted", "voided"),
}


def _live(session: Session, rtype: RecordType, column: str, values: Iterable[Any]) -> list[dict[str, Any]]:
    table = TABLES[rtype]
    cols = [table.c[c] for c in _GROUP_COLS[rtype]]
    out: list[dict[str, Any]] = []
    for part in _chunks(sorted(values)):
        stmt = sa_select(*cols).where(bulk.one_of(session, table.c[column], part), table.c.deleted.is_(False),
                                      table.c.voided.is_(False))
        out.extend(dict(r._mapping) for r in session.execute(stmt))
    return out


def refresh(session: Session, keys: Keys, *, catalogue: Catalogue, seq: SeqAllocator, now: datetime,
            touched: dict[RecordType, dict[str, dict[str, Any]]] | None = None, stored: set[str] | None = None) -> int:
    """Recompute the NIK, KK and rule-4 groups around `keys`; update DUP_* flags. Returns how many
    records changed.

    Runs before the batch's rows are written: `touched` (the batch's rows by type, in memory, at their
    new state) stand in for their database copies, and the database supplies every other record. A
    touched row whose flags change gets them (and a new change_seq) in memory; other rows get one
    UPDATE executemany per table. `stored`: the touched ids already in the database (only they can
    be group members yet); None means all of them. `catalogue` is unused since rule 4 keys on the
    proposal's own target; kept so callers need not change.
    """
    del catalogue
    touched = touched or {}
    if not (keys.niks or keys.kks or keys.targets):
        return 0
    _lock_names(session, [f"n{v}" for v in keys.niks] + [f"k{v}" for v in keys.kks] + [f"t{v}" for v in keys.targets])
    all_touched = {rid: (rtype, row) for rtype, rows in touched.items() for rid, row in rows.items()}

    def shared(rtype: RecordType, column: str, values: set[str], key: Any) -> dict[str, dict[str, dict[str, Any]]]:
        """key(row) -> {record_id: row} for the keys at least two open records share."""
        mine = touched.get(rtype, {})
        others = [r for r in _live(session, rtype, column, values) if r["record_id"] not in mine
                  and _open(rtype, r)]
        held = [r for r in mine.values() if _open(rtype, r) and r[column] in values]
        counts = Counter(map(key, held))
        counts.update(map(key, others))
        many = {k for k, n in counts.items() if n >= 2}
        out: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
        for r in (*others, *held):
            if (k := key(r)) in many:
                out[k][r["record_id"]] = r
        return out

    rows: dict[str, tuple[RecordType, dict[str, Any]]] = {}
    comps: list[tuple[str, str, set[str], float | None]] = []  # kind, key, members, score
    by_target: dict[str, set[str]] = defaultdict(set)
    for t in keys.targets:
        by_target[t.split("|", 1)[1]].add(t)
    for kind, rtype, column, values, key in (
            ("nik", RecordType.MEMBER, "nik", keys.niks, lambda r: r["nik"]),
            ("kk", RecordType.HOUSEHOLD, "kk", keys.kks, lambda r: r["kk"]),
            ("kk_programme", RecordType.PROPOSAL, "target_id", set(by_target), target_key)):
        wanted = keys.targets if kind == "kk_programme" else values
        if not values:
            continue
        groups = shared(rtype, column, values, lambda r, key=key: key(r))
        for k, members in groups.items():
            if kind == "kk_programme" and k not in wanted:
                continue
            rows.update((rid, (rtype, r)) for rid, r in members.items())
            comps.append((kind, k, set(members), None))

    kinds = {c[0] for c in comps} | {"nik", "kk", "kk_programme"}
    existing = [g for g in _existing_groups(session, set(all_touched) if stored is None else stored,
                                            {(k, key) for k, key, _m, _s in comps}) if g[0].kind in kinds]
    existing = [g for g in existing if g[0].kind != "person"]  # the person groups are refresh_persons'
    _reconcile(session, comps, existing, {rid: r for rid, (_t, r) in rows.items()}, now)
    return _set_flags(session, comps, existing, rows, all_touched, seq, now, kinds={"nik", "kk", "kk_programme"})


def _set_flags(session: Session, comps: list[tuple[str, str, set[str], float | None]],
               existing: list[tuple[DuplicateGroup, set[str]]], rows: dict[str, tuple[RecordType, dict[str, Any]]],
               touched: dict[str, tuple[RecordType, dict[str, Any]]], seq: SeqAllocator, now: datetime, *,
               kinds: set[str]) -> int:
    """DUP_<kind> iff the record is in a live group of that kind now (only `kinds` are recomputed)."""
    member_kinds: dict[str, set[str]] = defaultdict(set)
    for kind, _key, members_, _score in comps:
        for rid in members_:
            member_kinds[rid].add(kind)
    managed = {DUP_FLAGS[k] for k in kinds}
    for rid, (rtype, row) in touched.items():
        if rid not in rows and managed & set(flags_of(row)):
            rows[rid] = (rtype, row)
    extra: dict[str, RecordType] = {}
    for g, members in existing:
        for rid in members - set(rows):
            if rid in touched:
                rows[rid] = touched[rid]
            else:
                extra[rid] = KIND_TYPE.get(g.kind, RecordType.MEMBER)
    for rtype in RecordType:
        ids = [rid for rid, t in extra.items() if t is rtype]
        table = TABLES[rtype]
        for part in _chunks(ids):
            for rec in session.execute(sa_select(*[table.c[c] for c in _GROUP_COLS[rtype]]).where(
                    bulk.one_of(session, table.c.record_id, part))):
                rows[rec.record_id] = (rtype, dict(rec._mapping))
    moved: list[tuple[str, RecordType, dict[str, Any], set[str]]] = []
    for rid, (rtype, r) in rows.items():
        current = flags_of(r)
        own = {DUP_FLAGS[k] for k in member_kinds.get(rid, ()) if k in kinds}
        # kk and kk_programme share DUP_KK but never a record type, so the type's kinds decide.
        flags = {f for f in current if f not in managed} | own
        if set(current) != flags:
            moved.append((rid, rtype, r, flags))
    seq.lock(*{desa_feed(r["desa_code"]) for _rid, _t, r, _f in moved})  # other villages' feeds, in order
    changed: dict[RecordType, list[dict[str, Any]]] = defaultdict(list)
    for rid, rtype, r, flags in moved:
        if rid in touched:  # written with the batch's rows
            r.update(flags=sorted(flags), change_seq=seq.next(desa_feed(r["desa_code"])), updated_at=now)
        else:
            changed[rtype].append({"record_id": rid, "flags": json.dumps(sorted(flags)),
                                   "change_seq": seq.next(desa_feed(r["desa_code"])), "updated_at": now})
    for rtype, upd in changed.items():
        model = {RecordType.HOUSEHOLD: HouseholdRow, RecordType.MEMBER: MemberRow, RecordType.PROPOSAL: ProposalRow}[rtype]
        session.execute(update(model), upd)
    return len(moved)


# ---- probable same person (after the batch's commit) -------------------------------------------


class ServerStats:
    """domain.matching.NameStats counted in srv_member through its indexes (every member, deleted
    ones too: how common a name is does not change when a record is deleted)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._total: int | None = None
        self._names: dict[str, int] = {}
        self._prefixes: dict[str, int] = {}
        self._dates: dict[date, int] = {}

    def _count(self, where: Any) -> int:
        return int(self.session.execute(sa_select(func.count()).select_from(_MEMBER).where(where)).scalar_one())

    def total(self) -> int:
        if self._total is None:
            n = -1
            if self.session.get_bind().dialect.name == "postgresql":  # the planner's estimate: no table scan
                n = int(self.session.execute(text(
                    "SELECT coalesce(sum(greatest(reltuples, 0)), 0)::bigint FROM pg_class WHERE oid = "
                    "'srv_member'::regclass OR oid IN (SELECT inhrelid FROM pg_inherits "
                    "WHERE inhparent = 'srv_member'::regclass)")).scalar_one())
            if n <= 0:  # SQLite, or a table never analysed
                n = self._count(true())
            self._total = n
        return self._total

    def name_count(self, key: str) -> int:
        if key not in self._names:
            self._names[key] = self._count(_MEMBER.c.name_key == key)
        return self._names[key]

    def prefix_count(self, key: str) -> int:
        if key not in self._prefixes:
            # One statement, one snapshot (two counts apart could straddle other commits and go negative).
            longer = self._count((_MEMBER.c.name_key >= key + " ") & (_MEMBER.c.name_key < key + "!"))
            self._prefixes[key] = longer + self.name_count(key)
        return self._prefixes[key]

    def date_count(self, d: date) -> int:
        if d not in self._dates:
            self._dates[d] = self._count(_MEMBER.c.birth_date == d.isoformat())
        return self._dates[d]


_PERSON_COLS = ("record_id", "nik", "name_key", "birth_date", "household_id", "desa_code", "kecamatan_code",
                "kabkota_code", "flags", "payload", "deleted", "voided")


def person_of(row: dict[str, Any]) -> PersonRecord:
    payload = row["payload"]
    p = json.loads(payload) if isinstance(payload, str) else payload
    try:
        born: date | None = date.fromisoformat(row["birth_date"])
    except (TypeError, ValueError):
        born = None
    # The household stands in for the KK: two members of one household are family, not one person twice.
    return PersonRecord(id=row["record_id"], nik=row["nik"], kk=row.get("household_id", ""), name=str(p.get("name", "")),
                        birth_date=born, sex=str(p.get("sex", "")), desa_code=row.get("desa_code") or "",
                        dusun="", rt="", rw="")


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


def refresh_persons(session: Session, member_ids: Iterable[str], *, seq: SeqAllocator, now: datetime) -> int:
    """Recompute the probable-person groups around these members and their DUP_PERSON flags, in the
    caller's transaction (ingest runs it after the batch's commit, in a transaction of its own)."""
    ids = sorted(set(member_ids))
    if not ids:
        return 0
    cols = [_MEMBER.c[c] for c in _PERSON_COLS]
    touched: dict[str, dict[str, Any]] = {}
    for part in _chunks(ids):
        for rec in session.execute(sa_select(*cols).where(bulk.one_of(session, _MEMBER.c.record_id, part))):
            touched[rec.record_id] = dict(rec._mapping)
    dates: set[str] = set()
    near: set[str] = set()
    persons: set[str] = set()
    for m in touched.values():
        ds = {m["birth_date"]}
        dmy, _sex = decode_nik(m["nik"])
        if dmy is not None:
            ds.update(iso_dates_of_ddmmyy(*dmy))
        dates |= ds
        if m["nik"]:
            near.update(nik_variants(m["nik"]))
            near.add(m["nik"])
        persons.update(f"p{d}|{(m['name_key'] or '')[:1]}" for d in ds)
    _lock_names(session, persons)
    found: dict[str, dict[str, Any]] = {}
    for column, values in (("birth_date", dates), ("nik", near)):
        for part in _chunks(values):  # chunks sorts once (~160 NIK variants per member)
            for r in session.execute(sa_select(*cols).where(bulk.one_of(session, _MEMBER.c[column], part),
                                                            _MEMBER.c.deleted.is_(False), _MEMBER.c.voided.is_(False))):
                found[r.record_id] = dict(r._mapping)
    found.update((rid, r) for rid, r in touched.items() if rid in found)  # one dict per member: flags land on it
    live = list(found.values())
    comps: list[tuple[str, str, set[str], float | None]] = []
    if len(live) > 1:
        for members, score, key in _person_components(live, ServerStats(session)):
            comps.append(("person", key, members, score))
    rows = {rid: (RecordType.MEMBER, r) for _k, _key, m, _s in comps for rid, r in found.items() if rid in m}
    existing = [g for g in _existing_groups(session, set(touched), {(k, key) for k, key, _m, _s in comps})
                if g[0].kind == "person"]
    _reconcile(session, comps, existing, {rid: r for rid, (_t, r) in rows.items()}, now)
    n = _set_flags(session, comps, existing, rows, {rid: (RecordType.MEMBER, r) for rid, r in touched.items()},
                   seq, now, kinds={"person"})
    # Touched members whose flags moved are written here (ingest already wrote their rows).
    upd = [{"record_id": rid, "flags": json.dumps(sorted(flags_of(r))), "change_seq": r["change_seq"],
            "updated_at": now} for rid, r in touched.items() if r.get("updated_at") == now]
    if upd:
        session.execute(update(MemberRow), upd)
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
