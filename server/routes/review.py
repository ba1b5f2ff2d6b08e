"""Review API for reviewers (their kecamatan), supervisors (their kab/kota) and admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy import func
from sqlmodel import col, select

from server.deps import CatalogueDep, ReadSessionDep, ReviewerUser, SessionDep
from server.models import Entry
from server.services import review as svc
from server.services.scope import AREA_PATTERN, entry_filter, narrow
from sync.review_protocol import (
    BatchPage,
    DecisionRequest,
    DecisionResult,
    DuplicateGroupInfo,
    EntryDetail,
    EntryPage,
    GroupState,
    ReviewEntry,
    SettleConflictRequest,
    SettleDuplicateRequest,
)

router = APIRouter(prefix="/review", tags=["review"])
_R = {401: {"description": "Belum login"}, 403: {"description": "Peran/wilayah lain"},
      404: {"description": "Tidak ada di wilayah akun"}}
Limit = Annotated[int, Query(ge=1, le=5000)]
_LISTED_STATES = f"^({GroupState.OPEN}|{GroupState.SETTLED})$"  # dissolved groups are never listed
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


@router.get("/batches/{batch_id}/entries", response_model=EntryPage, responses=_R)  # type: ignore[arg-type]
def batch_entries(batch_id: BatchId, user: ReviewerUser, session: SessionDep, offset: Offset = 0,
                  limit: Limit = 1000) -> EntryPage:
    svc.batch_of(session, user, batch_id)
    ids = svc.batch_record_ids(session, batch_id)
    page_ids = ids[offset : offset + limit]
    rows = {e.record_id: e for e in session.exec(select(Entry).where(col(Entry.record_id).in_(page_ids),
                                                                     entry_filter(user)))}
    entries = [rows[r] for r in page_ids if r in rows]
    return EntryPage(items=svc.review_entries(session, entries), total=len(ids), offset=offset, limit=limit)


@router.get("/entries", response_model=EntryPage, responses=_R)  # type: ignore[arg-type]
def list_entries(
    user: ReviewerUser,
    session: ReadSessionDep,
    desa: AreaCode = None,
    state: Annotated[str | None, Query(max_length=20)] = None,
    flag: Annotated[str | None, Query(max_length=40)] = None,
    programme: Annotated[str | None, Query(max_length=40)] = None,
    include_deleted: bool = False,
    offset: Offset = 0,
    limit: Limit = 500,
) -> EntryPage:
    area = narrow(user, desa)
    conds = [entry_filter(user), col(Entry.desa_code).startswith(area)]
    if state:
        conds.append(Entry.review_state == state.upper())
    if programme:
        conds.append(Entry.programme == programme.upper())
    if flag:
        conds.append(col(Entry.flags).contains(f'"{flag.upper()}"'))
    if not include_deleted:
        conds += [col(Entry.deleted).is_(False), col(Entry.voided).is_(False)]
    total = session.exec(select(func.count()).select_from(Entry).where(*conds)).one()
    entries = list(session.exec(select(Entry).where(*conds).order_by(col(Entry.desa_code), col(Entry.change_seq))
                                .offset(offset).limit(limit)))
    return EntryPage(items=svc.review_entries(session, entries), total=int(total), offset=offset, limit=limit)


@router.get("/entries/{record_id}", response_model=EntryDetail, responses=_R)  # type: ignore[arg-type]
def entry_detail(record_id: RecordId, user: ReviewerUser, session: SessionDep) -> EntryDetail:
    return svc.entry_detail(session, user, record_id)


@router.post("/decisions", response_model=DecisionResult, responses=_R)  # type: ignore[arg-type]
def decide(body: DecisionRequest, user: ReviewerUser, session: SessionDep) -> DecisionResult:
    return svc.decide(session, user, body)


@router.get("/duplicates", response_model=list[DuplicateGroupInfo], responses=_R)  # type: ignore[arg-type]
def duplicates(user: ReviewerUser, session: SessionDep,
               state: Annotated[str | None, Query(pattern=_LISTED_STATES)] = GroupState.OPEN) -> list[DuplicateGroupInfo]:
    return [svc.group_info(session, user, g) for g in svc.visible_groups(session, user, state=state)]


@router.post("/duplicates/{group_id}/settle", response_model=DuplicateGroupInfo, responses=_R)  # type: ignore[arg-type]
def settle_duplicates(group_id: GroupId, body: SettleDuplicateRequest, user: ReviewerUser,
                      session: SessionDep) -> DuplicateGroupInfo:
    return svc.settle_group(session, user, group_id, body)


@router.get("/conflicts", response_model=EntryPage, responses=_R)  # type: ignore[arg-type]
def conflicts(user: ReviewerUser, session: ReadSessionDep, offset: Offset = 0, limit: Limit = 500) -> EntryPage:
    conds = [entry_filter(user), col(Entry.conflict).is_not(None)]
    total = session.exec(select(func.count()).select_from(Entry).where(*conds)).one()
    entries = list(session.exec(select(Entry).where(*conds).order_by(col(Entry.change_seq)).offset(offset).limit(limit)))
    return EntryPage(items=svc.review_entries(session, entries), total=int(total), offset=offset, limit=limit)


@router.post("/conflicts/{record_id}/settle", response_model=ReviewEntry, responses=_R)  # type: ignore[arg-type]
def settle_conflict(record_id: RecordId, body: SettleConflictRequest, user: ReviewerUser, session: SessionDep,
                    catalogue: CatalogueDep) -> ReviewEntry:
    return svc.settle_conflict(session, user, record_id, body, catalogue)
