"""Duplicate groups across villages: same NIK, same KK in a programme, probable same person.

Groups are recomputed for the keys a batch touched (old and new values of each changed record):
the active entries sharing a key form the group; the reviewer of the kecamatan settles it, or the
supervisor when its members span kecamatan.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from domain.names import PROBABLE_PERSON_THRESHOLD, similarity
from domain.programmes import Catalogue
from server.models import DuplicateGroup, DuplicateMember, Entry
from server.services import bulk
from server.services.entries import DUP_FLAGS, flags_of
from server.services.seq import SeqAllocator


class Keys:
    """Keys touched by a batch."""

    def __init__(self) -> None:
        self.niks: set[str] = set()
        self.kks: set[str] = set()
        self.birth_dates: set[str] = set()
        self.kk_programmes: set[str] = set()

    def add(self, row: dict[str, Any] | None) -> None:
        if row:
            self.niks.add(row["nik"])
            self.kks.add(row["kk"])
            self.birth_dates.add(row["birth_date"])
            self.kk_programmes.add(f"{row['kk']}|{row['programme']}")


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    return bulk.chunks(values)


_COLS = tuple(col(c) for c in (Entry.record_id, Entry.nik, Entry.kk, Entry.programme, Entry.birth_date, Entry.name_key,
         Entry.kecamatan_code, Entry.kabkota_code, Entry.flags))


def _active(session: Session, column: Any, values: set[str]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for part in _chunks(values):
        stmt = sa_select(*_COLS).where(bulk.one_of(session, col(column), part), col(Entry.deleted).is_(False),
                                       col(Entry.voided).is_(False))
        out.extend(dict(r._mapping) for r in session.execute(stmt))
    return out


def _person_components(rows: Sequence[dict[str, Any]]) -> list[tuple[set[str], float]]:
    """Union-find over pairs on one birth date with close names and different NIKs."""
    parent = {r["record_id"]: r["record_id"] for r in rows}
    best: dict[str, float] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, a in enumerate(rows):
        for b in rows[i + 1 :]:
            if a["nik"] == b["nik"]:
                continue
            score = similarity(a["name_key"], b["name_key"])
            if score >= PROBABLE_PERSON_THRESHOLD:
                ra, rb = find(a["record_id"]), find(b["record_id"])
                parent[ra] = rb
                root = find(rb)
                best[root] = max(best.get(root, 0.0), best.get(ra, 0.0), score)
    comps: dict[str, set[str]] = defaultdict(set)
    for rid in parent:
        comps[find(rid)].add(rid)
    return [(m, best.get(root, 0.0)) for root, m in comps.items() if len(m) >= 2]


def _dup_values(session: Session, cols: tuple[Any, ...], filter_col: Any, values: set[str]) -> set[tuple[str, ...]]:
    """Key values among `values` held by more than one live entry (one GROUP BY per chunk)."""
    out: set[tuple[str, ...]] = set()
    for part in _chunks(values):
        stmt = (sa_select(*cols).where(bulk.one_of(session, col(filter_col), part), col(Entry.deleted).is_(False),
                                    col(Entry.voided).is_(False))
                .group_by(*cols).having(func.count() > 1))
        out |= {tuple(r) for r in session.execute(stmt)}
    return out


def refresh(session: Session, keys: Keys, *, catalogue: Catalogue, seq: SeqAllocator, now: datetime,
            touched: dict[str, dict[str, Any]] | None = None) -> int:
    """Recompute the groups around `keys`; update DUP_* flags. `touched` are the batch's rows (in memory).
    Returns how many entries changed."""
    touched = touched or {}
    if not (keys.niks or keys.kks or keys.birth_dates):
        return 0
    rows: dict[str, dict[str, Any]] = {}
    comps: list[tuple[str, str, set[str], float | None]] = []  # kind, key, members, score

    dup_niks = {v[0] for v in _dup_values(session, (Entry.nik,), Entry.nik, keys.niks)}
    by_nik: dict[str, set[str]] = defaultdict(set)
    for r in _active(session, Entry.nik, dup_niks):
        rows[r["record_id"]] = r
        by_nik[r["nik"]].add(r["record_id"])
    comps += [("nik", k, m, None) for k, m in by_nik.items() if len(m) >= 2]

    pairs = {f"{kk}|{prog}" for kk, prog in _dup_values(session, (Entry.kk, Entry.programme), Entry.kk, keys.kks)
             if not ((p := catalogue.get(prog)) is not None and p.multiple_per_kk)}
    by_kk: dict[str, set[str]] = defaultdict(set)
    for r in _active(session, Entry.kk, {p.split("|", 1)[0] for p in pairs}):
        key = f"{r['kk']}|{r['programme']}"
        if key in pairs:
            rows[r["record_id"]] = r
            by_kk[key].add(r["record_id"])
    comps += [("kk_programme", k, m, None) for k, m in by_kk.items() if len(m) >= 2]

    dup_dates = {v[0] for v in _dup_values(session, (Entry.birth_date,), Entry.birth_date, keys.birth_dates)}
    by_birth: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in _active(session, Entry.birth_date, dup_dates):
        by_birth[r["birth_date"]].append(r)
    for bd, group_rows in by_birth.items():
        for members, score in _person_components(group_rows):
            comps.append(("person", bd, members, score))
            for r in group_rows:
                if r["record_id"] in members:
                    rows[r["record_id"]] = r

    existing = _existing_groups(session, set(touched), {(k, key) for k, key, _m, _s in comps})
    _reconcile(session, comps, existing, rows, now)

    # Flags: DUP_<kind> iff the entry is in a group of that kind now.
    member_kinds: dict[str, set[str]] = defaultdict(set)
    for kind, _key, members, _score in comps:
        for rid in members:
            member_kinds[rid].add(kind)
    dup_codes = set(DUP_FLAGS.values())
    for rid, row in touched.items():
        if rid not in rows and dup_codes & set(flags_of(row)):
            rows[rid] = row
    extra = {rid for g in existing for rid in g[1]} - set(rows)
    for part in _chunks(extra):
        for rec in session.execute(sa_select(*_COLS).where(bulk.one_of(session, col(Entry.record_id), part))):
            rows[rec.record_id] = dict(rec._mapping)
    changed: list[dict[str, Any]] = []
    for rid, r in rows.items():
        flags = {f for f in flags_of(r) if f not in dup_codes}
        flags |= {DUP_FLAGS[k] for k in member_kinds.get(rid, ())}
        if set(flags_of(r)) != flags:
            changed.append({"record_id": rid, "flags": json.dumps(sorted(flags)), "change_seq": seq.next(),
                            "updated_at": now})
    if changed:
        session.execute(update(Entry), changed)
    return len(changed)


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
                    DuplicateGroup.state != "DISSOLVED")):
                groups[g.id or 0] = g
    for part in _chunks(ids - set(groups)):
        for g in session.exec(select(DuplicateGroup).where(bulk.one_of(session, col(DuplicateGroup.id), part),
                                                           DuplicateGroup.state != "DISSOLVED")):
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
    used: set[int] = set()
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
            g.state = "OPEN"
            g.kecamatan_code, g.kabkota_code, g.score = kec, kab, score
            session.add(g)
            session.execute(DuplicateMember.__table__.delete().where(  # type: ignore[attr-defined]
                DuplicateMember.__table__.c.group_id == g.id))  # type: ignore[attr-defined]
        else:
            g = DuplicateGroup(kind=kind, key=key, state="OPEN", kecamatan_code=kec, kabkota_code=kab,
                               score=score, created_at=now)
            session.add(g)
        session.flush()
        session.execute(DuplicateMember.__table__.insert(),  # type: ignore[attr-defined]
                        [{"group_id": g.id, "record_id": rid} for rid in sorted(members)])
    for g, _m in existing:
        if g.id not in used and g.state == "OPEN":
            g.state = "DISSOLVED"
            session.add(g)
