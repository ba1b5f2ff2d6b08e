"""Read-only queries for the printed documents (desktop_app/printing/source.py is their one caller):
proposals with the household they concern, and those households with their members.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import Session

_CHUNK = 500  # SQLite's bound-parameter limit, with room to spare

# A proposal's household: its own for a household programme, its member's for a person programme.
_PROPOSALS = (
    "SELECT p.*, coalesce(nullif(p.household_id, ''), m.household_id) AS family_id "
    "FROM proposals p LEFT JOIN members m ON m.record_id = p.member_id "
    "JOIN households h ON h.record_id = coalesce(nullif(p.household_id, ''), m.household_id) "
    "WHERE p.deleted = 0 AND h.deleted = 0"
)


def _dicts(s: Session, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    cur = s.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cur.execute(sql, tuple(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
    finally:
        cur.close()


def _ts(t: datetime) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S.%f")  # the stored form of created_at (household_repo)


def proposals(session: Session, *, since: datetime | None = None, until: datetime | None = None,
              programme: str | None = None, household_ids: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Proposals (not deleted, of a household not deleted) recorded in [since, until), optionally of
    one programme or some households, in print order: dusun, RW, RT, KK, then the order entered.
    Each row has `family_id`, the household it concerns."""
    sql = _PROPOSALS
    params: list[Any] = []
    if since is not None:
        sql += " AND p.created_at >= ?"
        params.append(_ts(since))
    if until is not None:
        sql += " AND p.created_at < ?"
        params.append(_ts(until))
    if programme:
        sql += " AND p.programme = ?"
        params.append(programme)
    if household_ids is not None:
        sql += f" AND h.record_id IN ({','.join('?' * len(household_ids))})"
        params += list(household_ids)
    sql += " ORDER BY h.dusun, h.rw, h.rt, h.kk, p.created_at, p.rowid"
    return _dicts(session, sql, params)


def household_ids_of_kk(session: Session, kk: str) -> list[str]:
    return [r["record_id"] for r in _dicts(
        session, "SELECT record_id FROM households WHERE kk = ? AND deleted = 0 ORDER BY created_at", (kk,))]


def households(session: Session, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    keys = sorted(set(ids))
    for i in range(0, len(keys), _CHUNK):
        part = keys[i:i + _CHUNK]
        for r in _dicts(session, f"SELECT * FROM households WHERE record_id IN ({','.join('?' * len(part))})", part):
            out[r["record_id"]] = r
    return out


def members(session: Session, household_ids: Sequence[str]) -> list[dict[str, Any]]:
    """The members (not deleted) of these households, in the order they were entered."""
    out: list[dict[str, Any]] = []
    keys = sorted(set(household_ids))
    for i in range(0, len(keys), _CHUNK):
        part = keys[i:i + _CHUNK]
        out += _dicts(session, f"SELECT * FROM members WHERE deleted = 0 AND household_id IN "
                               f"({','.join('?' * len(part))}) ORDER BY household_id, created_at, rowid", part)
    return out
