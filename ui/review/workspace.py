"""The kecamatan reviewer's workspace: batch inbox, entry review, duplicate groups, dashboard.

All server calls go through the TaskRunner (desktop_app.tasks): the window never waits on the
network. A failed call shows its Indonesian message in the status line with a "Coba lagi" button
that repeats exactly that call.

Keyboard (documented in docs/review-guide.md):
  Ctrl+1..4  tabs (inbox, entries, duplicates, dashboard)      F5  reload from the server
  Enter      open the selected batch (inbox)                     Ctrl+F  filter field of the tab
  A  approve   T  reject (reason list)   K  return (note)         — on the selection, or the current entry
  PgDn / PgUp  next / previous entry   Ctrl+A  select all shown   G  the entry's duplicate group
  C  settle the entry's data conflict (per field: server or village value)
  H  switch the entry's details / history (Riwayat: who decided what, when, and what changed)
  Ctrl+Enter  keep the selected entry of a duplicate group, reject the others as duplicates
  Ctrl+E  export the current table to XLSX
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app import messages
from desktop_app.services.review_service import (
    DUPLICATE_REASON,
    STATE_LABELS,
    BatchView,
    Dashboard,
    DecisionResult,
    DuplicateGroupView,
    EntryView,
    ReviewService,
    criterion_label,
    export_dashboard,
    user_text,
    warm_up,
)
from desktop_app.tasks import TaskRunner
from ui.review.bar_chart import Series, StackedBarChart
from ui.review.dialogs import ConflictDialog, RejectDialog, ReturnDialog
from ui.review.entry_panel import EntryPanel
from ui.review.history import HistoryPanel
from ui.review.models import (
    ROW_ROLE,
    STATE_COLORS,
    BatchFilterProxy,
    BatchTableModel,
    ComparisonModel,
    DashboardModel,
    DuplicateGroupModel,
    EntryFilterProxy,
    EntryTableModel,
)
from ui.review.models import SORT_ROLE as _SORT_ROLE

log = logging.getLogger(__name__)
_PALETTE = [QColor(c) for c in ("#3b7dd8", "#2e9e5b", "#e0a030", "#c8453b", "#8e5bc8", "#17a2b8", "#6c757d",
                                "#d45d9a", "#7a9a01", "#a0522d", "#4b0082", "#00838f")]

TAB_INBOX, TAB_ENTRIES, TAB_DUPLICATES, TAB_DASHBOARD = range(4)


def _table(name: str) -> QTableView:
    v = QTableView()
    v.setObjectName(name)
    v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    v.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    v.setAlternatingRowColors(True)
    v.setWordWrap(False)
    v.verticalHeader().setDefaultSectionSize(22)
    v.horizontalHeader().setStretchLastSection(True)
    v.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    v.horizontalHeader().setResizeContentsPrecision(40)  # fit columns to the first rows, not all 1,000
    v.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # server order until a header click
    v.setSortingEnabled(True)
    return v


def _shortcut(parent: QWidget, keys: str | QKeySequence.StandardKey, slot: Callable[[], None]) -> QShortcut:
    sc = QShortcut(QKeySequence(keys), parent)
    sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    sc.activated.connect(slot)
    return sc


class ReviewWorkspace(QWidget):
    """One page of the main window's stacked widget."""

    logout_requested = Signal()
    busy_changed = Signal(bool)
    REFRESH_DELAY_MS = 1500
    HISTORY_DELAY_MS = 200  # paging with PgDn fetches only the history the reviewer stops on

    def __init__(self, service: ReviewService, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewWorkspace")
        self.service = service
        self.tasks = tasks
        self._failed: dict[str, Callable[[], None]] = {}  # what failed -> how to repeat it
        self._pending_ops = 0
        self.current_batch: BatchView | None = None
        self._entries_source = "batch"  # "batch" or "pending"

        self.batch_model = BatchTableModel(self)
        self.batch_proxy = BatchFilterProxy(self)
        self.batch_proxy.setSourceModel(self.batch_model)
        self.entry_model = EntryTableModel(self)
        self.entry_proxy = EntryFilterProxy(self)
        self.entry_proxy.setSourceModel(self.entry_model)
        self.group_model = DuplicateGroupModel(self)
        self.group_proxy = QSortFilterProxyModel(self)
        self.group_proxy.setSortRole(_SORT_ROLE)
        self.group_proxy.setSourceModel(self.group_model)
        self.compare_model = ComparisonModel(self)
        self.dash_model = DashboardModel(self)
        self.dash_proxy = QSortFilterProxyModel(self)
        self.dash_proxy.setSortRole(_SORT_ROLE)
        self.dash_proxy.setSourceModel(self.dash_model)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(self._build_header())
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reviewTabs")
        self.tabs.addTab(self._build_inbox(), "Kotak masuk (Ctrl+1)")
        self.tabs.addTab(self._build_entries(), "Tinjau entri (Ctrl+2)")
        self.tabs.addTab(self._build_duplicates(), "Duplikat (Ctrl+3)")
        self.tabs.addTab(self._build_dashboard(), "Dasbor (Ctrl+4)")
        lay.addWidget(self.tabs, 1)
        self._install_shortcuts()
        self._refresh_groups = False
        self._entry_columns_sized = False
        # The region table behind the NIK read-back loads once per process (~0.3 s): do it now, off-thread.
        self.tasks.query(lambda _p: warm_up())
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(self.REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._refresh_after_decisions)
        self._history_timer = QTimer(self)
        self._history_timer.setSingleShot(True)
        self._history_timer.setInterval(self.HISTORY_DELAY_MS)
        self._history_timer.timeout.connect(self.load_history)

    # ================================================================== layout

    def _build_header(self) -> QHBoxLayout:
        h = QHBoxLayout()
        s = self.service.session
        self.who = QLabel(f"<b>{s.username}</b> · {s.role} · {s.area_text}")
        self.who.setObjectName("reviewWho")
        self.status = QLabel("")
        self.status.setObjectName("reviewStatus")
        self.status.setWordWrap(True)
        self.retry_button = QPushButton("Coba lagi")
        self.retry_button.setObjectName("reviewRetry")
        self.retry_button.setVisible(False)
        self.retry_button.clicked.connect(self.retry)
        self.reload_button = QPushButton("Muat ulang (F5)")
        self.reload_button.setObjectName("reviewReload")
        self.reload_button.clicked.connect(self.reload)
        self.logout_button = QPushButton("Keluar akun")
        self.logout_button.clicked.connect(self.logout_requested.emit)
        h.addWidget(self.who)
        h.addWidget(self.status, 1)
        h.addWidget(self.retry_button)
        h.addWidget(self.reload_button)
        h.addWidget(self.logout_button)
        return h

    def _build_inbox(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        bar = QHBoxLayout()
        self.inbox_filter = QLineEdit()
        self.inbox_filter.setObjectName("inboxFilter")
        self.inbox_filter.setPlaceholderText("Cari desa, operator atau tanda… (Ctrl+F)")
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
        pending_btn.setToolTip("Semua entri yang menunggu verifikasi, dari semua kiriman")
        pending_btn.clicked.connect(self.open_pending)
        bar.addWidget(self.inbox_filter, 1)
        bar.addWidget(self.inbox_quick)
        bar.addWidget(open_btn)
        bar.addWidget(pending_btn)
        lay.addLayout(bar)
        self.inbox_view = _table("inboxView")
        self.inbox_view.setModel(self.batch_proxy)
        self.inbox_view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        self.inbox_view.activated.connect(lambda _i: self.open_selected_batch())
        lay.addWidget(self.inbox_view, 1)
        self.inbox_summary = QLabel("")
        self.inbox_summary.setObjectName("inboxSummary")
        lay.addWidget(self.inbox_summary)
        return w

    def _build_entries(self) -> QWidget:
        w = QWidget()
        self.entries_page = w
        lay = QVBoxLayout(w)
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
        self.entry_view = _table("entryView")
        self.entry_view.setModel(self.entry_proxy)
        self.entry_view.selectionModel().currentRowChanged.connect(self._on_current_entry)
        self.entry_panel = EntryPanel()
        self.history_panel = HistoryPanel()
        self.entry_tabs = QTabWidget()
        self.entry_tabs.setObjectName("entryTabs")
        self.entry_tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys stay with the table
        self.entry_tabs.addTab(self.entry_panel, self.tr("Details"))
        self.entry_tabs.addTab(self.history_panel, self.tr("History (H)"))
        self.entry_tabs.currentChanged.connect(lambda _i: self._schedule_history())
        split.addWidget(self.entry_view)
        split.addWidget(self.entry_tabs)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay.addWidget(split, 1)
        btns = QHBoxLayout()
        self.approve_button = QPushButton("Setujui (A)")
        self.approve_button.setObjectName("approveButton")
        self.approve_button.clicked.connect(self.approve_selected)
        self.reject_button = QPushButton("Tolak (T)")
        self.reject_button.setObjectName("rejectButton")
        self.reject_button.clicked.connect(self.reject_selected)
        self.return_button = QPushButton("Kembalikan (K)")
        self.return_button.setObjectName("returnButton")
        self.return_button.clicked.connect(self.return_selected)
        prev_btn = QPushButton("◀ Sebelumnya (PgUp)")
        prev_btn.clicked.connect(self.previous_entry)
        next_btn = QPushButton("Berikutnya (PgDn) ▶")
        next_btn.clicked.connect(self.next_entry)
        conflict_btn = QPushButton("Konflik (C)")
        conflict_btn.setObjectName("conflictButton")
        conflict_btn.clicked.connect(self.settle_conflict_of_current)
        dup_btn = QPushButton("Grup duplikat (G)")
        dup_btn.clicked.connect(self.show_group_of_current)
        export_btn = QPushButton("Ekspor XLSX (Ctrl+E)")
        export_btn.clicked.connect(self.export_dialog)
        for b in (self.approve_button, self.reject_button, self.return_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys act on the table's selection
            btns.addWidget(b)
        btns.addStretch(1)
        for b in (prev_btn, next_btn, conflict_btn, dup_btn, export_btn):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            btns.addWidget(b)
        lay.addLayout(btns)
        self.entry_counts = QLabel("")
        self.entry_counts.setObjectName("entryCounts")
        lay.addWidget(self.entry_counts)
        return w

    def _build_duplicates(self) -> QWidget:
        w = QWidget()
        self.duplicates_page = w
        lay = QVBoxLayout(w)
        top = QHBoxLayout()
        self.show_settled = QCheckBox("Tampilkan grup yang sudah selesai")
        self.show_settled.toggled.connect(lambda _on: self.load_groups())
        top.addWidget(QLabel("Grup kemungkinan duplikat di wilayah Anda. Pilih grup, lalu pilih kolom entri "
                             "yang dipertahankan (panah kiri/kanan) dan tekan Ctrl+Enter."))
        top.addStretch(1)
        top.addWidget(self.show_settled)
        lay.addLayout(top)
        split = QSplitter(Qt.Orientation.Vertical)
        self.group_view = _table("groupView")
        self.group_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.group_view.setModel(self.group_proxy)
        self.group_view.selectionModel().currentRowChanged.connect(self._on_current_group)
        self.compare_view = QTableView()
        self.compare_view.setObjectName("compareView")
        self.compare_view.setModel(self.compare_model)
        self.compare_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectColumns)
        self.compare_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.compare_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.compare_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.compare_view.setWordWrap(True)
        # A light selection: the chosen column stays readable and its differences (bold) still show.
        self.compare_view.setStyleSheet("QTableView#compareView { selection-background-color: #d6e8fa; "
                                        "selection-color: black; }")
        split.addWidget(self.group_view)
        split.addWidget(self.compare_view)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 3)
        lay.addWidget(split, 1)
        bottom = QHBoxLayout()
        self.group_note = QLabel("")
        self.group_note.setObjectName("groupNote")
        self.group_note.setWordWrap(True)
        self.keep_button = QPushButton("Pertahankan entri terpilih, tolak lainnya sebagai duplikat (Ctrl+Enter)")
        self.keep_button.setObjectName("keepButton")
        self.keep_button.clicked.connect(self.keep_selected_member)
        bottom.addWidget(self.group_note, 1)
        bottom.addWidget(self.keep_button)
        lay.addLayout(bottom)
        return w

    def _build_dashboard(self) -> QWidget:
        w = QWidget()
        self.dashboard_page = w
        lay = QVBoxLayout(w)
        top = QHBoxLayout()
        top.addWidget(QLabel("Grafik per desa menurut:"))
        self.chart_kind = QComboBox()
        self.chart_kind.setObjectName("chartKind")
        for key, label in (("state", "status verifikasi"), ("programme", "program"), ("criteria", "kriteria")):
            self.chart_kind.addItem(label, key)
        self.chart_kind.currentIndexChanged.connect(lambda _i: self._draw_chart())
        top.addWidget(self.chart_kind)
        top.addStretch(1)
        lay.addLayout(top)
        self.chart = StackedBarChart()
        self.chart.setObjectName("dashboardChart")
        lay.addWidget(self.chart)
        self.dash_view = _table("dashboardView")
        self.dash_view.setModel(self.dash_proxy)
        lay.addWidget(self.dash_view, 1)
        bar = QHBoxLayout()
        self.dash_summary = QLabel("")
        self.dash_summary.setObjectName("dashboardSummary")
        export_btn = QPushButton("Ekspor tabel ke XLSX (Ctrl+E)")
        export_btn.setObjectName("dashboardExport")
        export_btn.clicked.connect(self.export_dialog)
        bar.addWidget(self.dash_summary, 1)
        bar.addWidget(export_btn)
        lay.addLayout(bar)
        return w

    def _install_shortcuts(self) -> None:
        for i in range(4):
            _shortcut(self, f"Ctrl+{i + 1}", functools.partial(self.tabs.setCurrentIndex, i))
        _shortcut(self, "F5", self.reload)
        _shortcut(self, "Ctrl+F", self._focus_filter)
        _shortcut(self, "Ctrl+E", self.export_dialog)
        ep = self.entries_page
        _shortcut(ep, "A", self.approve_selected)
        _shortcut(ep, "T", self.reject_selected)
        _shortcut(ep, "K", self.return_selected)
        _shortcut(ep, "PgDown", self.next_entry)
        _shortcut(ep, "PgUp", self.previous_entry)
        _shortcut(ep, "G", self.show_group_of_current)
        _shortcut(ep, "C", self.settle_conflict_of_current)
        _shortcut(ep, "H", self.toggle_history)
        dp = self.duplicates_page
        _shortcut(dp, "Ctrl+Return", self.keep_selected_member)
        _shortcut(dp, "Ctrl+Enter", self.keep_selected_member)

    def _focus_filter(self) -> None:
        f = {TAB_INBOX: self.inbox_filter, TAB_ENTRIES: self.entry_filter}.get(self.tabs.currentIndex())
        if f is not None:
            f.setFocus()
            f.selectAll()

    # ================================================================== background plumbing

    def _run(self, what: str, op: Callable[[Any], Any], on_success: Callable[[Any], None], *,
             write: bool = False, key: str | None = None, on_failure: Callable[[str], None] | None = None,
             quiet: bool = False) -> None:
        """Run `op` off the GUI thread; on an expected failure show its message and offer a retry.

        `quiet`: no "…" in the status line while it runs (a background refresh must not hide a decision's
        outcome). With `on_failure` also the failure stays out of the status line: its text goes to
        `on_failure` (a panel's own load, e.g. the history, says it in the panel)."""
        quiet = quiet or on_failure is not None

        def again() -> None:
            self._run(what, op, on_success, write=write, key=key, on_failure=on_failure)

        def ok(result: Any) -> None:
            self._op_done()
            self._failed.pop(what, None)
            self.retry_button.setVisible(bool(self._failed))
            on_success(result)

        def failed(exc: BaseException) -> None:
            self._op_done()
            text = user_text(exc)
            if text is None:
                log.error("review: %s failed", what, exc_info=exc)
                from desktop_app.logging_setup import report_unexpected

                report_unexpected(exc, already_logged=True)
                text = f"{what} gagal karena kesalahan program (lihat log)."
            if on_failure is not None:
                on_failure(text)
                return
            self._set_status(f"{what} gagal. {text}", error=True)
            self._failed[what] = again
            self.retry_button.setVisible(True)
            if write:  # a decision that did not go through deserves a dialog; reads only the status line
                messages.warning(f"{what} gagal. {text}")

        self._pending_ops += 1
        self.busy_changed.emit(True)
        if not quiet:
            self._set_status(f"{what}…")
        runner = self.tasks.write if write else self.tasks.query
        try:
            runner(lambda _progress: op(_progress), on_success=ok, on_failure=failed, key=key, label=what)
        except RuntimeError:  # the application is shutting down: nothing more to run
            self._op_done()
            log.info("review: %s not started, the task runner is shut down", what)

    def _op_done(self) -> None:
        self._pending_ops = max(0, self._pending_ops - 1)
        if not self._pending_ops:
            self.busy_changed.emit(False)

    @property
    def busy(self) -> bool:
        return self._pending_ops > 0

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #b3261e" if error else "")

    def retry(self) -> None:
        """Repeat everything that failed since the last success (e.g. the inbox, groups and dashboard)."""
        pending, self._failed = list(self._failed.values()), {}
        self.retry_button.setVisible(False)
        for fn in pending:
            fn()

    # ================================================================== loading

    def reload(self) -> None:
        self._schedule_history(force=True)
        self.load_inbox()
        self.load_groups()
        self.load_dashboard()
        if self.current_batch is not None and self._entries_source == "batch":
            self.open_batch(self.current_batch)
        elif self._entries_source == "pending" and self.entry_model.rowCount():
            self.open_pending()

    def load_inbox(self, *, quiet: bool = False) -> None:
        """`quiet`: a background refresh after decisions; the status line keeps the decisions' outcome."""
        self._run("Memuat kotak masuk", lambda _p: self.service.batches(),
                  functools.partial(self._inbox_loaded, quiet=quiet), key="review-inbox", quiet=quiet)

    def _inbox_loaded(self, batches: list[BatchView], *, quiet: bool = False) -> None:
        selected = self.selected_batch()
        self.batch_model.set_rows(batches)
        self.inbox_view.resizeColumnsToContents()
        # Entries and groups loaded before the inbox learn their operator now.
        for grp in self.group_model.rows():
            self._with_operators(grp.members)
        self._with_operators(self.entry_model.rows())
        cur = self.current_group()
        if cur is not None:
            self.compare_model.set_members(cur.members, cur.kept_record_id)
            self.compare_view.selectColumn(0)
        self.entry_panel.show_entry(self.current_entry())
        pending = sum(b.pending for b in batches)
        broken = sum(1 for b in batches if b.arrived_whole is False)
        text = f"{len(batches)} kiriman, {pending} entri menunggu verifikasi."
        if broken:
            text += f" {broken} kiriman TIDAK UTUH (jumlah entri tidak sama dengan manifes)."
        self.inbox_summary.setText(text)
        if not quiet:
            self._set_status("Kotak masuk dimuat.")
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
            self._set_status("Pilih kiriman dulu (panah atas/bawah).", error=True)
            return
        self.open_batch(b)

    def open_batch(self, batch: BatchView) -> None:
        self.current_batch = batch
        self._entries_source = "batch"
        self.tabs.setCurrentIndex(TAB_ENTRIES)
        bid = batch.batch_id
        self._run("Membuka kiriman", lambda _p: self.service.batch_entries(bid), self._entries_loaded,
                  key="review-entries")

    def open_pending(self) -> None:
        self.current_batch = None
        self._entries_source = "pending"
        self.tabs.setCurrentIndex(TAB_ENTRIES)
        self._run("Memuat entri yang menunggu", lambda _p: self.service.pending_entries(), self._entries_loaded,
                  key="review-entries")

    def _with_operators(self, entries: list[EntryView]) -> list[EntryView]:
        """Entries do not carry who sent them; their batch (in the inbox) does."""
        ops = {b.batch_id: b.operator for b in self.batch_model.rows()}
        for e in entries:
            e.operator = e.operator or ops.get(e.batch_id, "")
        return entries

    def _entries_loaded(self, entries: list[EntryView]) -> None:
        self.entry_model.set_rows(self._with_operators(entries))
        b = self.current_batch
        if b is not None:
            self.batch_title.setText(
                f"<b>Kiriman {b.desa_name}</b> · operator {b.operator or '-'} · {b.entry_count} entri · "
                f"manifes: {b.whole_text}")
        else:
            self.batch_title.setText(f"<b>Semua entri yang menunggu verifikasi</b> · {len(entries)} entri")
        self._update_counts()
        self._set_status(f"{len(entries)} entri dimuat.")
        if not self._entry_columns_sized and entries:
            self.entry_view.resizeColumnsToContents()  # once: later batches keep the reviewer's widths
            self._entry_columns_sized = True
        self.entry_view.setFocus()
        if self.entry_proxy.rowCount():
            self._select_proxy_row(self._first_pending_row())

    def _first_pending_row(self) -> int:
        for r in range(self.entry_proxy.rowCount()):
            e = self.entry_proxy.data(self.entry_proxy.index(r, 0), ROW_ROLE)
            if isinstance(e, EntryView) and e.review_state == "PENDING":
                return r
        return 0

    def load_groups(self, *, quiet: bool = False) -> None:
        include = self.show_settled.isChecked()
        self._run("Memuat grup duplikat", lambda _p: self.service.duplicate_groups(include_settled=include),
                  self._groups_loaded, key="review-groups", quiet=quiet)

    def _groups_loaded(self, groups: list[DuplicateGroupView]) -> None:
        current = self.current_group()
        for g in groups:
            self._with_operators(g.members)
        self.group_model.set_rows(groups)
        self.group_view.resizeColumnsToContents()
        n_open = sum(1 for g in groups if g.open)
        self.tabs.setTabText(TAB_DUPLICATES, f"Duplikat ({n_open}) (Ctrl+3)")
        row = 0
        if current is not None:
            src = self.group_model.row_of_key(str(current.group_id))
            if src >= 0:
                row = self.group_proxy.mapFromSource(self.group_model.index(src, 0)).row()
        if self.group_proxy.rowCount():
            self.group_view.selectRow(row)
        else:
            self.compare_model.set_members([])
            self.group_note.setText("Tidak ada grup duplikat yang terbuka.")

    def load_dashboard(self, *, quiet: bool = False) -> None:
        self._run("Memuat dasbor", lambda _p: self.service.dashboard(), self._dashboard_loaded, key="review-dash",
                  quiet=quiet)

    def _dashboard_loaded(self, dash: Dashboard) -> None:
        self.dash_model.set_dashboard(dash)
        lines = dash.per_desa()
        self._draw_chart()
        total = sum(line.total for line in lines)
        self.dash_summary.setText(f"{len(lines)} desa, {total} entri.")
        self.dash_view.resizeColumnsToContents()

    def _draw_chart(self) -> None:
        dash = self.dash_model.dashboard()
        lines = dash.per_desa()
        kind = str(self.chart_kind.currentData())
        if kind == "programme":
            series = [Series(p, p, _PALETTE[i % len(_PALETTE)]) for i, p in enumerate(dash.programmes())]
            bars = [(line.desa_name, dict(line.by_programme)) for line in lines]
            title = "Entri per desa menurut program"
        elif kind == "criteria":
            series = [Series(c, criterion_label(c), _PALETTE[i % len(_PALETTE)]) for i, c in enumerate(dash.criteria())]
            bars = [(line.desa_name, dict(line.by_criterion)) for line in lines]
            title = "Kriteria per desa (satu entri bisa punya beberapa kriteria)"
        else:
            series = [Series(st, STATE_LABELS.get(st, st), STATE_COLORS.get(st, QColor("gray")))
                      for st in DashboardModel.STATES]
            bars = [(line.desa_name, dict(line.by_state)) for line in lines]
            title = "Entri per desa menurut status verifikasi"
        self.chart.set_data(title, series, bars)

    # ================================================================== entry navigation

    def _select_proxy_row(self, row: int) -> None:
        if not (0 <= row < self.entry_proxy.rowCount()):
            return
        idx = self.entry_proxy.index(row, 0)
        sel = self.entry_view.selectionModel()
        sel.setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
                            | QItemSelectionModel.SelectionFlag.Rows)
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

    def next_entry(self) -> None:
        row = self.entry_view.currentIndex().row()
        self._select_proxy_row(min(row + 1, self.entry_proxy.rowCount() - 1))

    def previous_entry(self) -> None:
        row = self.entry_view.currentIndex().row()
        self._select_proxy_row(max(row - 1, 0))

    def _on_current_entry(self, current: QModelIndex, _previous: QModelIndex) -> None:
        e = self.entry_proxy.data(current, ROW_ROLE) if current.isValid() else None
        self.entry_panel.show_entry(e if isinstance(e, EntryView) else None)
        self._schedule_history()

    # ================================================================== history (Riwayat)

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
            self.history_panel.set_items(rid, name, items, {b.batch_id: b.operator for b in self.batch_model.rows()})

        def failed(text: str) -> None:
            cur = self.current_entry()
            if cur is not None and cur.record_id == rid:
                self.history_panel.set_error(text)

        self._run("Memuat riwayat", lambda _p: self.service.history(rid), loaded,
                  key="review-history", on_failure=failed)

    def _history_changed(self, record_ids: set[str]) -> None:
        """A decision or a reload changed these entries: the shown history is out of date."""
        e = self.current_entry()
        if e is not None and e.record_id in record_ids:
            self._schedule_history(force=True)

    def _update_counts(self) -> None:
        counts: dict[str, int] = {}
        for e in self.entry_model.rows():
            counts[e.review_state] = counts.get(e.review_state, 0) + 1
        self.entry_counts.setText(" · ".join(f"{STATE_LABELS.get(k, k)}: {v}" for k, v in sorted(counts.items())))

    # ================================================================== decisions

    def approve_selected(self) -> None:
        entries = self.selected_entries()
        if entries:
            self.decide(entries, "approve")

    def reject_selected(self) -> None:
        entries = self.selected_entries()
        if not entries:
            return
        preset = None
        codes = {c for e in entries for c in e.flag_codes}
        if codes & {"reference", "reference_rejected"}:
            preset = "R05"
        elif "dup_nik" in codes:
            preset = DUPLICATE_REASON
        dlg = RejectDialog(len(entries), self, preset=preset)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self.decide(entries, "reject", reason_code=dlg.reason_code,
                                                 note=dlg.note.text()))
        dlg.finished.connect(lambda _r: self._refocus_table())
        dlg.open()
        dlg.activateWindow()

    def return_selected(self) -> None:
        entries = self.selected_entries()
        if not entries:
            return
        dlg = ReturnDialog(len(entries), self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.accepted.connect(lambda: self.decide(entries, "return", note=dlg.note.text()))
        dlg.finished.connect(lambda _r: self._refocus_table())
        dlg.open()
        dlg.activateWindow()

    def _refocus_table(self) -> None:
        """Back to the table after a dialog, so the next key (A/T/K/PgDn) acts at once."""
        self.window().activateWindow()
        self.entry_view.setFocus()

    def decide(self, entries: list[EntryView], decision: str, *, reason_code: str | None = None,
               note: str = "") -> None:
        ids = [e.record_id for e in entries]
        what = {"approve": "Menyetujui", "reject": "Menolak", "return": "Mengembalikan"}[decision]
        what = f"{what} {len(ids)} entri"
        if len(entries) == 1:
            # Move on at once: a fast reviewer's next key is for the next entry, not this one again.
            # Decisions queue on the single writer thread, in order.
            self.next_entry()
        touches_groups = any(c.startswith("dup") for e in entries for c in e.flag_codes)
        names = {e.record_id: e.name for e in entries}
        shown = list(entries)  # the version and change_seq on screen go along: a changed entry is skipped

        def done(res: DecisionResult) -> None:
            self._apply_decision(ids, res, decision, reason_code, note)
            text = res.describe(names)
            self._set_status(text, error=bool(res.failed))
            if res.failed:
                messages.warning(text)
            if res.stale:
                self._reload_entries(sorted(res.stale), text)
            self._schedule_refresh(groups=touches_groups)

        self._run(what, lambda _p: self.service.decide_entries(shown, decision, reason_code=reason_code, note=note),
                  done, write=True)

    def _reload_entries(self, record_ids: list[str], outcome: str) -> None:
        """Entries that changed since they were shown: fetch the server's current copies, so the reviewer
        decides on what is there now (the skip message stays in the status line)."""
        ids = record_ids[:50]  # a handful in practice; a bigger clash is what F5 is for

        def loaded(fresh: list[EntryView]) -> None:
            self.entry_model.replace_many(self._with_operators(fresh))
            self.entry_panel.show_entry(self.current_entry())
            self._update_counts()
            self._history_changed(set(ids))
            # The decision's outcome stays in view: the reviewer must know what was not decided and why.
            self._set_status(f"{outcome} Entri yang berubah sudah dimuat ulang; periksa lalu putuskan lagi.",
                             error=True)

        self._run("Memuat ulang entri yang berubah", lambda _p: [self.service.entry(r) for r in ids], loaded,
                  key="review-reload-changed")

    def _schedule_refresh(self, *, groups: bool = False) -> None:
        """Counts in the inbox, the dashboard (and groups) changed: refresh them once the reviewer pauses,
        not after every key."""
        self._refresh_groups = self._refresh_groups or groups
        self._refresh_timer.start()

    def _refresh_after_decisions(self) -> None:
        if not self.isVisible():  # window closed or another page shown: F5 refreshes later
            return
        self.load_inbox(quiet=True)
        self.load_dashboard(quiet=True)
        if self._refresh_groups:
            self._refresh_groups = False
            self.load_groups(quiet=True)

    def _apply_decision(self, ids: list[str], res: DecisionResult, decision: str, reason_code: str | None,
                        note: str) -> None:
        state = {"approve": "APPROVED", "reject": "REJECTED", "return": "RETURNED"}[decision]
        changed = []
        for rid in res.applied:
            e = self.entry_model.row_at(self.entry_model.row_of_key(rid))
            if e is None:
                continue
            e.change_seq = res.change_seqs.get(rid, e.change_seq)  # a second decision on it is not "stale"
            e.review_state = state
            e.reason_code = reason_code if decision == "reject" else None
            e.note = note or None
            e.flags = [f for f in e.flags if f.code not in ("edited_after_approval", "resubmitted", "conflict_soft")]
            changed.append(e)
        self.entry_model.replace_many(changed)
        cur = self.current_entry()
        self.entry_panel.show_entry(cur)
        self._update_counts()
        self._history_changed(set(res.applied))

    # ================================================================== conflicts

    def settle_conflict_of_current(self) -> None:
        e = self.current_entry()
        if e is None or not e.conflict_rows():
            self._set_status("Entri ini tidak sedang berkonflik.")
            return
        dlg = ConflictDialog(e.conflict_rows(), self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        rid = e.record_id

        def settle() -> None:
            choices = dlg.selected()
            self._run("Menyelesaikan konflik", lambda _p: self.service.settle_conflict(rid, choices),
                      self._conflict_settled, write=True)

        dlg.accepted.connect(settle)
        dlg.finished.connect(lambda _r: self._refocus_table())
        dlg.open()
        dlg.activateWindow()

    def _conflict_settled(self, e: EntryView) -> None:
        self._with_operators([e])
        self.entry_model.replace(e)
        self.entry_panel.show_entry(self.current_entry())
        self._set_status("Konflik diselesaikan; entri bisa diputuskan.")

    # ================================================================== duplicate groups

    def current_group(self) -> DuplicateGroupView | None:
        idx = self.group_view.currentIndex()
        if not idx.isValid():
            return None
        g = self.group_proxy.data(idx, ROW_ROLE)
        return g if isinstance(g, DuplicateGroupView) else None

    def _on_current_group(self, current: QModelIndex, _previous: QModelIndex) -> None:
        g = self.group_proxy.data(current, ROW_ROLE) if current.isValid() else None
        if not isinstance(g, DuplicateGroupView):
            self.compare_model.set_members([])
            return
        self.compare_model.set_members(g.members, g.kept_record_id)
        if g.members:
            self.compare_view.selectColumn(0)
        can = g.open and (not g.spans_kecamatan or self.service.session.role == "supervisor")
        self.keep_button.setEnabled(can)
        if not g.open:
            self.group_note.setText("Grup ini sudah diselesaikan.")
        elif g.spans_kecamatan and self.service.session.role != "supervisor":
            self.group_note.setText("Grup ini melibatkan kecamatan lain: diputuskan oleh supervisor kabupaten.")
        else:
            self.group_note.setText(f"{g.kind_label}: {len(g.members)} entri. Bandingkan kolom yang disorot.")

    def select_group(self, group_id: int) -> bool:
        src = self.group_model.row_of_key(str(group_id))
        if src < 0:
            return False
        self.group_view.selectRow(self.group_proxy.mapFromSource(self.group_model.index(src, 0)).row())
        return True

    def show_group_of_current(self) -> None:
        e = self.current_entry()
        if e is None:
            return
        for g in self.group_model.rows():
            if any(m.record_id == e.record_id for m in g.members):
                self.tabs.setCurrentIndex(TAB_DUPLICATES)
                self.select_group(g.group_id)
                self.compare_view.setFocus()
                return
        self._set_status("Entri ini tidak ada di grup duplikat yang terbuka.")

    def keep_selected_member(self, column: int | None = None) -> None:
        g = self.current_group()
        if g is None or not g.open:
            self._set_status("Pilih grup duplikat yang masih terbuka.", error=True)
            return
        if column is None or isinstance(column, bool):
            cols = self.compare_view.selectionModel().selectedColumns()
            column = cols[0].column() if cols else self.compare_view.currentIndex().column()
        keep = self.compare_model.member(column)
        if keep is None:
            self._set_status("Pilih kolom entri yang dipertahankan.", error=True)
            return
        gid, rid = g.group_id, keep.record_id

        def done(res: DecisionResult) -> None:
            self._set_status(f"Grup diselesaikan: entri {keep.desa_name} dipertahankan, "
                             f"{len(g.members) - 1} lainnya ditolak sebagai duplikat.")
            self.load_groups()
            self.load_inbox()
            self.load_dashboard()
            if self.entry_model.rowCount():
                if self._entries_source == "batch" and self.current_batch is not None:
                    self.open_batch(self.current_batch)
                    self.tabs.setCurrentIndex(TAB_DUPLICATES)
                else:
                    self.open_pending()
                    self.tabs.setCurrentIndex(TAB_DUPLICATES)
            del res

        self._run("Menyelesaikan grup duplikat", lambda _p: self.service.settle_group(gid, rid), done, write=True)

    # ================================================================== export

    def export_dialog(self) -> None:
        on_dash = self.tabs.currentIndex() == TAB_DASHBOARD
        default = "dasbor-verifikasi.xlsx" if on_dash else "entri-verifikasi.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "Ekspor ke XLSX", str(Path.home() / default),
                                              "Buku kerja Excel (*.xlsx)")
        if path:
            self.export_to(Path(path), dashboard=on_dash)

    def export_to(self, path: Path, *, dashboard: bool) -> None:
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        if dashboard:
            dash = self.dash_model.dashboard()
            self._run("Mengekspor dasbor", lambda _p: export_dashboard(path, dash),
                      lambda n: self._set_status(f"{n} baris diekspor ke {path.name}."))
        else:
            rows = [self.entry_proxy.data(self.entry_proxy.index(r, 0), ROW_ROLE)
                    for r in range(self.entry_proxy.rowCount())]
            entries = [e for e in rows if isinstance(e, EntryView)]
            self._run("Mengekspor entri", lambda _p: self.service.export_entries(path, entries),
                      lambda n: self._set_status(f"{n} baris diekspor ke {path.name}."))
