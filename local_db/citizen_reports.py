"""The citizen_reports table (issue 16, stage 2): pulled reports, the village's finding, what is unsent.
A pull never overwrites the village's own columns (finding_*, proposal_id, outcome_sent)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

_PULLED = ("kind", "server_state", "server_seq", "nik", "name", "desa_code", "address", "reason_code", "reason",
           "announcement_ref", "reporter_name", "reporter_phone", "photos", "created_at")


@dataclass(frozen=True)
class CitizenReport:
    ticket: str
    kind: str
    server_state: str
    nik: str
    name: str
    desa_code: str
    address: str
    reason_code: str
    reason: str
    announcement_ref: str
    reporter_name: str
    reporter_phone: str
    photos: int
    created_at: str
    finding_state: str
    finding_note: str
    proposal_id: str
    outcome_sent: bool


def cursor(s: Session) -> int:
    return int(s.execute(text("SELECT coalesce(max(server_seq), 0) FROM citizen_reports")).scalar_one())


def store_pulled(s: Session, items: Iterable[dict[str, Any]]) -> int:
    n = 0
    for it in items:
        row = {k: it.get(k) if it.get(k) is not None else "" for k in _PULLED}
        row["server_state"] = it.get("state", "")
        row["server_seq"] = int(it["seq"])
        row["photos"] = int(it.get("photos") or 0)
        row["ticket"] = it["ticket"]
        cols = ", ".join(("ticket", *_PULLED))
        vals = ", ".join(f":{c}" for c in ("ticket", *_PULLED))
        sets = ", ".join(f"{c} = excluded.{c}" for c in _PULLED)
        s.execute(text(f"INSERT INTO citizen_reports ({cols}) VALUES ({vals}) "
                       f"ON CONFLICT(ticket) DO UPDATE SET {sets}"), row)
        n += 1
    return n


def _of(r: Any) -> CitizenReport:
    m = dict(r._mapping)
    return CitizenReport(**{k: m[k] for k in CitizenReport.__dataclass_fields__ if k != "outcome_sent"},
                         outcome_sent=bool(m["outcome_sent"]))


def list_reports(s: Session) -> list[CitizenReport]:
    """Open work first (no finding yet), then the rest; newest first within each."""
    rows = s.execute(text("SELECT * FROM citizen_reports ORDER BY (finding_state != '') , created_at DESC")).all()
    return [_of(r) for r in rows]


def get(s: Session, ticket: str) -> CitizenReport | None:
    r = s.execute(text("SELECT * FROM citizen_reports WHERE ticket = :t"), {"t": ticket}).first()
    return _of(r) if r else None


def record_finding(s: Session, ticket: str, state: str, note: str, proposal_id: str = "") -> None:
    s.execute(text("UPDATE citizen_reports SET finding_state = :st, finding_note = :n, proposal_id = :p, "
                   "outcome_sent = 0, updated_at = :u WHERE ticket = :t"),
              {"st": state, "n": note, "p": proposal_id, "u": datetime.now(UTC).isoformat(), "t": ticket})


def unsent(s: Session) -> list[CitizenReport]:
    return [_of(r) for r in s.execute(text("SELECT * FROM citizen_reports WHERE outcome_sent = 0")).all()]


def mark_sent(s: Session, ticket: str, state: str, server_state: str) -> None:
    """Only when the finding is still the one sent (a newer one waits for the next run)."""
    s.execute(text("UPDATE citizen_reports SET outcome_sent = 1, server_state = :ss "
                   "WHERE ticket = :t AND finding_state = :st"), {"t": ticket, "st": state, "ss": server_state})
