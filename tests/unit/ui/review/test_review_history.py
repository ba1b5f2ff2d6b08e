"""The Riwayat (history) panel of the proposal review: its model, its Indonesian text, and how the
workspace loads it (off the GUI thread, only while shown, never hiding a decision's outcome)."""

from __future__ import annotations

import socket
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop_app.review.history import HistoryItem
from desktop_app.review.service import ReviewService
from desktop_app.review.views import ReviewSession, proposal_view
from desktop_app.tasks import TaskRunner
from tests.support.review_families import family, wire_proposal
from tests.support.serverdata import DESA_A
from ui.review.history import HistoryModel, HistoryPanel
from ui.review.workspace import ReviewWorkspace

ITEMS = [
    HistoryItem(datetime(2026, 11, 20, 10, 0, tzinfo=UTC), "rev1", "Ditolak", "R06 (Data tidak lengkap)",
                ("Status verifikasi: Disetujui → Ditolak", "Kode alasan: - → R06"), "server"),
    HistoryItem(datetime(2026, 11, 20, 9, 0, tzinfo=UTC), "", "Diubah desa (versi 2)", "",
                ("Alamat: Jl. Lama 1 → Jl. Baru 7",), "desa", "batch-2"),
    HistoryItem(datetime(2026, 11, 20, 8, 0, tzinfo=UTC), "", "Dikirim desa (versi 1)", "", (), "desa", "batch-x"),
]


def test_history_model(qtmodeltester: Any) -> None:
    m = HistoryModel()
    m.set_items(ITEMS, {"batch-2": "op1"})
    qtmodeltester.check(m)
    assert m.rowCount() == 3 and m.columnCount() == 3
    m.set_items([])
    qtmodeltester.check(m)


def test_history_panel_speaks_indonesian(qtbot: Any, qapp_id: QApplication) -> None:
    panel = HistoryPanel()
    qtbot.addWidget(panel)
    panel.show()
    assert panel.title.text() == "Pilih usulan untuk melihat riwayatnya."
    panel.set_loading("r1", "Siti Aminah")
    assert panel.title.text() == "Memuat riwayat Siti Aminah…"
    panel.set_items("r1", "Siti Aminah", ITEMS, {"batch-2": "op1"})
    assert panel.title.text() == "Riwayat Siti Aminah: 3 kejadian, terbaru di atas."
    m = panel.model
    headers = [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())]
    assert headers == ["Waktu, oleh", "Tindakan, alasan / catatan", "Perubahan"]
    rows = [[m.index(r, c).data() for c in range(m.columnCount())] for r in range(m.rowCount())]
    # Newest first, as given; when and who, what and why, what changed; in the reviewer's local time.
    local = ITEMS[0].at.astimezone().strftime("%d-%m-%Y %H:%M")  # type: ignore[union-attr]
    assert rows[0] == [f"{local}\nrev1", "Ditolak\nR06 (Data tidak lengkap)",
                       "Status verifikasi: Disetujui → Ditolak\nKode alasan: - → R06"]
    assert rows[1][1:] == ["Diubah desa (versi 2)", "Alamat: Jl. Lama 1 → Jl. Baru 7"]
    assert rows[1][0].endswith("\ndesa (op1)")
    assert rows[2][0].endswith("\ndesa") and rows[2][2] == "-"  # batch not in the inbox: no operator to name
    panel.set_items("r2", "Budi", [])
    assert panel.title.text() == "Belum ada riwayat untuk Budi." and m.rowCount() == 0


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _proposals() -> list[Any]:
    return [proposal_view(wire_proposal(family(DESA_A, i, size=1, head_name=name), change_seq=10 + i))
            for i, name in enumerate(("Siti Aminah", "Budi Santoso"), start=1)]


def test_history_tab_by_keyboard_loads_off_the_gui_thread_and_says_when_the_server_is_away(
        qtbot: Any, qapp_id: QApplication) -> None:
    runner = TaskRunner()
    session = ReviewSession(f"http://127.0.0.1:{_closed_port()}", "rev1", "reviewer", "190201", "t")
    ws = ReviewWorkspace(ReviewService(session), runner)
    qtbot.addWidget(ws)
    ws.show()
    ws.activateWindow()  # the workspace's shortcuts (H, PgDn) act in the active window, as in the app
    qtbot.waitUntil(ws.isActiveWindow)
    try:
        ws.tabs.setCurrentIndex(1)
        ws.proposals._proposals_loaded(_proposals())
        assert ws.proposals.current_proposal().name == "Siti Aminah"
        assert [ws.proposals.detail_tabs.tabText(i) for i in range(2)] == ["Rincian", "Riwayat (H)"]
        assert not ws.proposals.history_shown and ws.proposals.history_panel.record_id is None  # nothing fetched while hidden
        ws.proposals.proposal_table.setFocus()
        ws._set_status("1 usulan diputuskan.")  # a decision's outcome the history load must not hide
        qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_H)
        assert ws.proposals.history_shown
        assert ws.proposals.history_panel.title.text() == "Memuat riwayat Siti Aminah…"
        assert QApplication.focusWidget() is ws.proposals.proposal_table  # PgDn/A/T/K still act on the table
        qtbot.waitUntil(lambda: "tidak bisa dimuat" in ws.proposals.history_panel.title.text(), timeout=15000)
        assert ws.proposals.history_panel.title.text().startswith("Riwayat tidak bisa dimuat: Server tidak bisa dihubungi")
        assert ws.status.text() == "1 usulan diputuskan."
        qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_PageDown)  # the next proposal: its history, not the last one's
        assert ws.proposals.history_panel.title.text() == "Memuat riwayat Budi Santoso…"
        qtbot.waitUntil(lambda: "tidak bisa dimuat" in ws.proposals.history_panel.title.text() and not ws.busy,
                        timeout=15000)
        qtbot.keyClick(ws.proposals.proposal_table, Qt.Key.Key_H)
        assert not ws.proposals.history_shown and ws.proposals.detail_tabs.currentWidget() is ws.proposals.proposal_panel
    finally:
        runner.shutdown()
