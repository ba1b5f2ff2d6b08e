"""The reference recipient list: matching entries against it (per programme rule)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session

from domain.programmes import Catalogue
from server.models import ReferenceRecipient, table_of
from server.services import bulk
from server.settings import ReferenceRule


@dataclass(frozen=True, slots=True)
class RefVerdict:
    action: str  # "reject" or "flag"
    programme: str
    level: str
    period: str


def active_by_nik(session: Session, niks: Iterable[str], active_statuses: list[str]) -> dict[str, list[dict[str, Any]]]:
    statuses = {s.strip().lower() for s in active_statuses}
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    table = table_of(ReferenceRecipient)
    cols = (table.c.nik, table.c.programme, table.c.level, table.c.status, table.c.period)
    for part in bulk.chunks(niks):
        for r in session.execute(sa_select(*cols).where(bulk.one_of(session, table.c.nik, part))):
            if r.status.strip().lower() in statuses:
                out[r.nik].append({"nik": r.nik, "programme": r.programme, "level": r.level, "status": r.status,
                                   "period": r.period})
    return out


def judge(programme_code: str, refs: list[dict[str, Any]], *, catalogue: Catalogue,
          rules: list[ReferenceRule]) -> RefVerdict | None:
    """The strongest verdict for an entry in `programme_code` given the NIK's reference rows."""
    if not refs:
        return None
    prog = catalogue.get(programme_code)
    target_level = str(prog.level) if prog else ""
    flagged: RefVerdict | None = None
    for ref in refs:
        for rule in rules:
            if rule.action == "reject" and ref["level"] == rule.existing_level and target_level in rule.target_levels:
                return RefVerdict("reject", ref["programme"], ref["level"], ref["period"])
        flagged = flagged or RefVerdict("flag", ref["programme"], ref["level"], ref["period"])
    return flagged
