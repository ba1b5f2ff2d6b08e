"""The push/pull engine of the desktop client (design.md §4).

Push: outbox ops (written with each save) are collected into a Batch row, saved with its op ids
and body hash BEFORE the first send, and their entries marked UPLOADING. A batch without an
answer is re-sent unchanged (same Idempotency-Key, same bytes) until one arrives. Results are
applied in one transaction with `WHERE record_id=? AND local_rev=?`, so an entry edited while its
batch was in flight stays NEW/DIRTY and its newer op goes in a later batch.

Pull: pages of changes since the cursor; each page and the new cursor are saved in one
transaction. Server data overwrites only SYNCED rows; any other row takes only the server-owned
columns (version seen, review outcome, flags).

A sync run = push everything, then pull. Clocks order nothing: the local clock is only compared
with the server's to log and report the skew.

Batching rules: one op per record per batch (a record's ops go out in save order, each based on
the version its predecessor got), ops in outbox order. An op that cannot pass the wire schema
(a field too long, say) never enters a batch: its entry becomes INVALID at once, with the message.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, Row, bindparam, delete, insert, select, update
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session

from domain.names import name_key
from domain.states import OpKind, OpStatus, SyncState
from local_db.models import AuditLog, Batch, Entry, Outbox, ReferenceRecipient
from local_db.repository import (
    _entry_values,
    _household_upsert,
    _household_values,
    add_audit,
    get_meta,
    session_scope,
    set_meta,
    snapshot,
)
from sync import failpoints
from sync.backoff import Backoff
from sync.batching import ENVELOPE_BYTES, BatchCap, take_batch
from sync.client import AuthError, DeviceRejected, Offline, Rejected, ServerError, SyncClient, SyncError, gzip_bytes
from sync.protocol import BatchResponse, Change, EntryPayload, Op, OpResult, ServerEntry

log = logging.getLogger(__name__)

META_CURSOR = "sync.cursor"
META_LAST_SUCCESS = "sync.last_success"
META_LAST_ERROR = "sync.last_error"
META_LAST_ERROR_AT = "sync.last_error_at"
META_SKEW = "sync.skew_seconds"

DEFAULT_PAGE_LIMIT = 500
SERVER_AUDIT_ACTION = "SERVER_UPDATE"
SKEW_WARN_SECONDS = 300

_ENTRY = Entry.__table__  # type: ignore[attr-defined]
_OUTBOX = Outbox.__table__  # type: ignore[attr-defined]
_BATCH = Batch.__table__  # type: ignore[attr-defined]
# The outbox columns op_wire reads; base_version last (a new batch takes the entry's instead).
_OUTBOX_WIRE = (_OUTBOX.c.op_id, _OUTBOX.c.record_id, _OUTBOX.c.local_rev, _OUTBOX.c.kind, _OUTBOX.c.payload,
                _OUTBOX.c.base_version)
_OP_VALIDATOR = Op.__pydantic_validator__.validate_python
# What pull compares: sync columns plus the operator's fields (local_db.repository._entry_values).
_PULL_COLUMNS = tuple(_ENTRY.c[k] for k in (
    "record_id", "server_version", "base_version", "sync_state", "deleted", "conflict_data", "delete_reason",
    "nik", "kk", "name", "birth_place", "birth_date", "sex", "desa_code", "dusun", "rt", "rw", "address", "phone",
    "criteria", "programme", "notes", "latitude", "longitude", "override_reason"))
_CHUNK = 500
_AGAIN = object()  # _try_build: every candidate was refused locally, look again

# Payload fields whose default value is left off the wire (EntryPayload fills them back in).
_PAYLOAD_DEFAULTS: dict[str, Any] = {
    name: (f.default_factory() if f.default_factory is not None else f.default)  # type: ignore[call-arg]
    for name, f in EntryPayload.model_fields.items()
    if not f.is_required()
}

# One run at a time per store file inside a process (GUI timer + "Sinkronkan sekarang").
_RUN_LOCKS: dict[str, threading.Lock] = {}
_RUN_LOCKS_GUARD = threading.Lock()


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class SyncProgress:
    phase: str = ""  # "push", "pull"
    sent: int = 0
    total: int = 0
    pages: int = 0


@dataclass(slots=True)
class SyncReport:
    batches: int = 0
    accepted: int = 0
    duplicate: int = 0
    conflict: int = 0
    invalid: int = 0
    pulled: int = 0
    references: int = 0
    skew_seconds: float | None = None
    error: str | None = None
    error_kind: str | None = None  # offline, auth, device, rejected, server
    invalid_records: list[str] = field(default_factory=list)
    conflict_records: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None


def error_kind(exc: SyncError) -> str:
    if isinstance(exc, Offline):
        return "offline"
    if isinstance(exc, DeviceRejected):
        return "device"
    if isinstance(exc, AuthError):
        return "auth"
    if isinstance(exc, Rejected):
        return "rejected"
    return "server"


# --------------------------------------------------------------------------- wire encoding


class OpKey(Protocol):
    """Which op of which entry revision: what applying an answer needs."""

    @property
    def op_id(self) -> str: ...
    @property
    def record_id(self) -> str: ...
    @property
    def local_rev(self) -> int: ...


class OpRow(OpKey, Protocol):
    """What op_wire reads: an Outbox ORM object or a Core row of the outbox table."""

    @property
    def kind(self) -> str: ...
    @property
    def base_version(self) -> int | None: ...
    @property
    def payload(self) -> str: ...


_compact = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def op_wire(row: OpRow) -> dict[str, Any]:
    """One outbox row as a compact wire op: default-valued fields are left out."""
    op: dict[str, Any] = {"op_id": row.op_id, "record_id": row.record_id, "local_rev": row.local_rev,
                          "kind": str(row.kind)}
    if row.base_version is not None:
        op["base_version"] = row.base_version
    payload = json.loads(row.payload) if row.payload else None
    if payload is not None:
        op["payload"] = {k: v for k, v in payload.items()
                         if not (k in _PAYLOAD_DEFAULTS and v == _PAYLOAD_DEFAULTS[k])}
    return op


@dataclass(frozen=True, slots=True)
class WireOp:
    """One op of a batch as it goes out: its keys for applying the answer, and its encoded JSON."""

    op_id: str
    record_id: str
    local_rev: int
    text: str

    @classmethod
    def of(cls, row: OpRow) -> WireOp:
        return cls(row.op_id, row.record_id, row.local_rev, _compact(op_wire(row)))


def encode_body(device_id: str, ops: Sequence[dict[str, Any]]) -> bytes:
    """The batch body: deterministic for the same ops, so a resend is byte-for-byte the same."""
    return encode_texts(device_id, [_compact(op) for op in ops])


def encode_texts(device_id: str, op_texts: Sequence[str]) -> bytes:
    """encode_body from ops already encoded one by one (the same bytes: compact JSON joins with ",")."""
    head = _compact({"device_id": device_id, "entry_count": len(op_texts)})
    return f'{head[:-1]},"ops":[{",".join(op_texts)}]}}'.encode()


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def _errors_json(messages: Iterable[dict[str, str]]) -> str:
    return json.dumps({"kind": "invalid", "errors": list(messages)}, ensure_ascii=False)


def _validation_messages(e: ValidationError) -> list[dict[str, str]]:
    out = []
    for err in e.errors()[:10]:
        loc = [str(p) for p in err.get("loc", ()) if p != "payload"]
        fld = loc[0] if loc else ""
        out.append({"field": fld, "code": "schema",
                    "message": f"Isian {fld or 'entri'} tidak bisa dikirim: {err.get('msg', '')}."})
    return out


def _many(conn: Connection, sql: str, params: list[tuple[Any, ...]]) -> None:
    """executemany straight on the driver: the hot bulk statements of a sync, where SQLAlchemy's
    per-row parameter processing cost more than SQLite's own work. Plain str/int values only."""
    if params:
        conn.exec_driver_sql(sql, params)


def _chunks(seq: Sequence[str], n: int = _CHUNK) -> Iterable[Sequence[str]]:
    for i in range(0, len(seq), n):
        yield seq[i:i + n]


# --------------------------------------------------------------------------- the engine


class SyncEngine:
    """Push and pull for one local store and one device. Not for concurrent use: one run at a time."""

    def __init__(
        self,
        db: Engine,
        client: SyncClient,
        device_id: str,
        *,
        actor: str = "",
        cap: BatchCap | None = None,
        page_limit: int = DEFAULT_PAGE_LIMIT,
        max_attempts: int = 3,
        backoff: Backoff | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = utcnow,
        on_progress: Callable[[SyncProgress], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self.db = db
        self.client = client
        self.device_id = device_id
        self.actor = actor
        self.cap = cap or BatchCap()
        self.page_limit = page_limit
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff or Backoff(base=1.0, cap=60.0)
        self.sleep = sleep
        self.clock = clock
        self.on_progress = on_progress
        self.cancelled = cancelled or (lambda: False)
        self.progress = SyncProgress()

    # ----------------------------------------------------------------- run

    def run(self) -> SyncReport:
        """Push everything, then pull. Expected failures end up in report.error, never raised."""
        report = SyncReport()
        key = str(self.db.url)
        with _RUN_LOCKS_GUARD:
            lock = _RUN_LOCKS.setdefault(key, threading.Lock())
        with lock:
            try:
                self.push(report)
                if not self.cancelled():
                    self.pull(report)
            except SyncError as e:
                report.error = str(e)
                report.error_kind = error_kind(e)
                log.info("sync stopped: %s (%s)", report.error_kind, type(e).__name__)
                with session_scope(self.db, write=True) as s:
                    set_meta(s, META_LAST_ERROR, report.error)
                    set_meta(s, META_LAST_ERROR_AT, self.clock().isoformat(timespec="seconds"))
                return report
            with session_scope(self.db, write=True) as s:
                set_meta(s, META_LAST_SUCCESS, self.clock().isoformat(timespec="seconds"))
                set_meta(s, META_LAST_ERROR, "")
        return report

    def _progress(self, **kw: Any) -> None:
        for k, v in kw.items():
            setattr(self.progress, k, v)
        if self.on_progress is not None:
            self.on_progress(self.progress)

    def _note_server_time(self, report: SyncReport) -> None:
        st = self.client.last_server_time
        if st is None:
            return
        server_now = st if st.tzinfo else st.replace(tzinfo=UTC)
        now = self.clock()
        skew = ((now if now.tzinfo else now.replace(tzinfo=UTC)) - server_now).total_seconds()
        report.skew_seconds = skew
        if abs(skew) > SKEW_WARN_SECONDS:
            log.warning("local clock differs from the server by %.0f s (ordering never uses it)", skew)

    # ----------------------------------------------------------------- push

    def outbox_count(self) -> int:
        with session_scope(self.db) as s:
            return len(s.execute(select(_OUTBOX.c.op_id)).all())

    def push(self, report: SyncReport | None = None) -> SyncReport:
        report = report or SyncReport()
        cap = self.cap
        self._progress(phase="push", sent=0, total=self.outbox_count(), pages=0)
        while not self.cancelled():
            pending = self._pending_batch()
            if pending is None:
                pending = self._build_batch(cap, report)
                if pending is None:
                    break
                failpoints.hit("batch_saved")
            batch_id, rows = pending
            body = encode_texts(self.device_id, [r.text for r in rows])
            try:
                resp = self._send(batch_id, body)
            except Rejected as e:
                if e.status in (403, 404):
                    # Not about the ops: this device/account or the address is wrong. Splitting
                    # would only turn every waiting entry INVALID; stop and ask for a login.
                    raise DeviceRejected(f"Server menolak perangkat ini: {e.detail} Silakan login ulang.") from e
                cap = self._on_rejected(batch_id, rows, e, cap, report)
                continue
            failpoints.hit("batch_sent")
            self._note_server_time(report)
            if self._apply_results(batch_id, rows, resp, report) == 0:
                # An answer without a single result for our ops: never loop on it.
                raise ServerError("jawabannya tidak berisi hasil untuk batch ini; batch akan dikirim ulang.")
            failpoints.hit("results_applied")
            report.batches += 1
            self._progress(sent=self.progress.sent + len(rows),
                           total=max(self.progress.total, self.progress.sent + len(rows)))
        return report

    def _pending_batch(self) -> tuple[str, list[WireOp]] | None:
        """The oldest batch saved but never answered: it goes out again, unchanged."""
        with session_scope(self.db, write=True) as s:
            conn = s.connection()
            for b in conn.execute(
                select(_BATCH.c.batch_id, _BATCH.c.op_ids, _BATCH.c.body_hash)
                .where(_BATCH.c.done_at.is_(None)).order_by(_BATCH.c.created_at, _BATCH.c.batch_id)
            ).all():
                order = {op_id: i for i, op_id in enumerate(json.loads(b.op_ids))}
                rows = [WireOp.of(r) for r in conn.execute(select(*_OUTBOX_WIRE).where(_OUTBOX.c.batch_id == b.batch_id))]
                if not rows:  # every op answered by another run: nothing left to send
                    conn.execute(update(_BATCH).where(_BATCH.c.batch_id == b.batch_id).values(done_at=self.clock()))
                    continue
                rows.sort(key=lambda r: order.get(r.op_id, len(order)))
                body = encode_texts(self.device_id, [r.text for r in rows])
                if b.body_hash and body_hash(body) != b.body_hash:
                    # Should not happen (outbox rows are immutable); the server's 422 would tell us.
                    log.error("batch %s no longer encodes to its saved hash", b.batch_id)
                return b.batch_id, rows
        return None

    def _build_batch(self, cap: BatchCap, report: SyncReport) -> tuple[str, list[WireOp]] | None:
        """Save the next batch (ids, hash) and mark its entries UPLOADING, before any send."""
        with session_scope(self.db, write=True) as s:
            while True:
                built = self._try_build(s, cap, report)
                if built is not _AGAIN:
                    return built  # type: ignore[return-value]

    def _try_build(self, s: Session, cap: BatchCap, report: SyncReport) -> tuple[str, list[WireOp]] | object | None:
        """One attempt; _AGAIN when every candidate was refused locally (look again).

        Core rows, not ORM objects: building batches is most of the client's share of a first sync.
        The op takes the base version its entry holds now (saved into the outbox row with the batch).
        """
        conn = s.connection()
        rows = conn.execute(
            select(*_OUTBOX_WIRE[:-1], _ENTRY.c.base_version)
            .select_from(_OUTBOX.outerjoin(_ENTRY, _ENTRY.c.record_id == _OUTBOX.c.record_id))
            # "+batch_id": keeps SQLite off ix_outbox_batch, which would join and sort every waiting op
            # for each batch; the seq index walks them in send order and stops at the limit.
            .where(sql_text("+outbox.batch_id IS NULL"))
            .order_by(_OUTBOX.c.seq)
            .limit(cap.max_ops * 2)
        ).all()
        if not rows:
            return None
        seen: set[str] = set()
        candidates: list[tuple[tuple[WireOp, int | None], int]] = []
        used = ENVELOPE_BYTES
        invalid = 0
        for r in rows:
            if r.record_id in seen:
                continue  # a later op of the same record waits for this one's answer
            seen.add(r.record_id)
            wire = op_wire(r)
            try:
                _OP_VALIDATOR(wire)
            except ValidationError as e:
                self._mark_invalid_locally(s, r, _validation_messages(e), report)
                invalid += 1
                continue
            text = _compact(wire)
            candidates.append(((WireOp(r.op_id, r.record_id, r.local_rev, text), r.base_version), len(text)))
            used += len(text) + 1
            if len(candidates) >= cap.max_ops or used > cap.max_bytes:
                break  # take_batch would stop here anyway: do not encode and validate the rest
        chosen = take_batch(candidates, cap)
        if not chosen:
            return None if invalid == 0 else _AGAIN
        batch_id = str(uuid.uuid4())
        picked = [w for w, _bv in chosen]
        body = encode_texts(self.device_id, [w.text for w in picked])
        _many(conn, "UPDATE outbox SET batch_id = ?, base_version = ? WHERE op_id = ?",
              [(batch_id, bv, w.op_id) for w, bv in chosen])
        conn.execute(insert(_BATCH).values(batch_id=batch_id, created_at=self.clock(),
                                           op_ids=json.dumps([w.op_id for w in picked]), body_hash=body_hash(body)))
        _many(conn, "UPDATE entry SET sync_state = ? WHERE record_id = ? AND local_rev = ?",
              [(SyncState.UPLOADING.value, w.record_id, w.local_rev) for w in picked])
        log.info("batch %s saved with %d ops", batch_id, len(picked))
        return batch_id, picked

    def _mark_invalid_locally(self, s: Session, r: OpKey, errors: list[dict[str, str]], report: SyncReport) -> None:
        log.warning("op %s of record %s fails the wire schema; entry marked INVALID", r.op_id, r.record_id)
        s.execute(delete(_OUTBOX).where(_OUTBOX.c.op_id == r.op_id))
        s.execute(update(_ENTRY).where(_ENTRY.c.record_id == r.record_id, _ENTRY.c.local_rev == r.local_rev)
                  .values(sync_state=SyncState.INVALID.value, conflict_data=_errors_json(errors)))
        report.invalid += 1
        report.invalid_records.append(r.record_id)

    def _send(self, batch_id: str, body: bytes) -> BatchResponse:
        """POST the batch; on no answer (offline/5xx/cut), the same bytes again after a backoff."""
        gz = gzip_bytes(body)
        self.backoff.reset()
        for attempt in range(1, self.max_attempts + 1):
            with session_scope(self.db, write=True) as s:
                b = s.get(Batch, batch_id)
                if b is not None:
                    b.attempts += 1
                    b.last_attempt_at = self.clock()
                    s.add(b)
            try:
                return self.client.post_batch(batch_id, gz)
            except (Offline, ServerError) as e:
                with session_scope(self.db, write=True) as s:
                    b = s.get(Batch, batch_id)
                    if b is not None:
                        b.last_error = str(e)
                        s.add(b)
                if attempt == self.max_attempts or self.cancelled():
                    raise
                delay = self.backoff.next_delay()
                log.info("batch %s: no answer (%s); retry %d in %.1f s", batch_id, type(e).__name__, attempt, delay)
                self.sleep(delay)
        raise AssertionError("unreachable")

    def _on_rejected(self, batch_id: str, rows: list[WireOp], e: Rejected, cap: BatchCap,
                     report: SyncReport) -> BatchCap:
        """A whole batch refused (4xx): split it so one bad op cannot block the queue.

        A 4xx means nothing of it was applied (the server handles a batch in one transaction),
        and op ids are idempotent on the server, so its ops may go out again in new batches.
        """
        log.warning("batch %s rejected as a whole (HTTP %s); splitting it", batch_id, e.status)
        with session_scope(self.db, write=True) as s:
            b = s.get(Batch, batch_id)
            if len(rows) == 1:
                r = rows[0]
                self._mark_invalid_locally(s, r, [{"field": "", "code": f"http_{e.status}",
                                                    "message": f"Server menolak entri ini: {e.detail}"}], report)
            else:
                s.execute(update(_OUTBOX).where(_OUTBOX.c.batch_id == batch_id).values(batch_id=None))
                s.execute(update(_ENTRY).where(_ENTRY.c.record_id.in_([r.record_id for r in rows]),
                                               _ENTRY.c.sync_state == SyncState.UPLOADING.value)
                          .values(sync_state=SyncState.DIRTY.value))
                self._restore_new_states(s, [r.record_id for r in rows])
            if b is not None:
                b.done_at = self.clock()
                b.last_error = f"ditolak ({e.status}): {e.detail}"
                s.add(b)
        return BatchCap(max_ops=max(1, min(cap.max_ops, len(rows)) // 2), max_bytes=cap.max_bytes)

    @staticmethod
    def _restore_new_states(s: Session, record_ids: Sequence[str]) -> None:
        """An entry the server never accepted is a draft (NEW), not an edit (DIRTY)."""
        for chunk in _chunks(list(record_ids)):
            s.execute(update(_ENTRY).where(_ENTRY.c.record_id.in_(chunk), _ENTRY.c.server_version.is_(None),
                                           _ENTRY.c.sync_state == SyncState.DIRTY.value)
                      .values(sync_state=SyncState.NEW.value))

    def _apply_results(self, batch_id: str, rows: list[WireOp], resp: BatchResponse, report: SyncReport) -> int:
        """All results of one answer in one transaction, each guarded by the op's local_rev.

        The transaction starts with BEGIN IMMEDIATE, so no save can slip in between reading the
        entries' local_rev here and the guarded UPDATEs below; the guard stays in every UPDATE.
        """
        by_op: dict[str, OpResult] = {r.op_id: r for r in resp.results}
        with session_scope(self.db, write=True) as s:
            b = s.get(Batch, batch_id)
            if b is None or b.done_at is not None:
                return len(rows)  # already applied by another run
            conn = s.connection()
            rids = [r.record_id for r in rows]
            revs: dict[str, int] = dict(conn.exec_driver_sql(
                "SELECT record_id, local_rev FROM entry WHERE record_id IN "
                "(SELECT record_id FROM outbox WHERE batch_id = ?)", (batch_id,)).all())
            answered: list[dict[str, Any]] = []
            unanswered: list[dict[str, Any]] = []
            synced: list[dict[str, Any]] = []  # op still current: SYNCED at the answered version
            moved_on: list[dict[str, Any]] = []  # edited in flight: learn the version, keep waiting
            marked: list[dict[str, Any]] = []  # INVALID / CONFLICT with their data
            for row in rows:
                res = by_op.get(row.op_id)
                if res is None:
                    unanswered.append({"oid": row.op_id})
                    continue
                answered.append({"oid": row.op_id})
                current = revs.get(row.record_id) == row.local_rev
                g = {"rid": row.record_id, "rev": row.local_rev}
                if res.status in (OpStatus.ACCEPTED, OpStatus.DUPLICATE):
                    if res.status == OpStatus.ACCEPTED:
                        report.accepted += 1
                    else:
                        report.duplicate += 1
                    if current:
                        synced.append({**g, "v": res.version})
                    elif res.version is not None:
                        moved_on.append({**g, "v": res.version})
                elif res.status == OpStatus.INVALID:
                    report.invalid += 1
                    report.invalid_records.append(row.record_id)
                    if current:
                        errs = [e.model_dump() for e in res.errors]
                        marked.append({**g, "st": SyncState.INVALID.value, "data": _errors_json(errs),
                                       "v": None})
                else:
                    # CONFLICT: the server kept its values; someone must choose.
                    report.conflict += 1
                    report.conflict_records.append(row.record_id)
                    if current:
                        data = {"kind": res.conflict_kind or "hard", "fields": res.conflict_fields,
                                "server_copy": res.server_copy, "server_version": res.version}
                        marked.append({**g, "st": SyncState.CONFLICT.value, "v": res.version,
                                       "data": json.dumps(data, ensure_ascii=False)})
            guard = (_ENTRY.c.record_id == bindparam("rid")) & (_ENTRY.c.local_rev == bindparam("rev"))
            _many(conn, "DELETE FROM outbox WHERE op_id = ?", [(x["oid"],) for x in answered])
            if unanswered:
                # A server bug: the ops go out again in a later batch (their op ids keep them idempotent).
                log.error("batch %s: %d ops without a result", batch_id, len(unanswered))
                conn.execute(update(_OUTBOX).where(_OUTBOX.c.op_id == bindparam("oid")).values(batch_id=None),
                             unanswered)
            with_v = [x for x in synced if x["v"] is not None]
            without_v = [x for x in synced if x["v"] is None]
            _many(conn, "UPDATE entry SET sync_state = ?, conflict_data = NULL, base_version = ?, server_version = ? "
                  "WHERE record_id = ? AND local_rev = ?",
                  [(SyncState.SYNCED.value, x["v"], x["v"], x["rid"], x["rev"]) for x in with_v])
            if without_v:
                conn.execute(update(_ENTRY).where(guard).values(sync_state=SyncState.SYNCED.value,
                                                                conflict_data=None), without_v)
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
                    conn.execute(update(_ENTRY).where(guard).values(sync_state=st, conflict_data=bindparam("data")),
                                 plain)
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
            self._restore_new_states(s, rids)
            b.done_at = self.clock()
            b.last_error = ""
            s.add(b)
            return len(answered)

    # ----------------------------------------------------------------- pull

    def pull(self, report: SyncReport | None = None) -> SyncReport:
        report = report or SyncReport()
        self._progress(phase="pull", pages=0)
        while not self.cancelled():
            with session_scope(self.db) as s:
                cursor = int(get_meta(s, META_CURSOR, "0") or 0)
            page = self.client.get_changes(cursor, self.page_limit, self.device_id)
            failpoints.hit("pull_page_fetched")
            self._note_server_time(report)
            with session_scope(self.db, write=True) as s:
                # Re-read inside the write lock: a concurrent run may have applied this page.
                current = int(get_meta(s, META_CURSOR, "0") or 0)
                if current == cursor:
                    self._apply_page(s, page.changes, report)
                    if page.next_cursor > cursor:
                        set_meta(s, META_CURSOR, str(page.next_cursor))
            failpoints.hit("pull_page_applied")
            self._progress(pages=self.progress.pages + 1)
            if not page.has_more or page.next_cursor <= cursor:
                break
        if report.skew_seconds is not None:
            with session_scope(self.db, write=True) as s:
                set_meta(s, META_SKEW, f"{report.skew_seconds:.0f}")
        return report

    def _apply_page(self, s: Session, changes: Sequence[Change], report: SyncReport) -> None:
        latest: dict[str, ServerEntry] = {}
        for c in changes:
            if c.type == "entry" and c.entry is not None:
                latest[c.entry.record_id] = c.entry  # in seq order: the last one is the newest
        refs = [c.reference for c in changes if c.type == "reference" and c.reference is not None]
        ids = list(latest)
        # Core rows for the comparison (a first sync pulls back every entry it just sent); ORM
        # objects only for the few rows that are overwritten (they need before/after for the audit).
        local: dict[str, Row[Any]] = {}
        waiting: set[str] = set()
        conn = s.connection()
        for chunk in _chunks(ids):
            local.update((r.record_id, r) for r in conn.execute(select(*_PULL_COLUMNS).where(_ENTRY.c.record_id.in_(chunk))))
            waiting.update(conn.execute(select(_OUTBOX.c.record_id).where(_OUTBOX.c.record_id.in_(chunk))).scalars())
        inserts: list[ServerEntry] = []
        to_overwrite: list[tuple[str, ServerEntry, bool]] = []
        owned: list[dict[str, Any]] = []
        for rid, se in latest.items():
            report.pulled += 1
            e = local.get(rid)
            if e is None:
                inserts.append(se)
                continue
            if e.server_version is not None and se.version < e.server_version:
                continue  # an older page replayed: nothing newer to learn
            # A CONFLICT the server no longer holds beside its values was settled by a reviewer
            # (keeping either side; the version moves only if the values did): take the outcome.
            settled = (e.sync_state == SyncState.CONFLICT and se.conflict is None and rid not in waiting
                       and _conflict_kind(e.conflict_data) != "deleted")
            if (e.sync_state == SyncState.SYNCED and rid not in waiting) or settled:
                deleted = se.deleted or se.voided
                if settled or e.deleted != deleted or e.base_version != se.version or not _same_values(e, se.payload):
                    to_overwrite.append((rid, se, settled))
                    continue
            owned.append({"rid": rid, "sv": max(se.version, e.server_version or 0), **_owned(se)})
        overwrites: list[tuple[Entry, ServerEntry, bool]] = []
        if to_overwrite:
            orm = {e.record_id: e for chunk in _chunks([rid for rid, _se, _st in to_overwrite])
                   for e in s.execute(select(Entry).where(_ENTRY.c.record_id.in_(chunk))).scalars()}
            overwrites = [(orm[rid], se, settled) for rid, se, settled in to_overwrite]
        households = [_household_values(x.payload, self.clock()) for x in inserts]
        households += [_household_values(se.payload, self.clock()) for _e, se, _s in overwrites]
        if households:
            conn.execute(_household_upsert(), households)
        with s.no_autoflush:
            for held, se, settled in overwrites:
                self._overwrite(s, held, se.payload, version=se.version, deleted=se.deleted or se.voided,
                                reason="diputuskan di server" if settled else "")
                held.sync_state = SyncState.SYNCED
                held.conflict_data = None
                held.review_state = str(se.review_state)
                held.review_reason_code = se.review_reason_code
                held.review_note = se.review_note
                held.server_flags = json.dumps(se.flags)
                s.add(held)
        _many(conn, "UPDATE entry SET server_version = ?, review_state = ?, review_reason_code = ?, review_note = ?, "
              "server_flags = ? WHERE record_id = ?",
              [(o["sv"], o["rs"], o["rc"], o["rn"], o["fl"], o["rid"]) for o in owned])
        if inserts:
            self._insert_from_server(s, inserts)
        if refs:
            stmt = sqlite_insert(ReferenceRecipient.__table__)  # type: ignore[attr-defined]
            stmt = stmt.on_conflict_do_update(index_elements=["nik", "programme"],
                                              set_={"level": stmt.excluded.level, "status": stmt.excluded.status})
            conn.execute(stmt, [r.model_dump() for r in refs])
            report.references += len(refs)

    def _overwrite(self, s: Session, e: Entry, payload: EntryPayload, *, version: int, deleted: bool,
                   reason: str = "") -> None:
        before = snapshot(e)
        for k, v in _entry_values(payload).items():
            setattr(e, k, v)
        e.name_key = name_key(payload.name)
        e.deleted = deleted
        e.delete_reason = payload.delete_reason
        e.base_version = version
        e.server_version = version
        after = snapshot(e)
        if after != before:
            add_audit(s, record_id=e.record_id, action=SERVER_AUDIT_ACTION, actor=self.actor,
                      device_id=self.device_id, at=self.clock(), before=before, after=after, reason=reason)

    def _insert_from_server(self, s: Session, items: Sequence[ServerEntry]) -> None:
        """Entries of this desa we do not hold (another device, or a reinstall): taken whole, in bulk.

        Their households were upserted by the caller."""
        now = self.clock()
        rows: list[dict[str, Any]] = []
        audits: list[dict[str, Any]] = []
        for se in items:
            p = se.payload
            try:
                values = _entry_values(p)
            except ValueError:
                log.error("server entry %s has an unreadable birth date; skipped", se.record_id)
                continue
            deleted = se.deleted or se.voided
            rows.append({
                "record_id": se.record_id, "name_key": name_key(p.name), "warnings": "[]", "created_at": now,
                "updated_at": now, "created_by": "server", "updated_by": "server", "local_rev": 1,
                "base_version": se.version, "server_version": se.version, "sync_state": SyncState.SYNCED.value,
                "deleted": deleted, "delete_reason": p.delete_reason, "server_flags": json.dumps(se.flags),
                "review_state": str(se.review_state), "review_reason_code": se.review_reason_code,
                "review_note": se.review_note, "conflict_data": None, **values,
            })
            after = p.model_dump()
            after["deleted"] = deleted
            audits.append({"record_id": se.record_id, "action": SERVER_AUDIT_ACTION, "actor": self.actor,
                           "device_id": self.device_id, "at": now, "before": None,
                           "after": json.dumps(after, ensure_ascii=False, sort_keys=True, default=str),
                           "reason": "diterima dari server"})
        if rows:
            conn = s.connection()
            conn.execute(insert(_ENTRY), rows)
            conn.execute(insert(AuditLog.__table__), audits)  # type: ignore[attr-defined]


def _conflict_kind(conflict_data: str | None) -> str | None:
    try:
        k = json.loads(conflict_data or "{}").get("kind")
    except ValueError:
        return None
    return str(k) if k else None


def _same_values(row: Row[Any], payload: EntryPayload) -> bool:
    """Whether a stored entry already holds these operator fields (what payload_of(entry) == payload says)."""
    m = row._mapping
    return m["delete_reason"] == payload.delete_reason and all(
        m[k] == v for k, v in _entry_values(payload).items())


def _owned(se: ServerEntry) -> dict[str, Any]:
    """The server-owned columns of an entry, as bind values."""
    return {"rs": str(se.review_state), "rc": se.review_reason_code, "rn": se.review_note, "fl": json.dumps(se.flags)}


__all__ = [
    "META_CURSOR",
    "META_LAST_ERROR",
    "META_LAST_SUCCESS",
    "META_SKEW",
    "OpKind",
    "SyncEngine",
    "SyncProgress",
    "SyncReport",
]
