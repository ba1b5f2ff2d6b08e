"""Review: listing a kecamatan's batches and entries with flags, decisions (single SQL statements
executed many), duplicate groups and conflicts to settle. Every decision leaves an audit row."""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from fastapi import HTTPException
from sqlalchemy import func, insert, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from domain import regions
from domain.entry import validate_entry
from domain.flags import DECISION_CLEARS, DUP_FLAGS, FlagCode
from domain.idnumbers import parse_kk, parse_nik
from domain.programmes import Catalogue
from domain.reasons import ReasonCode, reason_text
from domain.states import Role
from server import db
from server.models import AppliedOp, AuditLog, Batch, Device, DuplicateGroup, DuplicateMember, Entry, EntryVersion, User
from server.services.entries import ENTRY_COLUMNS, flags_of, index_columns
from server.services.scope import entry_filter, in_area, not_found
from server.services.seq import SeqAllocator, desa_feed
from sync.protocol import ENTRY_FIELDS, EntryPayload
from sync.review_protocol import (
    DECISION_STATES,
    FLAG_TEXT,
    GROUP_KIND_TEXT,
    BatchSummary,
    DecidedEntry,
    Decision,
    DecisionRequest,
    DecisionResult,
    DecisionSkip,
    DuplicateGroupInfo,
    EntryDetail,
    Flag,
    GroupState,
    IdInfo,
    ReviewEntry,
    SettleConflictRequest,
    SettleDuplicateRequest,
    SkipCode,
    VersionInfo,
)

CHUNK = 500
T = TypeVar("T")
_FLAG_OF_KIND: dict[str, str] = {v: k for k, v in DUP_FLAGS.items()}


def _now() -> datetime:
    return datetime.now(UTC)


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for i in range(0, len(items), CHUNK):
        yield items[i : i + CHUNK]


# ---- reading ---------------------------------------------------------------------------------


def _id_info(kind: str, raw: str) -> IdInfo:
    n = parse_nik(raw) if kind == "nik" else parse_kk(raw)
    r = n.region
    region = ", ".join(x for x in (r.kecamatan_name, r.kabkota_name, r.province_name) if x)
    return IdInfo(digits=n.digits, valid=n.valid, region=region, date_text=n.date_text, sex=n.sex,
                  problems=[i.message for i in (*n.errors, *n.warnings)])


def related_records(session: Session, record_ids: Sequence[str]) -> dict[tuple[str, str], list[str]]:
    """(record_id, kind) -> the other members of its live duplicate groups."""
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    groups: dict[int, str] = {}
    mine: dict[int, set[str]] = defaultdict(set)
    for part in _chunks(list(record_ids)):
        stmt = select(DuplicateMember.group_id, DuplicateMember.record_id, DuplicateGroup.kind).join(
            DuplicateGroup, col(DuplicateGroup.id) == col(DuplicateMember.group_id)).where(
            col(DuplicateMember.record_id).in_(part), DuplicateGroup.state != GroupState.DISSOLVED)
        for gid, rid, kind in session.exec(stmt):
            groups[gid] = kind
            mine[gid].add(rid)
    if not groups:
        return out
    members: dict[int, list[str]] = defaultdict(list)
    ids = list(groups)
    for i in range(0, len(ids), CHUNK):
        for m in session.exec(select(DuplicateMember).where(col(DuplicateMember.group_id).in_(ids[i : i + CHUNK]))):
            members[m.group_id].append(m.record_id)
    for gid, rids in mine.items():
        for rid in rids:
            out[(rid, groups[gid])] += [m for m in members[gid] if m != rid]
    return out


def review_entry(e: Entry | dict[str, Any], related: dict[tuple[str, str], list[str]] | None = None) -> ReviewEntry:
    row = e if isinstance(e, dict) else {c: getattr(e, c) for c in ENTRY_COLUMNS}
    payload = json.loads(row["payload"])
    flags = []
    for code in flags_of(row):
        kind = _FLAG_OF_KIND.get(code)
        rel = sorted(set((related or {}).get((row["record_id"], kind), []))) if kind else []
        flags.append(Flag(code=code, message=FLAG_TEXT.get(code, code), related_record_ids=rel))
    return ReviewEntry(
        record_id=row["record_id"], version=row["version"], change_seq=row["change_seq"],
        desa_code=row["desa_code"], desa_name=regions.name_of(row["desa_code"]) or "",
        payload=EntryPayload.model_validate(payload),
        nik_info=_id_info("nik", payload.get("nik", "")), kk_info=_id_info("kk", payload.get("kk", "")),
        review_state=row["review_state"], review_reason_code=row["review_reason_code"],
        review_reason_text=reason_text(row["review_reason_code"]) if row["review_reason_code"] else None,
        review_note=row["review_note"], flags=flags, warnings=json.loads(row["warnings"] or "[]"),
        deleted=bool(row["deleted"]), voided=bool(row["voided"]),
        conflict=json.loads(row["conflict"]) if row["conflict"] else None,
        batch_id=row["last_batch_id"], updated_at=row["updated_at"],
    )


def review_entries(session: Session, entries: Sequence[Entry]) -> list[ReviewEntry]:
    related = related_records(session, [e.record_id for e in entries])
    return [review_entry(e, related) for e in entries]


def get_entry(session: Session, user: User, record_id: str) -> Entry:
    e = session.get(Entry, record_id)
    if e is None or not in_area(user, e.desa_code):
        raise not_found()
    return e


def entry_detail(session: Session, user: User, record_id: str) -> EntryDetail:
    e = get_entry(session, user, record_id)
    history = [
        VersionInfo(version=v.version, change=v.change, payload=json.loads(v.payload), review_state=v.review_state,
                    op_id=v.op_id, batch_id=v.batch_id, device_id=v.device_id, created_at=v.created_at)
        for v in session.exec(select(EntryVersion).where(EntryVersion.record_id == record_id)
                              .order_by(col(EntryVersion.id)))
    ]
    gids = [m.group_id for m in session.exec(select(DuplicateMember).where(DuplicateMember.record_id == record_id))]
    groups = [g for g in (session.get(DuplicateGroup, gid) for gid in gids) if g and g.state != GroupState.DISSOLVED]
    return EntryDetail(entry=review_entries(session, [e])[0], history=history,
                       duplicate_groups=[group_info(session, user, g) for g in groups])


def batch_summaries(session: Session, user: User, *, desa: str, offset: int, limit: int) -> tuple[list[BatchSummary], int]:
    stmt = select(Batch).where(col(Batch.desa_code).startswith(desa)).order_by(col(Batch.received_at).desc())
    total = session.exec(select(func.count()).select_from(Batch).where(col(Batch.desa_code).startswith(desa))).one()
    batches = list(session.exec(stmt.offset(offset).limit(limit)))
    if not batches:
        return [], int(total)
    ids = [b.batch_id for b in batches]
    flag_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    decisions: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for part in _chunks(ids):
        rows = session.exec(select(AppliedOp.batch_id, Entry.review_state, Entry.flags).join(
            Entry, col(Entry.record_id) == col(AppliedOp.record_id)).where(col(AppliedOp.batch_id).in_(part)))
        for bid, state, flags in rows:
            decisions[bid][state] += 1
            for f in json.loads(flags or "[]"):
                flag_counts[bid][f] += 1
    devices = {d.device_id: d for d in session.exec(select(Device).where(col(Device.device_id).in_(
        list({b.device_id for b in batches}))))}
    users = {u.id: u.username for u in session.exec(select(User).where(col(User.id).in_(list({b.user_id for b in batches}))))}
    out = []
    for b in batches:
        whole: bool | None = None
        if b.manifest_entry_count is not None or b.manifest_content_hash is not None:
            whole = (b.manifest_entry_count in (None, b.op_count)) and _manifest_ok(b)
        dev = devices.get(b.device_id)
        out.append(BatchSummary(
            batch_id=b.batch_id, desa_code=b.desa_code, desa_name=regions.name_of(b.desa_code) or "",
            device_id=b.device_id, device_label=dev.label if dev else "", operator=users.get(b.user_id, ""),
            received_at=b.received_at, entry_count=b.op_count, flag_counts=dict(flag_counts[b.batch_id]),
            decision_counts=dict(decisions[b.batch_id]), manifest_entry_count=b.manifest_entry_count,
            manifest_content_hash=b.manifest_content_hash, arrived_whole=whole))
    return out, int(total)


def _manifest_ok(b: Batch) -> bool:
    return not b.manifest_content_hash or b.manifest_content_hash == b.ops_hash


def batch_of(session: Session, user: User, batch_id: str) -> Batch:
    b = session.get(Batch, batch_id)
    if b is None or not in_area(user, b.desa_code):
        raise not_found("Batch")
    return b


def batch_record_ids(session: Session, batch_id: str) -> list[str]:
    return list(dict.fromkeys(session.exec(select(AppliedOp.record_id).where(AppliedOp.batch_id == batch_id))))


# ---- decisions -------------------------------------------------------------------------------


def _audit(user: User | None, action: str, row: dict[str, Any], before: dict[str, Any], after: dict[str, Any],
           now: datetime) -> dict[str, Any]:
    return {"at": now, "user_id": user.id if user else None, "username": user.username if user else "sistem",
            "action": action, "record_id": row["record_id"], "kecamatan_code": row["kecamatan_code"],
            "before": json.dumps(before, ensure_ascii=False), "after": json.dumps(after, ensure_ascii=False)}


_STATE_COLS = ("review_state", "review_reason_code", "review_note", "voided")


def _serialised(fn: Callable[..., T]) -> Callable[..., T]:
    """Run a writer under db.serialised (SQLite: one writer at a time in this process), again when
    PostgreSQL aborted it to break a deadlock."""

    @functools.wraps(fn)
    def run(session: Session, *args: Any, **kw: Any) -> T:
        for attempt in range(db.RETRIES):
            try:
                with db.serialised(session):
                    return fn(session, *args, **kw)
            except DBAPIError as e:  # a deadlock on the feeds' locks with another multi-desa writer
                session.rollback()
                if not db.is_retryable(e) or attempt == db.RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    return run


@_serialised
def decide(session: Session, user: User, req: DecisionRequest, *, with_entries: bool = True) -> DecisionResult:
    """Apply one decision to many entries: a few SELECTs, one UPDATE executemany, one INSERT executemany.

    `with_entries`: send the decided entries' review columns back as they are now (the client shows them)."""
    ids = list(dict.fromkeys(req.record_ids))
    seq = SeqAllocator(session)
    now = _now()
    found: dict[str, Any] = {}
    cols = [getattr(Entry, c) for c in ("record_id", "desa_code", "kecamatan_code", "version", "change_seq",
                                        "updated_at", "flags", "deleted", "conflict", *_STATE_COLS)]
    for part in _chunks(ids):
        for r in session.execute(sa_select(*cols).where(col(Entry.record_id).in_(part), entry_filter(user))):
            found[r.record_id] = dict(r._mapping)
    skipped: list[DecisionSkip] = []
    updates: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    state = DECISION_STATES.get(req.decision)  # None: VOID
    if not found:
        raise not_found()
    # The feeds' locks serialise writers of these desa (PostgreSQL too): the checks cannot race a decision.
    seq.lock(*{desa_feed(row["desa_code"]) for row in found.values()})
    stale = _stale_reasons(session, req, found)
    for rid in ids:
        row = found.get(rid)
        if row is None:
            skipped.append(DecisionSkip(record_id=rid, reason="Entri tidak ditemukan di wilayah akun ini."))
            continue
        if rid in stale:
            skipped.append(DecisionSkip(record_id=rid, reason=stale[rid], code=SkipCode.STALE))
            continue
        if row["deleted"] or row["voided"]:
            skipped.append(DecisionSkip(record_id=rid, reason="Entri sudah dihapus atau dibatalkan."))
            continue
        if row["conflict"] and req.decision == Decision.APPROVE:
            skipped.append(DecisionSkip(record_id=rid, reason="Konflik data belum diselesaikan."))
            continue
        before = {c: row[c] for c in _STATE_COLS}
        flags = sorted(set(flags_of(row)) - set(DECISION_CLEARS))
        upd: dict[str, Any] = {"record_id": rid, "flags": json.dumps(flags), "change_seq": seq.next(desa_feed(row["desa_code"])),
                               "updated_at": now}
        if req.decision == Decision.VOID:
            upd["voided"] = True
            upd["review_note"] = req.note or row["review_note"]
        else:
            upd["review_state"] = str(state)
            upd["review_reason_code"] = str(req.reason_code) if req.decision == Decision.REJECT else None
            upd["review_note"] = req.note or None
            if req.decision == Decision.APPROVE:
                upd["approved_version"] = row["version"]
        updates.append(upd)
        after = {**before, **{c: upd[c] for c in _STATE_COLS if c in upd}}
        audits.append(_audit(user, str(req.decision), row, before, after, now))
    if updates:
        session.execute(update(Entry), updates)
        session.execute(insert(AuditLog), audits)
    seq.store()
    session.commit()
    return DecisionResult(decided=len(updates), skipped=skipped,
                          change_seqs={u["record_id"]: u["change_seq"] for u in updates},
                          entries=[_decided(found[u["record_id"]], u) for u in updates] if with_entries else [])


def _decided(row: dict[str, Any], upd: dict[str, Any]) -> DecidedEntry:
    """The entry's review columns as just written (`upd` over the row read before)."""
    cur = {**row, **upd}
    code = cur["review_reason_code"]
    return DecidedEntry(record_id=cur["record_id"], change_seq=cur["change_seq"], review_state=cur["review_state"],
                        review_reason_code=code, review_reason_text=reason_text(code) if code else None,
                        review_note=cur["review_note"], voided=bool(cur["voided"]), flags=flags_of(cur),
                        updated_at=cur["updated_at"])


_ACTION_TEXT = {"approve": "disetujui", "reject": "ditolak", "return": "dikembalikan untuk perbaikan",
                "void": "dibatalkan", "auto_reject": "ditolak otomatis", "settle_conflict": "konflik diselesaikan",
                "settle_duplicates": "grup duplikat diselesaikan"}
_RELOAD = "muat ulang lalu putuskan lagi."


def _stale_reasons(session: Session, req: DecisionRequest, found: dict[str, dict[str, Any]]) -> dict[str, str]:
    """record_id -> why the reviewer's copy is out of date, for the entries the request says it saw
    at another version (the village changed it) or change_seq (anything else changed it since)."""
    out: dict[str, str] = {}
    versions, seqs = req.versions or {}, req.change_seqs or {}
    for rid, row in found.items():
        if rid in versions and versions[rid] != row["version"]:
            out[rid] = f"Entri sudah berubah (versi {row['version']}) sejak dibuka; {_RELOAD}"
    by_seq = [rid for rid, row in found.items() if rid not in out and rid in seqs and seqs[rid] != row["change_seq"]]
    if by_seq:
        # Name the change when the latest audit row is the change itself (same timestamp as the entry's).
        last: dict[str, AuditLog] = {}
        for part in _chunks(by_seq):
            for audit_row in session.exec(select(AuditLog).where(col(AuditLog.record_id).in_(part))
                                          .order_by(col(AuditLog.id))):
                last[audit_row.record_id or ""] = audit_row
        for rid in by_seq:
            a = last.get(rid)
            if a is not None and _same_instant(a.at, found[rid]["updated_at"]):
                what = _ACTION_TEXT.get(a.action, a.action)
                out[rid] = f"Entri sudah diubah sejak dibuka ({what} oleh {a.username}); {_RELOAD}"
            else:
                out[rid] = f"Entri sudah diubah sejak dibuka (data, tanda atau status diperbarui); {_RELOAD}"
    return out


def _same_instant(a: datetime | None, b: datetime | None) -> bool:
    if a is None or b is None:
        return False
    # SQLite hands back naive UTC datetimes, PostgreSQL aware ones: compare as UTC either way.
    return a.replace(tzinfo=a.tzinfo or UTC) == b.replace(tzinfo=b.tzinfo or UTC)


# ---- duplicate groups ------------------------------------------------------------------------


def visible_groups(session: Session, user: User, *, state: str | None) -> list[DuplicateGroup]:
    stmt = select(DuplicateGroup).where(DuplicateGroup.state != GroupState.DISSOLVED)
    if state:
        stmt = stmt.where(DuplicateGroup.state == state)
    role = Role(user.role)
    if role is Role.REVIEWER:
        stmt = stmt.where(DuplicateGroup.kecamatan_code == user.area_code)
    elif role is Role.SUPERVISOR:
        # Spanning kecamatan (or not): every group whose members all lie in the kab/kota.
        stmt = stmt.where(DuplicateGroup.kabkota_code == user.area_code)
    return list(session.exec(stmt.order_by(col(DuplicateGroup.id))))


def group_info(session: Session, user: User, g: DuplicateGroup) -> DuplicateGroupInfo:
    rids = [m.record_id for m in session.exec(select(DuplicateMember).where(DuplicateMember.group_id == g.id))]
    entries = list(session.exec(select(Entry).where(col(Entry.record_id).in_(rids), entry_filter(user))))
    return DuplicateGroupInfo(group_id=g.id or 0, kind=g.kind, kind_text=GROUP_KIND_TEXT.get(g.kind, g.kind),
                              state=g.state, spans_kecamatan=not g.kecamatan_code, score=g.score,
                              kept_record_id=g.kept_record_id, members=review_entries(session, entries))


def _settleable(user: User, g: DuplicateGroup) -> bool:
    role = Role(user.role)
    if role is Role.ADMIN:
        return True
    if role is Role.SUPERVISOR:
        return g.kabkota_code == user.area_code
    return role is Role.REVIEWER and g.kecamatan_code == user.area_code


def get_group(session: Session, user: User, group_id: int) -> DuplicateGroup:
    g = session.get(DuplicateGroup, group_id)
    if g is None or g.state == GroupState.DISSOLVED or not _settleable(user, g):
        raise not_found("Kelompok duplikat")
    return g


@_serialised
def settle_group(session: Session, user: User, group_id: int, req: SettleDuplicateRequest) -> DuplicateGroupInfo:
    g = get_group(session, user, group_id)
    members = [m.record_id for m in session.exec(select(DuplicateMember).where(DuplicateMember.group_id == g.id))]
    keep = set(req.keep_record_ids)
    if not keep <= set(members):
        raise HTTPException(422, "Entri yang dipertahankan harus anggota kelompok ini.")
    others = [r for r in members if r not in keep]
    if others:
        decide_others = DecisionRequest(record_ids=others, decision=Decision.REJECT, reason_code=ReasonCode.DUPLICATE,
                                        note=req.note or "Duplikat: orang yang sama sudah terdaftar.")
        decide(session, user, decide_others, with_entries=False)
        if req.void_others:
            decide(session, user, DecisionRequest(record_ids=others, decision=Decision.VOID, note=decide_others.note),
                   with_entries=False)
    g.state, g.kept_record_id, g.settled_by, g.settled_at = str(GroupState.SETTLED), sorted(keep)[0], user.id, _now()
    session.add(g)
    session.add(AuditLog(at=_now(), user_id=user.id, username=user.username, action="settle_duplicates",
                         record_id=g.kept_record_id, kecamatan_code=g.kecamatan_code,
                         before=json.dumps({"group_id": g.id, "state": GroupState.OPEN, "members": members}),
                         after=json.dumps({"group_id": g.id, "state": GroupState.SETTLED, "kept": sorted(keep),
                                           "rejected": others})))
    session.commit()
    session.refresh(g)
    return group_info(session, user, g)


# ---- conflicts -------------------------------------------------------------------------------


@_serialised
def settle_conflict(session: Session, user: User, record_id: str, req: SettleConflictRequest,
                    catalogue: Catalogue) -> ReviewEntry:
    e = get_entry(session, user, record_id)
    if not e.conflict:
        raise HTTPException(409, "Entri ini tidak sedang berkonflik.")
    conflict = json.loads(e.conflict)
    contested = list(conflict.get("fields", []))
    bad = sorted(set(req.choices) - set(contested))
    if bad or any(v not in ("server", "village") for v in req.choices.values()):
        raise HTTPException(422, f"Pilihan harus 'server' atau 'village' untuk kolom yang berkonflik: {', '.join(contested)}.")
    seq = SeqAllocator(session)
    now = _now()
    before = {"payload": json.loads(e.payload), "deleted": e.deleted, "conflict": conflict}
    payload = json.loads(e.payload)
    deleted = e.deleted
    if conflict.get("delete"):
        deleted = req.choices.get("deleted") == "village"
    else:
        village = conflict.get("village") or {}
        for f in contested:
            if req.choices.get(f) == "village" and f in ENTRY_FIELDS:
                payload[f] = village.get(f)
        check = validate_entry(payload, catalogue=catalogue)
        if not check.ok:
            raise HTTPException(422, "Gabungan pilihan tidak sah: " + "; ".join(i.message for i in check.errors))
    changed = payload != before["payload"] or deleted != e.deleted
    if changed:
        e.version += 1
    e.payload = json.dumps(payload, ensure_ascii=False)
    e.deleted = deleted
    e.conflict = None
    e.flags = json.dumps(sorted(set(flags_of({"flags": e.flags})) - {FlagCode.CONFLICT_HARD}))
    for k, v in index_columns(payload).items():
        setattr(e, k, v)
    e.change_seq = seq.next(desa_feed(e.desa_code))
    e.updated_at = now
    session.add(e)
    if changed:
        session.add(EntryVersion(record_id=e.record_id, province_code=e.province_code, version=e.version, change="resolve", payload=e.payload,
                                 review_state=e.review_state, created_at=now))
    session.add(AuditLog(at=now, user_id=user.id, username=user.username, action="settle_conflict",
                         record_id=e.record_id, kecamatan_code=e.kecamatan_code,
                         before=json.dumps(before, ensure_ascii=False),
                         after=json.dumps({"payload": payload, "deleted": deleted, "version": e.version,
                                           "choices": req.choices}, ensure_ascii=False)))
    seq.store()
    session.commit()
    session.refresh(e)
    return review_entries(session, [e])[0]
