"""The push/pull engine of the desktop client (design.md §4): the loops only.

Protocol 2 (ADR 0005): every op names its record type (household, member, proposal). A run first
reads the server's health: a server older than protocol 2 gets nothing (OldServer, nothing sent);
an upgraded server refusing this app (403 OLD_CLIENT_MESSAGE) stops the run, touching nothing.

Push: outbox ops (written with each save) are collected into a batch, saved with its op ids and
body hash BEFORE the first send, and their records marked UPLOADING. A batch without an answer
is re-sent unchanged (same Idempotency-Key, same bytes) until one arrives. Results are applied in
one transaction guarded by each op's local_rev, so a record edited while its batch was in flight
stays NEW/DIRTY and its newer op goes in a later batch.

Pull: pages of changes since the cursor; each page and the new cursor are saved in one
transaction. What a change does to a local row is sync.pull_rule.pull_action.

A sync run = push everything, then pull. Clocks order nothing: the local clock is only compared
with the server's to log and report the skew.

Batching rules: one op per record per batch (a record's ops go out in save order, each based on
the version its predecessor got), ops in outbox order. An op that cannot pass the wire schema
(a field too long, say) never enters a batch: its record becomes INVALID at once, with the message.

The SQL lives in local_db.outbox (push) and local_db.pulled (pull); the wire encoding in
sync.wire. One run at a time per process is the caller's job (the GUI runs sync on the
TaskRunner's single writer thread); runs of two processes on one store are safe: every step
re-reads inside its write transaction.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session

from domain.records import RecordType
from domain.states import OpStatus, SyncState
from local_db import outbox, pulled
from local_db.repository import get_meta, session_scope, set_meta
from sync import citizen_reports, failpoints
from sync.backoff import Backoff
from sync.batching import ENVELOPE_BYTES, BatchCap, take_batch
from sync.client import DeviceRejected, Offline, Rejected, ServerError, SyncClient, SyncError, gzip_bytes
from sync.protocol import BatchResponse, RecordChange, ServerRecord
from sync.pull_rule import LocalRow, PullAction, PulledChange, pull_action
from sync.report import SyncProgress, SyncReport, error_kind
from sync.wire import WireOp, body_hash, compact, encode_texts, errors_json, op_wire, validate_op, validation_messages

log = logging.getLogger(__name__)

META_CURSOR = "sync.cursor"
META_LAST_SUCCESS = "sync.last_success"
META_LAST_ERROR = "sync.last_error"
META_LAST_ERROR_AT = "sync.last_error_at"
META_SKEW = "sync.skew_seconds"

DEFAULT_PAGE_LIMIT = 500
SKEW_WARN_SECONDS = 300
_AGAIN = object()  # _try_build: every candidate was refused locally, look again


def utcnow() -> datetime:
    return datetime.now(UTC)


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
        write_gate: Callable[[], AbstractContextManager[object]] | None = None,
    ) -> None:
        self.db = db
        # Wrapped around every write transaction: the app passes TaskRunner.hold_writer, so the run's
        # writes take turns with the operator's saves while its network waits hold nobody up.
        self.write_gate = write_gate or contextlib.nullcontext
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
        self._protocol_checked = False

    # ----------------------------------------------------------------- run

    def run(self) -> SyncReport:
        """Push everything, then pull. Expected failures end up in report.error, never raised."""
        report = SyncReport()
        try:
            self.push(report)
            if not self.cancelled():
                self.pull(report)
        except SyncError as e:
            report.error = str(e)
            report.error_kind = error_kind(e)
            log.info("sync stopped: %s (%s)", report.error_kind, type(e).__name__)
            with self._write() as s:
                set_meta(s, META_LAST_ERROR, report.error)
                set_meta(s, META_LAST_ERROR_AT, self.clock().isoformat(timespec="seconds"))
            return report
        with self._write() as s:
            set_meta(s, META_LAST_SUCCESS, self.clock().isoformat(timespec="seconds"))
            set_meta(s, META_LAST_ERROR, "")
        return report

    @contextlib.contextmanager
    def _write(self) -> Iterator[Session]:
        """One write transaction, taken through the write gate."""
        with self.write_gate(), session_scope(self.db, write=True) as s:
            yield s

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
            return outbox.outbox_count(s)

    def check_server(self) -> None:
        """Once per engine: the server must speak protocol 2 before anything is sent or pulled."""
        if not self._protocol_checked:
            self.client.require_protocol()
            self._protocol_checked = True

    def push(self, report: SyncReport | None = None) -> SyncReport:
        report = report or SyncReport()
        self.check_server()
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
                    # would only turn every waiting record INVALID; stop and ask for a login.
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
        with self._write() as s:
            for saved in outbox.unanswered_batches(s, self.clock()):
                rows = [WireOp.of(r) for r in saved.ops]
                body = encode_texts(self.device_id, [r.text for r in rows])
                if saved.body_hash and body_hash(body) != saved.body_hash:
                    # Should not happen (outbox rows are immutable); the server's 422 would tell us.
                    log.error("batch %s no longer encodes to its saved hash", saved.batch_id)
                return saved.batch_id, rows
        return None

    def _build_batch(self, cap: BatchCap, report: SyncReport) -> tuple[str, list[WireOp]] | None:
        """Save the next batch (ids, hash) and mark its records UPLOADING, before any send."""
        with self._write() as s:
            while True:
                built = self._try_build(s, cap, report)
                if built is not _AGAIN:
                    return built  # type: ignore[return-value]

    def _try_build(self, s: Session, cap: BatchCap, report: SyncReport) -> tuple[str, list[WireOp]] | object | None:
        """One attempt; _AGAIN when every candidate was refused locally (look again).

        The op takes the base version its record holds now (saved into the outbox row with the batch).
        """
        rows = outbox.unbatched_ops(s, cap.max_ops * 2)
        if not rows:
            return None
        seen: set[tuple[str, str]] = set()
        candidates: list[tuple[tuple[outbox.BatchOp, WireOp], int]] = []
        used = ENVELOPE_BYTES
        invalid = 0
        for r in rows:
            if (r.record_type, r.record_id) in seen:
                continue  # a later op of the same record waits for this one's answer
            seen.add((r.record_type, r.record_id))
            wire = op_wire(r)
            try:
                validate_op(wire)
            except ValidationError as e:
                log.warning("op %s of %s %s fails the wire schema; marked INVALID", r.op_id, r.record_type, r.record_id)
                self._mark_invalid(s, r.op_id, r.record_type, r.record_id, r.local_rev,
                                   validation_messages(e, r.record_type), report)
                invalid += 1
                continue
            text = compact(wire)
            candidates.append(((r, WireOp(r.op_id, r.record_type, r.record_id, r.local_rev, text)), len(text)))
            used += len(text) + 1
            if len(candidates) >= cap.max_ops or used > cap.max_bytes:
                break  # take_batch would stop here anyway: do not encode and validate the rest
        chosen = take_batch(candidates, cap)
        if not chosen:
            return None if invalid == 0 else _AGAIN
        batch_id = str(uuid.uuid4())
        picked = [w for _c, w in chosen]
        body = encode_texts(self.device_id, [w.text for w in picked])
        outbox.save_batch(s, batch_id, [c for c, _w in chosen], body_hash(body), self.clock())
        log.info("batch %s saved with %d ops", batch_id, len(picked))
        return batch_id, picked

    @staticmethod
    def _mark_invalid(s: Session, op_id: str, record_type: str, record_id: str, local_rev: int,
                      errors: list[dict[str, str]], report: SyncReport) -> None:
        outbox.mark_invalid(s, op_id, record_type, record_id, local_rev, errors_json(errors))
        report.invalid += 1
        report.invalid_records.append(record_id)

    def _send(self, batch_id: str, body: bytes) -> BatchResponse:
        """POST the batch; on no answer (offline/5xx/cut), the same bytes again after a backoff."""
        gz = gzip_bytes(body)
        self.backoff.reset()
        for attempt in range(1, self.max_attempts + 1):
            with self._write() as s:
                outbox.note_attempt(s, batch_id, self.clock())
            try:
                return self.client.post_batch(batch_id, gz)
            except (Offline, ServerError) as e:
                with self._write() as s:
                    outbox.note_error(s, batch_id, str(e))
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
        with self._write() as s:
            if len(rows) == 1:
                r = rows[0]
                log.warning("op %s of %s %s refused on its own; marked INVALID", r.op_id, r.record_type, r.record_id)
                self._mark_invalid(s, r.op_id, r.record_type, r.record_id, r.local_rev, [
                    {"field": "", "code": f"http_{e.status}", "message": f"Server menolak data ini: {e.detail}"}], report)
            else:
                outbox.release_batch(s, batch_id, [(r.record_type, r.record_id) for r in rows])
            outbox.close_batch(s, batch_id, self.clock(), f"ditolak ({e.status}): {e.detail}")
        return BatchCap(max_ops=max(1, min(cap.max_ops, len(rows)) // 2), max_bytes=cap.max_bytes)

    def _apply_results(self, batch_id: str, rows: list[WireOp], resp: BatchResponse, report: SyncReport) -> int:
        """All results of one answer in one transaction (local_db.outbox.apply_results), then counted."""
        by_op = {r.op_id: r for r in resp.results}
        outcomes: list[outbox.OpOutcome] = []
        for row in rows:
            res = by_op.get(row.op_id)
            data: str | None = None
            if res is not None and res.status == OpStatus.INVALID:
                data = errors_json(e.model_dump() for e in res.errors)
            elif res is not None and res.status == OpStatus.CONFLICT:
                # The server kept its values; someone must choose.
                data = json.dumps({"kind": res.conflict_kind or "hard", "fields": res.conflict_fields,
                                   "server_copy": res.server_copy, "server_version": res.version},
                                  ensure_ascii=False)
            outcomes.append(outbox.OpOutcome(row.op_id, row.record_type, row.record_id, row.local_rev,
                                             None if res is None else res.status,
                                             None if res is None else res.version, data))
        with self._write() as s:
            answered = outbox.apply_results(s, batch_id, outcomes, self.clock())
        if answered is None:
            return len(rows)  # already applied by another run
        if answered < len(rows):
            log.error("batch %s: %d ops without a result", batch_id, len(rows) - answered)
        for o in outcomes:
            if o.status == OpStatus.ACCEPTED:
                report.accepted += 1
            elif o.status == OpStatus.DUPLICATE:
                report.duplicate += 1
            elif o.status == OpStatus.INVALID:
                report.invalid += 1
                report.invalid_records.append(o.record_id)
            elif o.status == OpStatus.CONFLICT:
                report.conflict += 1
                report.conflict_records.append(o.record_id)
        return answered

    # ----------------------------------------------------------------- pull

    def pull(self, report: SyncReport | None = None) -> SyncReport:
        report = report or SyncReport()
        self.check_server()
        self._progress(phase="pull", pages=0)
        while not self.cancelled():
            with session_scope(self.db) as s:
                cursor = int(get_meta(s, META_CURSOR, "0") or 0)
            page = self.client.get_changes(cursor, self.page_limit, self.device_id)
            failpoints.hit("pull_page_fetched")
            self._note_server_time(report)
            with self._write() as s:
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
        # Citizens' reports (issue 16): findings out, the desa's reports in — over HTTP only; a file reply
        # (sync.file_sync) does not carry them yet, so its client says so and they wait for a connection.
        if not self.cancelled() and getattr(self.client, "carries_reports", True):
            citizen_reports.exchange(self.db, self.client, self.device_id, self._write)
        if report.skew_seconds is not None:
            with self._write() as s:
                set_meta(s, META_SKEW, f"{report.skew_seconds:.0f}")
        return report

    def _apply_page(self, s: Session, changes: Sequence[RecordChange], report: SyncReport) -> None:
        latest: dict[pulled.Key, ServerRecord] = {}
        for c in changes:
            if c.record is not None and c.type in _RECORD_TYPES:
                # In seq order: the last one is the newest.
                latest[(RecordType(c.record.record_type), c.record.record_id)] = c.record
        refs = [c.reference.model_dump() for c in changes if c.type == "reference" and c.reference is not None]
        local, waiting = pulled.local_rows(s, list(latest))
        inserts: list[ServerRecord] = []
        overwrites: list[tuple[ServerRecord, str]] = []
        owned: list[tuple[ServerRecord, int]] = []
        for key, rec in latest.items():
            report.pulled += 1
            row = local.get(key)
            action = pull_action(_local_row(row, key in waiting, rec), PulledChange(
                version=rec.version, deleted=rec.deleted or rec.voided, conflict_open=rec.conflict is not None))
            if action == PullAction.INSERT:
                inserts.append(rec)
            elif action == PullAction.OVERWRITE:
                assert row is not None
                # Overwriting a CONFLICT row: a reviewer settled it on the server.
                settled = row["sync_state"] == SyncState.CONFLICT
                overwrites.append((rec, "diputuskan di server" if settled else ""))
            elif action == PullAction.SERVER_OWNED_ONLY:
                assert row is not None
                owned.append((rec, max(rec.version, row["server_version"] or 0)))
        now = self.clock()
        pulled.overwrite(s, overwrites, actor=self.actor, device_id=self.device_id, now=now)
        pulled.set_server_owned(s, owned)
        pulled.insert_new(s, inserts, actor=self.actor, device_id=self.device_id, now=now)
        pulled.upsert_references(s, refs)
        report.references += len(refs)


_RECORD_TYPES = frozenset(t.value for t in RecordType)


def _local_row(row: dict[str, Any] | None, waiting: bool, rec: ServerRecord) -> LocalRow | None:
    """What pull_rule reads of a stored row (a row of local_db.pulled.local_rows)."""
    if row is None:
        return None
    state = SyncState(row["sync_state"])
    kind: str | None = None
    if state == SyncState.CONFLICT:
        try:
            k = json.loads(row["conflict_data"] or "{}").get("kind")
        except ValueError:
            k = None
        kind = str(k) if k else None
    rtype = RecordType(rec.record_type)
    return LocalRow(sync_state=state, server_version=row["server_version"], base_version=row["base_version"],
                    deleted=bool(row["deleted"]), waiting=waiting,
                    same_values=pulled.same_values(rtype, row, rec.payload), conflict_kind=kind)


__all__ = [
    "META_CURSOR",
    "META_LAST_ERROR",
    "META_LAST_SUCCESS",
    "META_SKEW",
    "SyncEngine",
    "SyncProgress",
    "SyncReport",
]
