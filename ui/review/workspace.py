"""The kecamatan reviewer's workspace: a header (who, status, "Coba lagi", reload, logout) over four
tabs, one module each: inbox (ui.review.inbox), proposal review with the decision bar (ui.review.proposals),
duplicate groups (ui.review.duplicates) and the dashboard (ui.review.dashboard).

All server calls go through one TaskGroup (desktop_app.tasks) on the app's TaskRunner: the window never
waits on the network. A failed call shows its Indonesian message in the status line with a "Coba lagi"
button that repeats exactly that call.

Keyboard (documented in docs/review-guide.md):
  Ctrl+1..4  tabs (inbox, proposals, duplicates, dashboard)    F5  reload from the server
  Enter      open the selected batch (inbox)                     Ctrl+F  filter field of the tab
  A  approve   T  reject (reason list)   K  return (fields + note)      — on the selection, or the current proposal
  PgDn / PgUp  next / previous proposal   Ctrl+A  select all shown   G  the proposal's (or family's) duplicate group
  C  settle the proposal's data conflict (per field: server or village value)
  H  switch the proposal's details (with its family) / history (Riwayat: who decided what, when, and what changed)
  Ctrl+Enter  keep the selected record of a duplicate group (Ctrl+Shift+N: not the same)
  Ctrl+E  export the current table to XLSX
"""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from desktop_app.review.service import ReviewService, export_proposals, warm_up
from desktop_app.review.views import BatchView
from desktop_app.tasks import TaskGroup, TaskRunner
from domain.states import role_label
from ui.review.common import TAB_DASHBOARD, TAB_DUPLICATES, TAB_INBOX, TAB_PROPOSALS, ReviewTools, shortcut
from ui.review.dashboard import DashboardTab
from ui.review.duplicates import DuplicatesTab
from ui.review.inbox import InboxTab
from ui.review.proposals import ProposalsTab
from ui.task_status import TaskStatusLine

__all__ = ["TAB_DASHBOARD", "TAB_DUPLICATES", "TAB_INBOX", "TAB_PROPOSALS", "ReviewWorkspace"]


class ReviewWorkspace(QWidget):
    """One page of the main window's stacked widget."""

    logout_requested = Signal()
    REFRESH_DELAY_MS = 1500

    def __init__(self, service: ReviewService, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewWorkspace")
        self.service = service
        self.task_group = TaskGroup(tasks, self)
        self.status_line = TaskStatusLine(self.task_group, name="reviewStatus")
        self.status = self.status_line.label
        self.retry_button = self.status_line.retry_button
        self.inbox: InboxTab
        tools = ReviewTools(service, self.task_group, self.status_line, lambda: self.inbox.operators())
        self.inbox = InboxTab(tools)
        self.proposals = ProposalsTab(tools)
        self.duplicates = DuplicatesTab(tools)
        self.dashboard = DashboardTab(tools)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(self._build_header())
        self.tabs = QTabWidget()
        self.tabs.setObjectName("reviewTabs")
        self.tabs.addTab(self.inbox, "Kotak masuk (Ctrl+1)")
        self.tabs.addTab(self.proposals, "Tinjau usulan (Ctrl+2)")
        self.tabs.addTab(self.duplicates, "Duplikat (Ctrl+3)")
        self.tabs.addTab(self.dashboard, "Dasbor (Ctrl+4)")
        lay.addWidget(self.tabs, 1)

        self.inbox.open_requested.connect(self.open_batch)
        self.inbox.pending_requested.connect(self.open_pending)
        self.inbox.loaded.connect(self.proposals.operators_known)
        self.inbox.loaded.connect(self.duplicates.operators_known)
        self.proposals.decided.connect(lambda groups: self._schedule_refresh(groups=groups))
        self.proposals.group_requested.connect(self.show_group_of)
        self.proposals.export_button.clicked.connect(self.export_dialog)
        self.duplicates.settled.connect(self._group_settled)
        self.duplicates.open_count_changed.connect(
            lambda n: self.tabs.setTabText(TAB_DUPLICATES, f"Duplikat ({n}) (Ctrl+3)"))
        self.dashboard.export_button.clicked.connect(self.export_dialog)
        for i in range(4):
            shortcut(self, f"Ctrl+{i + 1}", functools.partial(self.tabs.setCurrentIndex, i))
        shortcut(self, "F5", self.reload)
        shortcut(self, "Ctrl+F", self._focus_filter)
        shortcut(self, "Ctrl+E", self.export_dialog)

        self._refresh_groups = False
        # The region table behind the NIK read-back loads once per process (~0.3 s): do it now, off-thread.
        tasks.query(lambda _p: warm_up())
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(self.REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._refresh_after_decisions)

    def _build_header(self) -> QHBoxLayout:
        h = QHBoxLayout()
        s = self.service.session
        self.who = QLabel(f"<b>{s.username}</b> · {role_label(s.role)} · {s.area_text}")
        self.who.setObjectName("reviewWho")
        self.reload_button = QPushButton("Muat ulang (F5)")
        self.reload_button.setObjectName("reviewReload")
        self.reload_button.clicked.connect(self.reload)
        self.logout_button = QPushButton("Keluar akun")
        self.logout_button.clicked.connect(self.logout_requested.emit)
        h.addWidget(self.who)
        h.addWidget(self.status_line, 1)
        h.addWidget(self.reload_button)
        h.addWidget(self.logout_button)
        return h

    @property
    def busy(self) -> bool:
        return self.task_group.busy

    def retry(self) -> None:
        self.task_group.retry()

    def _set_status(self, text: str, *, error: bool = False) -> None:
        self.status_line.say(text, error=error)

    def _focus_filter(self) -> None:
        f = {TAB_INBOX: self.inbox.inbox_filter, TAB_PROPOSALS: self.proposals.proposal_filter}.get(self.tabs.currentIndex())
        if f is not None:
            f.setFocus()
            f.selectAll()

    # ---- loading

    def reload(self) -> None:
        self.inbox.load()
        self.duplicates.load()
        self.dashboard.load()
        self.proposals.reload()

    def load_inbox(self, *, quiet: bool = False) -> None:
        self.inbox.load(quiet=quiet)

    def open_batch(self, batch: BatchView) -> None:
        self.tabs.setCurrentIndex(TAB_PROPOSALS)
        self.proposals.open_batch(batch)

    def open_pending(self) -> None:
        self.tabs.setCurrentIndex(TAB_PROPOSALS)
        self.proposals.open_pending()

    def show_group_of(self, record_ids: object) -> None:
        """G: the duplicate group of the proposal or its family (member, household), side by side."""
        ids = set(record_ids) if isinstance(record_ids, set | list | tuple) else {str(record_ids)}
        if not self.duplicates.select_group_of(ids):
            self._set_status("Usulan ini dan keluarganya tidak ada di grup duplikat.")
            return
        self.tabs.setCurrentIndex(TAB_DUPLICATES)
        self.duplicates.compare_view.setFocus()

    def _group_settled(self) -> None:
        self.duplicates.load()
        self.inbox.load()
        self.dashboard.load()
        if self.proposals.proposal_model.rowCount():
            self.proposals.reload()

    def _schedule_refresh(self, *, groups: bool = False) -> None:
        """Counts in the inbox, the dashboard (and groups) changed: refresh them once the reviewer pauses,
        not after every key."""
        self._refresh_groups = self._refresh_groups or groups
        self._refresh_timer.start()

    def _refresh_after_decisions(self) -> None:
        if not self.isVisible():  # window closed or another page shown: F5 refreshes later
            return
        self.inbox.load(quiet=True)
        self.dashboard.load(quiet=True)
        if self._refresh_groups:
            self._refresh_groups = False
            self.duplicates.load(quiet=True)

    # ---- export

    def export_dialog(self) -> None:
        on_dash = self.tabs.currentIndex() == TAB_DASHBOARD
        default = "dasbor-verifikasi.xlsx" if on_dash else "usulan-verifikasi.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "Ekspor ke XLSX", str(Path.home() / default),
                                              "Buku kerja Excel (*.xlsx)")
        if path:
            self.export_to(Path(path), dashboard=on_dash)

    def export_to(self, path: Path, *, dashboard: bool) -> None:
        if path.suffix.lower() != ".xlsx":
            path = path.with_suffix(".xlsx")
        if dashboard:
            self.dashboard.export_to(path)
            return
        proposals = self.proposals.shown_proposals()
        self.task_group.run("Mengekspor usulan", lambda _p: export_proposals(path, proposals),
                            lambda n: self._set_status(f"{n} baris diekspor ke {path.name}."))
