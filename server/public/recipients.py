"""Stage 1 of a usul: is this NIK already a recipient? Either an approved proposal of a member with
that NIK (the person's own programme or their household's) or an active row of the reference list."""

from __future__ import annotations

from sqlalchemy import and_, exists, or_, select
from sqlmodel import Session

from domain.states import ReviewState
from server.models import MemberRow, ProposalRow, table_of
from server.services.reference import active_by_nik

_M = table_of(MemberRow)
_P = table_of(ProposalRow)


def has_approved_proposal(session: Session, nik: str) -> bool:
    live_member = and_(_M.c.nik == nik, _M.c.deleted.is_(False), _M.c.voided.is_(False))
    approved = and_(_P.c.review_state == ReviewState.APPROVED, _P.c.deleted.is_(False), _P.c.voided.is_(False),
                    _P.c.type == "new")
    own = exists().where(approved, _P.c.member_id == _M.c.record_id)
    household = exists().where(approved, _P.c.member_id == "", _P.c.household_id == _M.c.household_id)
    stmt = select(_M.c.record_id).where(live_member, or_(own, household)).limit(1)
    return session.execute(stmt).first() is not None


def is_recipient(session: Session, nik: str, active_statuses: list[str]) -> bool:
    if has_approved_proposal(session, nik):
        return True
    return bool(active_by_nik(session, [nik], active_statuses).get(nik))

