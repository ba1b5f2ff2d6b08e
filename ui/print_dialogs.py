"""The "Cetak" menu of the operator's window: five documents, an options dialog, print or save as PDF.

`install_print_menu(window, menu)` adds one action per document. Each opens `PrintOptionsDialog`
(period, programme, paper, and what the document needs: KK, batch, the meeting's fields, the kop).
"Simpan PDF…" asks for a file name (`ask_pdf_path`, replaceable in tests) and "Cetak…" opens Qt's
print dialog; the document is then built and painted through the TaskRunner, off the GUI thread.
Texts are Indonesian literals (the operator's language); Qt's own print dialog is translated by
the app's translator (ui/i18n).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop_app import messages
from desktop_app.printing import service, settings, source
from desktop_app.printing.documents import TITLES, Kind
from desktop_app.printing.engine import PAPER_LABELS, Paper, PrintError, page_layout
from desktop_app.printing.model import DecisionBatch, Meeting
from desktop_app.printing.service import PrintRequest, PrintResult

log = logging.getLogger(__name__)

MENU_TEXTS = {
    Kind.DELIBERATION: "Daftar usulan untuk &Musdesus…",
    Kind.MINUTES: "&Berita acara Musdesus (draf)…",
    Kind.ANNOUNCEMENT: "&Pengumuman untuk papan desa…",
    Kind.HOUSEHOLD: "&Ringkasan data keluarga…",
    Kind.DECISIONS: "Daftar &keputusan verifikasi per batch…",
}
FILE_NAMES = {Kind.DELIBERATION: "daftar-musdesus", Kind.MINUTES: "berita-acara-musdesus",
              Kind.ANNOUNCEMENT: "pengumuman", Kind.HOUSEHOLD: "ringkasan-keluarga", Kind.DECISIONS: "keputusan-batch"}


def ask_pdf_path(parent: QWidget, suggested: str) -> Path | None:
    """Qt's save dialog (native where there is one); None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, "Simpan sebagai PDF", str(Path.home() / suggested),
                                          "Dokumen PDF (*.pdf)")
    if not path:
        return None
    return Path(path if path.lower().endswith(".pdf") else path + ".pdf")


class PrintOptionsDialog(QDialog):
    """What to print: the common options and the fields of this document."""

    SAVE_PDF = 10
    PRINT = 11

    def __init__(self, kind: str, context: Any, parent: QWidget | None = None, *, kk: str = "") -> None:
        super().__init__(parent)
        self.kind = kind
        self.context = context
        self.setObjectName("printOptionsDialog")
        self.setWindowTitle(f"Cetak: {TITLES[kind]}")
        self.choice = 0
        lay = QVBoxLayout(self)
        form = QFormLayout()
        lay.addLayout(form)

        self.period = QLineEdit()
        self.period.setObjectName("printPeriod")
        self.period.setPlaceholderText("TTTT-BB, misalnya 2025-07 (kosong: semua)")
        self.programme = QComboBox()
        self.programme.setObjectName("printProgramme")
        self.programme.addItem("Semua program", "")
        for p in context.catalogue.all():
            self.programme.addItem(f"{p.code} — {p.name}", p.code)
        self.paper = QComboBox()
        self.paper.setObjectName("printPaper")
        for paper in Paper:
            self.paper.addItem(PAPER_LABELS[paper], paper.value)
        self.approved_only = QCheckBox("Hanya yang sudah disetujui kecamatan")
        self.approved_only.setObjectName("printApprovedOnly")
        self.kk = QLineEdit(kk)
        self.kk.setObjectName("printKk")
        self.kk.setPlaceholderText("16 digit nomor KK")
        self.batch = QLineEdit()
        self.batch.setObjectName("printBatch")
        self.batch.setPlaceholderText("nomor batch dari ruang verifikasi")

        if kind in (Kind.DELIBERATION, Kind.MINUTES, Kind.ANNOUNCEMENT):
            form.addRow("&Periode:", self.period)
            form.addRow("P&rogram:", self.programme)
        if kind == Kind.ANNOUNCEMENT:
            form.addRow("", self.approved_only)
        if kind == Kind.HOUSEHOLD:
            form.addRow("Nomor &KK:", self.kk)
        if kind == Kind.DECISIONS:
            form.addRow("Nomor &batch:", self.batch)
        form.addRow("&Kertas:", self.paper)

        self.meeting_box = QGroupBox("Musyawarah")
        mform = QFormLayout(self.meeting_box)
        self.held_on = QDateEdit(QDate.currentDate())
        self.held_on.setObjectName("printMeetingDate")
        self.held_on.setCalendarPopup(True)
        self.held_on.setDisplayFormat("dd-MM-yyyy")
        self.place = QLineEdit()
        self.place.setObjectName("printMeetingPlace")
        self.place.setPlaceholderText("misalnya Balai Desa")
        self.chair = QLineEdit()
        self.chair.setObjectName("printMeetingChair")
        self.secretary = QLineEdit()
        self.secretary.setObjectName("printMeetingSecretary")
        self.head = QLineEdit()
        self.head.setObjectName("printMeetingHead")
        self.present = QSpinBox()
        self.present.setObjectName("printMeetingPresent")
        self.present.setRange(0, 10_000)
        mform.addRow("&Tanggal:", self.held_on)
        mform.addRow("&Tempat:", self.place)
        mform.addRow("Pi&mpinan:", self.chair)
        mform.addRow("&Notulis:", self.secretary)
        mform.addRow("Kepala &desa:", self.head)
        mform.addRow("Jumlah &hadir:", self.present)
        lay.addWidget(self.meeting_box)
        self.meeting_box.setVisible(kind == Kind.MINUTES)

        self.kop = QPlainTextEdit("\n".join(settings.kop_lines(context)))
        self.kop.setObjectName("printKop")
        self.kop.setFixedHeight(80)
        self.kop.setToolTip("Kop surat, satu baris per baris. Kosongkan untuk kop bawaan dari nama wilayah.")
        kop_label = QLabel("Kop &surat (tersimpan untuk cetakan berikutnya):")
        kop_label.setBuddy(self.kop)
        lay.addWidget(kop_label)
        lay.addWidget(self.kop)

        self.error = QLabel()
        self.error.setObjectName("printError")
        self.error.setStyleSheet("color: #b00020")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)

        buttons = QDialogButtonBox()
        self.save_button = QPushButton("&Simpan PDF…")
        self.save_button.setObjectName("printSavePdf")
        self.print_button = QPushButton("&Cetak…")
        self.print_button.setObjectName("printPrint")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.clicked.connect(lambda: self._choose(self.SAVE_PDF))
        self.print_button.clicked.connect(lambda: self._choose(self.PRINT))
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.save_button.setDefault(True)

    def kop_text(self) -> str:
        return self.kop.toPlainText()

    def request(self) -> PrintRequest:
        """The request as typed, checked (PrintError names the field)."""
        meeting = None
        if self.kind == Kind.MINUTES:
            qd = self.held_on.date()
            meeting = Meeting(date(qd.year(), qd.month(), qd.day()), self.place.text().strip(), self.chair.text().strip(),
                              self.secretary.text().strip(), self.head.text().strip(), self.present.value())
        req = PrintRequest(self.kind, Paper(str(self.paper.currentData())), self.period.text().strip() or None,
                           str(self.programme.currentData()) or None, self.kk.text().strip() or None,
                           self.batch.text().strip() or None, meeting, self.approved_only.isChecked(),
                           kop=settings.clean_kop(self.kop_text()) or None)
        return service.check(self.context, req)

    def _choose(self, choice: int) -> None:
        try:
            self.request()
        except PrintError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.choice = choice
        self.accept()


class PrintController:
    """Runs the dialogs and the print tasks of one main window."""

    def __init__(self, window: Any, ask_path: Callable[[QWidget, str], Path | None] = ask_pdf_path) -> None:
        self.window = window
        self.ask_path = ask_path
        self.last_result: PrintResult | None = None
        self.last_task: Any = None
        self._printer: QPrinter | None = None  # kept alive while a print task paints on it

    def open(self, kind: str) -> PrintOptionsDialog:
        dlg = PrintOptionsDialog(kind, self.window.context, self.window, kk=self._selected_kk())
        held = self._held_batch() if kind == Kind.DECISIONS else None
        if held is not None:
            dlg.batch.setText(held.batch_id)
        dlg.accepted.connect(lambda: self._accepted(dlg, held))
        dlg.open()
        return dlg

    def _selected_kk(self) -> str:
        """The KK of the family open on the household screen (the household sheet is usually for it)."""
        screen = getattr(self.window, "household_screen", None)
        if screen is None or not screen.household_id:
            return ""
        return str(screen.household_row.get("kk") or "")

    def _held_batch(self) -> DecisionBatch | None:
        """The batch open in the reviewer workspace, as the window already holds it (no server call)."""
        for ext in getattr(self.window, "extensions", []):
            ws = getattr(ext, "workspace", None)  # the review controller's; other extensions have none
            tab = getattr(ws, "proposals", None)
            batch = getattr(tab, "current_batch", None)
            if tab is None or batch is None:
                continue
            rows = [e for e in tab.proposal_model.rows() if e.batch_id == batch.batch_id]
            if rows:
                session = getattr(ext, "session", None)
                return source.decision_batch(batch.batch_id, rows, batch=batch,
                                             reviewer=getattr(session, "username", ""))
        return None

    def _accepted(self, dlg: PrintOptionsDialog, held: DecisionBatch | None = None) -> None:
        req = dlg.request()
        decisions = held if held is not None and req.batch_id == held.batch_id else None
        kop_text = dlg.kop_text()
        ctx = self.window.context
        runner = self.window.runner
        # The kop is a setting: saved on the writer thread, like every other write.
        runner.write(lambda _p: settings.save_kop(ctx, kop_text), label="")
        if dlg.choice == PrintOptionsDialog.SAVE_PDF:
            stamp = date.today().isoformat()
            path = self.ask_path(self.window, f"{FILE_NAMES[req.kind]}-{stamp}.pdf")
            if path is None:
                return
            messages.info(f"Menyiapkan {TITLES[req.kind].lower()}…")
            self.last_task = runner.query(
                lambda p: service.print_pdf(ctx, req, path, decisions=decisions,
                                            progress=lambda i: p.update(value=i)),
                on_success=self._saved, label="Mencetak ke PDF")
        else:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setPageLayout(page_layout(req.paper))
            printer.setDocName(TITLES[req.kind])
            dialog = QPrintDialog(printer, self.window)
            dialog.setWindowTitle("Cetak dokumen")
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            self._printer = printer
            self.last_task = runner.query(lambda _p: service.print_to(ctx, req, printer, decisions=decisions),
                                          on_success=self._printed, label="Mencetak")

    def _saved(self, result: PrintResult) -> None:
        self.last_result = result
        messages.info(f"PDF tersimpan: {result.path} ({result.pages} halaman).")

    def _printed(self, result: PrintResult) -> None:
        self.last_result = result
        self._printer = None
        messages.info(f"Dokumen dikirim ke pencetak ({result.pages} halaman).")


def install_print_menu(window: Any, menu: QMenu) -> PrintController:
    """Fill the "Cetak" menu of `window` (which has .context and .runner)."""
    controller = PrintController(window)
    menu.setObjectName("printMenu")
    for kind in Kind.ALL:
        act = QAction(MENU_TEXTS[kind], window)
        act.setObjectName(f"actPrint_{kind}")
        act.triggered.connect(lambda _checked=False, k=kind: controller.open(k))
        menu.addAction(act)
    window.print_controller = controller
    return controller
