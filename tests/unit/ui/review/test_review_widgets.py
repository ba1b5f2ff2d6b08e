"""Review widgets without a server: decision dialogs by keyboard, the painted chart, the offline message."""

from __future__ import annotations

import socket
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop_app.review.service import ReviewService
from desktop_app.review.views import ReviewSession
from desktop_app.tasks import TaskRunner
from ui.review.bar_chart import Series, StackedBarChart
from ui.review.dialogs import RejectDialog, ReturnDialog
from ui.review.workspace import ReviewWorkspace


def test_reject_dialog_by_keyboard_and_note_rule(qtbot: Any) -> None:
    dlg = RejectDialog(3, preset="R05")
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.reason_code == "R05"  # preset from the entry's flag
    qtbot.keyClick(dlg.reasons, Qt.Key.Key_End)  # R99: another reason, needs a note
    assert dlg.reason_code == "R99"
    qtbot.keyClick(dlg.reasons, Qt.Key.Key_Return)
    assert dlg.result() != RejectDialog.DialogCode.Accepted
    assert "memerlukan catatan" in dlg.error.text()
    qtbot.keyClicks(dlg.note, "rumah tidak ditemukan")
    qtbot.keyClick(dlg.note, Qt.Key.Key_Return)
    assert dlg.result() == RejectDialog.DialogCode.Accepted


def test_return_dialog_requires_the_fields_to_fix_and_a_note(qtbot: Any) -> None:
    dlg = ReturnDialog(1)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClick(dlg.note, Qt.Key.Key_Return)
    assert dlg.result() != ReturnDialog.DialogCode.Accepted and "Centang minimal satu isian" in dlg.error.text()
    # By keyboard: down to "Tanggal lahir", Space ticks it.
    labels = [dlg.field_list.item(i).text() for i in range(dlg.field_list.count())]
    dlg.field_list.setFocus()
    for _ in range(labels.index("Tanggal lahir")):
        qtbot.keyClick(dlg.field_list, Qt.Key.Key_Down)
    qtbot.keyClick(dlg.field_list, Qt.Key.Key_Space)
    assert dlg.fields() == ["member.birth_date"]
    qtbot.keyClick(dlg.note, Qt.Key.Key_Return)
    assert dlg.result() != ReturnDialog.DialogCode.Accepted and "wajib" in dlg.error.text()
    qtbot.keyClicks(dlg.note, "Tanggal lahir tidak sesuai KTP")
    qtbot.keyClick(dlg.note, Qt.Key.Key_Return)
    assert dlg.result() == ReturnDialog.DialogCode.Accepted


def test_bar_chart_paints_one_bar_per_desa_in_state_colours(qtbot: Any) -> None:
    chart = StackedBarChart()
    qtbot.addWidget(chart)
    green, red = QColor("#2e9e5b"), QColor("#c8453b")
    chart.set_data("uji", [Series("APPROVED", "Disetujui", green), Series("REJECTED", "Ditolak", red)],
                   [("Desa Satu", {"APPROVED": 8, "REJECTED": 2}), ("Desa Dua", {"APPROVED": 1})])
    chart.resize(500, chart.sizeHint().height())
    img = chart.grab().toImage()
    colours = {img.pixelColor(x, y).name() for x in range(0, img.width(), 2) for y in range(0, img.height(), 2)}
    assert green.name() in colours and red.name() in colours
    assert chart.sizeHint().height() > StackedBarChart.BAR_H * 2


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_workspace_says_server_unreachable_without_freezing(qtbot: Any) -> None:
    runner = TaskRunner()
    session = ReviewSession(f"http://127.0.0.1:{_closed_port()}", "rev1", "reviewer", "190201", "token")
    ws = ReviewWorkspace(ReviewService(session), runner)
    qtbot.addWidget(ws)
    ws.show()
    ws.load_inbox()
    # The call returned at once: the request runs in the background while the window keeps painting.
    assert ws.busy and "Memuat kotak masuk" in ws.status.text()
    qtbot.waitUntil(lambda: ws.retry_button.isVisible(), timeout=15000)
    assert "Server tidak bisa dihubungi" in ws.status.text()
    assert "Kecamatan Tanjung Pandan" in ws.who.text() or "190201" in ws.who.text().replace(".", "")
    ws.retry()  # tries again, fails again the same clear way
    assert not ws.retry_button.isVisible()
    qtbot.waitUntil(lambda: ws.retry_button.isVisible(), timeout=15000)
    runner.shutdown()


def _workspace(qtbot: Any, role: str = "reviewer") -> tuple[ReviewWorkspace, TaskRunner]:
    runner = TaskRunner()
    area = "190201" if role == "reviewer" else "1902"
    ws = ReviewWorkspace(ReviewService(ReviewSession(f"http://127.0.0.1:{_closed_port()}", "u", role, area, "t")),
                         runner)
    qtbot.addWidget(ws)
    ws.show()
    return ws, runner


def _group(spans: bool) -> Any:
    from desktop_app.review.views import group_view as _group_view
    from tests.support.review_families import family
    from tests.support.serverdata import DESA_A, DESA_C

    a = family(DESA_A, 9, size=1)
    c = family(DESA_C, 10, size=1, head_nik=a.head["nik"])

    def member(f: Any) -> dict[str, Any]:
        return {"record_type": "member", "record_id": f.member_ids[0], "desa_code": f.desa, "desa_name": "",
                "member": {"record_id": f.member_ids[0], "version": 1, "desa_code": f.desa, "payload": f.head,
                           "flags": [{"code": "DUP_NIK", "message": "x"}]}}

    return _group_view({"group_id": 1, "kind": "nik", "kind_text": "NIK sama", "record_type": "member",
                        "state": "OPEN", "spans_kecamatan": spans, "members": [member(a), member(c)]})


def test_group_spanning_kecamatan_goes_to_the_supervisor(qtbot: Any) -> None:
    ws, runner = _workspace(qtbot, "reviewer")
    ws.duplicates._groups_loaded([_group(spans=True)])
    assert "supervisor" in ws.duplicates.group_note.text() and not ws.duplicates.keep_button.isEnabled()
    assert not ws.duplicates.not_same_button.isEnabled()
    assert ws.duplicates.group_model.index(0, 3).data() == "Lintas kecamatan (supervisor)"
    assert ws.duplicates.compare_model.columnCount() == 2
    runner.shutdown()
    sup, runner2 = _workspace(qtbot, "supervisor")
    sup.duplicates._groups_loaded([_group(spans=True)])
    assert sup.duplicates.keep_button.isEnabled() and sup.duplicates.not_same_button.isEnabled()
    runner2.shutdown()


def test_dashboard_chart_switches_and_exports_xlsx(qtbot: Any, tmp_path: Any) -> None:
    from python_calamine import CalamineWorkbook

    from desktop_app.review.views import CriteriaRow, Dashboard, StatRow

    ws, runner = _workspace(qtbot)
    ws.dashboard._dashboard_loaded(Dashboard(
        [StatRow("1902012003", "Buluh Tumbang", "PKH", "new", "APPROVED", 3, 3),
         StatRow("1902012003", "Buluh Tumbang", "PBI-JK", "new", "PENDING", 5, 2)],
        [CriteriaRow("1902012003", "Buluh Tumbang", "nelayan", 4)], total_kpm=4, kpm_by_desa={"1902012003": 4}))
    assert ws.dashboard.dash_summary.text() == "1 desa, 4 KPM (keluarga), 8 usulan."
    assert ws.dashboard.chart.bars() == [("Buluh Tumbang", {"APPROVED": 3, "PENDING": 2})]  # families, not rows
    ws.dashboard.chart_kind.setCurrentIndex(ws.dashboard.chart_kind.findData("programme"))
    assert ws.dashboard.chart.bars() == [("Buluh Tumbang", {"PKH": 3, "PBI-JK": 2})]
    ws.dashboard.chart_kind.setCurrentIndex(ws.dashboard.chart_kind.findData("type"))
    assert ws.dashboard.chart.bars() == [("Buluh Tumbang", {"new": 5})]
    ws.dashboard.chart_kind.setCurrentIndex(ws.dashboard.chart_kind.findData("criteria"))
    assert ws.dashboard.chart.bars() == [("Buluh Tumbang", {"nelayan": 4})]
    assert ws.dashboard.dash_proxy.rowCount() == 1
    out = tmp_path / "dasbor.xlsx"
    ws.export_to(out, dashboard=True)
    qtbot.waitUntil(lambda: "diekspor" in ws.status.text(), timeout=10000)
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["Kode desa"] == "19.02.01.2003" and line["KPM"] == 4 and line["Usulan"] == 8
    assert line["KPM Nelayan"] == 4
    runner.shutdown()


def test_saved_reviewer_session_reopens_the_workspace_and_logout_closes_it(qtbot: Any, data_dir: Any) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    from desktop_app import credentials
    from desktop_app.context import AppContext
    from ui.main_window import MainWindow
    from ui.review import META_ROLE, META_URL, META_USER, attach

    url = f"http://127.0.0.1:{_closed_port()}"
    ctx = AppContext.open(data_dir)
    ctx.set_meta(META_URL, url)
    ctx.set_meta(META_USER, "rev1")
    ctx.set_meta(META_ROLE, "reviewer")
    credentials.save_token(url, "rev1", "token-from-last-session")
    runner = TaskRunner()
    window = MainWindow(ctx, runner)
    window.show()
    try:
        ctl = attach(window)
        assert ctl.workspace is not None and window.stack.currentWidget() is ctl.workspace
        act_new = window.findChild(type(ctl.login_action), "actNew")
        assert act_new is not None and not act_new.isEnabled()  # operator entry shortcuts are off
        qtbot.waitUntil(lambda: ctl.workspace.retry_button.isVisible(), timeout=15000)  # server down: said so
        ctl.logout()
        assert ctl.workspace is None and window.stack.currentIndex() == 0 and act_new.isEnabled()
        assert credentials.load_token(url, "rev1") is None
        assert ctx.get_meta(META_ROLE) == ""
    finally:
        window.close()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        runner.shutdown()
        ctx.close()



def test_review_workspace_uses_the_pcs_provisioned_ca_file(qtbot: Any, data_dir: Any) -> None:
    """Like the operators' sync: the CA file provisioning saved (`<data dir>/server-ca.pem`) verifies the
    review server too (the import itself is tested in desktop_app/review/test_service.py and test_provisioning)."""
    from PySide6.QtWidgets import QWidget

    from desktop_app.context import AppContext
    from desktop_app.provisioning import CA_FILE_NAME
    from ui.review import ReviewController

    runner = TaskRunner()
    host = QWidget()
    qtbot.addWidget(host)
    session = ReviewSession("https://bansos.belitungkab.go.id", "rev1", "reviewer", "190201", "t")
    try:
        with AppContext.open(data_dir) as ctx:
            ctl = ReviewController(host, runner, context=ctx)
            assert ctl.service_for(session)._client().session.verify is True  # not provisioned: system CAs
            (data_dir / CA_FILE_NAME).write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
            assert ctl.service_for(session)._client().session.verify == str(data_dir / CA_FILE_NAME)
    finally:
        runner.shutdown()


def test_the_proposal_is_shown_with_its_family_beside_it(qtbot: Any) -> None:
    from desktop_app.review.views import proposal_view
    from tests.support.review_families import family, wire_proposal
    from tests.support.serverdata import DESA_A

    fam = family(DESA_A, 12, size=4, person_programme="PBI-JK")
    ws, runner = _workspace(qtbot)
    try:
        ws.proposals._proposals_loaded([proposal_view(wire_proposal(fam, "PKH")),
                                        proposal_view(wire_proposal(fam, "PBI-JK", review_state="RETURNED",
                                                                    review_note="KTP buram",
                                                                    review_fields=["member.nik"]))])
        panel = ws.proposals.proposal_panel
        left, right = panel.proposal_text.toPlainText(), panel.family_text.toPlainText()
        assert panel.proposal_text.geometry().right() < panel.family_text.geometry().left()  # side by side
        assert left.startswith(f"Usulan PKH — {fam.members[1]['name']}")
        assert "Pengurus (penerima): " + fam.members[1]["name"] in left and "Disepakati Musdesus" in left
        assert f"Keluarga: KK {fam.kk}" in right and "Anggota keluarga (4)" in right
        assert all(m["name"] in right for m in fam.members)
        assert "Kondisi rumah" in right and "Aset" in right
        qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_PageDown)
        left = panel.proposal_text.toPlainText()
        assert left.startswith(f"Usulan PBI-JK — {fam.members[-1]['name']}") and "Sasaran usulan: " in left
        assert "Dikembalikan: KTP buram (perbaiki: NIK anggota)" in left and "Isian yang harus diperbaiki desa" in left
    finally:
        runner.shutdown()
