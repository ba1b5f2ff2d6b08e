"""GET /api/v1/audit: the decision trail of a proposal (or of the caller's area). Protocol 2 only."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlmodel import col, select

from domain.states import Role
from server.deps import ReviewerUser, SessionDep, require_protocol
from server.models import AuditLog
from server.services.review import proposal_row
from sync.review_protocol import AuditRow

router = APIRouter(tags=["audit"], dependencies=[Depends(require_protocol)])


@router.get("/audit", response_model=list[AuditRow],
            responses={401: {"description": "Belum login"}, 404: {"description": "Tidak ada di wilayah akun"}})
def audit(user: ReviewerUser, session: SessionDep,
          record_id: Annotated[str | None, Query(max_length=64)] = None,
          limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> list[AuditRow]:
    stmt = select(AuditLog)
    if record_id:
        proposal_row(session, user, record_id)  # 404 outside the area
        stmt = stmt.where(AuditLog.record_id == record_id)
    elif Role(user.role) is not Role.ADMIN:
        stmt = stmt.where(col(AuditLog.kecamatan_code).startswith(user.area_code[:6]),
                          col(AuditLog.kecamatan_code) != "")
    rows = session.exec(stmt.order_by(col(AuditLog.id).desc()).limit(limit)).all()
    return [AuditRow(id=r.id or 0, at=r.at, username=r.username, action=r.action, record_id=r.record_id,
                     before=json.loads(r.before or "{}"), after=json.loads(r.after or "{}")) for r in rows]
