"""What the review tabs share: the service, the workspace's TaskGroup and status line, and table helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from desktop_app.review.service import ReviewService
from desktop_app.review.views import GroupMemberView, ProposalView
from desktop_app.tasks import TaskGroup
from ui.task_status import TaskStatusLine

R = TypeVar("R", ProposalView, GroupMemberView)

TAB_INBOX, TAB_PROPOSALS, TAB_DUPLICATES, TAB_DASHBOARD = range(4)


@dataclass(frozen=True, slots=True)
class ReviewTools:
    service: ReviewService
    tasks: TaskGroup  # every server call of the workspace: one busy state, one "Coba lagi"
    status: TaskStatusLine
    operators: Callable[[], dict[str, str]]  # batch id -> operator, as far as the inbox knows

    def say(self, text: str, *, error: bool = False) -> None:
        self.status.say(text, error=error)

    def with_operators(self, proposals: list[R]) -> list[R]:
        """Proposals (and duplicate-group records) do not carry who sent them; their batch (in the inbox) does."""
        ops = self.operators()
        for e in proposals:
            e.operator = e.operator or ops.get(e.batch_id, "")
        return proposals


def table_view(name: str) -> QTableView:
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


def shortcut(parent: QWidget, keys: str | QKeySequence.StandardKey, slot: Callable[[], None]) -> QShortcut:
    sc = QShortcut(QKeySequence(keys), parent)
    sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    sc.activated.connect(slot)
    return sc
