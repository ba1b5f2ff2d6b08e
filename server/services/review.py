"""Review of proposals: a kecamatan's batches and proposals (each with its family) with their flags,
decisions (single SQL statements executed many; a return names the fields to fix), and the hard conflicts
of proposals to settle. Every decision leaves an audit row and moves the proposal in its desa's feed, so
the village learns the outcome at its next pull. Duplicate groups: server.services.review_groups."""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from fastapi import HTTPException
from pydantic import BaseModel
from sqlalchemy import func, insert, or_, update
from sqlalchemy import select as sa_select
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from domain import regions
from domain.flags import DECISION_CLEARS, FlagCode
from domain.household_check import validate_household
from domain.member_check import validate_member
from domain.payload_parse import parse_payload
from domain.programmes import Catalogue
from domain.proposal_check import validate_proposal
from domain.reasons import reason_text
from domain.records import (
    HOUSEHOLD_FIELDS,
    MEMBER_FIELDS,
    PROPOSAL_FIELDS,
    HouseholdPayload,
    MemberPayload,
    ProposalPayload,
    RecordType,
)
from server import db
from server.models import AppliedOp, AuditLog, Batch, Device, HouseholdRow, MemberRow, ProposalRow, RecordVersion, User
from server.services import bulk
from server.services.entries import flags_of
from server.services.records import index_columns
from server.services.review_family import HOUSEHOLD, MEMBER, PROPOSAL, review_proposals, rows_by_id
from server.services.scope import in_area, not_found, record_filter
from server.services.seq import SeqAllocator, desa_feed
from sync.review_protocol import (
    DECISION_STATES,
    BatchSummary,
    DecidedProposal,
    Decision,
    DecisionRequest,
    DecisionResult,
    DecisionSkip,
    ProposalDetail,
    SettleConflictRequest,
    SkipCode,
    VersionInfo,
)

T = TypeVar("T")


def _now() -> datetime:
    return datetime.now(UTC)


# ---- reading ---------------------------------------------------------------------------------


def proposal_row(session: Session, user: User, record_id: str) -> dict[str, Any]:
    """The proposal as a row dict; 404 when it does not exist or lies outside the account's area."""
    r = session.execute(sa_select(PROPOSAL).where(PROPOSAL.c.record_id == record_id,
                                                  record_filter(user, PROPOSAL))).first()
    if r is None:
        raise not_found("Usulan")
    return dict(r._mapping)


def proposals_by_ids(session: Session, user: User, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The proposals of `ids` inside the account's area, in the order of `ids`."""
    found: dict[str, dict[str, Any]] = {}
    for part in bulk.chunks(list(dict.fromkeys(ids))):
        for r in session.execute(sa_select(PROPOSAL).where(bulk.one_of(session, PROPOSAL.c.record_id, part),
                                                           record_filter(user, PROPOSAL))):
            found[r.record_id] = dict(r._mapping)
    return [found[i] for i in dict.fromkeys(ids) if i in found]


def _version_info(v: RecordVersion, approved_version: int | None) -> VersionInfo:
    approved = v.record_type == RecordType.PROPOSAL and (v.action == "approved" or (
        v.version == approved_version and v.action not in ("conflict", "review")))
    return VersionInfo(version=v.version, change=v.action, payload=json.loads(v.payload or "{}"),
                       review_state=v.review_state or "", op_id=v.op_id, batch_id=v.batch_id, device_id=v.device_id,
                       created_at=v.at, record_type=v.record_type, record_id=v.record_id, approved=approved)


def proposal_detail(session: Session, user: User, record_id: str, catalogue: Catalogue) -> ProposalDetail:
    """The proposal with its family, and the history of it and of its family (household and the member it is
    about): every version the village sent, the approved version kept when the village edited after approval.
    Its duplicate groups are added by the caller (server.services.review_groups.groups_of builds on this module)."""
    row = proposal_row(session, user, record_id)
    [proposal] = review_proposals(session, [row], catalogue)
    ids = [record_id]
    if proposal.household is not None:
        ids.append(proposal.household.record_id)
    if proposal.member_id:
        ids.append(proposal.member_id)
    versions = list(session.exec(select(RecordVersion).where(col(RecordVersion.record_id).in_(ids))
                                 .order_by(col(RecordVersion.id))))
    history = [_version_info(v, row.get("approved_version")) for v in versions]
    own = [h for h in history if h.record_type == RecordType.PROPOSAL]
    approved = next((h for h in reversed(own) if h.approved), None)
    if approved is not None and approved.version == row["version"] and row["review_state"] == "APPROVED":
        approved = None  # the current version is the approved one: nothing older to show beside it
    return ProposalDetail(proposal=proposal, history=history, approved=approved)


def batch_summaries(session: Session, user: User, *, desa: str, offset: int, limit: int) -> tuple[list[BatchSummary], int]:
    stmt = select(Batch).where(col(Batch.desa_code).startswith(desa)).order_by(col(Batch.received_at).desc())
    total = session.exec(select(func.count()).select_from(Batch).where(col(Batch.desa_code).startswith(desa))).one()
    batches = list(session.exec(stmt.offset(offset).limit(limit)))
    if not batches:
        return [], int(total)
    flag_counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    decisions: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for b in batches:
        for p in _batch_proposal_rows(session, b.batch_id, columns=("record_id", "review_state", "flags")):
            decisions[b.batch_id][p["review_state"]] += 1
            for f in flags_of(p):
                flag_counts[b.batch_id][f] += 1
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


def _batch_proposal_rows(session: Session, batch_id: str, *, columns: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """The proposals a batch concerns, in the batch's order: those it sent, then those of the households and
    members it sent (a village that fixes a member's data sends no proposal, yet the reviewer must see it)."""
    sent = list(dict.fromkeys(session.exec(select(AppliedOp.record_id).where(AppliedOp.batch_id == batch_id))))
    cols = [PROPOSAL.c[c] for c in columns] if columns else [PROPOSAL]
    found: dict[str, dict[str, Any]] = {}
    for part in bulk.chunks(sent):
        cond = or_(bulk.one_of(session, PROPOSAL.c.record_id, part), bulk.one_of(session, PROPOSAL.c.household_id, part),
                   bulk.one_of(session, PROPOSAL.c.member_id, part), bulk.one_of(session, PROPOSAL.c.pengurus_id, part))
        for r in session.execute(sa_select(*cols, PROPOSAL.c.change_seq.label("_seq")).where(cond)):
            found[r.record_id] = dict(r._mapping)
    # A member's household sent alone: its members' person proposals too.
    members = {m["record_id"] for part in bulk.chunks(sent) for m in session.execute(
        sa_select(MEMBER.c.record_id).where(bulk.one_of(session, MEMBER.c.household_id, part))).mappings()}
    for part in bulk.chunks(sorted(members - set(found))):
        for r in session.execute(sa_select(*cols, PROPOSAL.c.change_seq.label("_seq")).where(
                bulk.one_of(session, PROPOSAL.c.member_id, part))):
            found.setdefault(r.record_id, dict(r._mapping))
    own = set(sent)
    return sorted(found.values(), key=lambda r: (r["record_id"] not in own, r["_seq"]))


def batch_proposals(session: Session, user: User, batch_id: str) -> list[dict[str, Any]]:
    batch_of(session, user, batch_id)
    ids = [r["record_id"] for r in _batch_proposal_rows(session, batch_id, columns=("record_id",))]
    return proposals_by_ids(session, user, ids)


# ---- decisions -------------------------------------------------------------------------------


def _audit(user: User | None, action: str, row: dict[str, Any], before: dict[str, Any], after: dict[str, Any],
           now: datetime) -> dict[str, Any]:
    return {"at": now, "user_id": user.id if user else None, "username": user.username if user else "sistem",
            "action": action, "record_id": row["record_id"], "kecamatan_code": row["kecamatan_code"],
            "before": json.dumps(before, ensure_ascii=False), "after": json.dumps(after, ensure_ascii=False)}


_STATE_COLS = ("review_state", "review_reason_code", "review_note", "review_fields", "voided")


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
def decide(session: Session, user: User, req: DecisionRequest, *, with_proposals: bool = True) -> DecisionResult:
    """Apply one decision to many proposals: a few SELECTs, one UPDATE executemany, one INSERT executemany.

    `with_proposals`: send the decided proposals' review columns back as they are now (the client shows them)."""
    ids = list(dict.fromkeys(req.record_ids))
    seq = SeqAllocator(session)
    now = _now()
    found: dict[str, Any] = {}
    cols = [PROPOSAL.c[c] for c in ("record_id", "desa_code", "kecamatan_code", "version", "change_seq",
                                    "updated_at", "flags", "deleted", "conflict", "approved_version", *_STATE_COLS)]
    for part in bulk.chunks(ids):
        for r in session.execute(sa_select(*cols).where(bulk.one_of(session, PROPOSAL.c.record_id, part),
                                                        record_filter(user, PROPOSAL))):
            found[r.record_id] = dict(r._mapping)
    skipped: list[DecisionSkip] = []
    updates: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    state = DECISION_STATES.get(req.decision)  # None: VOID
    if not found:
        raise not_found("Usulan")
    # The feeds' locks serialise writers of these desa (PostgreSQL too): the checks cannot race a decision.
    seq.lock(*{desa_feed(row["desa_code"]) for row in found.values()})
    stale = _stale_reasons(session, req, found)
    fields = json.dumps(list(req.review_fields))
    for rid in ids:
        row = found.get(rid)
        if row is None:
            skipped.append(DecisionSkip(record_id=rid, reason="Usulan tidak ditemukan di wilayah akun ini."))
            continue
        if rid in stale:
            skipped.append(DecisionSkip(record_id=rid, reason=stale[rid], code=SkipCode.STALE))
            continue
        if row["deleted"] or row["voided"]:
            skipped.append(DecisionSkip(record_id=rid, reason="Usulan sudah dihapus atau dibatalkan."))
            continue
        if row["conflict"] and req.decision == Decision.APPROVE:
            skipped.append(DecisionSkip(record_id=rid, reason="Konflik data belum diselesaikan."))
            continue
        before = {c: _state_value(c, row[c]) for c in _STATE_COLS}
        flags = sorted(set(flags_of(row)) - set(DECISION_CLEARS))
        upd: dict[str, Any] = {"record_id": rid, "flags": json.dumps(flags),
                               "change_seq": seq.next(desa_feed(row["desa_code"])), "updated_at": now}
        if req.decision == Decision.VOID:
            upd["voided"] = True
            upd["review_note"] = req.note or row["review_note"]
        else:
            upd["review_state"] = str(state)
            upd["review_reason_code"] = str(req.reason_code) if req.decision == Decision.REJECT else None
            upd["review_note"] = req.note or None
            upd["review_fields"] = fields if req.decision == Decision.RETURN else "[]"
            if req.decision == Decision.APPROVE:
                upd["approved_version"] = row["version"]
        updates.append(upd)
        after = {**before, **{c: _state_value(c, upd[c]) for c in _STATE_COLS if c in upd}}
        audits.append(_audit(user, str(req.decision), row, before, after, now))
    if updates:
        session.execute(update(ProposalRow), updates)  # ORM bulk UPDATE by primary key: one executemany
        session.execute(insert(AuditLog), audits)
    seq.store()
    session.commit()
    return DecisionResult(decided=len(updates), skipped=skipped,
                          change_seqs={u["record_id"]: u["change_seq"] for u in updates},
                          proposals=[_decided(found[u["record_id"]], u) for u in updates] if with_proposals else [])


def _state_value(column: str, v: Any) -> Any:
    """The audit's view of a review column: the fields to fix as a list, not their JSON text."""
    if column == "review_fields":
        return json.loads(v) if isinstance(v, str) and v else (v or [])
    return v


def _decided(row: dict[str, Any], upd: dict[str, Any]) -> DecidedProposal:
    """The proposal's review columns as just written (`upd` over the row read before)."""
    cur = {**row, **upd}
    code = cur["review_reason_code"]
    return DecidedProposal(record_id=cur["record_id"], change_seq=cur["change_seq"], review_state=cur["review_state"],
                           review_reason_code=code, review_reason_text=reason_text(code) if code else None,
                           review_note=cur["review_note"], review_fields=_state_value("review_fields", cur["review_fields"]),
                           approved_version=cur.get("approved_version"), voided=bool(cur["voided"]),
                           flags=flags_of(cur), updated_at=cur["updated_at"])


_ACTION_TEXT = {"approve": "disetujui", "reject": "ditolak", "return": "dikembalikan untuk perbaikan",
                "void": "dibatalkan", "auto_reject": "ditolak otomatis", "settle_conflict": "konflik diselesaikan",
                "settle_duplicates": "grup duplikat diselesaikan", "not_same": "grup duplikat: bukan data yang sama"}
_RELOAD = "muat ulang lalu putuskan lagi."


def _stale_reasons(session: Session, req: DecisionRequest, found: dict[str, dict[str, Any]]) -> dict[str, str]:
    """record_id -> why the reviewer's copy is out of date, for the proposals the request says it saw
    at another version (the village changed it) or change_seq (anything else changed it since)."""
    out: dict[str, str] = {}
    versions, seqs = req.versions or {}, req.change_seqs or {}
    for rid, row in found.items():
        if rid in versions and versions[rid] != row["version"]:
            out[rid] = f"Usulan sudah berubah (versi {row['version']}) sejak dibuka; {_RELOAD}"
    by_seq = [rid for rid, row in found.items() if rid not in out and rid in seqs and seqs[rid] != row["change_seq"]]
    if by_seq:
        # Name the change when the latest audit row is the change itself (same timestamp as the entry's).
        last: dict[str, AuditLog] = {}
        for part in bulk.chunks(by_seq):
            for audit_row in session.exec(select(AuditLog).where(col(AuditLog.record_id).in_(part))
                                          .order_by(col(AuditLog.id))):
                last[audit_row.record_id or ""] = audit_row
        for rid in by_seq:
            a = last.get(rid)
            if a is not None and _same_instant(a.at, found[rid]["updated_at"]):
                what = _ACTION_TEXT.get(a.action, a.action)
                out[rid] = f"Usulan sudah diubah sejak dibuka ({what} oleh {a.username}); {_RELOAD}"
            else:
                out[rid] = f"Usulan sudah diubah sejak dibuka (data, tanda atau status diperbarui); {_RELOAD}"
    return out


def _same_instant(a: datetime | None, b: datetime | None) -> bool:
    if a is None or b is None:
        return False
    # SQLite hands back naive UTC datetimes, PostgreSQL aware ones: compare as UTC either way.
    return a.replace(tzinfo=a.tzinfo or UTC) == b.replace(tzinfo=b.tzinfo or UTC)


# ---- conflicts -------------------------------------------------------------------------------


_MODELS: dict[RecordType, Any] = {RecordType.HOUSEHOLD: HouseholdRow, RecordType.MEMBER: MemberRow,
                                  RecordType.PROPOSAL: ProposalRow}
_FIELDS: dict[RecordType, tuple[str, ...]] = {RecordType.HOUSEHOLD: HOUSEHOLD_FIELDS, RecordType.MEMBER: MEMBER_FIELDS,
                                              RecordType.PROPOSAL: PROPOSAL_FIELDS}
_NOT_IN_CONFLICT = {RecordType.HOUSEHOLD: "Data keluarga ini tidak sedang berkonflik.",
                    RecordType.MEMBER: "Data anggota keluarga ini tidak sedang berkonflik.",
                    RecordType.PROPOSAL: "Usulan ini tidak sedang berkonflik."}


def _checked(session: Session, rtype: RecordType, payload: dict[str, Any], catalogue: Catalogue) -> list[str]:
    """The errors of the payload the reviewer's choices make (the same checks as the village's app)."""
    models: dict[RecordType, type[BaseModel]] = {RecordType.HOUSEHOLD: HouseholdPayload,
                                                 RecordType.MEMBER: MemberPayload, RecordType.PROPOSAL: ProposalPayload}
    parsed, issues = parse_payload(models[rtype], payload)
    if isinstance(parsed, HouseholdPayload):
        issues = validate_household(parsed).errors
    elif isinstance(parsed, MemberPayload):
        issues = validate_member(parsed).errors
    elif isinstance(parsed, ProposalPayload):
        members = rows_by_id(session, MEMBER, [parsed.pengurus_id])
        household_members = [m["record_id"] for m in members.values() if m["household_id"] == parsed.household_id] \
            if parsed.household_id else None
        issues = validate_proposal(parsed, catalogue=catalogue, household_member_ids=household_members).errors
    return [i.message for i in issues]


@_serialised
def settle_conflict(session: Session, user: User, record_id: str, req: SettleConflictRequest, catalogue: Catalogue,
                    *, record_type: RecordType = RecordType.PROPOSAL) -> None:
    """A hard conflict of a proposal or of its family's household or member: per contested field keep the
    server's value or take the village's. The record moves in its desa's feed (the village pulls the result)."""
    model = _MODELS[record_type]
    e = session.get(model, record_id)
    if e is None or not in_area(user, e.desa_code):
        raise not_found({RecordType.PROPOSAL: "Usulan", RecordType.HOUSEHOLD: "Keluarga",
                         RecordType.MEMBER: "Anggota keluarga"}[record_type])
    if not e.conflict:
        raise HTTPException(409, _NOT_IN_CONFLICT[record_type])
    conflict = json.loads(e.conflict)
    contested = list(conflict.get("fields", []))
    bad = sorted(set(req.choices) - set(contested) - ({"deleted"} if conflict.get("delete") else set()))
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
            if req.choices.get(f) == "village" and f in _FIELDS[record_type]:
                payload[f] = village.get(f)
        errors = _checked(session, record_type, payload, catalogue)
        if errors:
            raise HTTPException(422, "Gabungan pilihan tidak sah: " + "; ".join(errors))
    changed = payload != before["payload"] or deleted != e.deleted
    if changed:
        e.version += 1
    e.payload = json.dumps(payload, ensure_ascii=False)
    e.deleted = deleted
    e.conflict = None
    e.flags = json.dumps(sorted(set(flags_of({"flags": e.flags})) - {FlagCode.CONFLICT_HARD}))
    for k, v in index_columns(record_type, payload, e.desa_code).items():
        setattr(e, k, v)
    e.change_seq = seq.next(desa_feed(e.desa_code))
    e.updated_at = now
    session.add(e)
    if changed:
        session.add(RecordVersion(province_code=e.province_code, record_type=record_type, record_id=e.record_id,
                                  version=e.version, action="resolve", review_state=getattr(e, "review_state", None),
                                  payload=e.payload, actor=user.username, at=now))
    session.add(AuditLog(at=now, user_id=user.id, username=user.username, action="settle_conflict",
                         record_id=e.record_id, kecamatan_code=e.kecamatan_code,
                         before=json.dumps(before, ensure_ascii=False),
                         after=json.dumps({"record_type": record_type, "payload": payload, "deleted": deleted,
                                           "version": e.version, "choices": req.choices}, ensure_ascii=False)))
    seq.store()
    session.commit()


def conflict_page(session: Session, user: User, *, offset: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    """Proposals in hard conflict, and those whose household or member (target, pengurus) is."""
    p = PROPOSAL
    households = [r.record_id for r in session.execute(sa_select(HOUSEHOLD.c.record_id).where(
        record_filter(user, HOUSEHOLD), HOUSEHOLD.c.conflict.is_not(None)))]
    members = [r.record_id for r in session.execute(sa_select(MEMBER.c.record_id).where(
        record_filter(user, MEMBER), MEMBER.c.conflict.is_not(None)))]
    family = [p.c.conflict.is_not(None)]
    if households:
        family.append(p.c.household_id.in_(households))
    if members:
        family += [p.c.member_id.in_(members), p.c.pengurus_id.in_(members)]
    conds = [record_filter(user, p), or_(*family), p.c.deleted.is_(False), p.c.voided.is_(False)]
    total = session.execute(sa_select(func.count()).select_from(p).where(*conds)).scalar_one()
    rows = [dict(r._mapping) for r in session.execute(sa_select(p).where(*conds)
                                                       .order_by(p.c.change_seq).offset(offset).limit(limit))]
    return rows, int(total)
