"""The "Laporan warga" queue (issue 16, stage 2): citizens' reports of the desa pulled by sync. Open a
report, record the finding (not eligible / closed with the reason the citizen reads, or still being
verified), or turn an eligible usul into household + member + proposal: Ctrl+U opens the form
prefilled from the report, Enter saves it (the household service's usual checks). The finding goes to
the server on the next sync run. Indonesian literals, as the print dialogs (no tr() catalogue)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.citizen_reports import (
    CLOSED,
    FINDING_WORDS,
    IN_VERIFICATION,
    KIND_WORDS,
    NOT_ELIGIBLE,
    CitizenReportService,
)
from domain.errors import KnownError
from domain.programmes import Target

COLUMNS = ("Tiket", "Jenis", "Nama", "Alamat", "Alasan", "Hasil")


class ProposalFromReportDialog(QDialog):
    """Household + head + proposal, prefilled from the report. Enter saves."""

    def __init__(self, service: CitizenReportService, ticket: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("proposalFromReport")
        self.setWindowTitle(f"Jadikan usulan: laporan {ticket}")
        self.service, self.ticket = service, ticket
        self.proposal_id = ""
        pre = service.prefill(ticket)
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for key, label, value in (
                ("kk", "No. KK", ""), ("nik", "NIK", pre.member.get("nik", "")),
                ("name", "Nama", pre.member.get("name", "")), ("birth_date", "Tanggal lahir", ""),
                ("sex", "Jenis kelamin (L/P)", ""), ("address", "Alamat", pre.household.get("address", "")),
                ("rt", "RT", ""), ("rw", "RW", "")):
            edit = QLineEdit(str(value or ""))
            edit.setObjectName(f"field_{key}")
            self.fields[key] = edit
            form.addRow(label, edit)
        self.programme = QComboBox()
        self.programme.setObjectName("programme")
        for target in (Target.HOUSEHOLD, Target.PERSON):
            for p in service.households.programmes_for(target):
                self.programme.addItem(f"{p.code} — {p.name}", p.code)
        form.addRow("Program", self.programme)
        self.note = QLineEdit()
        self.note.setObjectName("field_note")
        self.note.setPlaceholderText("Keterangan untuk warga (boleh kosong)")
        form.addRow("Keterangan", self.note)
        self.error = QLabel()
        self.error.setObjectName("proposalError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #a00;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(buttons)
        first_empty = next((w for w in self.fields.values() if not w.text()), self.fields["kk"])
        first_empty.setFocus()

    def save(self) -> None:
        f = {k: w.text().strip() for k, w in self.fields.items()}
        household = {"kk": f["kk"], "address": f["address"], "rt": f["rt"], "rw": f["rw"]}
        member = {"nik": f["nik"], "name": f["name"], "birth_date": f["birth_date"], "sex": f["sex"],
                  "relation": "kepala_keluarga"}
        try:
            self.proposal_id = self.service.make_proposal(self.ticket, household, member,
                                                          str(self.programme.currentData()), self.note.text())
        except KnownError as e:
            self.error.setText(_issues_text(e))
            return
        self.accept()


def _issues_text(e: KnownError) -> str:
    issues: Any = getattr(e, "issues", None)
    if issues:
        return "\n".join(str(getattr(i, "message", i)) for i in issues)
    return e.message


class CitizenReportsScreen(QWidget):
    changed = Signal()

    def __init__(self, service: CitizenReportService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("citizenReports")
        self.service = service
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("reportTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.detail = QLabel()
        self.detail.setObjectName("reportDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLineEdit()
        self.note.setObjectName("findingNote")
        self.note.setPlaceholderText("Keterangan hasil kunjungan (dibaca warga pada tiketnya)")
        self.message = QLabel()
        self.message.setObjectName("reportMessage")
        self.message.setWordWrap(True)
        self.btn_visit = QPushButton("Sedang &diverifikasi")
        self.btn_not = QPushButton("&Tidak layak")
        self.btn_close = QPushButton("T&utup dengan alasan")
        self.btn_propose = QPushButton("Layak: &jadikan usulan…\tCtrl+U")
        for name, b in (("btnVisit", self.btn_visit), ("btnNotEligible", self.btn_not), ("btnClose", self.btn_close),
                        ("btnPropose", self.btn_propose)):
            b.setObjectName(name)
        self.btn_visit.clicked.connect(lambda: self._finding(IN_VERIFICATION))
        self.btn_not.clicked.connect(lambda: self._finding(NOT_ELIGIBLE))
        self.btn_close.clicked.connect(lambda: self._finding(CLOSED))
        self.btn_propose.clicked.connect(self.propose)
        QShortcut(QKeySequence("Ctrl+U"), self, self.propose)
        row = QHBoxLayout()
        for b in (self.btn_visit, self.btn_not, self.btn_close, self.btn_propose):
            row.addWidget(b)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("<b>Laporan warga</b> — usul dan sanggah dari halaman publik, diambil saat sinkronisasi"))
        lay.addWidget(self.table, 3)
        lay.addWidget(self.detail, 1)
        lay.addWidget(self.note)
        lay.addLayout(row)
        lay.addWidget(self.message)
        self.table.itemSelectionChanged.connect(self._show_current)
        self.reload()

    def reload(self) -> None:
        keep = self.current_ticket()
        reports = self.service.reports()
        self.table.setRowCount(len(reports))
        for i, r in enumerate(reports):
            finding = FINDING_WORDS.get(r.finding_state, r.finding_state)
            if r.finding_state and not r.outcome_sent:
                finding += " (menunggu dikirim)"
            for j, v in enumerate((r.ticket, KIND_WORDS.get(r.kind, r.kind), r.name, r.address,
                                   r.reason, finding)):
                self.table.setItem(i, j, QTableWidgetItem(v))
            if r.ticket == keep:
                self.table.selectRow(i)
        if reports and self.table.currentRow() < 0:
            self.table.selectRow(0)
        self._show_current()

    def current_ticket(self) -> str:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.text() if item else ""

    def select(self, ticket: str) -> None:
        for i in range(self.table.rowCount()):
            item = self.table.item(i, 0)
            if item is not None and item.text() == ticket:
                self.table.selectRow(i)

    def _show_current(self) -> None:
        r = self.service.report(self.current_ticket()) if self.current_ticket() else None
        open_ = r is not None and r.finding_state in ("", IN_VERIFICATION)
        for b in (self.btn_visit, self.btn_not, self.btn_close):
            b.setEnabled(open_)
        self.btn_propose.setEnabled(open_ and r is not None and r.kind == "usul")
        if r is None:
            self.detail.setText("Belum ada laporan warga. Laporan baru diambil saat sinkronisasi.")
            return
        lines = [f"<b>{KIND_WORDS.get(r.kind, r.kind)} {r.ticket}</b> — {_esc(r.name or '(tanpa nama)')}",
                 f"NIK: {r.nik or '-'} · Alamat: {r.address or '-'}",
                 f"Alasan: {r.reason or r.reason_code or '-'}",
                 f"Pelapor: {r.reporter_name or '-'} {r.reporter_phone or ''} · Foto: {r.photos}"]
        if r.announcement_ref:
            lines.append(f"Pengumuman: {r.announcement_ref}")
        if r.finding_state:
            lines.append(f"Hasil: {FINDING_WORDS.get(r.finding_state, r.finding_state)} — {r.finding_note}")
        self.detail.setText("<br>".join(_esc(x) if not x.startswith("<b>") else x for x in lines))

    def _finding(self, state: str) -> None:
        ticket = self.current_ticket()
        if not ticket:
            return
        try:
            self.service.record_finding(ticket, state, self.note.text())
        except KnownError as e:
            self.message.setText(e.message)
            return
        self.note.clear()
        self.message.setText(f"Hasil laporan {ticket} disimpan; dikirim ke server pada sinkronisasi berikutnya.")
        self.reload()
        self.changed.emit()

    def propose(self) -> None:
        ticket = self.current_ticket()
        if not ticket or not self.btn_propose.isEnabled():
            return
        dlg = ProposalFromReportDialog(self.service, ticket, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.message.setText(f"Usulan dibuat dari laporan {ticket}; hasilnya dikirim pada sinkronisasi berikutnya.")
            self.reload()
            self.changed.emit()


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
