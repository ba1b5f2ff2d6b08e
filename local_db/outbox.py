"""The push side of sync in the local store: outbox ops, saved batches and applying their results.

sync.engine decides what goes out and what an answer means; the reads and writes are here, each a
named function that works inside the caller's transaction (`repository.session_scope`). The hot
statements of a first sync run as executemany straight on the driver: SQLAlchemy's per-row
parameter processing cost more than SQLite's own work there (bench/bench_sync.py).

Every result is applied with `WHERE record_id=? AND local_rev=?` (design.md §4), so an entry
edited while its batch was in flight keeps its newer state and its newer op waits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy import text as sql_text
from sqlmodel import Session

from domain.states import OpStatus, SyncState
from local_db.models import Batch, Entry, Outbox

_ENTRY = Entry.__table__  # type: ignore[attr-defined]
_OUTBOX = Outbox.__table__  # type: ignore[attr-defined]
_BATCH = Batch.__table__  # type: ignore[attr-defined]
# What an op needs on the wire, in this order (a new batch takes the entry's base_version instead).
_WIRE_COLUMNS = (_OUTBOX.c.op_id, _OUTBOX.c.record_id, _OUTBOX.c.local_rev, _OUTBOX.c.kind, _OUTBOX.c.payload)
_CHUNK = 500


class BatchOp(Protocol):
    """An op put into a new batch, with the base version it goes out on (a row of unbatched_ops)."""

    @property
    def op_id(self) -> str: ...
    @property
    def record_id(self) -> str: ...
    @property
    def local_rev(self) -> int: ...
    @property
    def base_version(self) -> int | None: ...


# ChosenOp and OpOutcome may be built once per op of a batch: plain slots classes, cheaper than frozen ones.
@dataclass(slots=True)
class ChosenOp:
    """A BatchOp made by hand (unbatched_ops' rows are BatchOps already)."""

    op_id: str
    record_id: str
    local_rev: int
    base_version: int | None


@dataclass(frozen=True, slots=True)
class SavedBatch:
    """A batch saved but never answered, with its ops' rows in the saved order."""

    batch_id: str
    body_hash: str
    ops: list[Any]  # Core rows: op_id, record_id, local_rev, kind, payload, base_version


@dataclass(slots=True)
class OpOutcome:
    """What the server answered for one op of a batch; status None: no result for it.

    `data` is the JSON kept in entry.conflict_data for INVALID and CONFLICT.
    """

    op_id: str
    record_id: str
    local_rev: int
    status: OpStatus | None
    version: int | None = None
    data: str | None = None


def _many(conn: Connection, sql: str, params: list[tuple[Any, ...]]) -> None:
    """executemany on the driver; plain str/int values only."""
    if params:
        conn.exec_driver_sql(sql, params)


def _chunks(seq: Sequence[str], n: int = _CHUNK) -> Iterable[Sequence[str]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


# --------------------------------------------------------------------------- reading


def outbox_count(s: Session) -> int:
    return len(s.execute(select(_OUTBOX.c.op_id)).all())


def unanswered_batches(s: Session, now: datetime) -> Iterable[SavedBatch]:
    """Saved batches without an answer, oldest first. One whose ops were all answered by another
    run is closed here and skipped."""
    conn = s.connection()
    for b in conn.execute(
        select(_BATCH.c.batch_id, _BATCH.c.op_ids, _BATCH.c.body_hash)
        .where(_BATCH.c.done_at.is_(None)).order_by(_BATCH.c.created_at, _BATCH.c.batch_id)
    ).all():
        order = {op_id: i for i, op_id in enumerate(json.loads(b.op_ids))}
        rows = list(conn.execute(select(*_WIRE_COLUMNS, _OUTBOX.c.base_version)
                                 .where(_OUTBOX.c.batch_id == b.batch_id)))
        if not rows:
            conn.execute(update(_BATCH).where(_BATCH.c.batch_id == b.batch_id).values(done_at=now))
            continue
        rows.sort(key=lambda r: order.get(r.op_id, len(order)))
        yield SavedBatch(b.batch_id, b.body_hash, rows)


def unbatched_ops(s: Session, limit: int) -> list[Any]:
    """Ops not in any batch yet, in save order, each with its entry's current base_version.

    Core rows, not ORM objects: building batches is most of the client's share of a first sync.
    """
    return list(s.connection().execute(
        select(*_WIRE_COLUMNS, _ENTRY.c.base_version)
        .select_from(_OUTBOX.outerjoin(_ENTRY, _ENTRY.c.record_id == _OUTBOX.c.record_id))
        # "+batch_id": keeps SQLite off ix_outbox_batch, which would join and sort every waiting op
        # for each batch; the seq index walks them in send order and stops at the limit.
        .where(sql_text("+outbox.batch_id IS NULL"))
        .order_by(_OUTBOX.c.seq)
        .limit(limit)
    ).all())


# --------------------------------------------------------------------------- batches


def save_batch(s: Session, batch_id: str, ops: Sequence[BatchOp], body_hash: str, now: datetime) -> None:
    """Save a batch (ids in order, body hash) and mark its entries UPLOADING, before its first send."""
    conn = s.connection()
    _many(conn, "UPDATE outbox SET batch_id = ?, base_version = ? WHERE op_id = ?",
          [(batch_id, o.base_version, o.op_id) for o in ops])
    conn.execute(insert(_BATCH).values(batch_id=batch_id, created_at=now,
                                       op_ids=json.dumps([o.op_id for o in ops]), body_hash=body_hash))
    _many(conn, "UPDATE entry SET sync_state = ? WHERE record_id = ? AND local_rev = ?",
          [(SyncState.UPLOADING.value, o.record_id, o.local_rev) for o in ops])


def note_attempt(s: Session, batch_id: str, now: datetime) -> None:
    b = s.get(Batch, batch_id)
    if b is not None:
        b.attempts += 1
        b.last_attempt_at = now
        s.add(b)


def note_error(s: Session, batch_id: str, error: str) -> None:
    b = s.get(Batch, batch_id)
    if b is not None:
        b.last_error = error
        s.add(b)


def mark_invalid(s: Session, op_id: str, record_id: str, local_rev: int, data: str) -> None:
    """An op refused before or by the server on its own: drop it, its entry (if still at that
    revision) becomes INVALID with the errors in `data`."""
    s.execute(delete(_OUTBOX).where(_OUTBOX.c.op_id == op_id))
    s.execute(update(_ENTRY).where(_ENTRY.c.record_id == record_id, _ENTRY.c.local_rev == local_rev)
              .values(sync_state=SyncState.INVALID.value, conflict_data=data))


def close_batch(s: Session, batch_id: str, now: datetime, error: str = "") -> None:
    b = s.get(Batch, batch_id)
    if b is not None:
        b.done_at = now
        b.last_error = error
        s.add(b)


def release_batch(s: Session, batch_id: str, record_ids: Sequence[str]) -> None:
    """A batch refused as a whole: its ops wait again (for new, smaller batches), entries back to waiting."""
    s.execute(update(_OUTBOX).where(_OUTBOX.c.batch_id == batch_id).values(batch_id=None))
    for chunk in _chunks(list(record_ids)):
        s.execute(update(_ENTRY).where(_ENTRY.c.record_id.in_(chunk),
                                       _ENTRY.c.sync_state == SyncState.UPLOADING.value)
                  .values(sync_state=SyncState.DIRTY.value))
    _restore_new_states(s, record_ids)


def _restore_new_states(s: Session, record_ids: Sequence[str]) -> None:
    """An entry the server never accepted is a draft (NEW), not an edit (DIRTY)."""
    for chunk in _chunks(list(record_ids)):
        s.execute(update(_ENTRY).where(_ENTRY.c.record_id.in_(chunk), _ENTRY.c.server_version.is_(None),
                                       _ENTRY.c.sync_state == SyncState.DIRTY.value)
                  .values(sync_state=SyncState.NEW.value))


# --------------------------------------------------------------------------- results


def apply_results(s: Session, batch_id: str, outcomes: Sequence[OpOutcome], now: datetime) -> int | None:
    """All results of one answer, each guarded by its op's local_rev; closes the batch.

    Returns how many ops had a result, or None when the batch was already answered (by another
    run). Open the session with write=True: BEGIN IMMEDIATE keeps any save from slipping in
    between reading local_rev here and the guarded UPDATEs; the guard stays in every UPDATE.
    """
    b = s.get(Batch, batch_id)
    if b is None or b.done_at is not None:
        return None
    conn = s.connection()
    rids = [o.record_id for o in outcomes]
    revs: dict[str, int] = dict(conn.exec_driver_sql(
        "SELECT record_id, local_rev FROM entry WHERE record_id IN "
        "(SELECT record_id FROM outbox WHERE batch_id = ?)", (batch_id,)).all())
    answered: list[tuple[Any, ...]] = []
    unanswered: list[dict[str, Any]] = []
    synced: list[dict[str, Any]] = []  # op still current: SYNCED at the answered version
    moved_on: list[dict[str, Any]] = []  # edited in flight: learn the version, keep waiting
    marked: list[dict[str, Any]] = []  # INVALID / CONFLICT with their data
    for o in outcomes:
        if o.status is None:
            unanswered.append({"oid": o.op_id})
            continue
        answered.append((o.op_id,))
        current = revs.get(o.record_id) == o.local_rev
        g = {"rid": o.record_id, "rev": o.local_rev}
        if o.status in (OpStatus.ACCEPTED, OpStatus.DUPLICATE):
            if current:
                synced.append({**g, "v": o.version})
            elif o.version is not None:
                moved_on.append({**g, "v": o.version})
        elif current:
            invalid = o.status == OpStatus.INVALID
            marked.append({**g, "st": (SyncState.INVALID if invalid else SyncState.CONFLICT).value, "data": o.data,
                           "v": None if invalid else o.version})
    guard = (_ENTRY.c.record_id == bindparam("rid")) & (_ENTRY.c.local_rev == bindparam("rev"))
    _many(conn, "DELETE FROM outbox WHERE op_id = ?", answered)
    if unanswered:
        # A server bug: the ops go out again in a later batch (their op ids keep them idempotent).
        conn.execute(update(_OUTBOX).where(_OUTBOX.c.op_id == bindparam("oid")).values(batch_id=None), unanswered)
    with_v = [x for x in synced if x["v"] is not None]
    without_v = [x for x in synced if x["v"] is None]
    _many(conn, "UPDATE entry SET sync_state = ?, conflict_data = NULL, base_version = ?, server_version = ? "
          "WHERE record_id = ? AND local_rev = ?",
          [(SyncState.SYNCED.value, x["v"], x["v"], x["rid"], x["rev"]) for x in with_v])
    if without_v:
        conn.execute(update(_ENTRY).where(guard).values(sync_state=SyncState.SYNCED.value, conflict_data=None),
                     without_v)
    if moved_on:
        # The server now holds this op's version, which the newer local op builds on.
        conn.execute(update(_ENTRY).where(
            _ENTRY.c.record_id == bindparam("rid"),
            _ENTRY.c.server_version.is_(None) | (_ENTRY.c.server_version <= bindparam("v")),
        ).values(base_version=bindparam("v"), server_version=bindparam("v")), moved_on)
    for st in (SyncState.INVALID.value, SyncState.CONFLICT.value):
        group = [x for x in marked if x["st"] == st]
        plain = [x for x in group if x["v"] is None]
        versioned = [x for x in group if x["v"] is not None]
        if plain:
            conn.execute(update(_ENTRY).where(guard).values(sync_state=st, conflict_data=bindparam("data")), plain)
        if versioned:
            conn.execute(update(_ENTRY).where(guard).values(
                sync_state=st, conflict_data=bindparam("data"), server_version=bindparam("v")), versioned)
    # An entry still UPLOADING here got no result, or was edited: back to waiting.
    for chunk in _chunks(rids):
        conn.execute(update(_ENTRY).where(_ENTRY.c.record_id.in_(chunk),
                                          _ENTRY.c.sync_state == SyncState.UPLOADING.value)
                     .values(sync_state=SyncState.DIRTY.value))
        conn.execute(update(_ENTRY).where(_ENTRY.c.record_id.in_(chunk),
                                          _ENTRY.c.sync_state == SyncState.NEW.value,
                                          _ENTRY.c.server_version.is_not(None))
                     .values(sync_state=SyncState.DIRTY.value))
    _restore_new_states(s, rids)
    b.done_at = now
    b.last_error = ""
    s.add(b)
    return len(answered)
