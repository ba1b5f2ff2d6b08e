"""Citizens' objections (sanggah, issue 16) against a proposal's family, for the reviewer: matched by
the NIK of a family member, or by a member's name in the same desa (the public form may carry no NIK).
The reporter's name and phone are never part of it."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, or_, select
from sqlmodel import Session

from server.models import table_of
from server.public.models import PublicReport
from server.public.states import OBJECTION_REASONS, ReportKind, ReportState
from sync.review_protocol import Objection

_R = table_of(PublicReport)


def _name(s: str) -> str:
    return " ".join((s or "").split()).lower()


def objections_for(session: Session, desa: str, people: Iterable[tuple[str, str]]) -> list[Objection]:
    """Sanggah of `desa` about any of `people` ((nik, name) pairs), oldest first."""
    niks = sorted({n for n, _ in people if n})
    names = sorted({_name(m) for _, m in people if _name(m)})
    if not niks and not names:
        return []
    match = []
    if niks:
        match.append(_R.c.nik.in_(niks))
    if names:
        match.append(func.lower(_R.c.name).in_(names))
    rows = session.execute(select(_R.c.ticket, _R.c.reason_code, _R.c.reason, _R.c.state, _R.c.created_at).where(
        _R.c.kind == ReportKind.SANGGAH, _R.c.desa_code == desa, _R.c.state != ReportState.AUTO_CLOSED,
        or_(*match)).order_by(_R.c.created_at)).all()
    return [Objection(ticket=r.ticket, reason_code=r.reason_code, reason_text=OBJECTION_REASONS.get(r.reason_code, ""),
                      explanation=r.reason, state=r.state, created_at=r.created_at) for r in rows]
