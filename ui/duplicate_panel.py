"""The duplicate panel beside the member form: existing members that match what is being typed.

Same NIK, probable same person (with the matcher's confidence and reasons), reference-list hits.
When the NIK is invalid, the probable matches say who was meant. Each hit with a local member can be
opened (click, or Enter when the list has focus).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QGroupBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget


class DuplicateHit(Protocol):
    """What the panel reads of local_db.member_duplicates.DuplicateHit (ui never imports local_db)."""

    @property
    def kind(self) -> str: ...
    @property
    def record_id(self) -> str | None: ...
    @property
    def message(self) -> str: ...
    @property
    def blocking(self) -> bool: ...
    @property
    def score(self) -> float | None: ...

RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
ERROR_COLOR = QColor("#b00020")
WARNING_COLOR = QColor("#8a5300")


class DuplicatePanel(QGroupBox):
    open_requested = Signal(str)  # record_id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("duplicatePanel")
        self.setTitle(self.tr("Possible duplicates"))
        self.summary = QLabel(self.tr("No matching members."))
        self.summary.setObjectName("duplicateSummary")
        self.summary.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("duplicateList")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setMinimumHeight(120)
        self.list.setSpacing(3)
        lay = QVBoxLayout(self)
        lay.addWidget(self.summary)
        lay.addWidget(self.list, 1)
        self.list.itemClicked.connect(self._open)
        self.list.itemActivated.connect(self._open)
        self.hits: list[DuplicateHit] = []

    def show_hits(self, hits: Sequence[DuplicateHit], *, nik_invalid: bool = False) -> None:
        """`nik_invalid`: the typed NIK failed its checks; the probable matches then say who the
        operator probably meant."""
        self.hits = list(hits)
        self.list.clear()
        for h in self.hits:
            kind = {
                "nik": self.tr("Same NIK"),
                "kk_programme": self.tr("Same KK, same programme"),
                "probable_person": self.tr("Probably the same person ({score:.0f}%)").format(score=h.score or 0),
                "reference": self.tr("Recipient list"),
            }[h.kind]
            severity = self.tr("blocks saving") if h.blocking else self.tr("warning")
            item = QListWidgetItem(f"{kind} — {severity}\n{h.message}")
            item.setForeground(QBrush(ERROR_COLOR if h.blocking else WARNING_COLOR))
            if h.record_id:
                item.setData(RECORD_ROLE, h.record_id)
                item.setToolTip(self.tr("Click or press Enter to open this member."))
            self.list.addItem(item)
        blocking = sum(1 for h in self.hits if h.blocking)
        if not self.hits:
            self.summary.setText(self.tr("No matching members."))
            self.setTitle(self.tr("Possible duplicates"))
        else:
            self.setTitle(self.tr("Possible duplicates ({n})").format(n=len(self.hits)))
            if blocking:
                self.summary.setText(self.tr("{n} match(es) block saving.").format(n=blocking))
            elif nik_invalid and any(h.kind == "probable_person" for h in self.hits):
                self.summary.setText(self.tr(
                    "The NIK is not valid. Probably meant: this person, already registered (same name and birth date)."))
            else:
                self.summary.setText(self.tr("Check these members before saving."))

    def _open(self, item: QListWidgetItem) -> None:
        rid = item.data(RECORD_ROLE)
        if rid:
            self.open_requested.emit(str(rid))
