"""The entry review tab (Ctrl+2): the entries of a batch (or all pending ones), the entry panel with
its history (Riwayat, H), and the decision bar (A approve, T reject, K return, C conflict, G group).

A decision moves on to the next entry at once and runs on the writer thread; what the server answers
(the decided entries as it has them now) replaces the rows: nothing is worked out again here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app import messages
from desktop_app.review.views import STATE_LABELS, BatchView, DecisionResult, EntryView
from domain.decisions import Decision
from domain.flags import FlagCode
from domain.reasons import ReasonCode
from ui.review.common import ReviewTools, shortcut, table_view
from ui.review.dialogs import ConflictDialog, RejectDialog, ReturnDialog
from ui.review.entry_panel import EntryPanel
from ui.review.history import HistoryPanel
from ui.review.models import ROW_ROLE, EntryFilterProxy, EntryTableModel

_DOING = {Decision.APPROVE: "Menyetujui", Decision.REJECT: "Menolak", Decision.RETURN: "Mengembalikan"}
# The reason the reject dialog proposes for an entry carrying one of these flags.
_PRESET_REASONS = ((FlagCode.REF_MATCH, ReasonCode.ALREADY_RECIPIENT), (FlagCode.REF_REJECT, ReasonCode.ALREADY_RECIPIENT),
                   (FlagCode.DUP_NIK, ReasonCode.DUPLICATE))


class EntriesTab(QWidget):
    decided = Signal(bool)  # a decision went through; True: it touched duplicate groups
    group_requested = Signal(str)  # G: show the duplicate group of this record id
    HISTORY_DELAY_MS = 200  # paging with PgDn fetches only the history the reviewer stops on

    def __init__(self, tools: ReviewTools, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tools = tools
        self.current_batch: BatchView | None = None
        self.source = "batch"  # "batch" or "pending"
        self._columns_sized = False
        self.entry_model = EntryTableModel(self)
        self.entry_proxy = EntryFilterProxy(self)
        self.entry_proxy.setSourceModel(self.entry_model)
        self._build()
        self._history_timer = QTimer(self)
        self._history_timer.setSingleShot(True)
        self._history_timer.setInterval(self.HISTORY_DELAY_MS)
        self._history_timer.timeout.connect(self.load_history)
        for keys, slot in (("A", self.approve_selected), ("T", self.reject_selected), ("K", self.return_selected),
                           ("PgDown", self.next_entry), ("PgUp", self.previous_entry),
                           ("G", self._request_group), ("C", self.settle_conflict_of_current),
                           ("H", self.toggle_history)):
            shortcut(self, keys, slot)

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        self.batch_title = QLabel("Belum ada kiriman yang dibuka. Pilih di Kotak masuk lalu tekan Enter.")
        self.batch_title.setObjectName("batchTitle")
        self.batch_title.setWordWrap(True)
        lay.addWidget(self.batch_title)
        bar = QHBoxLayout()
        self.entry_filter = QLineEdit()
        self.entry_filter.setObjectName("entryFilter")
        self.entry_filter.setPlaceholderText("Cari NIK, nama, desa atau tanda… (Ctrl+F)")
        self.entry_filter.textChanged.connect(self.entry_proxy.set_text)
        self.entry_quick = QComboBox()
        self.entry_quick.setObjectName("entryQuick")
        for key, label in EntryFilterProxy.QUICK.items():
            self.entry_quick.addItem(label, key)
        self.entry_quick.currentIndexChanged.connect(
            lambda _i: self.entry_proxy.set_quick(str(self.entry_quick.currentData())))
        bar.addWidget(self.entry_filter, 1)
        bar.addWidget(self.entry_quick)
        lay.addLayout(bar)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.entry_view = table_view("entryView")
        self.entry_view.setModel(self.entry_proxy)
        self.entry_view.selectionModel().currentRowChanged.connect(self._on_current_entry)
        self.entry_panel = EntryPanel()
        self.history_panel = HistoryPanel()
        self.entry_tabs = QTabWidget()
        self.entry_tabs.setObjectName("entryTabs")
        self.entry_tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the table
        self.entry_tabs.addTab(self.entry_panel, QCoreApplication.translate("EntriesTab", "Details"))
        self.entry_tabs.addTab(self.history_panel, QCoreApplication.translate("EntriesTab", "History (H)"))
        self.entry_tabs.currentChanged.connect(lambda _i: self._schedule_history())
        split.addWidget(self.entry_view)
        split.addWidget(self.entry_tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay.addWidget(split, 1)
        btns = QHBoxLayout()
        self.approve_button = self._button("Setujui (A)", self.approve_selected, "approveButton")
        self.reject_button = self._button("Tolak (T)", self.reject_selected, "rejectButton")
        self.return_button = self._button("Kembalikan (K)", self.return_selected, "returnButton")
        for b in (self.approve_button, self.reject_button, self.return_button):
            btns.addWidget(b)
        btns.addStretch(1)
        self.export_button = self._button("Ekspor XLSX (Ctrl+E)", lambda: None)  # the workspace connects it
        for b in (self._button("◀ Sebelumnya (PgUp)", self.previous_entry),
                  self._button("Berikutnya (PgDn) ▶", self.next_entry),
                  self._button("Konflik (C)", self.settle_conflict_of_current, "conflictButton"),
                  self._button("Grup duplikat (G)", self._request_group), self.export_button):
            btns.addWidget(b)
        lay.addLayout(btns)
        self.entry_counts = QLabel("")
        self.entry_counts.setObjectName("entryCounts")
        lay.addWidget(self.entry_counts)

    @staticmethod
    def _button(text: str, slot: Any, name: str = "") -> QPushButton:
        b = QPushButton(text)
        if name:
            b.setObjectName(name)
        b.clicked.connect(slot)
        b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys act on the table's selection
        return b

    # ---- loading

    def open_batch(self, batch: BatchView) -> None:
        self.current_batch = batch
        self.source = "batch"
        bid = batch.batch_id
        self.tools.tasks.run("Membuka kiriman", lambda _p: self.tools.service.batch_entries(bid),
                             self._entries_loaded, key="review-entries")

    def open_pending(self) -> None:
        self.current_batch = None
        self.source = "pending"
        self.tools.tasks.run("Memuat entri yang menunggu", lambda _p: self.tools.service.pending_entries(),
                             self._entries_loaded, key="review-entries")

    def reload(self) -> None:
        """Load again what is open (F5, or after a duplicate group was settled)."""
        self._schedule_history(force=True)
        if self.current_batch is not None and self.source == "batch":
            self.open_batch(self.current_batch)
        elif self.source == "pending" and self.entry_model.rowCount():
            self.open_pending()

    def _entries_loaded(self, entries: list[EntryView]) -> None:
        self.entry_model.set_rows(self.tools.with_operators(entries))
        b = self.current_batch
        if b is not None:
            self.batch_title.setText(
                f"<b>Kiriman {b.desa_name}</b> · operator {b.operator or '-'} · {b.entry_count} entri · "
                f"manifes: {b.whole_text}")
        else:
            self.batch_title.setText(f"<b>Semua entri yang menunggu verifikasi</b> · {len(entries)} entri")
        self._update_counts()
        self.tools.say(f"{len(entries)} entri dimuat.")
        if not self._columns_sized and entries:
            self.entry_view.resizeColumnsToContents()  # once: later batches keep the reviewer's widths
            self._columns_sized = True
        self.entry_view.setFocus()
        if self.entry_proxy.rowCount():
            self._select_proxy_row(self._first_pending_row())

    def operators_known(self) -> None:
        """The inbox loaded: entries shown before it learn their operator."""
        self.tools.with_operators(self.entry_model.rows())
        self.entry_panel.show_entry(self.current_entry())

    def _first_pending_row(self) -> int:
        for r in range(self.entry_proxy.rowCount()):
            e = self.entry_proxy.data(self.entry_proxy.index(r, 0), ROW_ROLE)
            if isinstance(e, EntryView) and e.pending:
                return r
        return 0

    def _update_counts(self) -> None:
        counts: dict[str, int] = {}
        for e in self.entry_model.rows():
            counts[e.review_state] = counts.get(e.review_state, 0) + 1
        self.entry_counts.setText(" · ".join(f"{STATE_LABELS.get(k, k)}: {v}" for k, v in sorted(counts.items())))

    def _show_fresh(self, fresh: list[EntryView]) -> None:
        """Fresher copies of some entries (from the server) replace their rows."""
        self.entry_model.replace_many(self.tools.with_operators(fresh))
        self.entry_panel.show_entry(self.current_entry())
        self._update_counts()
        self._history_changed({e.record_id for e in fresh})

    # ---- navigation

    def _select_proxy_row(self, row: int) -> None:
        if not (0 <= row < self.entry_proxy.rowCount()):
            return
        idx = self.entry_proxy.index(row, 0)
        self.entry_view.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.entry_view.scrollTo(idx)

    def current_entry(self) -> EntryView | None:
        idx = self.entry_view.currentIndex()
        if not idx.isValid():
            return None
        e = self.entry_proxy.data(idx, ROW_ROLE)
        return e if isinstance(e, EntryView) else None

    def selected_entries(self) -> list[EntryView]:
        rows = sorted({i.row() for i in self.entry_view.selectionModel().selectedRows()})
        out = [self.entry_proxy.data(self.entry_proxy.index(r, 0), ROW_ROLE) for r in rows]
        entries = [e for e in out if isinstance(e, EntryView)]
        if not entries:
            cur = self.current_entry()
            return [cur] if cur is not None else []
        return entries

    def shown_entries(self) -> list[EntryView]:
        """The rows as filtered and sorted on screen (what an export writes)."""
        rows = [self.entry_proxy.data(self.entry_proxy.index(r, 0), ROW_ROLE) for r in range(self.entry_proxy.rowCount())]
        return [e for e in rows if isinstance(e, EntryView)]

    def next_entry(self) -> None:
        self._select_proxy_row(min(self.entry_view.currentIndex().row() + 1, self.entry_proxy.rowCount() - 1))

    def previous_entry(self) -> None:
        self._select_proxy_row(max(self.entry_view.currentIndex().row() - 1, 0))

    def _on_current_entry(self, current: QModelIndex, _previous: QModelIndex) -> None:
        e = self.entry_proxy.data(current, ROW_ROLE) if current.isValid() else None
        self.entry_panel.show_entry(e if isinstance(e, EntryView) else None)
        self._schedule_history()

    def _request_group(self) -> None:
        e = self.current_entry()
        if e is not None:
            self.group_requested.emit(e.record_id)

    def refocus_table(self) -> None:
        """Back to the table after a dialog, so the next key (A/T/K/PgDn) acts at once."""
        self.window().activateWindow()
        self.entry_view.setFocus()

    # ---- history (Riwayat)

    @property
    def history_shown(self) -> bool:
        return self.entry_tabs.currentWidget() is self.history_panel

    def toggle_history(self) -> None:
        self.entry_tabs.setCurrentWidget(self.entry_panel if self.history_shown else self.history_panel)

    def _schedule_history(self, *, force: bool = False) -> None:
        """Load the current entry's history once the reviewer rests on it, only while the tab shows."""
        e = self.current_entry()
        if e is None:
            self._history_timer.stop()
            self.history_panel.clear()
            return
        if not self.history_shown or (e.record_id == self.history_panel.record_id and not force):
            return
        self.history_panel.set_loading(e.record_id, e.name)
        self._history_timer.start()

    def load_history(self) -> None:
        e = self.current_entry()
        if e is None or not self.history_shown:
            return
        rid, name = e.record_id, e.name
        self.history_panel.set_loading(rid, name)

        def loaded(items: list[Any]) -> None:
            cur = self.current_entry()
            if cur is None or cur.record_id != rid:  # the reviewer moved on meanwhile
                return
            self.history_panel.set_items(rid, name, items, self.tools.operators())

        def failed(text: str) -> None:
            cur = self.current_entry()
            if cur is not None and cur.record_id == rid:
                self.history_panel.set_error(text)

        self.tools.tasks.run("Memuat riwayat", lambda _p: self.tools.service.history(rid), loaded,
                             key="review-history", on_failure=failed)

    def _history_changed(self, record_ids: set[str]) -> None:
        """A decision or a reload changed these entries: the shown history is out of date."""
        e = self.current_entry()
        if e is not None and e.record_id in record_ids:
            self._schedule_history(force=True)

    # ---- decisions

    def approve_selected(self) -> None:
        entries = self.selected_entries()
        if entries:
            self.decide(entries, Decision.APPROVE)

    def reject_selected(self) -> None:
        entries = self.selected_entries()
        if not entries:
            return
        codes = {c for e in entries for c in e.flag_codes}
        preset = next((reason for flag, reason in _PRESET_REASONS if flag in codes), None)
        dlg = RejectDialog(len(entries), self, preset=preset)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self.decide(entries, Decision.REJECT, reason_code=dlg.reason_code,
                                                 note=dlg.note.text()))
        dlg.finished.connect(lambda _r: self.refocus_table())
        dlg.open()
        dlg.activateWindow()

    def return_selected(self) -> None:
        entries = self.selected_entries()
        if not entries:
            return
        dlg = ReturnDialog(len(entries), self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self.decide(entries, Decision.RETURN, note=dlg.note.text()))
        dlg.finished.connect(lambda _r: self.refocus_table())
        dlg.open()
        dlg.activateWindow()

    def decide(self, entries: list[EntryView], decision: str, *, reason_code: str | None = None,
               note: str = "") -> None:
        what = f"{_DOING[Decision(decision)]} {len(entries)} entri"
        if len(entries) == 1:
            # Move on at once: a fast reviewer's next key is for the next entry, not this one again.
            # Decisions queue on the single writer thread, in order.
            self.next_entry()
        touches_groups = any(e.in_duplicate_group for e in entries)
        names = {e.record_id: e.name for e in entries}
        shown = list(entries)  # the version and change_seq on screen go along: a changed entry is skipped

        def done(res: DecisionResult) -> None:
            self._show_fresh(list(res.entries))  # the server's outcome: state, reason, note, flags
            text = res.describe(names)
            self.tools.say(text, error=bool(res.failed))
            if res.failed:
                messages.warning(text)
            if res.stale:
                self._reload_entries(sorted(res.stale), text)
            self.decided.emit(touches_groups)

        self.tools.tasks.run(what, lambda _p: self.tools.service.decide_entries(
            shown, decision, reason_code=reason_code, note=note), done, write=True)

    def _reload_entries(self, record_ids: list[str], outcome: str) -> None:
        """Entries that changed since they were shown: fetch the server's current copies, so the reviewer
        decides on what is there now (the skip message stays in the status line)."""
        ids = record_ids[:50]  # a handful in practice; a bigger clash is what F5 is for

        def loaded(fresh: list[EntryView]) -> None:
            self._show_fresh(fresh)
            # The decision's outcome stays in view: the reviewer must know what was not decided and why.
            self.tools.say(f"{outcome} Entri yang berubah sudah dimuat ulang; periksa lalu putuskan lagi.",
                           error=True)

        self.tools.tasks.run("Memuat ulang entri yang berubah", lambda _p: [self.tools.service.entry(r) for r in ids],
                             loaded, key="review-reload-changed")

    # ---- conflicts

    def settle_conflict_of_current(self) -> None:
        e = self.current_entry()
        if e is None or not e.conflict_rows():
            self.tools.say("Entri ini tidak sedang berkonflik.")
            return
        dlg = ConflictDialog(e.conflict_rows(), self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        rid = e.record_id

        def settle() -> None:
            choices = dlg.selected()
            self.tools.tasks.run("Menyelesaikan konflik", lambda _p: self.tools.service.settle_conflict(rid, choices),
                                 self._conflict_settled, write=True)

        dlg.accepted.connect(settle)
        dlg.finished.connect(lambda _r: self.refocus_table())
        dlg.open()
        dlg.activateWindow()

    def _conflict_settled(self, e: EntryView) -> None:
        self._show_fresh([e])
        self.tools.say("Konflik diselesaikan; entri bisa diputuskan.")
