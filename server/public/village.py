"""Stage 2 hooks for the village side ("Laporan warga"): functions the sync feed and a future
verification route can call. Nothing here is wired into the changes feed yet (that is the feed
owner's file); a report's `change_seq` runs in its own per-desa feed "lapor:<desa>" (server.db.lock_feed).

    report_changes(session, desa, since, limit) -> (items, last_seq, has_more)
    record_outcome(session, ticket, state, outcome_text, actor=...) -> TicketView
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from domain.errors import KnownError
from server import db
from server.models import table_of
from server.public import audit, reports
from server.public.models import PublicPhoto, PublicReport
from server.public.states import REPORT_STATE_WORDS, ReportState

_R = table_of(PublicReport)
_PH = table_of(PublicPhoto)
# States the village may set (AUTO_CLOSED and RECEIVED belong to the server).
VILLAGE_STATES = frozenset({ReportState.IN_VERIFICATION, ReportState.PROPOSED, ReportState.NOT_ELIGIBLE,
                            ReportState.CLOSED})
_FINAL = frozenset({ReportState.PROPOSED, ReportState.NOT_ELIGIBLE, ReportState.CLOSED, ReportState.AUTO_CLOSED})


class OutcomeRefused(KnownError):
    @classmethod
    def default_message(cls) -> str:
        return "Hasil verifikasi tidak dapat disimpan."


class ReportNotFound(OutcomeRefused):
    """No such ticket in the caller's desa (a foreign desa's ticket looks the same as an unknown one)."""


class ReportFinished(OutcomeRefused):
    """The report already has a different final outcome."""


def report_desa(session: Session, ticket: str) -> str | None:
    """The desa a ticket belongs to (for an area check before record_outcome)."""
    return session.execute(select(_R.c.desa_code).where(_R.c.ticket == ticket)).scalar_one_or_none()


def report_changes(session: Session, desa: str, since: int, limit: int = 200) -> tuple[list[dict[str, Any]], int, bool]:
    """The desa's reports with change_seq > since, oldest first: (items, last seq returned, more waiting).
    Auto-closed reports are left out (stage 1 settled them; the village has nothing to do)."""
    rows = session.execute(
        select(_R).where(_R.c.desa_code == desa, _R.c.change_seq > since, _R.c.state != ReportState.AUTO_CLOSED)
        .order_by(_R.c.change_seq).limit(limit + 1)).all()
    ids = [r.id for r in rows[:limit]]
    photos = {int(rid): int(n) for rid, n in session.execute(
        select(_PH.c.report_id, func.count()).where(_PH.c.report_id.in_(ids or [-1])).group_by(_PH.c.report_id))}
    items = [{
        "seq": r.change_seq, "ticket": r.ticket, "kind": r.kind, "state": r.state, "nik": r.nik, "name": r.name,
        "desa_code": r.desa_code, "address": r.address, "reason_code": r.reason_code, "reason": r.reason,
        "announcement_ref": r.announcement_ref, "self_report": r.self_report, "reporter_name": r.reporter_name,
        "reporter_phone": r.reporter_phone, "photos": int(photos.get(r.id, 0)), "outcome_text": r.outcome_text,
        "created_at": r.created_at.isoformat(),
    } for r in rows[:limit]]
    last = items[-1]["seq"] if items else since
    return items, int(last), len(rows) > limit


def record_outcome(session: Session, ticket: str, state: str, outcome_text: str, *, actor: str,
                   desa: str, proposal_id: str = "") -> reports.TicketView:
    """The village's finding on a report of its own desa; the ticket shows it from then on (audited).
    Sending the same final outcome again (a retry after a lost answer) returns the ticket unchanged."""
    if state not in VILLAGE_STATES:
        raise OutcomeRefused(f"Status '{state}' tidak dikenal; pilih salah satu: {', '.join(sorted(VILLAGE_STATES))}.")
    text = " ".join((outcome_text or "").split())[:1000]
    if state in _FINAL and len(text) < 5:
        raise OutcomeRefused("Keterangan hasil wajib diisi: warga membaca teks ini pada tiketnya.")
    with db.serialised(session):
        report = session.execute(select(PublicReport).where(_R.c.ticket == ticket)).scalar_one_or_none()
        if report is None or report.desa_code != desa:
            raise ReportNotFound("Laporan tidak ditemukan di desa ini.")
        if report.state in _FINAL and report.state == state and report.outcome_text == (text or REPORT_STATE_WORDS[state]):
            view = reports.find(session, ticket)
            session.rollback()
            if view is not None:
                return view
        if report.state in _FINAL:
            raise ReportFinished(f"Laporan {ticket} sudah selesai ({REPORT_STATE_WORDS[report.state]}).")
        before = report.state
        feed = f"lapor:{report.desa_code}"
        report.change_seq = db.lock_feed(session, feed) + 1
        db.store_feed(session, feed, report.change_seq)
        report.state = state
        report.outcome_text = text or REPORT_STATE_WORDS[state]
        report.updated_at = datetime.now(UTC)
        session.add(report)
        audit.record(session, "report_outcome", ticket=ticket, desa_code=report.desa_code, actor=actor,
                     before=before, after=state, proposal_id=proposal_id)
        session.commit()
        session.refresh(report)
    return reports.find(session, ticket) or reports.TicketView(  # found: it was just written
        ticket=ticket, kind=report.kind, state=state, state_text=REPORT_STATE_WORDS[state],
        outcome_text=report.outcome_text, desa_name="", created_at=report.created_at, updated_at=report.updated_at)
