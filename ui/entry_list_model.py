"""The entry list's table model: keyed by record id, rows fetched on demand (Anki's browser model).

The model holds the ordered ids of what matches the current search (a list of strings) and an
LRU cache of rows. When the view asks for a row that is not cached, the model fetches the whole
page around it in one query, so scrolling through 200,000 entries costs a query per page, and
memory stays bounded by the cache.
"""

from __future__ import annotations

import functools
import logging
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QBrush, QColor

from desktop_app import messages
from desktop_app.entry_list import ListRow
from domain import criteria as crit
from domain.dates import format_date
from domain.reasons import reason_text
from domain.states import REVIEW_LABELS, SYNC_LABELS, ReviewState, SyncState

log = logging.getLogger(__name__)
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex
_RED = QColor("#b00020")
_GREEN = QColor("#1b6e20")
_AMBER = QColor("#8a5300")


def review_text(row: ListRow) -> str:
    """'Ditolak: Duplikat: orang yang sama sudah terdaftar', '' when not reviewed yet."""
    if not row.review_state:
        return ""
    label = REVIEW_LABELS.get(ReviewState(row.review_state), row.review_state)
    if row.review_state == ReviewState.REJECTED and row.review_reason_code:
        label = f"{label}: {reason_text(row.review_reason_code)}"
    elif row.review_state == ReviewState.RETURNED and row.review_note:
        label = f"{label}: {row.review_note}"
    return label


def sync_text(row: ListRow) -> str:
    try:
        return SYNC_LABELS[SyncState(row.sync_state)]
    except ValueError:
        return row.sync_state


def _report(exc: BaseException) -> None:
    text = messages.user_message(exc)
    if text is not None:  # expected (a store held by another process): say so, no error dialog
        messages.warning(text)
        return
    from desktop_app.logging_setup import report_unexpected

    report_unexpected(exc, already_logged=True)


class EntryTableModel(QAbstractTableModel):
    PAGE = 200
    CACHE = 4000

    def __init__(self, fetch_rows: Callable[[Sequence[str]], dict[str, ListRow]],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetch_rows = fetch_rows
        self._ids: list[str] = []
        self._pos: dict[str, int] | None = None  # record_id -> row, built on first lookup
        self._cache: OrderedDict[str, ListRow | None] = OrderedDict()
        self.fetches = 0  # page queries so far (tests and the benchmark read it)
        self.fetch_failed = False  # a page query failed since the last search (reported once)
        self.columns: list[tuple[str, str]] = [
            ("nik", self.tr("NIK")),
            ("name", self.tr("Name")),
            ("kk", self.tr("No. KK")),
            ("birth_date", self.tr("Born")),
            ("sex", self.tr("Sex")),
            ("programme", self.tr("Programme")),
            ("dusun", self.tr("Dusun")),
            ("rt_rw", self.tr("RT/RW")),
            ("criteria", self.tr("Criteria")),
            ("sync", self.tr("Sending")),
            ("review", self.tr("Verification")),
        ]

    # -- content
    def set_ids(self, ids: list[str]) -> None:
        self.beginResetModel()
        self._ids = ids
        self._pos = None
        self._cache.clear()
        self.fetch_failed = False
        self.endResetModel()

    def append_ids(self, more: list[str]) -> None:
        """More matches of the same search (the background part of a two-step search)."""
        if not more:
            return
        first = len(self._ids)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._ids.extend(more)
        self._pos = None
        self.endInsertRows()

    def ids(self) -> list[str]:
        return self._ids

    def record_id(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, record_id: str) -> int:
        if self._pos is None:
            if len(self._ids) < 5000:  # a dict for small lists; list.index (C speed) for big ones
                self._pos = {rid: i for i, rid in enumerate(self._ids)}
            else:
                try:
                    return self._ids.index(record_id)
                except ValueError:
                    return -1
        return self._pos.get(record_id, -1)

    def invalidate(self, record_ids: Sequence[str] = ()) -> None:
        """Forget cached rows (all when none given) and repaint them."""
        if not record_ids:
            self._cache.clear()
            if self._ids:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(self.columns) - 1))
            return
        for rid in record_ids:
            self._cache.pop(rid, None)
            r = self.row_of(rid)
            if r >= 0:
                self.dataChanged.emit(self.index(r, 0), self.index(r, len(self.columns) - 1))

    def row_data(self, row: int) -> ListRow | None:
        rid = self.record_id(row)
        if rid is None:
            return None
        if rid in self._cache:
            self._cache.move_to_end(rid)
            return self._cache[rid]
        start = row - row % self.PAGE
        page = [i for i in self._ids[start:start + self.PAGE] if i not in self._cache]
        try:
            fetched = self._fetch_rows(page)
        except Exception as exc:
            # Never raise inside Qt's paint (each visible cell would fail again): the rows stay blank
            # and the bug is reported once, after the paint.
            fetched = {}
            if not self.fetch_failed:
                self.fetch_failed = True
                log.error("entry rows could not be read", exc_info=exc)
                QTimer.singleShot(0, functools.partial(_report, exc))
        self.fetches += 1
        for i in page:
            self._cache[i] = fetched.get(i)  # None: gone since the search (shown blank)
        while len(self._cache) > self.CACHE:
            self._cache.popitem(last=False)
        return self._cache.get(rid)

    # -- Qt model API
    def rowCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.columns[section][1] if 0 <= section < len(self.columns) else None
        return str(section + 1)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._ids)) \
                or not (0 <= index.column() < len(self.columns)):
            return None
        if role == RECORD_ID_ROLE:
            return self._ids[index.row()]
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole):
            return None
        row = self.row_data(index.row())
        if row is None:
            return None
        key = self.columns[index.column()][0]
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._color(key, row)
        text = self._text(key, row)
        if role == Qt.ItemDataRole.ToolTipRole:
            return text if key in ("criteria", "review", "sync", "name") and text else None
        return text

    def _text(self, key: str, row: ListRow) -> str:
        if key == "birth_date":
            return format_date(row.birth_date)
        if key == "rt_rw":
            return f"{row.rt}/{row.rw}" if row.rt or row.rw else ""
        if key == "criteria":
            return ", ".join(crit.label(c) for c in row.criteria)
        if key == "sync":
            return sync_text(row)
        if key == "review":
            return review_text(row)
        return str(getattr(row, key))

    def _color(self, key: str, row: ListRow) -> QBrush | None:
        if key == "review":
            if row.review_state in (ReviewState.REJECTED, ReviewState.RETURNED):
                return QBrush(_RED)
            if row.review_state == ReviewState.APPROVED:
                return QBrush(_GREEN)
        if key == "sync":
            if row.sync_state in (SyncState.CONFLICT, SyncState.INVALID):
                return QBrush(_RED)
            if row.sync_state in (SyncState.NEW, SyncState.DIRTY):
                return QBrush(_AMBER)
        return None
