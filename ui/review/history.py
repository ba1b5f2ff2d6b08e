"""The Riwayat (history) panel of the proposal review: who did what to the proposal and when, newest first.

Rows come from desktop_app.review (ReviewService.history) (the server's audit rows and the village's versions), loaded
off the GUI thread by the workspace. Village versions carry no account: the panel names the
operator of their batch when the inbox knows it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop_app.review.history import HistoryItem

Index = QModelIndex | QPersistentModelIndex
_VILLAGE_BG = QBrush(QColor("#eef4fb"))  # the village's versions, apart from the server's decisions


def _time(t: datetime | None) -> str:
    return t.astimezone().strftime("%d-%m-%Y %H:%M") if t is not None else "-"


class HistoryModel(QAbstractTableModel):
    """Read-only: one row per history item, in the order given (newest first). Three columns, so the
    trail reads in the narrow side panel: when and who / what and why / what changed (one per line)."""

    WHEN, WHAT, CHANGES = range(3)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[HistoryItem] = []
        self._operators: dict[str, str] = {}
        self._titles = [self.tr("Time, by"), self.tr("Action, reason / note"), self.tr("Changes")]

    def set_items(self, items: Sequence[HistoryItem], operators: Mapping[str, str] | None = None) -> None:
        """`operators`: batch id -> operator, to name who sent a village version."""
        self.beginResetModel()
        self._items = list(items)
        self._operators = dict(operators or {})
        self.endResetModel()

    def items(self) -> list[HistoryItem]:
        return list(self._items)

    def who(self, item: HistoryItem) -> str:
        if item.source != "desa":
            return item.who
        op = self._operators.get(item.batch_id or "", "")
        return self.tr("village ({operator})").format(operator=op) if op else self.tr("village")

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._titles)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self._titles):
            return self._titles[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._items)):
            return None
        item = self._items[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == self.WHEN:
                return f"{_time(item.at)}\n{self.who(item)}"
            if col == self.WHAT:
                return f"{item.action}\n{item.reason}" if item.reason else item.action
            if col == self.CHANGES:
                return "\n".join(item.changes) or "-"
            return None
        if role == Qt.ItemDataRole.BackgroundRole and item.source == "desa":
            return _VILLAGE_BG
        return None


class HistoryPanel(QWidget):
    """A title line (whose proposal, loading, empty, or why it failed) over the history table."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyPanel")
        self.record_id: str | None = None  # whose history is shown (or loading)
        self.model = HistoryModel(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("historyTitle")
        self.title.setWordWrap(True)
        self.view = QTableView()
        self.view.setObjectName("historyView")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(HistoryModel.WHEN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(HistoryModel.WHAT, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(HistoryModel.WHAT, 190)  # long notes wrap inside it
        lay.addWidget(self.title)
        lay.addWidget(self.view, 1)
        self.clear()

    def clear(self) -> None:
        self.record_id = None
        self.model.set_items([])
        self.title.setText(self.tr("Choose a proposal to see its history."))

    def set_loading(self, record_id: str, name: str) -> None:
        if record_id != self.record_id:
            self.model.set_items([])  # never another proposal's rows under this proposal's name
        self.record_id = record_id
        self.title.setText(self.tr("Loading the history of {name}…").format(name=name))

    def set_items(self, record_id: str, name: str, items: Sequence[HistoryItem],
                  operators: Mapping[str, str] | None = None) -> None:
        self.record_id = record_id
        self.model.set_items(items, operators)
        if items:
            self.title.setText(self.tr("History of {name}: {n} events, newest first.").format(name=name, n=len(items)))
        else:
            self.title.setText(self.tr("No history yet for {name}.").format(name=name))

    def set_error(self, text: str) -> None:
        self.record_id = None  # showing it again (tab, selection) tries again
        self.title.setText(self.tr("The history could not be loaded: {reason}").format(reason=text))
