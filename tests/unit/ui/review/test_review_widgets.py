"""Review widgets without a server: decision dialogs by keyboard, the painted chart, the offline message."""

from __future__ import annotations

import socket
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desktop_app.services.review_service import ReviewService, ReviewSession
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


def test_return_dialog_requires_a_note(qtbot: Any) -> None:
    dlg = ReturnDialog(1)
    qtbot.addWidget(dlg)
    dlg.show()
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
