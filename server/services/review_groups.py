"""The reviewer's side of duplicate groups (server.services.duplicates builds them at ingest): members
with the same NIK, households with the same KK, a second open proposal for one programme and target, the
probable same person. The reviewer of the kecamatan (the supervisor when a group spans kecamatan) keeps
one record — the others' open proposals are rejected as duplicates (R03) — or marks the records "not the
same". Every record of the group gets the outcome as a flag and a new place in its desa's feed, so both
villages learn it at their next pull; one audit row names the outcome."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from fastapi import HTTPException
from sqlalchemy import or_, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from domain import regions
from domain.flags import DUP_OUTCOME_FLAGS, FlagCode
from domain.programmes import Catalogue
from domain.reasons import ReasonCode
from domain.records import RecordType
from domain.states import Role
from server.models import AuditLog, DuplicateGroup, DuplicateMember, HouseholdRow, MemberRow, ProposalRow, User
from server.services import bulk
from server.services.duplicates import KIND_TYPE
from server.services.entries import flags_of
from server.services.review import _serialised, decide
from server.services.review_family import (
    HOUSEHOLD,
    MEMBER,
    PROPOSAL,
    Family,
    household_info,
    member_info,
    related_records,
    review_proposal,
    rows_by_id,
)
from server.services.scope import not_found
from server.services.seq import SeqAllocator, desa_feed
from sync.review_protocol import (
    GROUP_KIND_TEXT,
    Decision,
    DecisionRequest,
    DuplicateGroupInfo,
    GroupMember,
    GroupState,
    SettleDuplicateRequest,
)

_TABLES = {RecordType.HOUSEHOLD: HOUSEHOLD, RecordType.MEMBER: MEMBER, RecordType.PROPOSAL: PROPOSAL}
_MODELS = {RecordType.HOUSEHOLD: HouseholdRow, RecordType.MEMBER: MemberRow, RecordType.PROPOSAL: ProposalRow}
_LISTED = (GroupState.OPEN, GroupState.SETTLED, GroupState.DISTINCT)


def _now() -> datetime:
    return datetime.now(UTC)


def _type_of(g: DuplicateGroup) -> RecordType:
    return KIND_TYPE.get(g.kind, RecordType.MEMBER)


def visible_groups(session: Session, user: User, *, state: str | None) -> list[DuplicateGroup]:
    stmt = select(DuplicateGroup).where(col(DuplicateGroup.state).in_(_LISTED))
    if state:
        stmt = stmt.where(DuplicateGroup.state == state)
    role = Role(user.role)
    if role is Role.REVIEWER:
        stmt = stmt.where(DuplicateGroup.kecamatan_code == user.area_code)
    elif role is Role.SUPERVISOR:
        # Spanning kecamatan (or not): every group whose members all lie in the kab/kota.
        stmt = stmt.where(DuplicateGroup.kabkota_code == user.area_code)
    return list(session.exec(stmt.order_by(col(DuplicateGroup.id))))


def _member_ids(session: Session, group_id: int | None) -> list[str]:
    return list(session.exec(select(DuplicateMember.record_id).where(DuplicateMember.group_id == group_id)
                             .order_by(col(DuplicateMember.record_id))))


def group_info(session: Session, user: User, g: DuplicateGroup, catalogue: Catalogue) -> DuplicateGroupInfo:
    """The group's records side by side: a member with its household and family, a household with its
    members, a proposal with its family."""
    rtype = _type_of(g)
    rows = rows_by_id(session, _TABLES[rtype], _member_ids(session, g.id))
    out: list[GroupMember] = []
    if rtype is RecordType.PROPOSAL:
        fam = Family(session, list(rows.values()))
        for rid, p in rows.items():
            out.append(GroupMember(record_type=rtype, record_id=rid, desa_code=p["desa_code"],
                                   desa_name=regions.name_of(p["desa_code"]) or "",
                                   proposal=review_proposal(p, fam, catalogue), kept=rid == g.kept_record_id))
    else:
        household_ids = [r["household_id"] for r in rows.values()] if rtype is RecordType.MEMBER else list(rows)
        households = rows_by_id(session, HOUSEHOLD, household_ids) if rtype is RecordType.MEMBER else rows
        families: dict[str, list[dict[str, Any]]] = {}
        for part in bulk.chunks(sorted(set(household_ids))):
            for rec in session.execute(sa_select(MEMBER).where(bulk.one_of(session, MEMBER.c.household_id, part))):
                families.setdefault(rec.household_id, []).append(dict(rec._mapping))
        related = related_records(session, [*rows, *households])
        for rid, r in rows.items():
            hid = r["household_id"] if rtype is RecordType.MEMBER else rid
            h = households.get(hid)
            out.append(GroupMember(
                record_type=rtype, record_id=rid, desa_code=r["desa_code"], desa_name=regions.name_of(r["desa_code"]) or "",
                household=household_info(h, related) if h else None,
                member=member_info(r, related) if rtype is RecordType.MEMBER else None,
                members=[member_info(m, related) for m in families.get(hid, []) if not (m["deleted"] or m["voided"])],
                kept=rid == g.kept_record_id))
    return DuplicateGroupInfo(group_id=g.id or 0, kind=g.kind, kind_text=GROUP_KIND_TEXT.get(g.kind, g.kind),
                              record_type=rtype, state=g.state, spans_kecamatan=not g.kecamatan_code, score=g.score,
                              kept_record_id=g.kept_record_id, note=_note_of(session, g), members=out)


def _note_of(session: Session, g: DuplicateGroup) -> str | None:
    if g.state == GroupState.OPEN:
        return None
    a = session.exec(select(AuditLog).where(col(AuditLog.action).in_(("settle_duplicates", "not_same")),
                                            col(AuditLog.after).contains(f'"group_id": {g.id},'))
                     .order_by(col(AuditLog.id).desc())).first()
    return (json.loads(a.after).get("note") or None) if a is not None else None


def groups_of(session: Session, user: User, record_ids: Iterable[str], catalogue: Catalogue) -> list[DuplicateGroupInfo]:
    """The listed groups (open or settled) holding any of `record_ids` that the account may see."""
    ids = sorted(set(record_ids))
    gids: set[int] = set()
    for part in bulk.chunks(ids):
        gids |= set(session.exec(select(DuplicateMember.group_id).where(col(DuplicateMember.record_id).in_(part))))
    groups = [g for g in (session.get(DuplicateGroup, gid) for gid in sorted(gids))
              if g is not None and g.state in _LISTED and _visible(user, g)]
    return [group_info(session, user, g, catalogue) for g in groups]


def _visible(user: User, g: DuplicateGroup) -> bool:
    role = Role(user.role)
    if role is Role.ADMIN:
        return True
    if role is Role.SUPERVISOR:
        return g.kabkota_code == user.area_code
    return role is Role.REVIEWER and g.kecamatan_code == user.area_code


def get_group(session: Session, user: User, group_id: int) -> DuplicateGroup:
    g = session.get(DuplicateGroup, group_id)
    if g is None or g.state not in _LISTED or not _visible(user, g):
        raise not_found("Kelompok duplikat")
    return g


def _open_proposals_of(session: Session, rtype: RecordType, record_ids: list[str]) -> list[str]:
    """The open proposals a group's non-kept records stand for: the proposals themselves; a member's person
    proposals; a household's proposals (and its members' person proposals)."""
    if not record_ids:
        return []
    p = PROPOSAL
    if rtype is RecordType.PROPOSAL:
        cond = bulk.one_of(session, p.c.record_id, record_ids)
    elif rtype is RecordType.MEMBER:
        cond = bulk.one_of(session, p.c.member_id, record_ids)
    else:
        members = [r.record_id for r in session.execute(sa_select(MEMBER.c.record_id).where(
            bulk.one_of(session, MEMBER.c.household_id, record_ids)))]
        cond = or_(bulk.one_of(session, p.c.household_id, record_ids),
                   bulk.one_of(session, p.c.member_id, members) if members else p.c.record_id.is_(None))
    rows = session.execute(sa_select(p.c.record_id).where(cond, p.c.deleted.is_(False), p.c.voided.is_(False),
                                                           p.c.review_state != "REJECTED"))
    return sorted(r.record_id for r in rows)


@_serialised
def settle_group(session: Session, user: User, group_id: int, req: SettleDuplicateRequest,
                 catalogue: Catalogue) -> DuplicateGroupInfo:
    g = get_group(session, user, group_id)
    before_state = g.state  # a settled group may be settled again (a change of mind): the new outcome replaces it
    rtype = _type_of(g)
    members = _member_ids(session, g.id)
    keep = set(req.keep_record_ids)
    if not keep <= set(members):
        raise HTTPException(422, "Data yang dipertahankan harus anggota kelompok ini.")
    others = [r for r in members if r not in keep]
    rejected: list[str] = []
    if req.not_same:
        outcome = {rid: FlagCode.DUP_NOT_SAME for rid in members}
    else:
        outcome = {rid: (FlagCode.DUP_KEPT if rid in keep else FlagCode.DUP_OTHER_KEPT) for rid in members}
        rejected = _open_proposals_of(session, rtype, others)
        kept_desa = sorted({regions.name_of(r["desa_code"]) or r["desa_code"]
                            for r in rows_by_id(session, _TABLES[rtype], keep).values()})
        note = req.note or f"Duplikat: data yang sama dipertahankan di {', '.join(kept_desa)}."
        if rejected:
            decide(session, user, DecisionRequest(record_ids=rejected, decision=Decision.REJECT,
                                                  reason_code=ReasonCode.DUPLICATE, note=note[:1000]),
                   with_proposals=False)
            if req.void_others:
                decide(session, user, DecisionRequest(record_ids=rejected, decision=Decision.VOID, note=note[:1000]),
                       with_proposals=False)
    _mark(session, rtype, outcome)
    now = _now()
    g.state = str(GroupState.DISTINCT if req.not_same else GroupState.SETTLED)
    g.kept_record_id = None if req.not_same else sorted(keep)[0]
    g.settled_by, g.settled_at = user.id, now
    session.add(g)
    session.add(AuditLog(at=now, user_id=user.id, username=user.username,
                         action="not_same" if req.not_same else "settle_duplicates",
                         record_id=g.kept_record_id or members[0], kecamatan_code=g.kecamatan_code,
                         before=json.dumps({"group_id": g.id, "state": before_state, "members": members}),
                         after=json.dumps({"group_id": g.id, "state": g.state, "kept": sorted(keep),
                                           "rejected": rejected, "note": req.note}, ensure_ascii=False)))
    session.commit()
    session.refresh(g)
    return group_info(session, user, g, catalogue)


def _mark(session: Session, rtype: RecordType, outcome: dict[str, FlagCode]) -> None:
    """The outcome flag on every record of the group (replacing an earlier outcome), each moved in its desa's
    feed: both villages pull their records with it."""
    table = _TABLES[rtype]
    rows = {rid: dict(r._mapping) for part in bulk.chunks(sorted(outcome)) for rid, r in (
        (r.record_id, r) for r in session.execute(sa_select(table.c.record_id, table.c.desa_code, table.c.flags)
                                                  .where(bulk.one_of(session, table.c.record_id, part))))}
    seq = SeqAllocator(session)
    seq.lock(*{desa_feed(r["desa_code"]) for r in rows.values()})
    now = _now()
    upd = []
    for rid, r in rows.items():
        flags = (set(flags_of(r)) - set(DUP_OUTCOME_FLAGS)) | {outcome[rid]}
        upd.append({"record_id": rid, "flags": json.dumps(sorted(flags)),
                    "change_seq": seq.next(desa_feed(r["desa_code"])), "updated_at": now})
    if upd:
        session.execute(update(_MODELS[rtype]), upd)
    seq.store()
