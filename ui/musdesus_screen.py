"""The Musdesus screen (issue 15): open a meeting, decide each proposal from the keyboard
(A = setuju, T = tidak setuju with the note typed below), attach the signed minutes, print the
deliberation list and the minutes, close the meeting.

Talks to desktop_app.services.musdesus only; its refusals (KnownError) show in the status line.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.musdesus import MusdesusDecision, MusdesusService
from domain.errors import KnownError
from domain.proposal_codes import MUSDESUS_DECISION

COLUMNS = ("KK", "Dusun", "Alamat", "Anggota / pengurus", "Program", "Keputusan", "Catatan")
_DECISION_COL, _NOTE_COL = 5, 6


def ask_minutes_file(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Lampirkan berita acara", "",
                                          "Berita acara (*.pdf *.jpg *.jpeg *.png)")
    return Path(name) if name else None


class DecisionTable(QTableWidget):
    """The list; A and T decide the current row (the screen does the work)."""

    def __init__(self, on_key: Callable[[int], bool], parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self._on_key = on_key
        self.setHorizontalHeaderLabels(COLUMNS)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.horizontalHeader().setStretchLastSection(True)
        self.verticalHeader().setVisible(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._on_key(event.key()):
            super().keyPressEvent(event)


class MusdesusScreen(QDialog):
    def __init__(self, service: MusdesusService, parent: QWidget | None = None, *,
                 print_controller: Any = None,
                 ask_file: Callable[[QWidget], Path | None] = ask_minutes_file) -> None:
        super().__init__(parent)
        self.setObjectName("musdesusScreen")
        self.setWindowTitle("Musdesus — musyawarah desa khusus")
        self.service = service
        self.print_controller = print_controller
        self.ask_file = ask_file
        self.meeting_id: str | None = None
        self._ids: list[str] = []

        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.place = QLineEdit()
        self.place.setObjectName("musdesusPlace")
        self.chair = QLineEdit()
        self.chair.setObjectName("musdesusChair")
        self.present = QSpinBox()
        self.present.setRange(0, 9999)
        self.ref = QLineEdit()
        self.ref.setObjectName("musdesusRef")
        self.open_button = QPushButton("&Buka Musdesus")
        self.open_button.setObjectName("musdesusOpen")
        self.open_button.clicked.connect(self.open_meeting)
        form = QFormLayout()
        form.addRow("Tanggal", self.date)
        form.addRow("Tempat", self.place)
        form.addRow("Pimpinan rapat", self.chair)
        form.addRow("Jumlah hadir", self.present)
        form.addRow("Nomor berita acara", self.ref)
        form.addRow("", self.open_button)

        self.table = DecisionTable(self._table_key)
        self.table.setObjectName("musdesusTable")
        self.note = QLineEdit()
        self.note.setObjectName("musdesusNote")
        self.note.setPlaceholderText("Catatan keputusan (wajib untuk 'tidak setuju'); Enter = tidak setuju")
        self.note.returnPressed.connect(lambda: self.decide_current(MusdesusDecision.NOT_AGREED))
        self.help = QLabel("A = setuju, T = tidak setuju (isi catatan lalu Enter), panah = usulan berikutnya")
        self.counts = QLabel()
        self.counts.setObjectName("musdesusCounts")
        self.minutes_label = QLabel("Berita acara: belum dilampirkan")
        self.minutes_label.setObjectName("musdesusMinutes")
        self.status = QLabel()
        self.status.setObjectName("musdesusStatus")
        self.status.setWordWrap(True)

        self.attach_button = QPushButton("&Lampirkan berita acara…")
        self.attach_button.clicked.connect(self.attach_minutes)
        self.print_list_button = QPushButton("Cetak &daftar")
        self.print_list_button.clicked.connect(lambda: self._print("deliberation"))
        self.print_minutes_button = QPushButton("Cetak &berita acara")
        self.print_minutes_button.clicked.connect(lambda: self._print("minutes"))
        self.close_button = QPushButton("&Tutup Musdesus")
        self.close_button.setObjectName("musdesusClose")
        self.close_button.clicked.connect(self.close_meeting)
        buttons = QHBoxLayout()
        for b in (self.attach_button, self.print_list_button, self.print_minutes_button, self.close_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.help)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.note)
        lay.addWidget(self.counts)
        lay.addWidget(self.minutes_label)
        lay.addLayout(buttons)
        lay.addWidget(self.status)
        self.resize(1100, 680)

        existing = service.open_meeting_id()
        if existing:
            self._load(existing)
        self._enable()

    # ------------------------------------------------------------------ actions
    def _guard(self, work: Callable[[], Any]) -> Any:
        try:
            return work()
        except KnownError as e:
            self.status.setText(e.message)
            return None

    def open_meeting(self) -> None:
        on = date.fromisoformat(self.date.date().toString("yyyy-MM-dd"))
        mid = self._guard(lambda: self.service.open_meeting(
            on=on, place=self.place.text(), chair=self.chair.text(), present=self.present.value(),
            ref=self.ref.text()))
        if mid:
            self.status.setText("Musdesus dibuka.")
            self._load(mid)
            self.table.setFocus()
            if self.table.rowCount():
                self.table.selectRow(0)

    def decide_current(self, decision: MusdesusDecision) -> bool:
        row = self.table.currentRow()
        if self.meeting_id is None or row < 0:
            return False
        note = self.note.text()
        if decision is MusdesusDecision.NOT_AGREED and not note.strip():
            self.status.setText("Tulis alasan 'tidak setuju' di kolom catatan, lalu tekan Enter.")
            self.note.setFocus()
            return True
        def decide() -> bool:
            self.service.decide(self.meeting_id or "", self._ids[row], decision, note)
            return True

        done = self._guard(decide)
        if done:
            self.note.clear()
            self.status.setText("")
            self._load(self.meeting_id)
            self.table.setFocus()
            self.table.selectRow(min(row + 1, self.table.rowCount() - 1))
        return True

    def attach_minutes(self) -> None:
        if self.meeting_id is None:
            return
        path = self.ask_file(self)
        if path is None:
            return
        digest = self._guard(lambda: self.service.attach_minutes(self.meeting_id or "", path))
        if digest:
            self.status.setText(f"Berita acara {path.name} dilampirkan.")
            self._load(self.meeting_id)

    def close_meeting(self) -> None:
        if self.meeting_id is None:
            return
        mid = self.meeting_id
        def close() -> bool:
            self.service.close_meeting(mid)
            return True

        if self._guard(close):
            self.status.setText("Musdesus ditutup. Usulan yang disetujui akan dikirim pada sinkronisasi berikutnya.")
            self._load(mid)

    def _print(self, kind: str) -> Any:
        """The print controller's dialog for `kind`, with this meeting's period and details filled in."""
        if self.print_controller is None:
            return None
        dlg = self.print_controller.open(kind)
        dlg.period.setText(self.date.date().toString("yyyy-MM"))
        if kind == "minutes":
            dlg.held_on.setDate(self.date.date())
            dlg.place.setText(self.place.text())
            dlg.chair.setText(self.chair.text())
            dlg.present.setValue(self.present.value())
        return dlg

    # ------------------------------------------------------------------ view
    def _table_key(self, key: int) -> bool:
        if key == Qt.Key.Key_A:
            return self.decide_current(MusdesusDecision.AGREED)
        if key == Qt.Key.Key_T:
            return self.decide_current(MusdesusDecision.NOT_AGREED)
        return False

    def _load(self, meeting_id: str) -> None:
        self.meeting_id = meeting_id
        meeting = self.service.meeting(meeting_id)
        rows = self.service.item_rows(meeting_id)
        self._ids = [r.proposal_id for r in rows]
        current = self.table.currentRow()
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            label = MUSDESUS_DECISION.label(r.decision) if r.decision else "belum diputuskan"
            for c, text in enumerate((r.kk, r.dusun, r.address, r.target, r.programme, label, r.note)):
                self.table.setItem(i, c, QTableWidgetItem(text))
        if 0 <= current < len(rows):
            self.table.selectRow(current)
        agreed = sum(1 for r in rows if r.decision == MusdesusDecision.AGREED)
        refused = sum(1 for r in rows if r.decision == MusdesusDecision.NOT_AGREED)
        self.counts.setText(f"{len(rows)} usulan: {agreed} setuju, {refused} tidak setuju, "
                            f"{len(rows) - agreed - refused} belum diputuskan")
        if meeting is not None:
            self.date.setDate(QDate.fromString(meeting.date, "yyyy-MM-dd"))
            self.place.setText(meeting.place)
            self.chair.setText(meeting.chair)
            self.present.setValue(meeting.present)
            self.ref.setText(meeting.ref)
            minutes = self.service.minutes(meeting_id) if meeting.minutes_sha256 else None
            self.minutes_label.setText(
                f"Berita acara: {minutes[0]} (sha256 {meeting.minutes_sha256[:12]}…)"
                if minutes and meeting.minutes_sha256 else "Berita acara: belum dilampirkan")
            if meeting.state == "closed":
                self.meeting_id = None
        self._enable()

    def _enable(self) -> None:
        is_open = self.meeting_id is not None
        for w in (self.date, self.place, self.chair, self.present, self.ref, self.open_button):
            w.setEnabled(not is_open)
        for w in (self.note, self.attach_button, self.close_button):
            w.setEnabled(is_open)
