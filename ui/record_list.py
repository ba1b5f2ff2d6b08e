"""The list (F3): households, members or proposals, with one search box and the same filters.

Ctrl+1 / Ctrl+2 / Ctrl+3 switch the view; Ctrl+F searches (NIK/KK digits as a prefix, or words of a
name or address); the dusun and sending-state filters and "show deleted" apply to every view.
Enter (or a double click) opens the row's household on the household screen. Searches run on a
reader thread, a newer one superseding an older one; the count under the table is the same query's
count, so it agrees with the status bar when no filter is set.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTabBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.services.households import HouseholdService, ListFilter, View
from desktop_app.tasks import TaskRunner
from domain import member_codes as mc
from domain.dates import format_date, parse_date
from domain.proposal_codes import PROPOSAL_TYPE
from domain.states import REVIEW_LABELS, SYNC_LABELS, ReviewState, SyncState

ID_ROLE = Qt.ItemDataRole.UserRole + 1
HOUSEHOLD_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_DELAY_MS = 150
VIEWS = (View.HOUSEHOLDS, View.MEMBERS, View.PROPOSALS)


def _sync(state: str) -> str:
    try:
        return SYNC_LABELS.get(SyncState(state), state)
    except ValueError:
        return state


def _review(state: str | None) -> str:
    if not state:
        return "-"
    try:
        return REVIEW_LABELS.get(ReviewState(state), state)
    except ValueError:
        return state


class RecordListView(QWidget):
    open_household = Signal(str, str)  # household_id, member_id ("" = none)

    def __init__(self, service: HouseholdService, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordList")
        self.service = service
        self.runner = runner
        self.searches = 0  # finished searches (tests wait on it)
        self.total = 0  # rows matching the current search (may exceed what is shown)
        self.rows: list[tuple[Any, ...]] = []

        self.views = QTabBar()
        self.views.setObjectName("listViews")
        self.views.addTab(self.tr("Families (Ctrl+1)"))
        self.views.addTab(self.tr("Members (Ctrl+2)"))
        self.views.addTab(self.tr("Proposals (Ctrl+3)"))
        self.search = QLineEdit()
        self.search.setObjectName("listSearch")
        self.search.setPlaceholderText(self.tr("Search: NIK, KK or name (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.dusun = QComboBox()
        self.dusun.setObjectName("listDusun")
        self.dusun.addItem(self.tr("All dusun"), "")
        self.sync_state = QComboBox()
        self.sync_state.setObjectName("listSync")
        self.sync_state.addItem(self.tr("Any sending state"), "")
        for s in SyncState:
            self.sync_state.addItem(SYNC_LABELS.get(s, s.value), s.value)
        self.deleted = QCheckBox(self.tr("Show deleted"))
        self.deleted.setObjectName("listDeleted")
        self.table = QTableWidget()
        self.table.setObjectName("recordTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("listCount")

        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.dusun, 1)
        bar.addWidget(self.sync_state, 1)
        bar.addWidget(self.deleted)
        lay = QVBoxLayout(self)
        lay.addWidget(self.views)
        lay.addLayout(bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.count_label)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textEdited.connect(lambda _t: self._timer.start())
        self.search.returnPressed.connect(self._search_enter)
        self.dusun.currentIndexChanged.connect(lambda _i: self.refresh())
        self.sync_state.currentIndexChanged.connect(lambda _i: self.refresh())
        self.deleted.toggled.connect(lambda _on: self.refresh())
        self.views.currentChanged.connect(lambda _i: self.refresh())
        self.table.doubleClicked.connect(lambda _i: self.open_current())
        self.table.installEventFilter(self)
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for n in range(3):
            sc = QShortcut(QKeySequence(f"Ctrl+{n + 1}"), self)
            sc.setContext(ctx)
            sc.activated.connect(lambda i=n: self._switch(i))

    def _switch(self, index: int) -> None:
        """Ctrl+1/2/3: that view (pressed on the view already shown: searched again)."""
        if self.views.currentIndex() == index:
            self.refresh()
        else:
            self.views.setCurrentIndex(index)

    # ------------------------------------------------------------------ state
    @property
    def view(self) -> View:
        return VIEWS[self.views.currentIndex()]

    def set_view(self, view: View) -> None:
        self.views.setCurrentIndex(VIEWS.index(view))

    def filter(self) -> ListFilter:
        return ListFilter(text=self.search.text(), dusun=self.dusun.currentData() or None,
                          sync_state=self.sync_state.currentData() or None, include_deleted=self.deleted.isChecked())

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def set_dusuns(self, names: list[str]) -> None:
        current = self.dusun.currentData()
        self.dusun.blockSignals(True)
        self.dusun.clear()
        self.dusun.addItem(self.tr("All dusun"), "")
        for n in names:
            self.dusun.addItem(n, n)
        self.dusun.setCurrentIndex(max(self.dusun.findData(current), 0))
        self.dusun.blockSignals(False)

    # ------------------------------------------------------------------ searching
    def refresh(self) -> None:
        view, flt = self.view, self.filter()
        self.runner.query(lambda _p: (view, self.service.rows(view, flt), self.service.count(view, flt)),
                          on_success=self._show, key=f"record-list-{id(self)}")

    def _headers(self, view: View) -> list[str]:
        if view is View.HOUSEHOLDS:
            return [self.tr("No. KK"), self.tr("Head of family"), self.tr("Members"), self.tr("Dusun"),
                    self.tr("RT/RW"), self.tr("Address"), self.tr("Sending")]
        if view is View.MEMBERS:
            return [self.tr("NIK / temporary no."), self.tr("Name"), self.tr("Born"), self.tr("Sex"),
                    self.tr("Relation"), self.tr("No. KK"), self.tr("Dusun"), self.tr("Sending")]
        return [self.tr("Programme"), self.tr("Type"), self.tr("Target / pengurus"), self.tr("No. KK"),
                self.tr("Dusun"), self.tr("Review"), self.tr("Sending")]

    @staticmethod
    def _cells(view: View, r: tuple[Any, ...]) -> list[str]:
        if view is View.HOUSEHOLDS:
            _rid, _hid, kk, head, n, dusun, rt, rw, address, sync, _deleted = r
            return [kk or "-", head or "-", str(n), dusun, f"{rt}/{rw}", address, _sync(sync)]
        if view is View.MEMBERS:
            _rid, _hid, ident, name, born, sex, relation, kk, dusun, sync, _deleted = r
            return [ident, name, format_date(parse_date(str(born)[:10])), sex, mc.RELATION.label(relation or ""),
                    kk or "-", dusun or "", _sync(sync)]
        _rid, _hid, prog, typ, whom, kk, dusun, review, sync, _deleted = r
        return [prog, PROPOSAL_TYPE.label(typ), whom or "-", kk or "-", dusun or "", _review(review), _sync(sync)]

    def _show(self, result: tuple[View, list[tuple[Any, ...]], int]) -> None:
        view, rows, total = result
        if view is not self.view:
            return  # the view changed while this search ran; its own search follows
        self.rows, self.total = rows, total
        headers = self._headers(view)
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for c, text in enumerate(self._cells(view, r)):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, r[0])
                item.setData(HOUSEHOLD_ROLE, r[1])
                if r[-1]:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(i, c, item)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        if rows:
            self.table.setCurrentCell(0, 0)
        shown = f"{len(rows):,}".replace(",", ".")
        whole = f"{total:,}".replace(",", ".")
        noun = {View.HOUSEHOLDS: self.tr("families"), View.MEMBERS: self.tr("members"),
                View.PROPOSALS: self.tr("proposals")}[view]
        self.count_label.setText(self.tr("{total} {noun}").format(total=whole, noun=noun) if len(rows) == total
                                 else self.tr("{shown} of {total} {noun} shown").format(shown=shown, total=whole,
                                                                                        noun=noun))
        self.searches += 1

    # ------------------------------------------------------------------ opening
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.table and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_current()
            return True
        return super().eventFilter(obj, event)

    def _search_enter(self) -> None:
        self._timer.stop()
        self.refresh()
        self.table.setFocus()

    def current_ids(self) -> tuple[str, str]:
        """(record id, household id) of the selected row, or ("", "")."""
        item = self.table.item(self.table.currentRow(), 0)
        if item is None:
            return "", ""
        return str(item.data(ID_ROLE)), str(item.data(HOUSEHOLD_ROLE) or "")

    def open_current(self) -> None:
        rid, hid = self.current_ids()
        if hid:
            self.open_household.emit(hid, rid if self.view is View.MEMBERS else "")
