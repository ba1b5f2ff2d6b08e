"""The conflict view: the village's and the server's values side by side, a choice per field.

The operator keeps either value for every differing field (contested fields first); "Simpan
pilihan" saves the result as a normal edit based on the server's version, which goes out as a new
op on the next sync (SyncService.resolve_conflict). A household, a member or a proposal can be in
conflict; the table lists that record's fields. For a record deleted/voided on the server, the choice
is the whole record: follow the server (delete here too) or send the village copy again.

Wiring: `attach(main_window)` adds "Selesaikan konflik…" to the "Sinkronisasi" menu.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app import messages
from desktop_app.services.conflict_service import (
    RECORD,
    SERVER,
    VILLAGE,
    ConflictView,
    conflicted_records,
)
from desktop_app.services.sync_service import SyncService

COL_FIELD, COL_VILLAGE, COL_SERVER, COL_KEEP_VILLAGE, COL_KEEP_SERVER = range(5)


class ConflictDialog(QDialog):
    """One record's conflict. `choices()` is what the operator picked."""

    def __init__(self, view: ConflictView, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.setObjectName("conflictDialog")
        self.setWindowTitle("Selesaikan konflik" + (f": {title}" if title else ""))
        self.resize(760, 420)
        lay = QVBoxLayout(self)
        intro = QLabel(f"{view.kind_label}. Pilih nilai yang dipakai untuk setiap isian. "
                       "Pilihan dikirim ke server pada sinkronisasi berikutnya.")
        intro.setObjectName("conflictIntro")
        intro.setWordWrap(True)
        lay.addWidget(intro)
        self.groups: dict[str, QButtonGroup] = {}
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("conflictTable")
        self.table.setHorizontalHeaderLabels(["Isian", "Nilai desa", "Nilai server", "Pakai desa", "Pakai server"])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(COL_VILLAGE, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(COL_SERVER, QHeaderView.ResizeMode.Stretch)
        rows: list[tuple[str, str, str, str, bool]] = []
        if view.kind == "deleted":
            rows.append((RECORD, "Seluruh data", "Dipertahankan (kirim ulang)", "Dihapus/dibatalkan di server", True))
        rows.extend((d.field, d.label + (" *" if d.contested else ""), d.village, d.server, d.contested)
                    for d in view.fields)
        for key, label, village, server, contested in rows:
            r = self.table.rowCount()
            self.table.insertRow(r)
            self.table.setItem(r, COL_FIELD, QTableWidgetItem(label))
            self.table.setItem(r, COL_VILLAGE, QTableWidgetItem(village))
            self.table.setItem(r, COL_SERVER, QTableWidgetItem(server))
            group = QButtonGroup(self)
            for col, choice in ((COL_KEEP_VILLAGE, VILLAGE), (COL_KEEP_SERVER, SERVER)):
                rb = QRadioButton()
                rb.setObjectName(f"keep_{choice}_{key}")
                rb.setProperty("choice", choice)
                group.addButton(rb)
                self.table.setCellWidget(r, col, rb)
            # Default: the server's value where both sides changed it (the reviewer's copy stands).
            default = SERVER if contested else VILLAGE
            group.buttons()[0 if default == VILLAGE else 1].setChecked(True)
            self.groups[key] = group
        lay.addWidget(self.table)
        quick = QHBoxLayout()
        self.all_village = QPushButton("Pakai semua nilai desa")
        self.all_village.setObjectName("allVillage")
        self.all_village.clicked.connect(lambda: self.choose_all(VILLAGE))
        self.all_server = QPushButton("Pakai semua nilai server")
        self.all_server.setObjectName("allServer")
        self.all_server.clicked.connect(lambda: self.choose_all(SERVER))
        quick.addWidget(self.all_village)
        quick.addWidget(self.all_server)
        quick.addStretch(1)
        lay.addLayout(quick)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.setObjectName("conflictButtons")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Simpan pilihan")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Batal")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    def choose_all(self, choice: str) -> None:
        for group in self.groups.values():
            for b in group.buttons():
                if b.property("choice") == choice:
                    b.setChecked(True)

    def choose(self, field: str, choice: str) -> None:
        for b in self.groups[field].buttons():
            if b.property("choice") == choice:
                b.setChecked(True)

    def choices(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, group in self.groups.items():
            checked = group.checkedButton()
            out[key] = str(checked.property("choice")) if checked is not None else VILLAGE
        return out


class ConflictPicker(QDialog):
    """Which record in conflict to settle (when there are several)."""

    def __init__(self, entries: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictPicker")
        self.setWindowTitle("Data dengan konflik")
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(f"{len(entries)} data perlu dipilih nilainya:"))
        self.combo = QComboBox()
        self.combo.setObjectName("conflictCombo")
        for rid, label in entries:
            self.combo.addItem(label, rid)
        lay.addWidget(self.combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Buka")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Batal")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def record_id(self) -> str:
        return str(self.combo.currentData())


class ConflictController:
    """Opens the dialogs and saves the choice through the runner's writer."""

    def __init__(self, window: Any) -> None:
        self.window = window
        self.action = QAction("Selesaikan konflik…", window)
        self.action.setObjectName("actResolveConflicts")
        self.action.triggered.connect(self.open_next)
        self.last_dialog: ConflictDialog | None = None

    def service(self) -> SyncService:
        return SyncService.from_context(self.window.context)

    def open_next(self) -> None:
        entries = conflicted_records(self.window.context.engine)
        if not entries:
            messages.info("Tidak ada data dengan konflik.")
            return
        rid = entries[0][0]
        if len(entries) > 1:
            picker = ConflictPicker(entries, self.window)
            if picker.exec() != QDialog.DialogCode.Accepted:
                return
            rid = picker.record_id()
        self.open(rid)

    def open(self, record_id: str) -> bool:
        svc = self.service()
        view = svc.conflict_view(record_id)
        if view is None:
            messages.info("Data ini tidak sedang dalam konflik.")
            return False
        dlg = ConflictDialog(view, view.title, self.window)
        self.last_dialog = dlg
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return False
        choices = dlg.choices()

        def done(_r: object) -> None:
            messages.info("Pilihan disimpan; akan dikirim ke server pada sinkronisasi berikutnya.")
            changed = getattr(self.window, "entries_changed", None)
            if changed is not None:
                changed.emit()

        self.window.runner.write(lambda _p: svc.resolve_conflict(record_id, choices), on_success=done)
        return True


def attach(window: Any, context: Any = None) -> ConflictController:
    del context  # the window's context is used
    ctl = ConflictController(window)
    window.add_menu_action("sync", ctl.action)
    return ctl
