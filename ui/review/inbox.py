"""The inbox tab (Ctrl+1): the batches the villages sent, with their counts, flags and manifest check."""

from __future__ import annotations

import functools

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop_app.review.views import BatchView
from ui.review.common import ReviewTools, table_view
from ui.review.models import ROW_ROLE, BatchFilterProxy, BatchTableModel


class InboxTab(QWidget):
    open_requested = Signal(object)  # BatchView
    pending_requested = Signal()
    loaded = Signal()  # the batches (and so their operators) are known

    def __init__(self, tools: ReviewTools, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools = tools
        self.batch_model = BatchTableModel(self)
        self.batch_proxy = BatchFilterProxy(self)
        self.batch_proxy.setSourceModel(self.batch_model)
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.inbox_filter = QLineEdit()
        self.inbox_filter.setObjectName("inboxFilter")
        self.inbox_filter.setPlaceholderText("Cari desa, petugas atau tanda… (Ctrl+F)")
        self.inbox_filter.textChanged.connect(self.batch_proxy.set_text)
        self.inbox_quick = QComboBox()
        self.inbox_quick.setObjectName("inboxQuick")
        for key, label in BatchFilterProxy.QUICK.items():
            self.inbox_quick.addItem(label, key)
        self.inbox_quick.currentIndexChanged.connect(
            lambda _i: self.batch_proxy.set_quick(str(self.inbox_quick.currentData())))
        open_btn = QPushButton("Buka kiriman (Enter)")
        open_btn.clicked.connect(self.open_selected_batch)
        pending_btn = QPushButton("Semua yang menunggu")
        pending_btn.setToolTip("Semua usulan yang menunggu verifikasi, dari semua kiriman")
        pending_btn.clicked.connect(self.pending_requested.emit)
        bar.addWidget(self.inbox_filter, 1)
        bar.addWidget(self.inbox_quick)
        bar.addWidget(open_btn)
        bar.addWidget(pending_btn)
        lay.addLayout(bar)
        self.inbox_view = table_view("inboxView")
        self.inbox_view.setModel(self.batch_proxy)
        self.inbox_view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.inbox_view.activated.connect(lambda _i: self.open_selected_batch())
        lay.addWidget(self.inbox_view, 1)
        self.inbox_summary = QLabel("")
        self.inbox_summary.setObjectName("inboxSummary")
        lay.addWidget(self.inbox_summary)

    def operators(self) -> dict[str, str]:
        return {b.batch_id: b.operator for b in self.batch_model.rows()}

    def load(self, *, quiet: bool = False) -> None:
        """`quiet`: a background refresh after decisions; the status line keeps the decisions' outcome."""
        self.tools.tasks.run("Memuat kotak masuk", lambda _p: self.tools.service.batches(),
                             functools.partial(self._loaded, quiet=quiet), key="review-inbox", quiet=quiet)

    def _loaded(self, batches: list[BatchView], *, quiet: bool = False) -> None:
        selected = self.selected_batch()
        self.batch_model.set_rows(batches)
        self.inbox_view.resizeColumnsToContents()
        self.loaded.emit()
        pending = sum(b.pending for b in batches)
        broken = sum(1 for b in batches if b.arrived_whole is False)
        text = f"{len(batches)} kiriman, {pending} usulan menunggu verifikasi."
        if broken:
            text += f" {broken} kiriman TIDAK UTUH (jumlah data tidak sama dengan manifes)."
        self.inbox_summary.setText(text)
        if not quiet:
            self.tools.say("Kotak masuk dimuat.")
        if self.batch_proxy.rowCount():
            row = 0
            if selected is not None:
                src = self.batch_model.row_of_key(selected.batch_id)
                if src >= 0:
                    row = self.batch_proxy.mapFromSource(self.batch_model.index(src, 0)).row()
            self.inbox_view.selectRow(max(row, 0))

    def selected_batch(self) -> BatchView | None:
        idx = self.inbox_view.currentIndex()
        if not idx.isValid():
            return None
        rec = self.batch_proxy.data(idx, ROW_ROLE)
        return rec if isinstance(rec, BatchView) else None

    def open_selected_batch(self) -> None:
        b = self.selected_batch()
        if b is None:
            self.tools.say("Pilih kiriman dulu (panah atas/bawah).", error=True)
            return
        self.open_requested.emit(b)
