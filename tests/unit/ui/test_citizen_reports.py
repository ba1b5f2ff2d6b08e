"""The "Laporan warga" queue with real widgets over a real store: a pulled usul is listed, opened,
found not eligible or turned into household + member + proposal (the usual NIK duplicate check
refuses a person already in the desa); what waits for the next sync shows in the list."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.context import AppContext
from desktop_app.services.citizen_reports import CitizenReportService
from domain.records import RecordType
from local_db import citizen_reports as store
from local_db.repository import session_scope
from tests.support.household_seed import seed_households, service
from tests.support.households import row
from tests.support.seed import DESA, demo_rows
from ui.citizen_reports import CitizenReportsScreen, ProposalFromReportDialog

SITI = next(r for r in demo_rows() if r["name"] == "Siti Aminah")


def _pulled(ticket: str, seq: int, name: str, nik: str = "", kind: str = "usul") -> dict[str, object]:
    return {"seq": seq, "ticket": ticket, "kind": kind, "state": "RECEIVED", "nik": nik, "name": name,
            "desa_code": DESA, "address": "Dusun II RT 03", "reason_code": "", "reason": "Janda lansia",
            "announcement_ref": "", "reporter_name": "Rahmat", "reporter_phone": "0812", "photos": 1,
            "created_at": f"2026-12-0{seq}T08:00:00+00:00"}


@pytest.fixture
def screen(data_dir: Path, qtbot: QtBot) -> Iterator[CitizenReportsScreen]:
    seed_households(data_dir)
    with AppContext.open(data_dir) as ctx:
        with session_scope(ctx.engine, write=True) as s:
            store.store_pulled(s, [_pulled("U-AAAAA-BBBBB", 1, "Sarmini"),
                                   _pulled("U-CCCCC-DDDDD", 2, "Siti Aminah", nik=SITI["nik"])])
        w = CitizenReportsScreen(CitizenReportService(ctx.engine, service(ctx)))
        qtbot.addWidget(w)
        yield w


def _cells(w: CitizenReportsScreen, col: int) -> list[str]:
    return [w.table.item(i, col).text() for i in range(w.table.rowCount())]  # type: ignore[union-attr]


def test_a_report_is_found_not_eligible_with_a_note(screen: CitizenReportsScreen, qtbot: QtBot) -> None:
    assert sorted(_cells(screen, 0)) == ["U-AAAAA-BBBBB", "U-CCCCC-DDDDD"]
    screen.select("U-AAAAA-BBBBB")
    assert "Sarmini" in screen.detail.text() and "Rahmat" in screen.detail.text()
    screen.btn_not.click()
    assert "Keterangan wajib" in screen.message.text()  # no note: nothing saved
    qtbot.keyClicks(screen.note, "Punya usaha warung")
    screen.btn_not.click()
    row = _cells(screen, 0).index("U-AAAAA-BBBBB")
    assert _cells(screen, 5)[row] == "Tidak layak (menunggu dikirim)"
    screen.select("U-AAAAA-BBBBB")
    assert not screen.btn_propose.isEnabled() and not screen.btn_not.isEnabled()
    with session_scope(screen.service.engine) as s:
        assert [(r.ticket, r.finding_state, r.finding_note) for r in store.unsent(s)] == [
            ("U-AAAAA-BBBBB", "NOT_ELIGIBLE", "Punya usaha warung")]


def test_an_eligible_usul_becomes_household_member_and_proposal(screen: CitizenReportsScreen, qtbot: QtBot) -> None:
    screen.select("U-AAAAA-BBBBB")
    dlg = ProposalFromReportDialog(screen.service, "U-AAAAA-BBBBB", screen)
    qtbot.addWidget(dlg)
    assert dlg.fields["name"].text() == "Sarmini" and dlg.fields["address"].text() == "Dusun II RT 03"
    for key, value in (("kk", "1902011507150099"), ("nik", "1902015507600099"), ("birth_date", "15-07-1960"),
                       ("sex", "P"), ("rt", "3"), ("rw", "1")):
        dlg.fields[key].setText(value)
    dlg.programme.setCurrentIndex(dlg.programme.findData("PKH"))
    dlg.save()
    assert dlg.result() == dlg.DialogCode.Accepted, dlg.error.text()
    prop = row(screen.service.engine, RecordType.PROPOSAL, dlg.proposal_id)
    assert prop["programme"] == "PKH"
    members = screen.service.households.members(prop["household_id"])
    assert [(m["name"], m["nik"]) for m in members] == [("Sarmini", "1902015507600099")]
    report = screen.service.report("U-AAAAA-BBBBB")
    assert report is not None and (report.finding_state, report.proposal_id) == ("PROPOSED", dlg.proposal_id)


def test_a_person_already_in_the_desa_is_refused_by_the_nik_check(screen: CitizenReportsScreen, qtbot: QtBot) -> None:
    dlg = ProposalFromReportDialog(screen.service, "U-CCCCC-DDDDD", screen)
    qtbot.addWidget(dlg)
    assert dlg.fields["nik"].text() == SITI["nik"]
    for key, value in (("kk", "1902011507150098"), ("birth_date", "23-11-1982"), ("sex", "P")):
        dlg.fields[key].setText(value)
    dlg.save()
    assert dlg.result() != dlg.DialogCode.Accepted
    assert f"KK {SITI['kk']}" in dlg.error.text()
    assert screen.service.report("U-CCCCC-DDDDD").finding_state == ""  # type: ignore[union-attr]

