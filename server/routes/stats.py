"""GET /api/v1/stats: the dashboard. Proposals per desa x programme x proposal type x review state, each
row with how many families they are (KPM: distinct households; a person programme's proposal counts for
its member's household), the families per criterion, and the families of each desa and of the whole area
counted once. Deleted and voided proposals are not counted. Protocol 2 only."""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy import and_, case, func, literal
from sqlalchemy import select as sa_select

from domain import criteria, regions
from server.deps import ReadSessionDep, ReviewerUser, require_protocol
from server.services.review_family import MEMBER, PROPOSAL
from server.services.scope import AREA_PATTERN, narrow, record_filter
from sync.review_protocol import CriteriaRow, KpmRow, StatsResponse, StatsRow

router = APIRouter(tags=["stats"], dependencies=[Depends(require_protocol)])


@router.get("/stats", response_model=StatsResponse,
            responses={401: {"description": "Belum login"}, 403: {"description": "Wilayah lain, atau aplikasi versi lama"}})
def stats(user: ReviewerUser, session: ReadSessionDep,
          area: Annotated[str | None, Query(max_length=20, pattern=AREA_PATTERN)] = None) -> StatsResponse:
    prefix = narrow(user, area)
    p, m = PROPOSAL, MEMBER
    # The family a proposal counts for: its household, else (person programme) its member's household.
    family = case((p.c.household_id != literal(""), p.c.household_id), else_=m.c.household_id)
    base = (sa_select().select_from(p.outerjoin(m, and_(m.c.record_id == p.c.member_id, p.c.household_id == literal(""))))
            .where(record_filter(user, p), p.c.desa_code.startswith(prefix), p.c.deleted.is_(False),
                   p.c.voided.is_(False)))
    groups = (p.c.desa_code, p.c.programme, p.c.type, p.c.review_state)
    rows = session.execute(base.add_columns(*groups, func.count(), func.count(func.distinct(family)))
                           .group_by(*groups).order_by(*groups)).all()
    out = [StatsRow(desa_code=d, desa_name=regions.name_of(d) or "", programme=prog, proposal_type=t, review_state=s,
                    count=int(n), kpm=int(k)) for d, prog, t, s, n, k in rows]
    by_desa = {d: int(k) for d, k in session.execute(
        base.add_columns(p.c.desa_code, func.count(func.distinct(family))).group_by(p.c.desa_code)).all()}
    total_kpm = int(session.execute(base.add_columns(func.count(func.distinct(family)))).scalar_one())
    kpm_by = [KpmRow(desa_code=d, dimension=dim, value=v, kpm=int(k))
              for dim, column in (("state", p.c.review_state), ("programme", p.c.programme), ("type", p.c.type))
              for d, v, k in session.execute(base.add_columns(p.c.desa_code, column, func.count(func.distinct(family)))
                                             .group_by(p.c.desa_code, column)).all()]
    # Criteria live in the proposal's payload: families per (desa, criterion), each family once.
    fams: dict[tuple[str, str], set[str]] = defaultdict(set)
    for d, fam, payload in session.execute(base.add_columns(p.c.desa_code, family, p.c.payload)):
        for c in _criteria_of(payload):
            fams[(d, c)].add(fam or "")
    crit_rows = [CriteriaRow(desa_code=d, desa_name=regions.name_of(d) or "", criterion=c,
                             criterion_label=criteria.label(c), count=len(f)) for (d, c), f in sorted(fams.items())]
    return StatsResponse(area_code=prefix, rows=out, by_criteria=crit_rows, total=sum(r.count for r in out),
                         total_kpm=total_kpm, kpm_by_desa=by_desa, kpm_by=kpm_by)


def _criteria_of(payload: str | None) -> list[str]:
    try:
        data = json.loads(payload or "{}")
    except ValueError:
        return []
    return [str(c) for c in data.get("criteria") or []]
