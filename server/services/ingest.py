"""Idempotent batch ingest of protocol 2 (design.md §4; ADR 0005): one transaction per batch, one
result per op, over households, members and proposals.

Bulk-shaped on purpose: the ops' records, the records they reference, the applied op ids and the
reference-list rows are loaded with a few IN queries, ops are classified in memory in batch order
(so a member may name a household created earlier in the same batch), and rows are written with
executemany. The probable-person matcher runs after the commit, in a transaction of its own.
"""

from __future__ import annotations

import gc
import hashlib
import json
import logging
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from json.encoder import encode_basestring
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Row, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from domain import regions
from domain.errors import KnownError
from domain.findings import Findings
from domain.flags import FlagCode
from domain.household_check import validate_household
from domain.member_check import validate_member
from domain.programmes import Catalogue, Target, UnknownProgramme
from domain.proposal_check import validate_proposal
from domain.reasons import ReasonCode
from domain.records import PAYLOADS, RECORD_TYPE_LABELS, HouseholdPayload, MemberPayload, ProposalPayload, RecordType
from domain.states import OpKind, OpStatus, ReviewState
from server import db, failpoints
from server.models import AppliedOp, AuditLog, Batch, Device, RecordVersion, User, table_of
from server.services import bulk, duplicates
from server.services.conflicts import Outcome, classify_upsert
from server.services.entries import REF_FLAGS, flags_json, flags_of, set_flags
from server.services.records import MODELS, TABLES, index_columns, normalised, server_record
from server.services.reference import active_by_nik, judge
from server.services.seq import SeqAllocator, desa_feed
from server.settings import Settings
from sync.protocol import BatchResponse, OpError, OpResult, RecordBatchRequest, RecordOp

log = logging.getLogger("bansos.server.ingest")
_to_json = json.JSONEncoder(ensure_ascii=False).encode
_PENDING = str(ReviewState.PENDING)
_STATUS = {s: str(s) for s in OpStatus}
_Res = tuple[OpStatus, str]  # (status, its OpResult JSON text)
_REFS: dict[RecordType, tuple[tuple[str, RecordType], ...]] = {
    RecordType.HOUSEHOLD: (),
    RecordType.MEMBER: (("household_id", RecordType.HOUSEHOLD),),
    RecordType.PROPOSAL: (("household_id", RecordType.HOUSEHOLD), ("member_id", RecordType.MEMBER),
                          ("pengurus_id", RecordType.MEMBER)),
}
_REF_LABEL = {"household_id": "Keluarga", "member_id": "Anggota sasaran", "pengurus_id": "Pengurus"}


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


@dataclass(slots=True)
class _State:
    session: Session
    desa: str
    device_id: str
    batch_id: str
    now: datetime
    today: date
    catalogue: Catalogue
    rows: dict[RecordType, dict[str, dict[str, Any]]]  # current rows (database + this batch), in memory
    new_ids: set[str] = field(default_factory=set)
    dirty: dict[str, RecordType] = field(default_factory=dict)  # written at the end, in first-touch order
    old: dict[str, dict[str, Any]] = field(default_factory=dict)  # database copies of changed rows
    hh_members: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # live members per household
    versions: list[dict[str, Any]] = field(default_factory=list)
    history: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)  # payloads written in this batch
    applied: list[dict[str, Any]] = field(default_factory=list)
    audits: list[dict[str, Any]] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)  # households/members changed by a village edit

    @property
    def province(self) -> str:
        return self.desa[:2]

    def touch(self, rtype: RecordType, row: dict[str, Any]) -> None:
        rid = row["record_id"]
        if rid not in self.dirty and rid not in self.new_ids:
            self.old.setdefault(rid, dict(row))
        self.dirty.setdefault(rid, rtype)


def ingest_batch(
    session: Session,
    *,
    settings: Settings,
    catalogue: Catalogue,
    user: User,
    batch_id: str,
    req: RecordBatchRequest,
) -> str:
    """Apply one batch and return the response JSON (stored for replays)."""
    device = session.get(Device, req.device_id)
    if device is None or device.user_id != user.id:
        raise BatchRejected(403, "Perangkat ini tidak terdaftar untuk akun ini; login ulang untuk mendaftarkannya.")
    if len(req.ops) > settings.max_ops_per_batch:
        raise BatchRejected(413, f"Batch berisi {len(req.ops)} op; paling banyak {settings.max_ops_per_batch}.")
    _precheck(req, device.desa_code)
    with _gc_paused(len(req.ops)):
        dumps = [op.model_dump(mode="json") for op in req.ops]
        ops_hash = _ops_hash(dumps)
        chash = content_hash(req.device_id, ops_hash)
        members: set[str] = set()
        for attempt in range(db.RETRIES):
            try:
                response, members = _transaction(session, settings=settings, catalogue=catalogue, user=user,
                                                 device=device, batch_id=batch_id, chash=chash, ops_hash=ops_hash,
                                                 req=req, dumps=dumps)
                break
            except DBAPIError as e:
                # Two batches that flag each other's villages' records can deadlock on the feeds' locks.
                if not db.is_retryable(e) or attempt == db.RETRIES - 1:
                    raise
                log.info("batch %s: %s, retrying", batch_id, type(e.orig).__name__)
    failpoints.hit("ingest_after_commit")
    if members:
        refresh_persons_after(session, members)
    return response


def refresh_persons_after(session: Session, member_ids: set[str]) -> None:
    """The probable-person groups around a committed batch's members, in their own transaction: the
    batch's answer does not wait for the matcher, and a failure here loses no village work (the next
    batch touching these people recomputes them)."""
    for attempt in range(db.RETRIES):
        try:
            with db.serialised(session):
                seq = SeqAllocator(session)
                try:
                    duplicates.refresh_persons(session, member_ids, seq=seq, now=_now())
                    seq.store()
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
            return
        except DBAPIError as e:
            if db.is_retryable(e) and attempt < db.RETRIES - 1:
                continue
            log.exception("person groups of %d members not refreshed", len(member_ids))
            return
        except Exception:
            log.exception("person groups of %d members not refreshed", len(member_ids))
            return


def _transaction(session: Session, *, settings: Settings, catalogue: Catalogue, user: User, device: Device,
                 batch_id: str, chash: str, ops_hash: str, req: RecordBatchRequest,
                 dumps: list[dict[str, Any]]) -> tuple[str, set[str]]:
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
                return stored.response_json, set()
            response, members = _apply(session, settings=settings, catalogue=catalogue, user=user, device=device,
                                       batch_id=batch_id, chash=chash, ops_hash=ops_hash, req=req, seq=seq)
            seq.store()
            failpoints.hit("ingest_before_commit")
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return response, members


def _ops_hash(dumps: list[dict[str, Any]]) -> str:
    """sync.protocol.ops_content_hash(ops), from the ops' model_dump(mode="json") (the same canonical JSON)."""
    body = json.dumps(dumps, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode()).hexdigest()


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


def _precheck(req: RecordBatchRequest, desa: str) -> None:
    seen: set[str] = set()
    for i, op in enumerate(req.ops):
        if op.op_id in seen:
            raise BatchRejected(422, f"op_id {op.op_id} muncul dua kali dalam batch (op ke-{i + 1}).")
        seen.add(op.op_id)
        if isinstance(op.payload, HouseholdPayload):
            code = regions.digits_of(op.payload.desa_code)
            if code != desa:
                what = "tidak dikenal" if not regions.is_desa(code) else "milik desa lain"
                raise BatchRejected(422, f"Op ke-{i + 1} (keluarga {op.record_id}): kode desa {op.payload.desa_code} "
                                         f"{what}; perangkat ini terdaftar untuk desa {regions.dotted(desa)}. "
                                         "Batch tidak diterapkan.")
        if op.payload is not None and not isinstance(op.payload, PAYLOADS[op.record_type]):
            raise BatchRejected(422, f"Op ke-{i + 1}: isi tidak sesuai jenis record {op.record_type.value}.")


def _load(session: Session, rtype: RecordType | None, key: str, values: list[str], *, province: str,
          table: Any = None) -> list[Row[Any]]:
    """Rows whose `key` is one of `values` (Core rows: no ORM identity map per row). On PostgreSQL,
    `province` limits the lookup to that province's partition (migration 0007, as 0004)."""
    t = table if table is not None else TABLES[rtype] if rtype is not None else None
    assert t is not None
    out: list[Row[Any]] = []
    only = [t.c.province_code == province] if province and session.get_bind().dialect.name == "postgresql" else []
    for part in bulk.chunks(sorted(set(values))):
        out += session.execute(sa_select(t).where(bulk.one_of(session, t.c[key], part), *only)).all()
    return out


def _apply(session: Session, *, settings: Settings, catalogue: Catalogue, user: User, device: Device,
           batch_id: str, chash: str, ops_hash: str, req: RecordBatchRequest,
           seq: SeqAllocator) -> tuple[str, set[str]]:
    now = _now()
    desa = device.desa_code
    province = desa[:2]
    st = _State(session=session, desa=desa, device_id=device.device_id, batch_id=batch_id, now=now,
                today=date.today(), catalogue=catalogue, rows={t: {} for t in RecordType})
    by_type: dict[RecordType, list[str]] = defaultdict(list)
    for op in req.ops:
        by_type[op.record_type].append(op.record_id)
    for rtype, ids in by_type.items():
        for r in _load(session, rtype, "record_id", ids, province=province):
            st.rows[rtype][r.record_id] = dict(r._mapping)
    foreign = sorted(rid for rows in st.rows.values() for rid, r in rows.items() if r["desa_code"] != desa)
    if foreign:
        raise BatchRejected(403, f"Record {foreign[0]} milik desa lain; batch tidak diterapkan.")
    _load_references(st, req.ops)
    applied = {a.op_id: a for a in _load(session, None, "op_id", [op.op_id for op in req.ops], province=province,
                                         table=table_of(AppliedOp))}

    results: list[_Res] = []
    # record id -> (local_rev, version) of the device's last op on it in this batch that the server
    # holds (applied now or before): a later op of the record was saved on top of it in the village.
    chain: dict[str, tuple[int, int]] = {}
    for op in req.ops:
        op = _chained(op, chain)
        prev = applied.get(op.op_id)
        if prev is not None:
            results.append(_replayed(op, prev, st))
            if results[-1][0] == OpStatus.DUPLICATE and prev.version is not None:
                chain[op.record_id] = (op.local_rev, int(prev.version))
            continue
        try:
            results.append(_one(op, st))
        except Exception:  # one bad op never blocks the others, and never becomes a 500
            log.exception("op %s (%s %s) failed", op.op_id, op.record_type.value, op.record_id)
            results.append(_result(op, OpStatus.INVALID, None, errors=[OpError(
                field="", code="server_error", message="Server gagal memproses data ini; kirim ulang nanti.")]))
            continue
        row = st.rows[op.record_type].get(op.record_id)
        if results[-1][0] == OpStatus.ACCEPTED and row is not None:
            chain[op.record_id] = (op.local_rev, int(row["version"]))

    _reopen_approved(st)
    _reference_rules(session, st, settings=settings, catalogue=catalogue, now=now)
    feed = desa_feed(desa)
    for rid in st.dirty:  # first-touch order = op order
        row = st.rows[st.dirty[rid]][rid]
        row["change_seq"] = seq.next(feed)
        row["updated_at"] = now
    keys = duplicates.Keys()
    touched: dict[RecordType, dict[str, dict[str, Any]]] = defaultdict(dict)
    for rid, rtype in st.dirty.items():
        keys.add(rtype, st.rows[rtype][rid])
        keys.add(rtype, st.old.get(rid))  # an edited NIK/KK/target leaves its old group
        touched[rtype][rid] = st.rows[rtype][rid]
    duplicates.refresh(session, keys, catalogue=catalogue, seq=seq, now=now, touched=dict(touched),
                       stored=set(st.dirty) - st.new_ids)

    for rtype in RecordType:
        ids = [rid for rid, t in st.dirty.items() if t is rtype]
        for rid in ids:
            flags_json(st.rows[rtype][rid])
        inserts = [st.rows[rtype][r] for r in ids if r in st.new_ids]
        updates = [st.rows[rtype][r] for r in ids if r not in st.new_ids]
        if inserts:
            session.execute(insert(TABLES[rtype]), inserts)
        if updates:
            session.execute(update(MODELS[rtype]), updates)
    for model, rows in ((RecordVersion, st.versions), (AppliedOp, st.applied), (AuditLog, st.audits)):
        bulk.append_rows(session, table_of(model), rows)

    body = _response_json(batch_id, [text for _status, text in results])
    session.add(Batch(batch_id=batch_id, device_id=device.device_id, user_id=user.id or 0, desa_code=desa,
                      kecamatan_code=desa[:6], content_hash=chash, ops_hash=ops_hash, received_at=now,
                      op_count=len(req.ops), manifest_entry_count=req.record_count,
                      manifest_content_hash=req.content_hash, response_json=body))
    counts: dict[str, int] = {}
    for status, _text in results:
        counts[status] = counts.get(status, 0) + 1
    log.info("batch %s device %s: %d ops %s", batch_id, device.device_id, len(req.ops), counts)
    return body, set(keys.members)


def _chained(op: RecordOp, chain: dict[str, tuple[int, int]]) -> RecordOp:
    """An op saved in the village after an earlier op of the same record in this batch has that op's
    server version as its base: the village saw its own edit. (Its stored base can be older: an op
    queued behind a batch whose answer never came, or two saves before a sync, both carry the base
    of the time they were saved.) Without this the second op would meet the first as a conflict."""
    seen = chain.get(op.record_id)
    if seen is None or op.local_rev <= seen[0]:
        return op
    _rev, version = seen
    if op.base_version is not None and op.base_version >= version:
        return op
    return op.model_copy(update={"base_version": version})


_REOPENED = (ReviewState.APPROVED, ReviewState.RETURNED)


def _reopen_approved(st: _State) -> None:
    """Edited after approval, through the data a proposal stands on: an approved proposal whose
    household, target member or pengurus the village changed goes back to pending review (flag
    EDITED_AFTER_APPROVAL), its approved version kept in the history; a returned one is resubmitted
    (flag RESUBMITTED, the reviewer's note kept), the fix being in that data (design.md §4, as an
    edit of the old entry did). A rejected proposal stays closed: a later change to the family is
    not a new request."""
    households = [rid for rid in st.edited if st.dirty.get(rid) is RecordType.HOUSEHOLD]
    members = [rid for rid in st.edited if st.dirty.get(rid) is RecordType.MEMBER]
    if not households and not members:
        return
    props = st.rows[RecordType.PROPOSAL]
    for column, ids in (("household_id", households), ("member_id", members), ("pengurus_id", members)):
        for r in _load(st.session, RecordType.PROPOSAL, column, ids, province=st.province):
            if r.review_state in _REOPENED and r.record_id not in props:
                props[r.record_id] = dict(r._mapping)
    edited = set(st.edited)
    for row in props.values():
        if row["review_state"] not in _REOPENED or row["deleted"] or row["voided"]:
            continue
        if not ({row["household_id"], row["member_id"], row["pengurus_id"]} & edited):
            continue
        if row["review_state"] == ReviewState.APPROVED:
            _version_row(st, RecordType.PROPOSAL, row, "approved", row["payload"], None)
            flag = FlagCode.EDITED_AFTER_APPROVAL
        else:
            flag = FlagCode.RESUBMITTED
        row["review_state"] = _PENDING
        row["review_reason_code"] = None
        set_flags(row, set(flags_of(row)) | {flag})
        st.touch(RecordType.PROPOSAL, row)


def _load_references(st: _State, ops: list[RecordOp]) -> None:
    """The records the batch's payloads name (a member's household, a proposal's household, member and
    pengurus), and the live members of every household a proposal names (the pengurus must be one)."""
    wanted: dict[RecordType, set[str]] = defaultdict(set)
    households: set[str] = set()
    for op in ops:
        if op.payload is None:
            continue
        for fld, rtype in _REFS[op.record_type]:
            if ref := getattr(op.payload, fld).strip():
                wanted[rtype].add(ref)
        if isinstance(op.payload, ProposalPayload) and op.payload.household_id.strip():
            households.add(op.payload.household_id.strip())
    for rtype, ids in wanted.items():
        missing = [i for i in ids if i not in st.rows[rtype]]
        # Not limited to the province: a reference to another province's record must be found to be refused.
        for r in _load(st.session, rtype, "record_id", missing, province=""):
            st.rows[rtype][r.record_id] = dict(r._mapping)
    if households:
        for r in _load(st.session, RecordType.MEMBER, "household_id", list(households), province=st.province):
            st.rows[RecordType.MEMBER].setdefault(r.record_id, dict(r._mapping))
    for rid, m in st.rows[RecordType.MEMBER].items():
        if not m["deleted"] and not m["voided"]:
            st.hh_members[m["household_id"]].add(rid)


def _response_json(batch_id: str, results: list[str]) -> str:
    """BatchResponse(batch_id, results, server_time now).model_dump_json(), from the results' JSON texts."""
    shell = BatchResponse(batch_id=batch_id, results=[], server_time=datetime.now(UTC)).model_dump_json()
    head, tail = shell.split('"results":[]', 1)
    return f'{head}"results":[{",".join(results)}]{tail}'


def _result(op: RecordOp, status: OpStatus, row: dict[str, Any] | None, **kw: Any) -> _Res:
    """One op's result as (status, OpResult JSON text). The common case (no conflict details, no
    errors) is written directly, byte for byte what OpResult.model_dump_json() writes; anything else
    goes through OpResult."""
    version = row["version"] if row else kw.pop("version", None)
    op_id, record_id = op.op_id, op.record_id
    if kw or not (op_id.isascii() and record_id.isascii()):
        return status, OpResult(op_id=op_id, record_type=op.record_type, record_id=record_id, status=status,
                                version=version, **kw).model_dump_json()
    return status, (f'{{"op_id":{encode_basestring(op_id)},"record_type":"{op.record_type.value}",'
                    f'"record_id":{encode_basestring(record_id)},"status":"{_STATUS[status]}",'
                    f'"version":{"null" if version is None else int(version)},'
                    '"conflict_kind":null,"conflict_fields":[],"server_copy":null,"errors":[]}')


def _replayed(op: RecordOp, prev: Row[Any], st: _State) -> _Res:
    row = st.rows[op.record_type].get(op.record_id)
    if prev.status == OpStatus.CONFLICT and row is not None:
        conflict = json.loads(row["conflict"]) if row.get("conflict") else {}
        return _result(op, OpStatus.CONFLICT, row, conflict_kind="hard",
                       conflict_fields=list(conflict.get("fields", [])), server_copy=_copy(op.record_type, row))
    return _result(op, OpStatus.DUPLICATE, None, version=prev.version)


def _copy(rtype: RecordType, row: dict[str, Any]) -> dict[str, Any]:
    return server_record(rtype, row)


def _mark_applied(st: _State, op: RecordOp, status: OpStatus, version: int | None) -> None:
    st.applied.append({"op_id": op.op_id, "province_code": st.province, "record_id": op.record_id,
                       "batch_id": st.batch_id, "status": str(status), "version": version})


def _version_row(st: _State, rtype: RecordType, row: dict[str, Any], action: str, payload: str,
                 op: RecordOp | None, parsed: dict[str, Any] | None = None) -> None:
    st.versions.append({"province_code": st.province, "record_type": rtype.value, "record_id": row["record_id"],
                        "version": row["version"], "action": action, "review_state": row.get("review_state"),
                        "payload": payload, "source_payload": None, "op_id": op.op_id if op else None,
                        "batch_id": st.batch_id, "device_id": st.device_id, "actor": st.device_id, "at": st.now})
    if action not in ("conflict", "approved"):
        st.history[(row["record_id"], row["version"])] = parsed if parsed is not None else json.loads(payload)


def _invalid(op: RecordOp, findings: list[OpError]) -> _Res:
    return _result(op, OpStatus.INVALID, None, errors=findings)


def _errors(res: Findings) -> list[OpError]:
    return [OpError(field=i.field, code=i.code, message=i.message) for i in res.errors]


def _check(op: RecordOp, payload: BaseModel, st: _State) -> tuple[Findings, list[OpError]]:
    """The domain check of the record type, then its references: (findings, reference errors)."""
    refs: list[OpError] = []
    label = RECORD_TYPE_LABELS[op.record_type]
    for fld, rtype in _REFS[op.record_type]:
        ref = getattr(payload, fld).strip()
        if not ref:
            continue
        target = st.rows[rtype].get(ref)
        what = _REF_LABEL[fld]
        if target is None:
            refs.append(OpError(field=fld, code="not_found", message=(
                f"{what} ({fld}) {ref} tidak ditemukan di server; kirim {RECORD_TYPE_LABELS[rtype].lower()} itu "
                f"lebih dulu, sebelum {label.lower()} ini.")))
        elif target["desa_code"] != st.desa:
            refs.append(OpError(field=fld, code="other_desa", message=(
                f"{what} ({fld}) {ref} milik desa lain; {label.lower()} hanya boleh menunjuk data desa ini.")))
        elif target["deleted"] or target["voided"]:
            refs.append(OpError(field=fld, code="deleted", message=(
                f"{what} ({fld}) {ref} sudah dihapus; pilih {RECORD_TYPE_LABELS[rtype].lower()} lain.")))
    if isinstance(payload, HouseholdPayload):
        return validate_household(payload, operator_desa=st.desa), refs
    if isinstance(payload, MemberPayload):
        return validate_member(payload, today=st.today, operator_kabkota=st.desa[:4]), refs
    assert isinstance(payload, ProposalPayload)
    members: set[str] | None = None
    hid = payload.household_id.strip()
    if hid and hid in st.rows[RecordType.HOUSEHOLD]:
        members = st.hh_members.get(hid, set())
    return validate_proposal(payload, catalogue=st.catalogue, household_member_ids=members, today=st.today), refs


def _one(op: RecordOp, st: _State) -> _Res:
    rtype = op.record_type
    row = st.rows[rtype].get(op.record_id)
    if op.kind == OpKind.DELETE:
        return _delete(op, row, st)
    if op.payload is None:
        return _invalid(op, [OpError(field="payload", code="missing", message="Data kosong.")])
    findings, ref_errors = _check(op, op.payload, st)
    if not findings.ok or ref_errors:
        named = {e.field for e in ref_errors}  # a missing record says more than "not in this household"
        return _invalid(op, ref_errors + [e for e in _errors(findings) if e.field not in named])
    new = normalised(rtype, op.payload.model_dump(), catalogue=st.catalogue)
    warnings = _to_json([i.to_dict() for i in findings.warnings]) if findings.warnings else "[]"
    if row is None:
        if rtype is RecordType.HOUSEHOLD:
            new["desil"] = None  # server-owned: from the reference list, never from a village
        row = _new_row(rtype, op.record_id, new, warnings, st)
        st.rows[rtype][op.record_id] = row
        st.new_ids.add(op.record_id)
        st.touch(rtype, row)
        _members_moved(st, rtype, None, row)
        _version_row(st, rtype, row, "create", row["payload"], op, parsed=new)
        _mark_applied(st, op, OpStatus.ACCEPTED, 1)
        return _result(op, OpStatus.ACCEPTED, row)

    if row["voided"]:
        return _result(op, OpStatus.CONFLICT, row, conflict_kind="deleted", server_copy=_copy(rtype, row))
    if row["deleted"] and op.base_version != row["version"]:
        return _result(op, OpStatus.CONFLICT, row, conflict_kind="deleted", server_copy=_copy(rtype, row))
    current = json.loads(row["payload"])
    if rtype is RecordType.HOUSEHOLD:
        new["desil"] = current.get("desil")
    cls = classify_upsert(new, current, base_version=op.base_version, current_version=row["version"],
                          base_payload=_base_payload(op, st), record_type=rtype)
    if cls.outcome == Outcome.NOOP and not row["deleted"]:
        _mark_applied(st, op, OpStatus.ACCEPTED, row["version"])
        return _result(op, OpStatus.ACCEPTED, row)
    if cls.outcome == Outcome.HARD:
        return _hard(op, row, st, village=new, fields=list(cls.fields))
    stored = cls.payload
    if cls.outcome == Outcome.MERGE:
        recheck, ref_errors = _check(op, PAYLOADS[rtype].model_validate(stored), st)
        if not recheck.ok or ref_errors:  # the merge itself would be invalid: let a person choose
            return _hard(op, row, st, village=new, fields=list(cls.fields))
    before = dict(row)
    _update(st, rtype, row, stored, warnings)
    _members_moved(st, rtype, before, row)
    if rtype is not RecordType.PROPOSAL:
        st.edited.append(op.record_id)
    flags = set(flags_of(row)) - {FlagCode.CONFLICT_HARD}
    if cls.outcome == Outcome.MERGE:
        flags.add(FlagCode.CONFLICT_SOFT)
    set_flags(row, flags)
    _annotate(row, stored, warned=bool(findings.warnings))
    st.touch(rtype, row)
    _version_row(st, rtype, row, "merge" if cls.outcome == Outcome.MERGE else "update", row["payload"], op)
    _mark_applied(st, op, OpStatus.ACCEPTED, row["version"])
    if cls.outcome == Outcome.MERGE:
        return _result(op, OpStatus.ACCEPTED, row, conflict_kind="soft", conflict_fields=list(cls.fields))
    return _result(op, OpStatus.ACCEPTED, row)


def _hard(op: RecordOp, row: dict[str, Any], st: _State, *, village: dict[str, Any] | None, fields: list[str],
          delete: bool = False) -> _Res:
    """Stale base, same fields: the server's values stay, the village edit is kept beside them."""
    conflict: dict[str, Any] = {"village": village, "fields": fields, "op_id": op.op_id,
                                "base_version": op.base_version, "device_id": st.device_id, "at": st.now.isoformat()}
    if delete:
        conflict["delete"] = True
    row["conflict"] = _to_json(conflict)
    set_flags(row, set(flags_of(row)) | {FlagCode.CONFLICT_HARD})
    st.touch(op.record_type, row)
    _version_row(st, op.record_type, row, "conflict", _to_json(village) if village else "{}", op)
    _mark_applied(st, op, OpStatus.CONFLICT, row["version"])
    return _result(op, OpStatus.CONFLICT, row, conflict_kind="hard", conflict_fields=fields,
                   server_copy=_copy(op.record_type, row))


def _members_moved(st: _State, rtype: RecordType, before: dict[str, Any] | None, after: dict[str, Any]) -> None:
    """Keep the live members of each household current within the batch (the pengurus check)."""
    if rtype is not RecordType.MEMBER:
        return
    rid = after["record_id"]
    if before is not None:
        st.hh_members[before["household_id"]].discard(rid)
    if not after["deleted"] and not after["voided"]:
        st.hh_members[after["household_id"]].add(rid)


def _new_row(rtype: RecordType, record_id: str, new: dict[str, Any], warnings: str, st: _State) -> dict[str, Any]:
    row: dict[str, Any] = {
        "record_id": record_id, "version": 1, "change_seq": 0, "deleted": False, "voided": False,
        "flags": _new_flags(new, warned=warnings != "[]"), "payload": _to_json(new), "warnings": warnings,
        "conflict": None, "device_id": st.device_id, "last_batch_id": st.batch_id, "created_at": st.now,
        "updated_at": st.now, **index_columns(rtype, new, st.desa)}
    if rtype is RecordType.PROPOSAL:
        row.update(review_state=_PENDING, review_reason_code=None, review_note=None, review_fields="[]",
                   approved_version=None, legacy_entry_id=None)
    else:
        row["desil"] = None
    return row


def _new_flags(payload: dict[str, Any], *, warned: bool) -> list[str]:
    flags: list[str] = [FlagCode.DATA_WARNING] if warned else []
    if payload.get("override_reason"):
        flags.append(FlagCode.OVERRIDE)
    return flags


def _annotate(row: dict[str, Any], payload: dict[str, Any], *, warned: bool) -> None:
    flags = set(flags_of(row)) - {FlagCode.DATA_WARNING, FlagCode.OVERRIDE}
    if warned:
        flags.add(FlagCode.DATA_WARNING)
    if payload.get("override_reason"):
        flags.add(FlagCode.OVERRIDE)
    set_flags(row, flags)


def _update(st: _State, rtype: RecordType, row: dict[str, Any], payload: dict[str, Any], warnings: str) -> None:
    """A new version from the village. A proposal goes back to pending review (design.md §4): after an
    approval the approved version stays in the history; after a rejection or a return the earlier
    note stays on the proposal (a resubmission)."""
    if rtype is RecordType.PROPOSAL:
        flags = set(flags_of(row))
        state = row["review_state"]
        if state == ReviewState.APPROVED:
            flags.add(FlagCode.EDITED_AFTER_APPROVAL)
            # The approved version as approved, whatever history rows came before it.
            _version_row(st, rtype, row, "approved", row["payload"], None)
        elif state in (ReviewState.REJECTED, ReviewState.RETURNED):
            flags.add(FlagCode.RESUBMITTED)
        row["review_state"] = _PENDING
        row["review_reason_code"] = None
        set_flags(row, flags)
    row["version"] += 1
    row["deleted"] = False
    row["conflict"] = None
    row["payload"] = _to_json(payload)
    row["warnings"] = warnings
    row["device_id"] = st.device_id
    row["last_batch_id"] = st.batch_id
    row.update(index_columns(rtype, payload, st.desa))


def _base_payload(op: RecordOp, st: _State) -> dict[str, Any] | None:
    if op.base_version is None:
        return None
    return st.history.get((op.record_id, op.base_version)) or _stored_history(op, st)


def _stored_history(op: RecordOp, st: _State) -> dict[str, Any] | None:
    v = st.session.exec(select(RecordVersion.payload).where(
        RecordVersion.record_id == op.record_id, RecordVersion.version == op.base_version,
        col(RecordVersion.action).not_in(("conflict", "approved"))).order_by(col(RecordVersion.id).desc())).first()
    return json.loads(v) if v else None


def _delete(op: RecordOp, row: dict[str, Any] | None, st: _State) -> _Res:
    rtype = op.record_type
    if row is None:
        # Never reached the server: nothing to delete, and nothing to keep.
        _mark_applied(st, op, OpStatus.ACCEPTED, None)
        return _result(op, OpStatus.ACCEPTED, None)
    if row["deleted"] or row["voided"]:
        _mark_applied(st, op, OpStatus.ACCEPTED, row["version"])
        return _result(op, OpStatus.ACCEPTED, row)
    if op.base_version != row["version"]:
        return _hard(op, row, st, village=None, fields=["deleted"], delete=True)
    before = dict(row)
    row["deleted"] = True
    row["version"] += 1
    row["conflict"] = None
    row["last_batch_id"] = st.batch_id
    st.touch(rtype, row)
    _members_moved(st, rtype, before, row)
    _version_row(st, rtype, row, "delete", row["payload"], op)
    _mark_applied(st, op, OpStatus.ACCEPTED, row["version"])
    return _result(op, OpStatus.ACCEPTED, row)


def _proposal_niks(st: _State, row: dict[str, Any], catalogue: Catalogue) -> list[str]:
    """Rule 5's NIKs of a proposal: its member's (person programme), or every live member's of its
    household (household programme)."""
    members = st.rows[RecordType.MEMBER]
    try:
        target = catalogue.resolve(row["programme"]).target
    except UnknownProgramme:
        target = Target.PERSON
    ids = st.hh_members.get(row["household_id"], set()) if target is Target.HOUSEHOLD else {row["member_id"]}
    return sorted(members[i]["nik"] for i in ids if i in members and members[i]["nik"])


def _reference_rules(session: Session, st: _State, *, settings: Settings, catalogue: Catalogue, now: datetime) -> None:
    """Flag or auto-reject (R05) pending proposals whose target is an active reference recipient."""
    live = [st.rows[RecordType.PROPOSAL][r] for r, t in st.dirty.items()
            if t is RecordType.PROPOSAL and not st.rows[t][r]["deleted"]]
    niks = {row["record_id"]: _proposal_niks(st, row, catalogue) for row in live}
    refs = active_by_nik(session, [n for ns in niks.values() for n in ns], settings.reference_active_statuses)
    for row in live:
        found = [r for n in niks[row["record_id"]] for r in refs.get(n, [])]
        verdict = judge(row["programme"], found, catalogue=catalogue, rules=settings.reference_rules)
        current = flags_of(row)
        if verdict is None and not any(f in REF_FLAGS for f in current):
            continue
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
                                  "after": json.dumps({"review_state": ReviewState.REJECTED,
                                                       "review_reason_code": ReasonCode.ALREADY_RECIPIENT})})
        set_flags(row, flags)
