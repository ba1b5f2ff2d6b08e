"""The provider of the printed documents' view models: local store -> model.Family / DecisionBatch.

TODAY'S MAPPING (to be replaced when the household model of issue 12 lands; only this module and
local_db/print_queries.py change then, never the documents or the engine):

- a family is the set of `entry` rows sharing one KK; its members are the distinct NIKs among them,
  in the order they were entered, and the head is the first one entered (the form's "next member of
  this KK" flow starts with the head). The relationship to the head is not recorded yet: blank.
- a proposal is one entry (one person in one programme); its status comes from the review outcome
  pulled from the server: none or PENDING = proposed, APPROVED, REJECTED (reason text), RETURNED (note).
- a period "YYYY-MM" selects the proposals entered in that calendar month (UTC); the Musdesus
  periods and cut-offs of issue 12 will replace it.

The decision list comes from the reviewer's view of one batch (desktop_app.review),
which is what the app holds about review outcomes per batch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from desktop_app.printing.engine import PrintError
from desktop_app.printing.model import DecisionBatch, DecisionRow, Family, Person, Proposal, Status
from domain.idnumbers import normalize
from domain.reasons import reason_text
from domain.states import ReviewState
from local_db import print_queries as pq
from local_db.models import Entry
from local_db.repository import session_scope

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")
_STATUS = {None: Status.PROPOSED, "": Status.PROPOSED, ReviewState.PENDING.value: Status.PROPOSED,
           ReviewState.APPROVED.value: Status.APPROVED, ReviewState.REJECTED.value: Status.REJECTED,
           ReviewState.RETURNED.value: Status.RETURNED}


def parse_period(text: str | None) -> tuple[datetime, datetime] | None:
    """'2025-07' -> [1 Jul 2025, 1 Aug 2025) in UTC; None/'' -> no period. PrintError on a bad text."""
    if not text:
        return None
    m = _PERIOD.match(text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12 or int(m.group(1)) < 2000:
        raise PrintError(f"Periode '{text}' tidak dikenali: tulis tahun-bulan seperti 2025-07.")
    y, mo = int(m.group(1)), int(m.group(2))
    start = datetime(y, mo, 1, tzinfo=UTC)
    end = datetime(y + (mo == 12), mo % 12 + 1, 1, tzinfo=UTC)
    return start, end


def _naive(t: datetime) -> datetime:
    # The store keeps UTC without an offset (SQLite DATETIME); compare like with like.
    return t.astimezone(UTC).replace(tzinfo=None)


def _person(e: Entry) -> Person:
    return Person(nik=e.nik, name=e.name, sex=e.sex, birth_place=e.birth_place, birth_date=e.birth_date,
                  criteria=tuple(c for c in e.criteria.split(",") if c))


def _proposal(e: Entry, person: Person) -> Proposal:
    status = _STATUS.get(e.review_state, Status.PROPOSED)
    reason = reason_text(e.review_reason_code) if status == Status.REJECTED and e.review_reason_code else ""
    return Proposal(record_id=e.record_id, programme=e.programme, recipient=person,
                    criteria=person.criteria, status=status, reason=reason, note=e.review_note or "",
                    recorded=e.created_at.date() if e.created_at else None)


def build_families(proposals: Iterable[Entry], members: Iterable[Entry]) -> list[Family]:
    """Group entries into families by KK (pure: tests and the household provider reuse it).

    `members` are all entries of the KKs concerned (the family), `proposals` the selected ones.
    Families keep the order of their first proposal.
    """
    people: dict[str, dict[str, Person]] = {}
    first: dict[str, Entry] = {}
    for e in members:
        fam = people.setdefault(e.kk, {})
        if e.nik not in fam:
            fam[e.nik] = _person(e)
        first.setdefault(e.kk, e)
    order: dict[str, list[Proposal]] = {}
    for e in proposals:
        fam = people.setdefault(e.kk, {})
        person = fam.setdefault(e.nik, _person(e))
        first.setdefault(e.kk, e)
        order.setdefault(e.kk, []).append(_proposal(e, person))
    out = []
    for kk, props in order.items():
        head = first[kk]
        out.append(Family(kk=kk, desa_code=head.desa_code, dusun=head.dusun, rt=head.rt, rw=head.rw,
                          address=head.address, members=tuple(people[kk].values()), proposals=tuple(props)))
    return out


def load_families(engine: Engine, *, period: str | None = None, programme: str | None = None,
                  kk: str | None = None, statuses: Sequence[Status] | None = None) -> list[Family]:
    """Families with their proposals of the period/programme (all statuses unless `statuses`)."""
    span = parse_period(period)
    since, until = (_naive(span[0]), _naive(span[1])) if span else (None, None)
    with session_scope(engine) as s:
        props = pq.proposal_entries(s, since=since, until=until, programme=programme,
                                    kk=normalize(kk) if kk else None)
        if statuses is not None:
            wanted = set(statuses)
            props = [e for e in props if _STATUS.get(e.review_state, Status.PROPOSED) in wanted]
        fam_rows = pq.family_entries(s, [e.kk for e in props])
    return build_families(props, fam_rows)


def only(families: Sequence[Family], statuses: Sequence[Status]) -> list[Family]:
    """The families that still have a proposal in one of `statuses` (and only those proposals)."""
    out = []
    for f in families:
        props = tuple(p for p in f.proposals if p.status in statuses)
        if props:
            out.append(replace(f, proposals=props))
    return out


# ------------------------------------------------------------------------------------- decisions


def decision_batch(batch_id: str, entries: Sequence[Any], *, batch: Any = None, reviewer: str = "") -> DecisionBatch:
    """Map the reviewer's views (review_service.EntryView / BatchView) of one batch to the view model."""
    rows = tuple(
        DecisionRow(name=e.name, nik=e.nik, desa_name=e.desa_name, programme=e.programme,
                    status=_STATUS.get(e.review_state, Status.PROPOSED),
                    reason=reason_text(e.reason_code) if e.review_state == ReviewState.REJECTED.value else "",
                    note=e.note or "")
        for e in entries)
    return DecisionBatch(batch_id=batch_id, desa_name=getattr(batch, "desa_name", "") or
                         (entries[0].desa_name if entries else ""),
                         operator=getattr(batch, "operator", "") or "", received_at=getattr(batch, "received_at", None),
                         reviewer=reviewer, rows=rows)
