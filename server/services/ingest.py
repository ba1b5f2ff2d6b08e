"""Idempotent batch ingest (design.md §4): one transaction per batch, one result per op.

Bulk-shaped on purpose: records, applied op ids and reference rows are loaded with a few IN
queries, ops are classified in memory, and rows are written with executemany.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import Row, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from domain import regions
from domain.entry import validate_entry
from domain.errors import KnownError
from domain.flags import FlagCode
from domain.programmes import Catalogue
from domain.reasons import ReasonCode
from domain.states import OpKind, OpStatus, ReviewState
from server import db, failpoints
from server.models import AppliedOp, AuditLog, Batch, Device, Entry, EntryVersion, User, table_of
from server.services import bulk, duplicates
from server.services.conflicts import Outcome, classify_upsert
from server.services.entries import (
    REF_FLAGS,
    flags_json,
    flags_of,
    index_columns,
    normalised_payload,
    set_flags,
    to_server_entry,
)
from server.services.reference import active_by_nik, judge
from server.services.seq import SeqAllocator, desa_feed
from server.settings import Settings
from sync.protocol import BatchRequest, BatchResponse, Op, OpError, OpResult

log = logging.getLogger("bansos.server.ingest")
_to_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(x, ensure_ascii=False), minus a new encoder per call
_PENDING = str(ReviewState.PENDING)
_STATUS = {s: str(s) for s in OpStatus}
# A result is (status, its OpResult JSON text); the response is joined from these texts instead of
# building (then dumping) one OpResult model per op.
_Res = tuple[OpStatus, str]


class BatchRejected(KnownError):
    """The whole batch is refused (nothing applied); `message` is for the operator."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


def content_hash(device_id: str, ops_hash: str) -> str:
    """What makes two sends 'the same batch': the device and its ops (not client_time or manifest)."""
    return hashlib.sha256(f"{device_id}:{ops_hash}".encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class _Device:
    device_id: str
    desa_code: str


@dataclass(slots=True)
class _State:
    rows: dict[str, dict[str, Any]]  # record_id -> entry row (current, in memory)
    new_ids: set[str]
    dirty: set[str]
    versions: list[dict[str, Any]]
    history: dict[tuple[str, int], dict[str, Any]]  # payloads written in this batch
    applied: list[dict[str, Any]]
    audits: list[dict[str, Any]]
    session: Session
    today: date  # validate_entry's "today", read once per batch
    province: str = ""  # the device's province: the ledger rows' partition key


def ingest_batch(
    session: Session,
    *,
    settings: Settings,
    catalogue: Catalogue,
    user: User,
    batch_id: str,
    req: BatchRequest,
) -> str:
    """Apply one batch and return the response JSON (stored for replays)."""
    device = session.get(Device, req.device_id)
    if device is None or device.user_id != user.id:
        raise BatchRejected(403, "Perangkat ini tidak terdaftar untuk akun ini; login ulang untuk mendaftarkannya.")
    if len(req.ops) > settings.max_ops_per_batch:
        raise BatchRejected(413, f"Batch berisi {len(req.ops)} op; paling banyak {settings.max_ops_per_batch}.")
    _precheck(req, device.desa_code)
    with _gc_paused(len(req.ops)):
        # One dump per op serves the content hash and, below, the payloads to validate.
        dumps = [op.model_dump(mode="json") for op in req.ops]
        ops_hash = _ops_hash(dumps)
        chash = content_hash(req.device_id, ops_hash)
        for attempt in range(db.RETRIES):
            try:
                response = _transaction(session, settings=settings, catalogue=catalogue, user=user, device=device,
                                        batch_id=batch_id, chash=chash, ops_hash=ops_hash, req=req, dumps=dumps)
                break
            except DBAPIError as e:
                # Two batches that flag each other's villages' entries can deadlock on the feeds' locks.
                if not db.is_retryable(e) or attempt == db.RETRIES - 1:
                    raise
                log.info("batch %s: %s, retrying", batch_id, type(e.orig).__name__)
    failpoints.hit("ingest_after_commit")
    return response


def _transaction(session: Session, *, settings: Settings, catalogue: Catalogue, user: User, device: Device,
                 batch_id: str, chash: str, ops_hash: str, req: BatchRequest, dumps: list[dict[str, Any]]) -> str:
    """The batch's one transaction: the stored reply of a replay, or the ops applied and committed."""
    with db.serialised(session):
        seq = SeqAllocator(session)
        try:
            # The desa feed's lock, from here to commit: a replay of the same batch (same device, same
            # desa) waits here and then finds the stored reply; other villages do not wait.
            seq.lock(desa_feed(device.desa_code))
            stored = session.get(Batch, batch_id)
            if stored is not None:
                session.rollback()
                if stored.content_hash != chash:
                    raise BatchRejected(422, "Idempotency-Key ini sudah dipakai untuk batch dengan isi lain; "
                                             "batch baru harus memakai id baru.")
                log.info("batch %s replayed (stored response)", batch_id)
                return stored.response_json
            response = _apply(session, settings=settings, catalogue=catalogue, user=user, device=device,
                              batch_id=batch_id, chash=chash, ops_hash=ops_hash, req=req, seq=seq,
                              dumps=dumps)
            seq.store()
            failpoints.hit("ingest_before_commit")
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return response


def _ops_hash(dumps: list[dict[str, Any]]) -> str:
    """sync.protocol.ops_content_hash(ops), from the ops' model_dump(mode="json") that ingest needs anyway
    (the same canonical JSON; test_review's arrived_whole checks catch any drift between the two)."""
    body = json.dumps(dumps, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


def _payload_of(op: Op, dumped: dict[str, Any]) -> dict[str, Any]:
    """op.payload.model_dump(), taken from the JSON-mode dump: for these fields (str, list of str, float)
    the two can differ only if JSON mode turned a non-finite latitude/longitude into null; then the
    plain dump is made."""
    assert op.payload is not None
    raw: dict[str, Any] = dumped["payload"]
    if (raw["latitude"] is None) != (op.payload.latitude is None) or \
            (raw["longitude"] is None) != (op.payload.longitude is None):
        return op.payload.model_dump()
    return raw


_gc_lock = threading.Lock()
_gc_holders = 0


@contextmanager
def _gc_paused(n_ops: int) -> Iterator[None]:
    """A big batch allocates hundreds of thousands of short-lived, acyclic objects; the cyclic GC
    would rescan the whole heap many times over (measured: ~2x the ingest time). Pause it."""
    global _gc_holders
    if n_ops < 500:
        yield
        return
    with _gc_lock:
        _gc_holders += 1
        gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0:
                gc.enable()


def _precheck(req: BatchRequest, desa: str) -> None:
    seen: set[str] = set()
    for i, op in enumerate(req.ops):
        if op.op_id in seen:
            raise BatchRejected(422, f"op_id {op.op_id} muncul dua kali dalam batch (op ke-{i + 1}).")
        seen.add(op.op_id)
        if op.payload is not None:
            code = regions.digits_of(op.payload.desa_code)
            if code != desa:
                what = "tidak dikenal" if not regions.is_desa(code) else "milik desa lain"
                raise BatchRejected(422, f"Op ke-{i + 1} (record {op.record_id}): kode desa {op.payload.desa_code} "
                                         f"{what}; perangkat ini terdaftar untuk desa {regions.dotted(desa)}. "
                                         "Batch tidak diterapkan.")


def _load(session: Session, model: Any, key: str, values: list[str], *, province: str = "") -> list[Row[Any]]:
    """Rows of `model` whose `key` is one of `values` (Core rows: no ORM identity map per row).

    On PostgreSQL, `province` limits the lookup to that province's partition (migration 0004): a
    lookup by id alone probes all 39 partitions, which was a quarter of a 200-op batch's time. Ids
    are client-made UUIDs of the device's own desa, so they are in its province."""
    table = table_of(model)
    out: list[Row[Any]] = []
    only = [table.c.province_code == province] if province and session.get_bind().dialect.name == "postgresql" else []
    for part in bulk.chunks(values):
        out += session.execute(sa_select(table).where(bulk.one_of(session, table.c[key], part), *only)).all()
    return out


def _apply(session: Session, *, settings: Settings, catalogue: Catalogue, user: User, device: Device,
           batch_id: str, chash: str, ops_hash: str, req: BatchRequest, seq: SeqAllocator,
           dumps: list[dict[str, Any]]) -> str:
    now = _now()
    province = device.desa_code[:2]
    existing = {e.record_id: dict(e._mapping)
                for e in _load(session, Entry, "record_id", [op.record_id for op in req.ops], province=province)}
    foreign = sorted(r for r, e in existing.items() if e["desa_code"] != device.desa_code)
    if foreign:
        raise BatchRejected(403, f"Record {foreign[0]} milik desa lain; batch tidak diterapkan.")
    applied = {a.op_id: a for a in _load(session, AppliedOp, "op_id", [op.op_id for op in req.ops], province=province)}
    old_rows = {rid: dict(row) for rid, row in existing.items()}
    st = _State(rows=dict(existing), new_ids=set(), dirty=set(), versions=[], history={}, applied=[], audits=[],
                session=session, today=date.today(), province=device.desa_code[:2])

    dev = _Device(device.device_id, device.desa_code)  # plain attributes: read twice per op
    results: list[_Res] = []
    add = results.append
    prev_of = applied.get
    for op, dumped in zip(req.ops, dumps, strict=True):
        prev = prev_of(op.op_id)
        if prev is not None:
            add(_replayed(op, prev, st))
            continue
        try:
            add(_one(op, dumped, st, catalogue=catalogue, device=dev, batch_id=batch_id, now=now))
        except Exception:  # one bad op never blocks the others, and never becomes a 500
            log.exception("op %s (record %s) failed", op.op_id, op.record_id)
            add(_result(op, OpStatus.INVALID, None, errors=[OpError(
                field="", code="server_error", message="Server gagal memproses entri ini; kirim ulang nanti.")]))

    _reference_rules(session, st, settings=settings, catalogue=catalogue, now=now)
    feed = desa_feed(device.desa_code)
    for rid in dict.fromkeys(op.record_id for op in req.ops):  # seq in op order
        if rid not in st.dirty:
            continue
        st.rows[rid]["change_seq"] = seq.next(feed)
        st.rows[rid]["updated_at"] = now
    keys = duplicates.Keys()
    for rid in st.dirty:
        keys.add(st.rows[rid])
        if rid in old_rows:
            keys.add(old_rows[rid])  # an edited NIK/KK/birth date leaves its old group
    # Before the rows are written: the batch's rows are in memory, the database has the others.
    duplicates.refresh(session, keys, catalogue=catalogue, seq=seq, now=now,
                       touched={rid: st.rows[rid] for rid in st.dirty}, stored=st.dirty - st.new_ids)

    inserts = [st.rows[r] for r in st.new_ids]
    updates = [st.rows[r] for r in st.dirty - st.new_ids]
    for row in st.rows.values():
        flags_json(row)
    # Core executemany (not the ORM unit of work): the bulk of a batch is plain inserts.
    if inserts:  # the same Core executemany the benchmark's raw-insert baseline uses
        session.execute(insert(table_of(Entry)), inserts)
    for model, rows in ((EntryVersion, st.versions), (AppliedOp, st.applied), (AuditLog, st.audits)):
        bulk.append_rows(session, table_of(model), rows)
    if updates:
        session.execute(update(Entry), updates)

    body = _response_json(batch_id, [text for _status, text in results])
    session.add(Batch(batch_id=batch_id, device_id=device.device_id, user_id=user.id or 0, desa_code=device.desa_code,
                      kecamatan_code=device.desa_code[:6], content_hash=chash, ops_hash=ops_hash, received_at=now, op_count=len(req.ops),
                      manifest_entry_count=req.entry_count, manifest_content_hash=req.content_hash,
                      response_json=body))
    counts: dict[str, int] = {}
    for status, _text in results:
        counts[status] = counts.get(status, 0) + 1
    log.info("batch %s device %s: %d ops %s", batch_id, device.device_id, len(req.ops), counts)
    return body


def _response_json(batch_id: str, results: list[str]) -> str:
    """BatchResponse(batch_id, results, server_time now).model_dump_json(), from the results' JSON texts:
    pydantic writes the envelope (an empty results list), the results go in its place."""
    shell = BatchResponse(batch_id=batch_id, results=[], server_time=datetime.now(UTC)).model_dump_json()
    # batch_id comes first and is an escaped JSON string, so this marker can only be the real one.
    head, tail = shell.split('"results":[]', 1)
    return f'{head}"results":[{",".join(results)}]{tail}'


def _result(op: Op, status: OpStatus, row: dict[str, Any] | None, **kw: Any) -> _Res:
    """One op's result as (status, OpResult JSON text). The common case (no conflict details, no
    errors) is written directly, byte for byte what OpResult.model_dump_json() writes (pydantic and
    encode_basestring escape a str alike; test_ingest_wire checks); anything else goes through OpResult."""
    version = row["version"] if row else kw.pop("version", None)
    op_id, record_id = op.op_id, op.record_id
    if kw or not (op_id.isascii() and record_id.isascii()):  # non-ASCII: leave odd code points to pydantic
        return status, OpResult(op_id=op_id, record_id=record_id, status=status, version=version,
                                **kw).model_dump_json()
    return status, (f'{{"op_id":{encode_basestring(op_id)},"record_id":{encode_basestring(record_id)},'
                    f'"status":"{_STATUS[status]}","version":{"null" if version is None else int(version)},'
                    '"conflict_kind":null,"conflict_fields":[],"server_copy":null,"errors":[]}')


def _server_copy(row: dict[str, Any]) -> dict[str, Any]:
    return to_server_entry(row).model_dump(mode="json")


def _replayed(op: Op, prev: Row[Any], st: _State) -> _Res:
    row = st.rows.get(op.record_id)
    if prev.status == OpStatus.CONFLICT and row is not None:
        conflict = json.loads(row["conflict"]) if row.get("conflict") else {}
        return _result(op, OpStatus.CONFLICT, row, conflict_kind="hard",
                       conflict_fields=list(conflict.get("fields", [])), server_copy=_server_copy(row))
    return _result(op, OpStatus.DUPLICATE, None, version=prev.version)


def _mark_applied(st: _State, op: Op, batch_id: str, status: OpStatus, version: int | None) -> None:
    st.applied.append({"op_id": op.op_id, "province_code": st.province, "record_id": op.record_id, "batch_id": batch_id, "status": str(status),
                       "version": version})


def _version_row(st: _State, row: dict[str, Any], change: str, payload: str, op: Op, batch_id: str,
                 now: datetime, parsed: dict[str, Any] | None = None) -> None:
    st.versions.append({"record_id": row["record_id"], "province_code": st.province, "version": row["version"], "change": change,
                        "payload": payload, "review_state": row["review_state"], "op_id": op.op_id,
                        "batch_id": batch_id, "device_id": row["device_id"], "created_at": now})
    if change != "conflict":
        st.history[(row["record_id"], row["version"])] = parsed if parsed is not None else json.loads(payload)


def _one(op: Op, dumped: dict[str, Any], st: _State, *, catalogue: Catalogue, device: _Device,
         batch_id: str, now: datetime) -> _Res:
    row = st.rows.get(op.record_id)
    if op.kind == OpKind.DELETE:
        return _delete(op, row, st, batch_id=batch_id, now=now)
    if op.payload is None:
        return _result(op, OpStatus.INVALID, None, errors=[OpError(field="payload", code="missing",
                                                                   message="Data entri kosong.")])
    raw = _payload_of(op, dumped)
    check = validate_entry(raw, catalogue=catalogue, operator_desa=device.desa_code, today=st.today)
    if not check.ok:
        return _result(op, OpStatus.INVALID, None,
                       errors=[OpError(field=i.field, code=i.code, message=i.message) for i in check.errors])
    new = normalised_payload(raw, check)
    warnings = _to_json([i.to_dict() for i in check.warnings]) if check.warnings else "[]"
    if row is None:
        rid = op.record_id
        row = _new_row(rid, new, warnings, check_warn=bool(check.warnings), device=device, batch_id=batch_id, now=now)
        st.rows[rid] = row
        st.new_ids.add(rid)
        st.dirty.add(rid)
        _version_row(st, row, "create", row["payload"], op, batch_id, now, parsed=new)
        _mark_applied(st, op, batch_id, OpStatus.ACCEPTED, 1)
        return _result(op, OpStatus.ACCEPTED, row)

    if row["voided"]:
        return _result(op, OpStatus.CONFLICT, row, conflict_kind="deleted", server_copy=_server_copy(row))
    current = json.loads(row["payload"])
    base_payload = _base_payload(op, st)
    if row["deleted"] and op.base_version != row["version"]:
        return _result(op, OpStatus.CONFLICT, row, conflict_kind="deleted", server_copy=_server_copy(row))
    cls = classify_upsert(new, current, base_version=op.base_version, current_version=row["version"],
                          base_payload=base_payload)
    if cls.outcome == Outcome.NOOP and not row["deleted"]:
        _mark_applied(st, op, batch_id, OpStatus.ACCEPTED, row["version"])
        return _result(op, OpStatus.ACCEPTED, row)
    if cls.outcome == Outcome.HARD:
        row["conflict"] = json.dumps({"village": new, "fields": list(cls.fields), "op_id": op.op_id,
                                      "base_version": op.base_version, "device_id": device.device_id,
                                      "at": now.isoformat()}, ensure_ascii=False)
        set_flags(row, set(flags_of(row)) | {FlagCode.CONFLICT_HARD})
        st.dirty.add(op.record_id)
        _version_row(st, row, "conflict", _to_json(new), op, batch_id, now)
        _mark_applied(st, op, batch_id, OpStatus.CONFLICT, row["version"])
        return _result(op, OpStatus.CONFLICT, row, conflict_kind="hard", conflict_fields=list(cls.fields),
                       server_copy=_server_copy(row))
    stored = cls.payload
    if cls.outcome == Outcome.MERGE:
        recheck = validate_entry(stored, catalogue=catalogue, operator_desa=device.desa_code, today=st.today)
        if not recheck.ok:  # the merge itself would be invalid: let a person choose
            row["conflict"] = json.dumps({"village": new, "fields": list(cls.fields), "op_id": op.op_id,
                                          "base_version": op.base_version, "device_id": device.device_id,
                                          "at": now.isoformat()}, ensure_ascii=False)
            set_flags(row, set(flags_of(row)) | {FlagCode.CONFLICT_HARD})
            st.dirty.add(op.record_id)
            _mark_applied(st, op, batch_id, OpStatus.CONFLICT, row["version"])
            return _result(op, OpStatus.CONFLICT, row, conflict_kind="hard", conflict_fields=list(cls.fields),
                           server_copy=_server_copy(row))
    _update(row, stored, warnings, device=device, batch_id=batch_id)
    flags = set(flags_of(row)) - {FlagCode.CONFLICT_HARD}
    if cls.outcome == Outcome.MERGE:
        flags.add(FlagCode.CONFLICT_SOFT)
    set_flags(row, flags)
    _annotate(row, stored, check_warn=bool(check.warnings))
    st.dirty.add(op.record_id)
    _version_row(st, row, "merge" if cls.outcome == Outcome.MERGE else "update", row["payload"], op, batch_id, now)
    _mark_applied(st, op, batch_id, OpStatus.ACCEPTED, row["version"])
    if cls.outcome == Outcome.MERGE:
        return _result(op, OpStatus.ACCEPTED, row, conflict_kind="soft", conflict_fields=list(cls.fields))
    return _result(op, OpStatus.ACCEPTED, row)


def _new_row(record_id: str, new: dict[str, Any], warnings: str, *, check_warn: bool, device: _Device, batch_id: str,
             now: datetime) -> dict[str, Any]:
    """A created entry's row: every column of ENTRY_COLUMNS (test_ingest_wire checks), as one literal."""
    return {"record_id": record_id, "version": 1, "change_seq": 0, "deleted": False, "voided": False,
            "review_state": _PENDING, "review_reason_code": None, "review_note": None, "approved_version": None,
            "flags": _new_flags(new, check_warn=check_warn), "device_id": device.device_id,
            "last_batch_id": batch_id, "created_at": now, "updated_at": now, "payload": _to_json(new),
            "warnings": warnings, "conflict": None, **index_columns(new)}


def _new_flags(payload: dict[str, Any], *, check_warn: bool) -> list[str]:
    """_annotate's flags for a row that has none yet."""
    flags: list[str] = [FlagCode.DATA_WARNING] if check_warn else []
    if payload.get("override_reason"):
        flags.append(FlagCode.OVERRIDE)
    return flags


def _annotate(row: dict[str, Any], payload: dict[str, Any], *, check_warn: bool) -> None:
    flags = set(flags_of(row)) - {FlagCode.DATA_WARNING, FlagCode.OVERRIDE}
    if check_warn:
        flags.add(FlagCode.DATA_WARNING)
    if payload.get("override_reason"):
        flags.add(FlagCode.OVERRIDE)
    set_flags(row, flags)


def _update(row: dict[str, Any], payload: dict[str, Any], warnings: str, *, device: _Device, batch_id: str) -> None:
    """A new version from the village; review goes back to pending (design.md §4)."""
    flags = set(flags_of(row))
    state = row["review_state"]
    if state == ReviewState.APPROVED:
        flags.add(FlagCode.EDITED_AFTER_APPROVAL)
    elif state in (ReviewState.REJECTED, ReviewState.RETURNED):
        flags.add(FlagCode.RESUBMITTED)  # the earlier note stays on the entry and in the history
    row["review_state"] = str(ReviewState.PENDING)
    row["review_reason_code"] = None
    set_flags(row, flags)
    row["version"] += 1
    row["deleted"] = False
    row["conflict"] = None
    row["payload"] = _to_json(payload)
    row["warnings"] = warnings
    row["device_id"] = device.device_id
    row["last_batch_id"] = batch_id
    row.update(index_columns(payload))


def _base_payload(op: Op, st: _State) -> dict[str, Any] | None:
    if op.base_version is None:
        return None
    return st.history.get((op.record_id, op.base_version)) or _stored_history(op, st)


def _stored_history(op: Op, st: _State) -> dict[str, Any] | None:
    v = st.session.exec(select(EntryVersion.payload).where(
        EntryVersion.record_id == op.record_id, EntryVersion.version == op.base_version,
        EntryVersion.change != "conflict").order_by(col(EntryVersion.id).desc())).first()
    return json.loads(v) if v else None


def _delete(op: Op, row: dict[str, Any] | None, st: _State, *, batch_id: str, now: datetime) -> _Res:
    if row is None:
        # Never reached the server: nothing to delete, and nothing to keep.
        _mark_applied(st, op, batch_id, OpStatus.ACCEPTED, None)
        return _result(op, OpStatus.ACCEPTED, None)
    if row["deleted"] or row["voided"]:
        _mark_applied(st, op, batch_id, OpStatus.ACCEPTED, row["version"])
        return _result(op, OpStatus.ACCEPTED, row)
    if op.base_version != row["version"]:
        reason = op.payload.delete_reason if op.payload else ""
        row["conflict"] = json.dumps({"village": None, "delete": True, "delete_reason": reason, "fields": ["deleted"],
                                      "op_id": op.op_id, "base_version": op.base_version, "at": now.isoformat()})
        set_flags(row, set(flags_of(row)) | {FlagCode.CONFLICT_HARD})
        st.dirty.add(op.record_id)
        _mark_applied(st, op, batch_id, OpStatus.CONFLICT, row["version"])
        return _result(op, OpStatus.CONFLICT, row, conflict_kind="hard", conflict_fields=["deleted"],
                       server_copy=_server_copy(row))
    row["deleted"] = True
    row["version"] += 1
    row["conflict"] = None
    row["last_batch_id"] = batch_id
    if op.payload is not None and op.payload.delete_reason:
        payload = json.loads(row["payload"])
        payload["delete_reason"] = op.payload.delete_reason
        row["payload"] = json.dumps(payload, ensure_ascii=False)
    st.dirty.add(op.record_id)
    _version_row(st, row, "delete", row["payload"], op, batch_id, now)
    _mark_applied(st, op, batch_id, OpStatus.ACCEPTED, row["version"])
    return _result(op, OpStatus.ACCEPTED, row)


def _reference_rules(session: Session, st: _State, *, settings: Settings, catalogue: Catalogue, now: datetime) -> None:
    """Flag or auto-reject (R05) pending entries whose NIK is an active reference recipient."""
    live = [st.rows[r] for r in st.dirty if not st.rows[r]["deleted"]]
    refs = active_by_nik(session, [r["nik"] for r in live], settings.reference_active_statuses)
    for row in live:
        verdict = judge(row["programme"], refs.get(row["nik"], []), catalogue=catalogue, rules=settings.reference_rules)
        current = flags_of(row)
        if verdict is None and not any(f in REF_FLAGS for f in current):
            continue  # nothing to add or clear
        flags = set(current) - {FlagCode.REF_MATCH, FlagCode.REF_REJECT}
        if verdict is not None:
            flags.add(FlagCode.REF_REJECT if verdict.action == "reject" else FlagCode.REF_MATCH)
            if verdict.action == "reject" and row["review_state"] == ReviewState.PENDING:
                before = {"review_state": row["review_state"], "review_reason_code": row["review_reason_code"]}
                row["review_state"] = str(ReviewState.REJECTED)
                row["review_reason_code"] = str(ReasonCode.ALREADY_RECIPIENT)
                row["review_note"] = (f"Otomatis: sudah menerima {verdict.programme} ({verdict.level}, "
                                      f"periode {verdict.period}).")
                st.audits.append({"at": now, "user_id": None, "username": "sistem", "action": "auto_reject",
                                  "record_id": row["record_id"], "kecamatan_code": row["kecamatan_code"],
                                  "before": json.dumps(before),
                                  "after": json.dumps({"review_state": ReviewState.REJECTED, "review_reason_code": ReasonCode.ALREADY_RECIPIENT})})
        set_flags(row, flags)
