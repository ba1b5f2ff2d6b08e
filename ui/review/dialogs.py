"""Decision dialogs: reject with a coded reason, return with a note; the reviewer login."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from domain.reasons import NOTE_REQUIRED as REASONS_NEEDING_NOTE
from domain.reasons import REJECT_REASONS as REASONS
from domain.review_fields import REVIEW_FIELDS


def _buttons(dialog: QDialog, ok_text: str) -> QDialogButtonBox:
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    box.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    box.button(QDialogButtonBox.StandardButton.Cancel).setText("Batal (Esc)")
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


class RejectDialog(QDialog):
    """Pick one coded reason (arrows + Enter, or its number); R99 needs a note."""

    def __init__(self, count: int, parent: QWidget | None = None, *, preset: str | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tolak usulan")
        self.setObjectName("reviewRejectDialog")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"Tolak {count} usulan. Pilih alasan (panah atas/bawah, lalu Enter):"))
        self.reasons = QListWidget()
        self.reasons.setObjectName("reasonList")
        for code, text in REASONS.items():
            item = QListWidgetItem(f"{code} — {text}")
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.reasons.addItem(item)
        self.reasons.setCurrentRow(0)
        if preset is not None:
            for i in range(self.reasons.count()):
                if self.reasons.item(i).data(Qt.ItemDataRole.UserRole) == preset:
                    self.reasons.setCurrentRow(i)
        self.reasons.itemActivated.connect(lambda _item: self.accept())
        lay.addWidget(self.reasons)
        form = QFormLayout()
        self.note = QLineEdit()
        self.note.setObjectName("rejectNote")
        self.note.setPlaceholderText("Catatan untuk desa (wajib untuk R99)")
        form.addRow("Catatan:", self.note)
        lay.addLayout(form)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b3261e")
        lay.addWidget(self.error)
        lay.addWidget(_buttons(self, "Tolak (Enter)"))
        self.reasons.setFocus()
        self.resize(520, 420)

    @property
    def reason_code(self) -> str:
        item = self.reasons.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else ""

    def accept(self) -> None:
        if self.reason_code in REASONS_NEEDING_NOTE and not self.note.text().strip():
            self.error.setText(f"Alasan {self.reason_code} memerlukan catatan: tulis alasannya untuk desa.")
            self.note.setFocus()
            return
        super().accept()


class ReturnDialog(QDialog):
    """Return for revision: tick the fields the village must fix (they see the list) and write a note."""

    def __init__(self, count: int, parent: QWidget | None = None, *, preset: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kembalikan untuk perbaikan")
        self.setObjectName("reviewReturnDialog")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"Kembalikan {count} usulan ke desa. Centang isian yang harus diperbaiki "
                             "(Spasi), lalu tulis catatannya:"))
        self.field_list = QListWidget()
        self.field_list.setObjectName("returnFields")
        for code, text in REVIEW_FIELDS.items():
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if code in preset else Qt.CheckState.Unchecked)
            self.field_list.addItem(item)
        self.field_list.setCurrentRow(0)
        lay.addWidget(self.field_list, 1)
        self.note = QLineEdit()
        self.note.setObjectName("returnNote")
        self.note.setPlaceholderText("mis. Tanggal lahir tidak sesuai KTP, periksa ulang")
        self.note.returnPressed.connect(self.accept)
        lay.addWidget(self.note)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b3261e")
        lay.addWidget(self.error)
        lay.addWidget(_buttons(self, "Kembalikan (Enter)"))
        self.field_list.setFocus()
        self.resize(520, 520)

    def fields(self) -> list[str]:
        """The ticked field codes (domain.review_fields), in the list's order."""
        out = []
        for i in range(self.field_list.count()):
            item = self.field_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def set_checked(self, code: str, checked: bool = True) -> None:
        for i in range(self.field_list.count()):
            item = self.field_list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == code:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def accept(self) -> None:
        if not self.fields():
            self.error.setText("Centang minimal satu isian yang harus diperbaiki.")
            self.field_list.setFocus()
            return
        if not self.note.text().strip():
            self.error.setText("Catatan perbaikan wajib diisi.")
            self.note.setFocus()
            return
        super().accept()


class ConflictDialog(QDialog):
    """A hard conflict: per contested field, keep the server's value or take the village's."""

    def __init__(self, rows: list[tuple[str, str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Selesaikan konflik data")
        self.setObjectName("reviewConflictDialog")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel("Desa dan server mengubah kolom yang sama. Pilih nilai yang benar per kolom "
                             "(Tab pindah kolom, panah atas/bawah memilih):"))
        form = QFormLayout()
        self.choices: dict[str, QComboBox] = {}
        for field, label, server, village in rows:
            box = QComboBox()
            box.setObjectName(f"choice_{field}")
            box.addItem(f"Server: {server or '(kosong)'}", "server")
            box.addItem(f"Desa: {village or '(kosong)'}", "village")
            self.choices[field] = box
            form.addRow(f"{label}:", box)
        lay.addLayout(form)
        lay.addWidget(_buttons(self, "Simpan pilihan (Enter)"))
        if self.choices:
            next(iter(self.choices.values())).setFocus()

    def selected(self) -> dict[str, str]:
        return {f: str(box.currentData()) for f, box in self.choices.items()}


class LoginDialog(QDialog):
    """Server address, username and password of a reviewer/supervisor account."""

    def __init__(self, parent: QWidget | None = None, *, server_url: str = "", username: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Masuk sebagai peninjau")
        self.setObjectName("reviewLoginDialog")
        lay = QVBoxLayout(self)
        form = QFormLayout()
        self.server = QLineEdit(server_url)
        self.server.setObjectName("loginServer")
        self.server.setPlaceholderText("https://bansos.kabupaten.go.id")
        self.setMinimumWidth(520)  # a whole https address and the title stay readable at 1366×768
        self.username = QLineEdit(username)
        self.username.setObjectName("loginUsername")
        self.password = QLineEdit()
        self.password.setObjectName("loginPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Alamat server:", self.server)
        form.addRow("Nama pengguna:", self.username)
        form.addRow("Kata sandi:", self.password)
        for field in (self.server, self.username, self.password):
            field.setMinimumWidth(360)
        lay.addLayout(form)
        self.error = QLabel("")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b3261e")
        lay.addWidget(self.error)
        lay.addWidget(_buttons(self, "Masuk"))
        (self.password if username else self.username if server_url else self.server).setFocus()

    def accept(self) -> None:
        if not self.server.text().strip() or not self.username.text().strip() or not self.password.text():
            self.error.setText("Isi alamat server, nama pengguna dan kata sandi.")
            return
        super().accept()
