"""GET /api/v1/stats: counts per desa x programme x review state, and per criterion."""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Query
from sqlalchemy import func
from sqlmodel import col, select

from domain import criteria, regions
from server.deps import ReadSessionDep, ReviewerUser
from server.models import Entry
from server.services.scope import AREA_PATTERN, entry_filter, narrow
from sync.review_protocol import CriteriaRow, StatsResponse, StatsRow

router = APIRouter(tags=["stats"])


@router.get("/stats", response_model=StatsResponse,
            responses={401: {"description": "Belum login"}, 403: {"description": "Wilayah lain"}})
def stats(user: ReviewerUser, session: ReadSessionDep,
          area: Annotated[str | None, Query(max_length=20, pattern=AREA_PATTERN)] = None) -> StatsResponse:
    prefix = narrow(user, area)
    conds = [entry_filter(user), col(Entry.desa_code).startswith(prefix), col(Entry.deleted).is_(False),
             col(Entry.voided).is_(False)]
    rows = session.exec(select(Entry.desa_code, Entry.programme, Entry.review_state, func.count())
                        .where(*conds).group_by(Entry.desa_code, Entry.programme, Entry.review_state)
                        .order_by(Entry.desa_code, Entry.programme, Entry.review_state)).all()
    out = [StatsRow(desa_code=d, desa_name=regions.name_of(d) or "", programme=p, review_state=s, count=int(n))
           for d, p, s, n in rows]
    by_crit: dict[tuple[str, str], int] = defaultdict(int)
    for d, crit_text, n in session.exec(select(Entry.desa_code, Entry.criteria, func.count()).where(*conds)
                                        .group_by(Entry.desa_code, Entry.criteria)):
        for c in filter(None, (crit_text or "").split(",")):
            by_crit[(d, c)] += int(n)
    crit_rows = [CriteriaRow(desa_code=d, desa_name=regions.name_of(d) or "", criterion=c,
                             criterion_label=criteria.label(c), count=n) for (d, c), n in sorted(by_crit.items())]
    return StatsResponse(area_code=prefix, rows=out, by_criteria=crit_rows, total=sum(r.count for r in out))
