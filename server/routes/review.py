"""Review API for reviewers (their kecamatan), supervisors (their kab/kota) and admins: proposals with
their families, decisions, duplicate groups and conflicts. Every request must speak protocol 2
(X-Bansos-Protocol: 2): the review desktop of before the household model gets 403 and the Indonesian
OLD_CLIENT_MESSAGE, never data it cannot read."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from sqlalchemy import func
from sqlalchemy import select as sa_select

from domain.records import RecordType
from server.deps import CatalogueDep, ReadSessionDep, ReviewerUser, SessionDep, require_protocol
from server.services import review as svc
from server.services import review_groups as groups
from server.services.objections import objections_for
from server.services.review_family import PROPOSAL, review_proposals
from server.services.scope import AREA_PATTERN, narrow, record_filter
from sync.protocol import OLD_CLIENT_MESSAGE
from sync.review_protocol import (
    BatchPage,
    DecisionRequest,
    DecisionResult,
    DuplicateGroupInfo,
    GroupState,
    ProposalDetail,
    ProposalPage,
    ReviewProposal,
    SettleConflictRequest,
    SettleDuplicateRequest,
)

router = APIRouter(prefix="/review", tags=["review"], dependencies=[Depends(require_protocol)])
_R = {401: {"description": "Belum login"}, 403: {"description": "Peran/wilayah lain, atau aplikasi versi lama"},
      404: {"description": "Tidak ada di wilayah akun"}}
Limit = Annotated[int, Query(ge=1, le=5000)]
_LISTED_STATES = f"^({GroupState.OPEN}|{GroupState.SETTLED}|{GroupState.DISTINCT})$"  # dissolved: never listed
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
RecordId = Annotated[str, Path(min_length=1, max_length=64)]
BatchId = Annotated[str, Path(min_length=1, max_length=100)]
GroupId = Annotated[int, Path(ge=1, le=2**31 - 1)]  # the column is 32-bit (PostgreSQL integer)
AreaCode = Annotated[str | None, Query(max_length=20, pattern=AREA_PATTERN,
                                       description="desa/kecamatan code inside the account's area")]


@router.get("/batches", response_model=BatchPage, responses=_R)  # type: ignore[arg-type]
def list_batches(user: ReviewerUser, session: ReadSessionDep, desa: AreaCode = None, offset: Offset = 0,
                 limit: Limit = 200) -> BatchPage:
    items, total = svc.batch_summaries(session, user, desa=narrow(user, desa), offset=offset, limit=limit)
    return BatchPage(items=items, total=total)


@router.get("/batches/{batch_id}/proposals", response_model=ProposalPage, responses=_R)  # type: ignore[arg-type]
def batch_proposals(batch_id: BatchId, user: ReviewerUser, session: SessionDep, catalogue: CatalogueDep,
                    offset: Offset = 0, limit: Limit = 1000) -> ProposalPage:
    """The proposals the batch sent, then those of the households and members it sent."""
    rows = svc.batch_proposals(session, user, batch_id)
    page = rows[offset : offset + limit]
    return ProposalPage(items=review_proposals(session, page, catalogue), total=len(rows), offset=offset, limit=limit)


@router.get("/proposals", response_model=ProposalPage, responses=_R)  # type: ignore[arg-type]
def list_proposals(
    user: ReviewerUser,
    session: ReadSessionDep,
    catalogue: CatalogueDep,
    desa: AreaCode = None,
    state: Annotated[str | None, Query(max_length=20)] = None,
    flag: Annotated[str | None, Query(max_length=40)] = None,
    programme: Annotated[str | None, Query(max_length=40)] = None,
    proposal_type: Annotated[str | None, Query(alias="type", max_length=20)] = None,
    include_deleted: bool = False,
    offset: Offset = 0,
    limit: Limit = 500,
) -> ProposalPage:
    p = PROPOSAL
    area = narrow(user, desa)
    conds = [record_filter(user, p), p.c.desa_code.startswith(area)]
    if state:
        conds.append(p.c.review_state == state.upper())
    if programme:
        conds.append(p.c.programme == programme.upper())
    if proposal_type:
        conds.append(p.c.type == proposal_type.lower())
    if flag:
        conds.append(p.c.flags.contains(f'"{flag.upper()}"'))
    if not include_deleted:
        conds += [p.c.deleted.is_(False), p.c.voided.is_(False)]
    total = session.execute(sa_select(func.count()).select_from(p).where(*conds)).scalar_one()
    rows = [dict(r._mapping) for r in session.execute(
        sa_select(p).where(*conds).order_by(p.c.desa_code, p.c.change_seq).offset(offset).limit(limit))]
    return ProposalPage(items=review_proposals(session, rows, catalogue), total=int(total), offset=offset, limit=limit)


@router.get("/proposals/{record_id}", response_model=ProposalDetail, responses=_R)  # type: ignore[arg-type]
def proposal_detail(record_id: RecordId, user: ReviewerUser, session: SessionDep,
                    catalogue: CatalogueDep) -> ProposalDetail:
    detail = svc.proposal_detail(session, user, record_id, catalogue)
    p = detail.proposal
    family = {p.record_id, p.member_id, *(m.record_id for m in p.members)} - {""}
    if p.household is not None:
        family.add(p.household.record_id)
    detail.duplicate_groups = groups.groups_of(session, user, family, catalogue)
    people = [(m.payload.nik, m.payload.name) for m in [*p.members, *([p.member] if p.member else [])]]
    detail.objections = objections_for(session, p.desa_code, people)  # citizens' sanggah (issue 16)
    return detail


@router.post("/decisions", response_model=DecisionResult, responses=_R)  # type: ignore[arg-type]
def decide(body: DecisionRequest, user: ReviewerUser, session: SessionDep) -> DecisionResult:
    return svc.decide(session, user, body)


@router.get("/duplicates", response_model=list[DuplicateGroupInfo], responses=_R)  # type: ignore[arg-type]
def duplicates(user: ReviewerUser, session: SessionDep, catalogue: CatalogueDep,
               state: Annotated[str | None, Query(pattern=_LISTED_STATES)] = GroupState.OPEN) -> list[DuplicateGroupInfo]:
    return [groups.group_info(session, user, g, catalogue) for g in groups.visible_groups(session, user, state=state)]


@router.post("/duplicates/{group_id}/settle", response_model=DuplicateGroupInfo, responses=_R)  # type: ignore[arg-type]
def settle_duplicates(group_id: GroupId, body: SettleDuplicateRequest, user: ReviewerUser,
                      session: SessionDep, catalogue: CatalogueDep) -> DuplicateGroupInfo:
    return groups.settle_group(session, user, group_id, body, catalogue)


@router.get("/conflicts", response_model=ProposalPage, responses=_R)  # type: ignore[arg-type]
def conflicts(user: ReviewerUser, session: ReadSessionDep, catalogue: CatalogueDep, offset: Offset = 0,
              limit: Limit = 500) -> ProposalPage:
    rows, total = svc.conflict_page(session, user, offset=offset, limit=limit)
    return ProposalPage(items=review_proposals(session, rows, catalogue), total=total, offset=offset, limit=limit)


@router.post("/conflicts/{record_id}/settle", response_model=ReviewProposal, responses=_R)  # type: ignore[arg-type]
def settle_conflict(record_id: RecordId, body: SettleConflictRequest, user: ReviewerUser, session: SessionDep,
                    catalogue: CatalogueDep,
                    record_type: Annotated[RecordType, Query(description="the conflicted record's type")] = RecordType.PROPOSAL,
                    proposal: Annotated[str | None, Query(max_length=64, description=(
                        "a household's or member's conflict: the proposal to answer with"))] = None) -> ReviewProposal:
    """Settle the hard conflict of a proposal, or of its household or member (`record_type`); the answer
    is the proposal (`proposal`, else `record_id`) as it is now, with its family."""
    if record_type is not RecordType.PROPOSAL and not proposal:
        raise HTTPException(422, "Sebutkan usulan yang sedang ditinjau (parameter proposal).")
    answer = proposal or record_id
    svc.proposal_row(session, user, answer)  # 404 before anything is written
    svc.settle_conflict(session, user, record_id, body, catalogue, record_type=record_type)
    return review_proposals(session, [svc.proposal_row(session, user, answer)], catalogue)[0]


@router.api_route("/entries{rest:path}", methods=["GET", "POST"], include_in_schema=False)
def old_review_desktop(rest: str) -> None:
    """The entry-centred review desktop's own paths: the same clear refusal as every other review request."""
    del rest
    raise HTTPException(403, OLD_CLIENT_MESSAGE)
