"""The operator's three lists (households, members, proposals): search, filters, counts.

Plain SQL over the household tables (no ORM objects: the search runs at every keystroke). One
filter for the three views: text (NIK/KK digits as a prefix, or words of a name/address), dusun,
sync state, deleted rows in or out. `count` answers the same WHERE as `rows`, so the number the
list shows and the number in the status bar agree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine

from domain.names import name_key


class View(StrEnum):
    HOUSEHOLDS = "households"
    MEMBERS = "members"
    PROPOSALS = "proposals"


@dataclass(frozen=True, slots=True)
class ListFilter:
    text: str = ""
    dusun: str | None = None
    sync_state: str | None = None
    include_deleted: bool = False


# Each view: its SELECT (first column the record id, second the household id to open), FROM, and the
# columns the text search looks in.
_VIEWS: dict[View, tuple[str, str]] = {
    View.HOUSEHOLDS: (
        "h.record_id, h.record_id, h.kk, "
        "(SELECT name FROM members x WHERE x.household_id = h.record_id AND x.deleted = 0 "
        " ORDER BY x.relation != 'kepala_keluarga', x.created_at LIMIT 1), "
        "(SELECT count(*) FROM members x WHERE x.household_id = h.record_id AND x.deleted = 0), "
        "h.dusun, h.rt, h.rw, h.address, h.sync_state, h.deleted",
        "FROM households h"),
    View.MEMBERS: (
        "m.record_id, m.household_id, CASE WHEN m.nik != '' THEN m.nik ELSE m.temp_id END, m.name, m.birth_date, "
        "m.sex, m.relation, h.kk, h.dusun, m.sync_state, m.deleted",
        "FROM members m LEFT JOIN households h ON h.record_id = m.household_id"),
    View.PROPOSALS: (
        "p.record_id, coalesce(nullif(p.household_id, ''), t.household_id), p.programme, p.type, "
        "coalesce(t.name, (SELECT name FROM members x WHERE x.record_id = p.pengurus_id)), h.kk, h.dusun, "
        "p.review_state, p.sync_state, p.deleted",
        "FROM proposals p LEFT JOIN members t ON t.record_id = p.member_id "
        "LEFT JOIN households h ON h.record_id = coalesce(nullif(p.household_id, ''), t.household_id)"),
}
_ALIAS = {View.HOUSEHOLDS: "h", View.MEMBERS: "m", View.PROPOSALS: "p"}
_DIGITS = re.compile(r"^[\d.\s\-]+$")


def _where(view: View, flt: ListFilter) -> tuple[str, list[Any]]:
    a = _ALIAS[view]
    parts: list[str] = []
    params: list[Any] = []
    if not flt.include_deleted:
        parts.append(f"{a}.deleted = 0")
    if flt.dusun:
        parts.append("h.dusun = ?")
        params.append(flt.dusun)
    if flt.sync_state:
        parts.append(f"{a}.sync_state = ?")
        params.append(flt.sync_state)
    text = flt.text.strip()
    if text and _DIGITS.match(text):
        digits = re.sub(r"\D", "", text)
        if view is View.HOUSEHOLDS:
            parts.append("(h.kk LIKE ? OR EXISTS (SELECT 1 FROM members x WHERE x.household_id = h.record_id "
                         "AND x.deleted = 0 AND x.nik LIKE ?))")
            params += [digits + "%", digits + "%"]
        elif view is View.MEMBERS:
            parts.append("(m.nik LIKE ? OR h.kk LIKE ?)")
            params += [digits + "%", digits + "%"]
        else:
            parts.append("(h.kk LIKE ? OR t.nik LIKE ?)")
            params += [digits + "%", digits + "%"]
    elif text:
        for word in name_key(text).split() or [text.casefold()]:
            like = f"%{word}%"
            if view is View.HOUSEHOLDS:
                parts.append("(lower(h.address) LIKE ? OR lower(h.dusun) LIKE ? OR EXISTS (SELECT 1 FROM members x "
                             "WHERE x.household_id = h.record_id AND x.deleted = 0 AND x.name_key LIKE ?))")
                params += [like, like, like]
            elif view is View.MEMBERS:
                parts.append("(m.name_key LIKE ? OR lower(m.temp_id) LIKE ?)")
                params += [like, like]
            else:
                parts.append("(t.name_key LIKE ? OR lower(p.programme) LIKE ? OR EXISTS (SELECT 1 FROM members x "
                             "WHERE x.record_id = p.pengurus_id AND x.name_key LIKE ?))")
                params += [like, like, like]
    return (" WHERE " + " AND ".join(parts)) if parts else "", params


_ORDER = {View.HOUSEHOLDS: "h.dusun, h.rt, h.rw, h.address, h.record_id", View.MEMBERS: "m.name, m.record_id",
          View.PROPOSALS: "p.updated_at DESC, p.record_id"}


def _execute(engine: Engine, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql, tuple(params)).fetchall()]


def rows(engine: Engine, view: View, flt: ListFilter, *, limit: int = 2000) -> list[tuple[Any, ...]]:
    """The matching rows of one view, in display order (at most `limit`)."""
    cols, frm = _VIEWS[view]
    where, params = _where(view, flt)
    return _execute(engine, f"SELECT {cols} {frm}{where} ORDER BY {_ORDER[view]} LIMIT ?", [*params, limit])


def count(engine: Engine, view: View, flt: ListFilter) -> int:
    _cols, frm = _VIEWS[view]
    where, params = _where(view, flt)
    return int(_execute(engine, f"SELECT count(*) {frm}{where}", params)[0][0])


def dusuns(engine: Engine) -> list[str]:
    return [r[0] for r in _execute(engine, "SELECT DISTINCT dusun FROM households WHERE deleted = 0 AND dusun != '' "
                                           "ORDER BY dusun", ())]


def waiting(engine: Engine) -> dict[View, int]:
    """Records of each table saved here and not yet answered by the server: those with an op in the
    outbox (NEW, DIRTY and UPLOADING alike). The same query as the sync indicator's (outbox.waiting_by_type),
    so the status bar's "belum dikirim" and the indicator's "menunggu dikirim" never disagree."""
    from local_db.outbox import waiting_by_type

    with engine.connect() as conn:
        by_type = waiting_by_type(conn)
    return {View.HOUSEHOLDS: by_type.get("household", 0), View.MEMBERS: by_type.get("member", 0),
            View.PROPOSALS: by_type.get("proposal", 0)}
