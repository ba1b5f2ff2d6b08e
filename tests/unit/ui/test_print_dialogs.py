"""The Cetak menu: options dialog, save as PDF through the TaskRunner, Qt's print dialog in Indonesian."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QGroupBox, QLabel, QPushButton

from ui.print_dialogs import PrintOptionsDialog


def _dialog(window) -> PrintOptionsDialog:  # type: ignore[no-untyped-def]
    dlgs = [d for d in window.findChildren(PrintOptionsDialog) if d.isVisible()]
    assert len(dlgs) == 1
    return dlgs[0]


def test_cetak_menu_saves_the_announcement_as_pdf(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    menu = window.menu("print")
    assert menu.title().replace("&", "") == "Cetak"
    texts = [a.text().replace("&", "") for a in menu.actions()]
    assert texts == ["Daftar usulan untuk Musdesus…", "Berita acara Musdesus (draf)…", "Pengumuman untuk papan desa…",
                     "Ringkasan data keluarga…", "Daftar keputusan verifikasi per batch…"]
    out = tmp_path / "pengumuman.pdf"
    asked: list[str] = []
    window.print_controller.ask_path = lambda _parent, suggested: asked.append(suggested) or out

    next(a for a in menu.actions() if a.objectName() == "actPrint_announcement").trigger()
    dlg = _dialog(window)
    assert dlg.windowTitle() == "Cetak: Pengumuman Daftar Usulan Penerima Bantuan Sosial"
    # A bad period is named in the dialog, which stays open.
    qtbot.keyClicks(dlg.period, "07-2025")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    assert dlg.isVisible() and "Periode '07-2025' tidak dikenali" in dlg.error.text()
    dlg.period.clear()
    dlg.paper.setCurrentIndex(dlg.paper.findData("f4"))
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: window.print_controller.last_result is not None, timeout=20000)
    assert asked and re.fullmatch(r"pengumuman-\d{4}-\d{2}-\d{2}\.pdf", asked[0])
    assert out.is_file()
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+609(\.\d+)? x 935(\.\d+)? pts", info), info  # F4: 215 x 330 mm
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "PENGUMUMAN DAFTAR USULAN" in text and "Siti Aminah" in text  # the PKH pengurus of the first family
    qtbot.waitUntil(lambda: "PDF tersimpan" in window.statusBar().currentMessage(), timeout=3000)


def test_minutes_dialog_asks_for_the_meeting_and_keeps_the_kop(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ba.pdf"
    window.print_controller.ask_path = lambda _parent, _suggested: out
    window.print_controller.open("minutes")
    dlg = _dialog(window)
    assert dlg.meeting_box.isVisible()
    qtbot.keyClicks(dlg.place, "Balai Desa")
    qtbot.keyClicks(dlg.chair, "Suhardi")
    dlg.present.setValue(37)
    dlg.kop.setPlainText("PEMERINTAH DESA BULUH TUMBANG\nJl. Raya Sijuk No. 1")
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.print_controller.last_result is not None, timeout=20000)
    qtbot.waitUntil(lambda: window.runner.idle, timeout=5000)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "BERITA ACARA" in text and "Suhardi" in text and "37 orang" in text and "Jl. Raya Sijuk No. 1" in text
    assert window.context.get_meta("print_kop") == "PEMERINTAH DESA BULUH TUMBANG\nJl. Raya Sijuk No. 1"


def test_qt_print_dialog_speaks_indonesian(qapp_id: QApplication, qtbot) -> None:  # type: ignore[no-untyped-def]
    printer = QPrinter()  # must outlive the dialog
    dlg = QPrintDialog(printer)
    qtbot.addWidget(dlg)
    dlg.show()
    texts = {w.text() for w in dlg.findChildren(QPushButton)} | {w.text() for w in dlg.findChildren(QLabel)}
    titles = {w.title() for w in dlg.findChildren(QGroupBox)}
    assert "&Cetak" in texts and "Batal" in texts and "&Opsi >>" in texts
    assert "Pencetak" in titles
    dlg.reject()
    del dlg, printer


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_household_sheet_is_for_the_family_open_on_the_household_screen(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window.show_list()
    lst = window.record_list
    qtbot.waitUntil(lambda: lst.table.rowCount() > 0, timeout=5000)
    lst.table.setFocus()
    qtbot.keyClick(lst.table, Qt.Key.Key_Return)  # opens the first family
    screen = window.household_screen
    kk = screen.household_row["kk"]
    head = screen.member_rows[0]["name"]
    out = tmp_path / "kk.pdf"
    window.print_controller.ask_path = lambda _parent, _suggested: out
    dlg = window.print_controller.open("household")
    assert dlg.kk.text() == kk
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.print_controller.last_result is not None, timeout=20000)
    text = _pdf_text(out)
    assert "RINGKASAN DATA KELUARGA" in text and head in text and kk not in text


def test_decision_list_prints_the_batch_open_in_the_review_workspace(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The reviewer's open batch is printed from what the window holds: no server is reachable here."""
    import socket

    from desktop_app.review.service import ReviewService
    from desktop_app.review.views import BatchView, ReviewSession, proposal_view
    from tests.support.review_families import family, wire_proposal
    from ui.review import ReviewController
    from ui.review.workspace import ReviewWorkspace

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = int(s.getsockname()[1])
    session = ReviewSession(f"http://127.0.0.1:{closed}", "tksk.tanjungpandan", "reviewer", "190201", "t")
    ws = ReviewWorkspace(ReviewService(session), window.runner)
    qtbot.addWidget(ws)
    rows = [proposal_view(wire_proposal(
                family("1902012003", i, size=1, head_name=name, head_nik=f"19020109057800{i:02d}", kk="1902011403123100"),
                review_state=state, review_reason_code=code, desa_name="Buluh Tumbang", batch_id="b-42"))
            for i, (name, state, code) in enumerate([("Ahmad Fauzi", "APPROVED", None),
                                                     ("Sulaiman", "REJECTED", "R04")], start=1)]
    ws.proposals.proposal_model.set_rows(rows)
    ws.proposals.current_batch = BatchView("b-42", "1902012003", "Buluh Tumbang", "Rina Marlina", None, 2, None, None, None,
                                 {}, {})
    controller = ReviewController(window)
    controller.workspace, controller.session = ws, session
    window.extensions.append(controller)

    out = tmp_path / "keputusan.pdf"
    window.print_controller.ask_path = lambda _parent, _suggested: out
    next(a for a in window.menu("print").actions() if a.objectName() == "actPrint_decisions").trigger()
    dlg = _dialog(window)
    assert dlg.batch.text() == "b-42"
    qtbot.mouseClick(dlg.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.print_controller.last_result is not None, timeout=20000)
    text = " ".join(_pdf_text(out).split())
    assert "DAFTAR KEPUTUSAN VERIFIKASI PER BATCH" in text
    assert "Ahmad Fauzi" in text and "Sulaiman" in text and "Satu KK sudah menerima program ini" in text
    assert "Rina Marlina" in text and "tksk.tanjungpandan" in text
