"""Read-only queries over households, members and proposals for the command line, the importer and
the export: find a household by KK or a member by NIK, and read whole families (members and
proposals) in a stable order. Writes go through local_db.household_repo only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from local_db.household_models import SQL_OPEN_PROPOSAL


def _cur(s: Session) -> Any:
    return s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]


def _dicts(s: Session, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cur = _cur(s)
    try:
        cur.execute(sql, tuple(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        cur.close()


def household_by_kk(s: Session, kk: str, desa_code: str | None = None) -> dict[str, Any] | None:
    """The active household with this KK (in this desa when given), the oldest first."""
    sql = "SELECT * FROM households WHERE kk = ? AND kk != '' AND deleted = 0"
    params: list[Any] = [kk]
    if desa_code:
        sql += " AND desa_code = ?"
        params.append(desa_code)
    rows = _dicts(s, sql + " ORDER BY created_at, record_id LIMIT 1", params)
    return rows[0] if rows else None


def member_by_nik(s: Session, nik: str) -> dict[str, Any] | None:
    """The active member with this NIK or temporary id."""
    rows = _dicts(s, "SELECT * FROM members WHERE ((nik = ? AND nik != '') OR (temp_id = ? AND temp_id != '')) "
                     "AND deleted = 0 ORDER BY created_at LIMIT 1", (nik, nik))
    return rows[0] if rows else None


def record_type_of(s: Session, record_id: str) -> str | None:
    """'household', 'member' or 'proposal' for a record id of this store, else None."""
    for table, kind in (("proposals", "proposal"), ("members", "member"), ("households", "household")):
        if _dicts(s, f"SELECT 1 AS x FROM {table} WHERE record_id = ?", (record_id,)):
            return kind
    return None


@dataclass(slots=True)
class FamilyRows:
    """One household row with its members' and proposals' rows (plain column dicts)."""

    household: dict[str, Any]
    members: list[dict[str, Any]] = field(default_factory=list)
    proposals: list[dict[str, Any]] = field(default_factory=list)


def families(s: Session, *, include_deleted: bool = False, limit: int | None = None,
             household_ids: Sequence[str] | None = None) -> list[FamilyRows]:
    """Households in area order (desa, dusun, RW, RT, KK, then entry order), each with its members
    (entry order) and the proposals whose target or pengurus is the household or one of its members."""
    where = "" if include_deleted else "WHERE deleted = 0"
    sql = f"SELECT * FROM households {where}"
    params: list[Any] = []
    if household_ids is not None:
        ids = list(household_ids)
        if not ids:
            return []
        sql += (" AND " if where else " WHERE ") + f"record_id IN ({','.join('?' * len(ids))})"
        params += ids
    sql += " ORDER BY desa_code, dusun, rw, rt, kk, created_at, rowid"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    out = {h["record_id"]: FamilyRows(h) for h in _dicts(s, sql, params)}
    if not out:
        return []
    live = "" if include_deleted else " AND deleted = 0"
    owner: dict[str, str] = {}
    keys = list(out)
    for i in range(0, len(keys), 500):
        part = keys[i:i + 500]
        marks = ",".join("?" * len(part))
        for m in _dicts(s, f"SELECT * FROM members WHERE household_id IN ({marks}){live} "
                           "ORDER BY created_at, rowid", part):
            out[m["household_id"]].members.append(m)
            owner[m["record_id"]] = m["household_id"]
    seen: set[str] = set()
    for col in ("household_id", "member_id"):
        ids = keys if col == "household_id" else list(owner)
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            marks = ",".join("?" * len(part))
            for p in _dicts(s, f"SELECT rowid AS _rowid, * FROM proposals WHERE {col} IN ({marks}){live} "
                               "ORDER BY created_at, rowid", part):
                if p["record_id"] in seen:
                    continue
                seen.add(p["record_id"])
                hid = p["household_id"] if col == "household_id" else owner[p["member_id"]]
                out[hid].proposals.append(p)
    for f in out.values():
        f.proposals.sort(key=lambda p: (str(p["created_at"]), p["_rowid"]))  # one import shares created_at
    return list(out.values())


def open_proposal(s: Session, programme: str, target_id: str) -> dict[str, Any] | None:
    """Duplicate rule 4's lookup: an open proposal of this programme for this target."""
    rows = _dicts(s, SQL_OPEN_PROPOSAL, (programme, target_id, ""))
    return rows[0] if rows else None
