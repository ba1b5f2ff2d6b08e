"""The entry list: search by NIK/name/KK, filters, the on-demand table, edit and soft delete."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app import messages
from desktop_app.entry_list import EntryListService, ListFilter
from desktop_app.services.entries import EntryService
from desktop_app.tasks import TaskHandle, TaskRunner
from domain.criteria import CRITERIA
from domain.programmes import Catalogue
from domain.states import REVIEW_LABELS, SYNC_LABELS
from ui.dialogs import ReasonDialog
from ui.entry_list_model import RECORD_ID_ROLE, EntryTableModel

SEARCH_DELAY_MS = 120  # pause in typing before the list searches
FIRST_PAGE = 300  # rows fetched first; the rest of the ids follow in the background


class EntryListView(QWidget):
    edit_requested = Signal(str)  # record_id
    search_done = Signal(int, float)  # rows shown first, seconds from search start to the list updated
    search_complete = Signal(int)  # all matching rows are in the model

    def __init__(self, lists: EntryListService, entries: EntryService, runner: TaskRunner,
                 catalogue: Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("entryList")
        self.lists = lists
        self.entries = entries
        self.runner = runner
        self.search = QLineEdit()
        self.search.setObjectName("listSearch")
        self.search.setPlaceholderText(self.tr("Search NIK, name or KK number (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("statusFilter")
        self.status_filter.addItem(self.tr("All statuses"), None)
        for state, label in SYNC_LABELS.items():
            self.status_filter.addItem(label, ("sync", str(state)))
        for rstate, label in REVIEW_LABELS.items():
            self.status_filter.addItem(label, ("review", str(rstate)))
        self.programme_filter = QComboBox()
        self.programme_filter.setObjectName("programmeFilter")
        self.programme_filter.addItem(self.tr("All programmes"), None)
        for p in catalogue.all():
            self.programme_filter.addItem(p.code, p.code)
        self.criteria_filter = QComboBox()
        self.criteria_filter.setObjectName("criteriaFilter")
        self.criteria_filter.addItem(self.tr("All criteria"), None)
        for code, label in CRITERIA.items():
            self.criteria_filter.addItem(label, code)
        self.dusun_filter = QComboBox()
        self.dusun_filter.setObjectName("dusunFilter")
        self.dusun_filter.addItem(self.tr("All dusun"), None)
        self.count_label = QLabel()
        self.count_label.setObjectName("listCount")

        self.model = EntryTableModel(lists.fetch_rows, self)
        self.table = QTableView()
        self.table.setObjectName("entryTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        vh = self.table.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(24)
        vh.hide()
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setStretchLastSection(True)
        for col, width in enumerate((132, 150, 132, 80, 35, 62, 112, 58, 120, 140)):
            self.table.setColumnWidth(col, width)

        self.edit_button = QPushButton(self.tr("&Edit (Enter)"))
        self.edit_button.setObjectName("editButton")
        self.delete_button = QPushButton(self.tr("De&lete… (Del)"))
        self.delete_button.setObjectName("deleteButton")

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.status_filter, 2)
        filters.addWidget(self.programme_filter, 1)
        filters.addWidget(self.criteria_filter, 2)
        filters.addWidget(self.dusun_filter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.edit_button)
        bottom.addWidget(self.delete_button)
        lay = QVBoxLayout(self)
        lay.addLayout(filters)
        lay.addWidget(self.table, 1)
        lay.addLayout(bottom)
        self.setTabOrder(self.search, self.status_filter)
        self.setTabOrder(self.status_filter, self.programme_filter)
        self.setTabOrder(self.programme_filter, self.criteria_filter)
        self.setTabOrder(self.criteria_filter, self.dusun_filter)
        self.setTabOrder(self.dusun_filter, self.table)
        self.setTabOrder(self.table, self.edit_button)
        self.setTabOrder(self.edit_button, self.delete_button)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._search_enter)
        for combo in (self.status_filter, self.programme_filter, self.criteria_filter, self.dusun_filter):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.table.activated.connect(lambda idx: self._edit_row(idx.row()))
        self.edit_button.clicked.connect(self.edit_current)
        self.delete_button.clicked.connect(self.delete_current)
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        del_sc = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        del_sc.setContext(Qt.ShortcutContext.WidgetShortcut)
        del_sc.activated.connect(self.delete_current)
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        esc.setContext(ctx)
        esc.activated.connect(self._escape)
        self._started = 0.0
        self._generation = 0
        self._rest: TaskHandle[list[str]] | None = None
        self.searches = 0

    # -- searching
    def current_filter(self) -> ListFilter:
        status = self.status_filter.currentData()
        return ListFilter(
            text=self.search.text(),
            sync_state=status[1] if status and status[0] == "sync" else None,
            review_state=status[1] if status and status[0] == "review" else None,
            programme=self.programme_filter.currentData(),
            criterion=self.criteria_filter.currentData(),
            dusun=self.dusun_filter.currentData(),
        )

    def refresh(self) -> None:
        """Search in two steps: the first screenfuls at once, all matching ids in the background.

        A newer search supersedes both steps of an older one (stale results are dropped).
        """
        self._debounce.stop()
        flt = self.current_filter()
        self._started = time.perf_counter()
        self._generation += 1
        gen = self._generation
        if self._rest is not None:
            self._rest.cancel()
            self._rest = None
        self.runner.query(lambda _p: self.lists.search_ids(flt, limit=FIRST_PAGE),
                          on_success=lambda ids: self._show_first(ids, flt, gen), key=f"list-{id(self)}")

    def _show_first(self, ids: list[str], flt: ListFilter, gen: int) -> None:
        if gen != self._generation:
            return
        keep = self.current_record_id()
        self.model.set_ids(ids)
        self.searches += 1
        complete = len(ids) < FIRST_PAGE
        self._show_count(len(ids), complete)
        if keep is not None and (row := self.model.row_of(keep)) >= 0:
            self.select_row(row)
        elif ids:
            self.select_row(0)
        self.search_done.emit(len(ids), time.perf_counter() - self._started)
        if not complete:
            self._rest = self.runner.query(lambda _p: self.lists.search_ids(flt),
                                           on_success=lambda all_ids: self._show_rest(all_ids, gen),
                                           key=f"list-rest-{id(self)}")
        else:
            self.search_complete.emit(len(ids))

    def _show_rest(self, all_ids: list[str], gen: int) -> None:
        if gen != self._generation:
            return
        self._rest = None
        shown = self.model.ids()
        if all_ids[:len(shown)] == shown:
            self.model.append_ids(all_ids[len(shown):])
        else:  # something changed in between: show the full, current answer
            keep = self.current_record_id()
            self.model.set_ids(all_ids)
            if keep is not None and (row := self.model.row_of(keep)) >= 0:
                self.select_row(row)
        self._show_count(len(all_ids), True)
        self.search_complete.emit(len(all_ids))

    def _show_count(self, n: int, complete: bool) -> None:
        text = f"{n:,}".replace(",", ".")
        if complete:
            self.count_label.setText(self.tr("{n} entries").format(n=text))
        else:
            self.count_label.setText(self.tr("{n}+ entries, counting…").format(n=text))

    def set_dusuns(self, names: list[str]) -> None:
        current = self.dusun_filter.currentData()
        self.dusun_filter.blockSignals(True)
        while self.dusun_filter.count() > 1:
            self.dusun_filter.removeItem(1)
        for d in names:
            self.dusun_filter.addItem(d, d)
        idx = self.dusun_filter.findData(current) if current else 0
        self.dusun_filter.setCurrentIndex(max(idx, 0))
        self.dusun_filter.blockSignals(False)

    def _search_enter(self) -> None:
        self.refresh()
        self.table.setFocus()

    def _escape(self) -> None:
        if self.search.text():
            self.search.clear()
        self.search.setFocus()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- selection and actions
    def select_row(self, row: int) -> None:
        idx = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(idx)

    def current_record_id(self) -> str | None:
        idx = self.table.currentIndex()
        if not idx.isValid():
            return None
        rid: Any = self.model.data(idx, RECORD_ID_ROLE)
        return str(rid) if rid else None

    def _edit_row(self, row: int) -> None:
        rid = self.model.record_id(row)
        if rid:
            self.edit_requested.emit(rid)

    def edit_current(self) -> None:
        rid = self.current_record_id()
        if rid:
            self.edit_requested.emit(rid)

    def delete_current(self) -> None:
        rid = self.current_record_id()
        if rid is None:
            return
        row = self.model.row_data(self.model.row_of(rid))
        who = f"{row.name} (NIK {row.nik})" if row else ""
        dlg = ReasonDialog(
            self.tr("Delete entry"),
            self.tr("Delete the entry of {who}? The entry is kept in the history with your reason and the "
                    "deletion is sent to the server.").format(who=who),
            parent=self, object_name="deleteReasonDialog")
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        reason = dlg.text()
        self.runner.write(lambda _p: self.entries.delete(rid, reason=reason),
                          on_success=lambda _r: self._deleted(who))

    def _deleted(self, who: str) -> None:
        messages.info(self.tr("Deleted: {who}.").format(who=who))
        self.refresh()
