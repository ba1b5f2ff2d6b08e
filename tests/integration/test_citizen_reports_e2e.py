"""End to end (issue 16, stage 2) against a real server process: a citizen's usul posted to the public
API reaches the village app on its next sync, is verified there and turned into household + member +
proposal through the "Laporan warga" dialog; the next sync sends both, and the ticket then shows the
outcome. A sanggah against that new proposal's person shows to the kecamatan reviewer beside it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from pytestqt.qtbot import QtBot

from desktop_app.review.service import ReviewService
from desktop_app.review.views import ReviewSession
from desktop_app.services.citizen_reports import CitizenReportService
from desktop_app.services.households import HouseholdService
from tests.support.serverproc import ServerProcess
from tests.support.sync_env import SYNC_USERS, Village
from ui.citizen_reports import CitizenReportsScreen, ProposalFromReportDialog
from ui.review.proposal_panel import proposal_html

pytestmark = pytest.mark.slow
DESA = "1902012003"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    srv = ServerProcess(tmp_path / "srv")
    try:
        yield srv.setup(users=SYNC_USERS)
    finally:
        srv.kill()


def _report(srv: ServerProcess, **body: str) -> str:
    r = requests.post(f"{srv.url}/api/v1/public/reports", json={"desa_code": DESA, "address": "Dusun II RT 03",
                                                                  "reporter_name": "Rahmat",
                                                                  "reporter_phone": "081234567890", **body},
                      timeout=30)
    assert r.status_code == 200, r.text
    return str(r.json()["ticket"])


def _lacak(srv: ServerProcess, ticket: str) -> dict[str, str]:
    r = requests.get(f"{srv.url}/api/v1/public/reports/{ticket}", timeout=30)
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_a_usul_becomes_a_proposal_in_the_village_and_the_ticket_shows_it(
        server: ServerProcess, tmp_path: Path, qtbot: QtBot) -> None:
    ticket = _report(server, kind="usul", name="Sarmini", nik="", reason="Janda lansia tanpa penghasilan tetap")
    assert _lacak(server, ticket)["state"] == "RECEIVED"
    village = Village.create(tmp_path / "a", server.url, "op1")
    try:
        assert village.sync().error is None
        hh = HouseholdService(village.engine, operator="op1", device_id=village.ctx.device_id or "", desa_code=DESA)
        screen = CitizenReportsScreen(CitizenReportService(village.engine, hh))
        qtbot.addWidget(screen)
        assert [screen.table.item(i, 0).text() for i in range(screen.table.rowCount())] == [ticket]  # type: ignore[union-attr]
        assert "Sarmini" in screen.detail.text()
        dlg = ProposalFromReportDialog(screen.service, ticket, screen)
        qtbot.addWidget(dlg)
        for key, value in (("kk", "1902011507150099"), ("nik", "1902015507600099"), ("birth_date", "15-07-1960"),
                           ("sex", "P"), ("rt", "3"), ("rw", "1")):
            dlg.fields[key].setText(value)
        dlg.programme.setCurrentIndex(dlg.programme.findData("PKH"))
        dlg.note.setText("Layak; diusulkan desa untuk PKH.")
        dlg.save()
        assert dlg.proposal_id, dlg.error.text()
        assert _lacak(server, ticket)["state"] == "RECEIVED"  # nothing leaves before the sync run
        report = village.sync()
        assert report.error is None, report.error
        seen = _lacak(server, ticket)
        assert (seen["state"], seen["outcome_text"]) == ("PROPOSED", "Layak; diusulkan desa untuk PKH.")
        screen.reload()
        assert screen.table.item(0, 5).text() == "Layak, sudah diusulkan"  # type: ignore[union-attr]

        # A neighbour objects to the new proposal's person; the kecamatan reviewer sees it beside the proposal.
        objection = _report(server, kind="sanggah", name="Sarmini", reason_code="mampu",
                            reason="Anaknya mengirim uang tiap bulan")
        token = server.token("rev1")
        review = ReviewService(ReviewSession(server.url, "rev1", "reviewer", "190201", token))
        view = review.proposal(dlg.proposal_id)
        assert view.objections == [("Sudah mampu / kondisi ekonomi membaik", "Anaknya mengirim uang tiap bulan",
                                    objection)]
        html = proposal_html(view)
        assert "Sanggahan warga (1)" in html and "Rahmat" not in html
    finally:
        village.close()
