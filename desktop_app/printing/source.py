"""The provider of the printed documents' view models: local store -> model.Family / DecisionBatch.

The mapping from the household model (design.md §3):

- a family is one household (KK) with its members (not deleted) in the order they were entered;
  the head is the member recorded as kepala keluarga, else the first one entered;
- a proposal is one proposal record. A household programme (PKH, BPNT, ...) is the family's, and
  its recipient on paper is the pengurus (the head when a removal names none); a person programme
  (PBI-JK) is its member's. Its status comes from the review outcome pulled from the server: none or
  PENDING = proposed, APPROVED, REJECTED (reason text), RETURNED (note);
- a period "YYYY-MM" selects the proposals recorded in that calendar month (UTC).

The decision list comes from the reviewer's view of one batch (desktop_app.review),
which is what the app holds about review outcomes per batch.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine

from desktop_app.printing.engine import PrintError
from desktop_app.printing.model import DecisionBatch, DecisionRow, Family, Person, Proposal, Status
from domain.idnumbers import normalize
from domain.member_codes import RELATION, Relation
from domain.reasons import reason_text
from domain.states import ReviewState
from local_db import print_queries as pq
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


def _date(v: object) -> date | None:
    if isinstance(v, date):
        return v
    text = str(v or "")[:10]
    return date.fromisoformat(text) if text else None


def _person(m: Mapping[str, Any]) -> Person:
    return Person(nik=m["nik"] or m["temp_id"] or "", name=m["name"], sex=m["sex"], birth_place=m["birth_place"] or "",
                  birth_date=_date(m["birth_date"]),
                  relation=RELATION.label(m["relation"]) if m["relation"] else "",
                  criteria=tuple(c for c in (m["criteria"] or "").split(",") if c))


def _proposal(p: Mapping[str, Any], recipient: Person) -> Proposal:
    status = _STATUS.get(p["review_state"], Status.PROPOSED)
    reason = reason_text(p["review_reason_code"]) if status == Status.REJECTED and p["review_reason_code"] else ""
    criteria = tuple(c for c in (p["criteria"] or "").split(",") if c) or recipient.criteria
    return Proposal(record_id=p["record_id"], programme=p["programme"], recipient=recipient, criteria=criteria,
                    status=status, reason=reason, note=p["review_note"] or "", recorded=_date(p["created_at"]),
                    household=not p["member_id"])


def build_families(proposals: Iterable[Mapping[str, Any]], households: Mapping[str, Mapping[str, Any]],
                   members: Iterable[Mapping[str, Any]], *, keep_empty: Sequence[str] = ()) -> list[Family]:
    """Group proposal rows into families (pure: tests reuse it). `proposals` carry `family_id`;
    families keep the order of their first proposal; `keep_empty` households are listed even
    without a proposal (a family's own sheet)."""
    people: dict[str, dict[str, Person]] = {}
    heads: dict[str, str] = {}
    for m in members:
        fam = people.setdefault(m["household_id"], {})
        fam[m["record_id"]] = _person(m)
        if m["relation"] == Relation.KEPALA_KELUARGA:
            heads.setdefault(m["household_id"], m["record_id"])
    order: dict[str, list[Proposal]] = {hid: [] for hid in keep_empty}
    for p in proposals:
        hid = p["family_id"]
        fam = people.setdefault(hid, {})
        who = p["member_id"] or p["pengurus_id"] or heads.get(hid) or next(iter(fam), "")
        recipient = fam.get(who) or Person(nik="", name="-", sex="")
        order.setdefault(hid, []).append(_proposal(p, recipient))
    out = []
    for hid, props in order.items():
        h = households.get(hid)
        fam = people.get(hid, {})
        if h is None or not fam:
            continue
        head = heads.get(hid)
        ordered = ([fam[head]] if head else []) + [x for rid, x in fam.items() if rid != head]
        out.append(Family(kk=h["kk"] or "", desa_code=h["desa_code"], dusun=h["dusun"] or "", rt=h["rt"] or "",
                          rw=h["rw"] or "", address=h["address"] or "", members=tuple(ordered),
                          proposals=tuple(props)))
    return out


def load_families(engine: Engine, *, period: str | None = None, programme: str | None = None,
                  kk: str | None = None, statuses: Sequence[Status] | None = None) -> list[Family]:
    """Families with their proposals of the period/programme (all statuses unless `statuses`); with
    `kk`, that family even when it has no proposal."""
    span = parse_period(period)
    since, until = (_naive(span[0]), _naive(span[1])) if span else (None, None)
    with session_scope(engine) as s:
        only_ids = pq.household_ids_of_kk(s, normalize(kk)) if kk else None
        props = pq.proposals(s, since=since, until=until, programme=programme, household_ids=only_ids)
        if statuses is not None:
            wanted = set(statuses)
            props = [p for p in props if _STATUS.get(p["review_state"], Status.PROPOSED) in wanted]
        ids = [p["family_id"] for p in props] + list(only_ids or [])
        hh = pq.households(s, ids)
        members = pq.members(s, ids)
    return build_families(props, hh, members, keep_empty=only_ids or ())


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
