"""The push side of sync in the local store: outbox ops, saved batches and applying their results.

sync.engine decides what goes out and what an answer means; the reads and writes are here, each a
named function that works inside the caller's transaction (`repository.session_scope`). The hot
statements of a first sync run as executemany straight on the driver: SQLAlchemy's per-row
parameter processing cost more than SQLite's own work there (bench/bench_sync.py).

Every op names its record type (protocol 2, ADR 0005): a household, a member or a proposal, each in
its own table (local_db.household_repo.TABLE). Every result is applied to that table with
`WHERE record_id=? AND local_rev=?` (design.md §4), so a record edited while its batch was in flight
keeps its newer state and its newer op waits. An old entry op that the migration could not convert
(its entry was gone) keeps record_type "entry" and never goes out.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Connection
from sqlmodel import Session

from domain.records import RecordType
from domain.states import OpStatus, SyncState
from local_db.household_repo import TABLE
from local_db.models import Batch
from local_db.send_rule import sendable_filter

SENDABLE = tuple(t.value for t in RecordType)
_IN_SENDABLE = "(" + ", ".join(f"'{t}'" for t in SENDABLE) + ")"
# The base version an op goes out on is its record's current one (read from the record's table).
_BASE = ("CASE o.record_type " + " ".join(
    f"WHEN '{t.value}' THEN (SELECT base_version FROM {TABLE[t]} WHERE record_id = o.record_id)" for t in RecordType)
    + " END")
_WIRE = "o.op_id, o.record_type, o.record_id, o.local_rev, o.kind, o.payload"
_CHUNK = 500


class BatchOp(Protocol):
    """An op put into a new batch, with the base version it goes out on (a row of unbatched_ops)."""

    @property
    def op_id(self) -> str: ...
    @property
    def record_type(self) -> str: ...
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
    record_type: str
    record_id: str
    local_rev: int
    base_version: int | None


@dataclass(frozen=True, slots=True)
class SavedBatch:
    """A batch saved but never answered, with its ops' rows in the saved order."""

    batch_id: str
    body_hash: str
    ops: list[Any]  # rows: op_id, record_type, record_id, local_rev, kind, payload, base_version


@dataclass(slots=True)
class OpOutcome:
    """What the server answered for one op of a batch; status None: no result for it.

    `data` is the JSON kept in the record's conflict_data for INVALID and CONFLICT.
    """

    op_id: str
    record_type: str
    record_id: str
    local_rev: int
    status: OpStatus | None
    version: int | None = None
    data: str | None = None


def _ts(d: datetime) -> str:
    """A time as the ORM's DateTime column stores it (UTC, no offset), for the driver-level writes."""
    return (d.astimezone(UTC) if d.tzinfo else d).strftime("%Y-%m-%d %H:%M:%S.%f")


def _table(record_type: str) -> str:
    return TABLE[RecordType(record_type)]


def _many(conn: Connection, sql: str, params: list[tuple[Any, ...]]) -> None:
    """executemany on the driver; plain str/int values only."""
    if params:
        conn.exec_driver_sql(sql, params)


def _chunks(seq: Sequence[str], n: int = _CHUNK) -> Iterable[Sequence[str]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


def _by_type(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for rtype, rid in pairs:
        out[rtype].append(rid)
    return out


def _in(n: int) -> str:
    return ", ".join("?" * n)


# --------------------------------------------------------------------------- reading


def outbox_count(s: Session) -> int:
    """Ops waiting to go out (households, members, proposals); not those the Musdesus rule holds back
    (local_db.send_rule.held_count counts them)."""
    return int(s.connection().exec_driver_sql(
        f"SELECT count(*) FROM outbox o WHERE o.record_type IN {_IN_SENDABLE}{sendable_filter(s)}").scalar_one())


def waiting_by_type(conn: Any) -> dict[str, int]:
    """Distinct records with an op waiting in the outbox, per record type ("household", ...): what
    every "menunggu dikirim" / "belum dikirim" count on screen shows."""
    return {str(t): int(n) for t, n in conn.exec_driver_sql(
        f"SELECT record_type, count(DISTINCT record_id) FROM outbox WHERE record_type IN {_IN_SENDABLE} "
        "GROUP BY record_type").all()}


def unanswered_batches(s: Session, now: datetime) -> Iterable[SavedBatch]:
    """Saved batches without an answer, oldest first. One whose ops were all answered by another
    run is closed here and skipped."""
    conn = s.connection()
    for b in conn.exec_driver_sql(
            "SELECT batch_id, op_ids, body_hash FROM batch WHERE done_at IS NULL ORDER BY created_at, batch_id").all():
        order = {op_id: i for i, op_id in enumerate(json.loads(b.op_ids))}
        rows = list(conn.exec_driver_sql(
            f"SELECT {_WIRE}, o.base_version FROM outbox o WHERE o.batch_id = ?", (b.batch_id,)))
        if not rows:
            conn.exec_driver_sql("UPDATE batch SET done_at = ? WHERE batch_id = ?", (_ts(now), b.batch_id))
            continue
        rows.sort(key=lambda r: order.get(r.op_id, len(order)))
        yield SavedBatch(b.batch_id, b.body_hash, rows)


def unbatched_ops(s: Session, limit: int) -> list[Any]:
    """Ops not in any batch yet, in save order, each with its record's current base_version.

    Core rows, not ORM objects: building batches is most of the client's share of a first sync.
    Proposal ops the Musdesus rule holds back are left out (local_db.send_rule).
    """
    # "+o.batch_id": keeps SQLite off ix_outbox_batch, which would join and sort every waiting op
    # for each batch; the seq index walks them in send order and stops at the limit.
    return list(s.connection().exec_driver_sql(
        f"SELECT {_WIRE}, {_BASE} AS base_version FROM outbox o "
        f"WHERE +o.batch_id IS NULL AND o.record_type IN {_IN_SENDABLE}{sendable_filter(s)} ORDER BY o.seq LIMIT ?", (limit,)).all())


# --------------------------------------------------------------------------- batches


def save_batch(s: Session, batch_id: str, ops: Sequence[BatchOp], body_hash: str, now: datetime) -> None:
    """Save a batch (ids in order, body hash) and mark its records UPLOADING, before its first send."""
    conn = s.connection()
    _many(conn, "UPDATE outbox SET batch_id = ?, base_version = ? WHERE op_id = ?",
          [(batch_id, o.base_version, o.op_id) for o in ops])
    conn.exec_driver_sql("INSERT INTO batch (batch_id, created_at, op_ids, body_hash, attempts, last_error) "
                         "VALUES (?, ?, ?, ?, 0, '')", (batch_id, _ts(now), json.dumps([o.op_id for o in ops]), body_hash))
    for rtype in SENDABLE:
        _many(conn, f"UPDATE {_table(rtype)} SET sync_state = ? WHERE record_id = ? AND local_rev = ?",
              [(SyncState.UPLOADING.value, o.record_id, o.local_rev) for o in ops if o.record_type == rtype])


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


def mark_invalid(s: Session, op_id: str, record_type: str, record_id: str, local_rev: int, data: str) -> None:
    """An op refused before or by the server on its own: drop it; its record (if still at that
    revision) becomes INVALID with the errors in `data`."""
    conn = s.connection()
    conn.exec_driver_sql("DELETE FROM outbox WHERE op_id = ?", (op_id,))
    conn.exec_driver_sql(f"UPDATE {_table(record_type)} SET sync_state = ?, conflict_data = ? "
                         "WHERE record_id = ? AND local_rev = ?", (SyncState.INVALID.value, data, record_id, local_rev))


def close_batch(s: Session, batch_id: str, now: datetime, error: str = "") -> None:
    b = s.get(Batch, batch_id)
    if b is not None:
        b.done_at = now
        b.last_error = error
        s.add(b)


def release_batch(s: Session, batch_id: str, records: Sequence[tuple[str, str]]) -> None:
    """A batch refused as a whole: its ops wait again (for new, smaller batches), records back to
    waiting. `records`: (record_type, record_id) of its ops."""
    conn = s.connection()
    conn.exec_driver_sql("UPDATE outbox SET batch_id = NULL WHERE batch_id = ?", (batch_id,))
    _back_to_waiting(conn, _by_type(records))


def _back_to_waiting(conn: Connection, ids: dict[str, list[str]]) -> None:
    """A record still UPLOADING got no result (or was edited): waiting again; one the server never
    accepted is a draft (NEW), else an edit (DIRTY)."""
    for rtype, rids in ids.items():
        table = _table(rtype)
        for chunk in _chunks(rids):
            marks = _in(len(chunk))
            conn.exec_driver_sql(
                f"UPDATE {table} SET sync_state = CASE WHEN server_version IS NULL THEN ? ELSE ? END "
                f"WHERE record_id IN ({marks}) AND sync_state IN (?, ?, ?)",
                (SyncState.NEW.value, SyncState.DIRTY.value, *chunk,
                 SyncState.UPLOADING.value, SyncState.NEW.value, SyncState.DIRTY.value))


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
    revs: dict[tuple[str, str], int] = {}
    for rtype in SENDABLE:
        for rid, rev in conn.exec_driver_sql(
                f"SELECT record_id, local_rev FROM {_table(rtype)} WHERE record_id IN "
                "(SELECT record_id FROM outbox WHERE batch_id = ? AND record_type = ?)", (batch_id, rtype)).all():
            revs[(rtype, rid)] = rev
    answered: list[tuple[Any, ...]] = []
    unanswered: list[tuple[Any, ...]] = []
    synced: dict[str, list[tuple[Any, ...]]] = defaultdict(list)  # op still current: SYNCED at the answered version
    moved_on: dict[str, list[tuple[Any, ...]]] = defaultdict(list)  # edited in flight: learn the version, keep waiting
    marked: dict[str, list[tuple[Any, ...]]] = defaultdict(list)  # INVALID / CONFLICT with their data
    for o in outcomes:
        if o.status is None:
            unanswered.append((o.op_id,))
            continue
        answered.append((o.op_id,))
        current = revs.get((o.record_type, o.record_id)) == o.local_rev
        if o.status in (OpStatus.ACCEPTED, OpStatus.DUPLICATE):
            if current:
                synced[o.record_type].append((SyncState.SYNCED.value, o.version, o.version, o.record_id, o.local_rev))
            elif o.version is not None:
                moved_on[o.record_type].append((o.version, o.version, o.record_id, o.version))
        elif current:
            st = SyncState.INVALID if o.status == OpStatus.INVALID else SyncState.CONFLICT
            version = None if st == SyncState.INVALID else o.version
            marked[o.record_type].append((st.value, o.data, version, o.record_id, o.local_rev))
    _many(conn, "DELETE FROM outbox WHERE op_id = ?", answered)
    # A server bug: the ops go out again in a later batch (their op ids keep them idempotent).
    _many(conn, "UPDATE outbox SET batch_id = NULL WHERE op_id = ?", unanswered)
    for rtype in SENDABLE:
        table = _table(rtype)
        # A result without a version (an old answer) keeps the versions the record had.
        _many(conn, f"UPDATE {table} SET sync_state = ?, conflict_data = NULL, "
              "base_version = coalesce(?, base_version), server_version = coalesce(?, server_version) "
              "WHERE record_id = ? AND local_rev = ?", synced[rtype])
        # The server now holds this op's version, which the newer local op builds on.
        _many(conn, f"UPDATE {table} SET base_version = ?, server_version = ? "
              "WHERE record_id = ? AND (server_version IS NULL OR server_version <= ?)", moved_on[rtype])
        _many(conn, f"UPDATE {table} SET sync_state = ?, conflict_data = ?, "
              "server_version = coalesce(?, server_version) WHERE record_id = ? AND local_rev = ?", marked[rtype])
    # A record still UPLOADING here got no result, or was edited: back to waiting.
    _back_to_waiting(conn, _by_type((o.record_type, o.record_id) for o in outcomes))
    b.done_at = now
    b.last_error = ""
    s.add(b)
    return len(answered)
