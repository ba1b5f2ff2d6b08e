"""The entry list's queries: matching ids in display order, rows for a page of ids, counts.

The list model (ui/entry_list_model.py) holds only the ordered ids of what matches and fetches
rows a page at a time, so 200,000 entries never become 200,000 Python objects. Queries go straight
to SQL (no ORM objects): they run on every keystroke of the list's search box.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine

from domain.names import name_key

_SEPARATORS = re.compile(r"[\s.\-]+")
_PAGE_CHUNK = 500  # SQLite's host-parameter limit is far above; keep statements small
INDEXED_PREFIX = 10  # NIK/KK prefixes at least this long are looked up through their index

ROW_COLUMNS: tuple[str, ...] = (
    "record_id", "nik", "kk", "name", "birth_date", "sex", "programme", "dusun", "rt", "rw", "criteria",
    "sync_state", "review_state", "review_reason_code", "review_note", "updated_at", "deleted",
)


@dataclass(frozen=True, slots=True)
class ListFilter:
    """What the operator asked the list for. Empty/None fields do not filter."""

    text: str = ""  # NIK or KK (digits, prefix) or words of the name
    sync_state: str | None = None  # domain.states.SyncState value
    review_state: str | None = None  # domain.states.ReviewState value
    programme: str | None = None
    criterion: str | None = None  # one domain.criteria code
    dusun: str | None = None
    include_deleted: bool = False


@dataclass(frozen=True, slots=True)
class ListRow:
    record_id: str
    nik: str
    kk: str
    name: str
    birth_date: date | None
    sex: str
    programme: str
    dusun: str
    rt: str
    rw: str
    criteria: tuple[str, ...]
    sync_state: str
    review_state: str | None
    review_reason_code: str | None
    review_note: str | None
    updated_at: datetime | None
    deleted: bool


@dataclass(frozen=True, slots=True)
class ListCounts:
    total: int = 0
    by_sync: dict[str, int] = field(default_factory=dict)
    by_review: dict[str, int] = field(default_factory=dict)


def _prefix_range(prefix: str) -> tuple[str, str]:
    # An index range scan instead of LIKE 'x%' (SQLite's LIKE optimisation needs NOCASE columns).
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _where(flt: ListFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if not flt.include_deleted:
        clauses.append("deleted = 0")
    for column, value in (("sync_state", flt.sync_state), ("review_state", flt.review_state),
                          ("programme", flt.programme), ("dusun", flt.dusun)):
        if value:
            clauses.append(f"{column} = ?")
            params.append(value)
    if flt.criterion:
        clauses.append("(',' || criteria || ',') LIKE ?")
        params.append(f"%,{flt.criterion},%")
    text = flt.text.strip()
    digits = _SEPARATORS.sub("", text)
    if digits.isdigit():
        lo, hi = _prefix_range(digits)
        if len(digits) >= INDEXED_PREFIX:
            clauses.append("((nik >= ? AND nik < ?) OR (kk >= ? AND kk < ?))")
        else:
            # A short prefix matches a large share of the table: scanning in display order and
            # stopping at the first page beats collecting every match through the index ('+' = no index).
            clauses.append("((+nik >= ? AND +nik < ?) OR (+kk >= ? AND +kk < ?))")
        params.extend([lo, hi, lo, hi])
    elif text:
        # Words of the name, compared on the folded name key (what duplicates use too), through a
        # scan of the narrow name_key index instead of the wide entry table.
        keys = [k for k in (name_key(w) for w in text.lower().split()) if k]
        if keys:
            likes = " AND ".join("name_key LIKE ?" for _ in keys)
            clauses.append(f"rowid IN (SELECT rowid FROM entry INDEXED BY ix_entry_name_key WHERE {likes})")
            params.extend(f"%{k.replace('%', '').replace('_', '')}%" for k in keys)
        else:
            clauses.append("0")  # only symbols typed: nothing can match
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def search_ids(engine: Engine, flt: ListFilter, *, limit: int | None = None) -> list[str]:
    """Ids of the matching entries, newest first (rowid order: no sort, the scan stops at `limit`).

    The list asks for the first screenfuls with a small `limit` (fast even on 200,000 entries) and
    then for everything in the background.
    """
    where, params = _where(flt)
    sql = f"SELECT record_id FROM entry{where} ORDER BY rowid DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    with engine.connect() as conn:
        # The plain DBAPI cursor: 200,000 one-column rows without SQLAlchemy's per-row objects.
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            return [r[0] for r in cur.execute(sql, params).fetchall()]
        finally:
            cur.close()


def _row(values: Sequence[object]) -> ListRow:
    d = dict(zip(ROW_COLUMNS, values, strict=True))
    bd = d["birth_date"]
    up = d["updated_at"]
    return ListRow(
        record_id=str(d["record_id"]), nik=str(d["nik"]), kk=str(d["kk"]), name=str(d["name"]),
        birth_date=date.fromisoformat(bd) if isinstance(bd, str) and bd else None,
        sex=str(d["sex"] or ""), programme=str(d["programme"] or ""), dusun=str(d["dusun"] or ""),
        rt=str(d["rt"] or ""), rw=str(d["rw"] or ""),
        criteria=tuple(c for c in str(d["criteria"] or "").split(",") if c),
        sync_state=str(d["sync_state"]), review_state=d["review_state"],  # type: ignore[arg-type]
        review_reason_code=d["review_reason_code"], review_note=d["review_note"],  # type: ignore[arg-type]
        updated_at=datetime.fromisoformat(up) if isinstance(up, str) and up else None,
        deleted=bool(d["deleted"]),
    )


def fetch_rows(engine: Engine, ids: Sequence[str]) -> dict[str, ListRow]:
    """The list rows of these ids (missing ids, e.g. purged meanwhile, are simply absent)."""
    out: dict[str, ListRow] = {}
    cols = ", ".join(ROW_COLUMNS)
    with engine.connect() as conn:
        for i in range(0, len(ids), _PAGE_CHUNK):
            chunk = list(ids[i:i + _PAGE_CHUNK])
            marks = ",".join("?" * len(chunk))
            for values in conn.exec_driver_sql(f"SELECT {cols} FROM entry WHERE record_id IN ({marks})",
                                               tuple(chunk)).fetchall():
                row = _row(tuple(values))
                out[row.record_id] = row
    return out


def counts(engine: Engine) -> ListCounts:
    """Live entries per sync state and per review state (for the status bar and filters)."""
    with engine.connect() as conn:
        by_sync = {str(s): int(n) for s, n in conn.exec_driver_sql(
            "SELECT sync_state, count(*) FROM entry WHERE deleted = 0 GROUP BY sync_state").fetchall()}
        by_review = {str(s): int(n) for s, n in conn.exec_driver_sql(
            "SELECT review_state, count(*) FROM entry WHERE deleted = 0 AND review_state IS NOT NULL "
            "GROUP BY review_state").fetchall()}
    return ListCounts(sum(by_sync.values()), by_sync, by_review)


def dusuns(engine: Engine) -> list[str]:
    """Dusun names in use in this store (the form's completer and the list's filter)."""
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT DISTINCT dusun FROM household WHERE dusun <> '' ORDER BY dusun").fetchall()
    return [str(r[0]) for r in rows]
