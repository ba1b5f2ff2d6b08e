"""Stage 2 hooks: a desa's reports as a feed, and the village's finding shown on the ticket."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from server.public import reports, village
from server.public.models import PublicAudit
from tests.support.public_seed import DESA, OTHER_DESA, add_person, add_proposal

REPORTER = {"reporter_name": "Rahmat", "reporter_phone": "081234567890"}


def _usul(s: Session, desa: str = DESA, nik: str = "") -> reports.TicketView:
    return reports.submit(s, reports.ReportInput(
        kind="usul", name="Sarmini", nik=nik, desa_code=desa, address="Dusun II RT 03",
        reason="Janda lansia tanpa penghasilan tetap", **REPORTER), client="uji", active_statuses=["aktif"])


def test_the_feed_gives_a_desas_open_reports_in_order_and_resumes(engine: Engine) -> None:
    p = add_person(engine, "1902014508850001", "1902011203100005")
    add_proposal(engine, p, "PKH", household=True, review_state="APPROVED")
    with Session(engine) as s:
        first, second = _usul(s), _usul(s)
        _usul(s, desa=OTHER_DESA)
        closed = _usul(s, nik="1902014508850001")
        assert closed.state == "AUTO_CLOSED"
        items, last, more = village.report_changes(s, DESA, 0, limit=1)
        assert [i["ticket"] for i in items] == [first.ticket] and more
        items, last, more = village.report_changes(s, DESA, last)
        assert [i["ticket"] for i in items] == [second.ticket] and not more  # the auto-closed one is not sent
        assert items[0]["name"] == "Sarmini" and items[0]["reporter_phone"] == "081234567890"
        assert village.report_changes(s, DESA, last) == ([], last, False)


def test_an_outcome_moves_the_report_up_the_feed_and_shows_on_the_ticket(engine: Engine) -> None:
    with Session(engine) as s:
        t = _usul(s)
        _, seen, _ = village.report_changes(s, DESA, 0)
        village.record_outcome(s, t.ticket, "IN_VERIFICATION", "", actor="op1", desa=DESA)
        done = village.record_outcome(s, t.ticket, "PROPOSED", "Layak; diusulkan untuk PKH bulan depan.",
                                      actor="op1", desa=DESA)
        assert done.state_text == "Layak, sudah diusulkan oleh desa"
        assert reports.find(s, t.ticket).outcome_text == "Layak; diusulkan untuk PKH bulan depan."  # type: ignore[union-attr]
        items, _, _ = village.report_changes(s, DESA, seen)
        assert [(i["ticket"], i["state"]) for i in items] == [(t.ticket, "PROPOSED")]
        actions = s.execute(select(PublicAudit.action).order_by(PublicAudit.id)).scalars().all()
        assert actions == ["report_created", "report_outcome", "report_outcome"]


def test_outcomes_are_refused_for_another_desa_an_unknown_state_or_a_closed_report(engine: Engine) -> None:
    with Session(engine) as s:
        t = _usul(s)
        with pytest.raises(village.OutcomeRefused, match="tidak ditemukan di desa ini"):
            village.record_outcome(s, t.ticket, "CLOSED", "Sudah pindah", actor="op2", desa=OTHER_DESA)
        with pytest.raises(village.OutcomeRefused, match="tidak dikenal"):
            village.record_outcome(s, t.ticket, "AUTO_CLOSED", "x", actor="op1", desa=DESA)
        with pytest.raises(village.OutcomeRefused, match="Keterangan hasil wajib"):
            village.record_outcome(s, t.ticket, "NOT_ELIGIBLE", "", actor="op1", desa=DESA)
        village.record_outcome(s, t.ticket, "NOT_ELIGIBLE", "Penghasilan di atas batas", actor="op1", desa=DESA)
        with pytest.raises(village.OutcomeRefused, match="sudah selesai"):
            village.record_outcome(s, t.ticket, "PROPOSED", "Layak", actor="op1", desa=DESA)
