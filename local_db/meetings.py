"""The Musdesus in the local store (tables of local_db.meeting_migration): meetings, the proposals
each decides, and writing a decision onto the proposal itself (household_repo.save_proposal: a new
op, so the decision syncs, and an audit row).

Works inside the caller's transaction (`repository.session_scope(engine, write=True)`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from domain.errors import KnownError
from domain.proposal_codes import MusdesusDecision
from domain.records import RecordType
from local_db import household_repo as repo
from local_db.household_payloads import proposal_payload

OPEN = "open"
CLOSED = "closed"

# The desa of a proposal: its household's, or its member's household's.
_DESA = ("(SELECT h.desa_code FROM households h WHERE h.record_id = coalesce(nullif(p.household_id, ''), "
         "(SELECT m.household_id FROM members m WHERE m.record_id = p.member_id)))")
# Undecided proposals the server has not got yet: what a meeting decides by default.
_SQL_UNDECIDED = (f"SELECT p.record_id FROM proposals p WHERE p.deleted = 0 AND p.voided = 0 "
                  f"AND p.musdesus_decision = '' AND p.server_version IS NULL AND {_DESA} = ? "
                  "AND p.record_id NOT IN (SELECT i.proposal_id FROM meeting_items i JOIN meetings g "
                  "ON g.meeting_id = i.meeting_id WHERE g.state = 'open') ORDER BY p.created_at, p.record_id")


class MeetingRefused(KnownError):
    @classmethod
    def default_message(cls) -> str:
        return "Musdesus tidak bisa diproses. Periksa isian rapat."


@dataclass(frozen=True, slots=True)
class MeetingRow:
    meeting_id: str
    desa_code: str
    period: str
    date: str
    place: str
    chair: str
    present: int
    ref: str
    minutes_sha256: str | None
    state: str


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def create(s: Session, *, desa_code: str, period: str, date: str, place: str, chair: str, present: int, ref: str,
           created_by: str) -> str:
    meeting_id = str(uuid.uuid4())
    s.connection().exec_driver_sql(
        "INSERT INTO meetings (meeting_id, desa_code, period, date, place, chair, present, ref, minutes_sha256, "
        "state, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)",
        (meeting_id, desa_code, period, date, place, chair, present, ref, OPEN, _now(), created_by))
    return meeting_id


def get(s: Session, meeting_id: str) -> MeetingRow | None:
    row = s.connection().exec_driver_sql(
        "SELECT meeting_id, desa_code, period, date, place, chair, present, ref, minutes_sha256, state "
        "FROM meetings WHERE meeting_id = ?", (meeting_id,)).first()
    return None if row is None else MeetingRow(*row)


def require_open(s: Session, meeting_id: str) -> MeetingRow:
    m = get(s, meeting_id)
    if m is None:
        raise MeetingRefused("Musdesus yang dipilih tidak ditemukan.")
    if m.state != OPEN:
        raise MeetingRefused(f"Musdesus {m.date} sudah ditutup; keputusannya tidak bisa diubah lagi.")
    return m


def open_meeting_id(s: Session, desa_code: str) -> str | None:
    row = s.connection().exec_driver_sql(
        "SELECT meeting_id FROM meetings WHERE desa_code = ? AND state = ? ORDER BY created_at DESC LIMIT 1",
        (desa_code, OPEN)).first()
    return None if row is None else str(row[0])


def undecided_proposals(s: Session, desa_code: str) -> list[str]:
    return [r[0] for r in s.connection().exec_driver_sql(_SQL_UNDECIDED, (desa_code,)).all()]


def add_items(s: Session, meeting_id: str, proposal_ids: Sequence[str]) -> None:
    if not proposal_ids:
        return
    s.connection().exec_driver_sql(
        "INSERT OR IGNORE INTO meeting_items (meeting_id, proposal_id, decision, note) VALUES (?, ?, '', '')",
        [(meeting_id, pid) for pid in proposal_ids])


def items(s: Session, meeting_id: str) -> list[tuple[str, str, str]]:
    """(proposal_id, decision, note) of the meeting, in the order they were added."""
    rows = s.connection().exec_driver_sql(
        "SELECT proposal_id, decision, note FROM meeting_items WHERE meeting_id = ? ORDER BY rowid", (meeting_id,))
    return [(str(a), str(b), str(c)) for a, b, c in rows]


def decide(s: Session, meeting: MeetingRow, proposal_id: str, decision: MusdesusDecision, note: str) -> None:
    """The decision on the meeting's list; it reaches the proposal when the meeting closes (apply_decisions)."""
    hit = s.connection().exec_driver_sql(
        "UPDATE meeting_items SET decision = ?, note = ?, decided_at = ? WHERE meeting_id = ? AND proposal_id = ?",
        (decision.value, note.strip(), _now(), meeting.meeting_id, proposal_id))
    if hit.rowcount == 0:
        raise MeetingRefused("Usulan ini tidak ada dalam daftar Musdesus ini.")


def apply_decisions(s: Session, meeting: MeetingRow, who: repo.Who) -> int:
    """At closing: each decision, the meeting's date and minutes number and the minutes' hash onto its
    proposal (household_repo.save_proposal: one op each, so the decision and the meeting sync together).
    A proposal deleted meanwhile is skipped. Returns how many were written."""
    n = 0
    for proposal_id, decision, _note in items(s, meeting.meeting_id):
        row: dict[str, Any] | None = repo.get(s, RecordType.PROPOSAL, proposal_id)
        if row is None or row["deleted"]:
            continue
        payload = proposal_payload(row).model_copy(update={
            "musdesus_decision": decision, "musdesus_date": meeting.date, "musdesus_ref": meeting.ref,
            "musdesus_minutes_sha256": meeting.minutes_sha256 or ""})
        repo.save_proposal(s, payload, who, record_id=proposal_id)
        n += 1
    return n


def set_minutes(s: Session, meeting_id: str, sha256: str) -> None:
    s.connection().exec_driver_sql("UPDATE meetings SET minutes_sha256 = ? WHERE meeting_id = ?", (sha256, meeting_id))


def close(s: Session, meeting_id: str) -> None:
    s.connection().exec_driver_sql("UPDATE meetings SET state = ?, closed_at = ? WHERE meeting_id = ?",
                                   (CLOSED, _now(), meeting_id))


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One line of the deliberation list: the proposal with its household and target."""

    proposal_id: str
    kk: str
    dusun: str
    address: str
    target: str  # the member's name (person programme) or the pengurus' (household programme)
    programme: str
    decision: str
    note: str


def item_rows(s: Session, meeting_id: str) -> list[ItemRow]:
    rows = s.connection().exec_driver_sql(
        "SELECT i.proposal_id, coalesce(h.kk, ''), coalesce(h.dusun, ''), coalesce(h.address, ''), "
        "coalesce(m.name, ''), p.programme, i.decision, i.note FROM meeting_items i "
        "JOIN proposals p ON p.record_id = i.proposal_id "
        "LEFT JOIN members m ON m.record_id = coalesce(nullif(p.member_id, ''), nullif(p.pengurus_id, '')) "
        "LEFT JOIN households h ON h.record_id = coalesce(nullif(p.household_id, ''), m.household_id) "
        "WHERE i.meeting_id = ? ORDER BY i.rowid", (meeting_id,)).all()
    return [ItemRow(*(str(v) for v in r)) for r in rows]
