"""The main window: the operator workspace, menus, the status bar and extension points.

Extension points (for the sync and review parts, which attach themselves):

- `window.statusBar()` is a normal QStatusBar; `add_status_widget(w)` adds a permanent widget.
- `add_menu_action(menu_key, action)` puts an action into one of the menus, by stable key:
  "file", "entry", "sync" (the "Sinkronisasi" menu), "help".
- `add_workspace(widget)` adds a page to the central QStackedWidget (page 0 is the operator
  workspace) and returns its index; `show_workspace(index)` switches (the reviewer workspace).
- The parts listed in EXTENSIONS (imported explicitly above, so an import error fails loudly at
  start instead of hiding a screen) are attached once: `attach(window) -> object | None`; what they
  return is kept in `window.extensions`. One that fails to attach is logged and skipped: the
  operator's window still opens.
- `window.context` (AppContext), `window.runner` (TaskRunner), `window.households`
  (HouseholdService: households, members, proposals) and the signal `entries_changed` (after any
  save/delete of any of the three records) are there for them to use.

Start-up work: right after the window is first painted, today's automatic backup of the store
(desktop_app.backup.daily_backup) runs on a reader thread; `auto_backup=False` skips it
(`bansos gui --screenshot`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from desktop_app import messages
from desktop_app.backup import daily_backup
from desktop_app.context import AppContext
from desktop_app.services.households import HouseholdService, View
from desktop_app.services.musdesus import MusdesusService
from desktop_app.tasks import TaskRunner
from domain import regions
from domain.records import RecordType
from ui import conflict_view, review, sync_status
from ui.dialogs import ReasonDialog
from ui.household_screen import HouseholdScreen
from ui.musdesus_screen import MusdesusScreen
from ui.print_dialogs import install_print_menu
from ui.record_list import RecordListView

log = logging.getLogger(__name__)
# (name for the log, attach) of the parts that hook into the window, in this order.
EXTENSIONS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("ui.sync_status", sync_status.attach), ("ui.conflict_view", conflict_view.attach), ("ui.review", review.attach))


class OperatorWorkspace(QTabWidget):
    """Page 0 of the main window: the household screen and the list, one tab each (F2 / F3)."""

    def __init__(self, screen: HouseholdScreen, record_list: RecordListView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("operatorWorkspace")
        self.household_screen = screen  # not `screen`: QWidget.screen() is a method
        self.record_list = record_list
        self.addTab(screen, self.tr("Family (F2)"))
        self.addTab(record_list, self.tr("List (F3)"))


class MainWindow(QMainWindow):
    entries_changed = Signal()

    def __init__(self, context: AppContext, runner: TaskRunner, parent: QWidget | None = None, *,
                 extensions: bool = True, auto_backup: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.context = context
        self.runner = runner
        self.households = HouseholdService(context.engine, operator=context.operator_name, device_id=context.device_id,
                                           desa_code=context.desa_code, catalogue=context.catalogue)
        self.extensions: list[Any] = []
        self.auto_backup = auto_backup
        self.backup_task: Any = None  # the daily backup's TaskHandle once started (tests wait on it)
        self._shown_once = False
        self._menus: dict[str, QMenu] = {}

        self.household_screen = HouseholdScreen(self.households, runner)
        self.record_list = RecordListView(self.households, runner)
        self.workspace = OperatorWorkspace(self.household_screen, self.record_list)
        self.stack = QStackedWidget()
        self.stack.setObjectName("workspaces")
        self.stack.addWidget(self.workspace)
        self.setCentralWidget(self.stack)

        self.count_label = QLabel()
        self.count_label.setObjectName("statusCounts")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(160)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.count_label)

        self._build_menus()
        self._update_title()
        self.resize(1280, 760)

        self.household_screen.saved.connect(lambda _rid: self.entries_changed.emit())
        self.record_list.open_household.connect(self.open_household)
        self.entries_changed.connect(self.refresh)
        bridge = messages.bridge()
        bridge.info.connect(self._show_info)
        runner.progress_changed.connect(self._progress)
        # A bound slot, not a lambda: the runner outlives the window, and Qt drops a connection to a
        # destroyed receiver only when the slot belongs to it.
        runner.busy_changed.connect(self._busy_changed)

        if extensions:
            self.load_extensions()
        self.refresh()
        self.household_screen.kk.setFocus()
        # Writes by another connection (`bansos import` into this open store, a sync run) reload the list
        # and every count: a PRAGMA data_version on the watch's own connection, no lock wait.
        self.store_timer = QTimer(self)
        self.store_timer.setObjectName("storeWatchTimer")
        self.store_timer.setInterval(1500)
        self.households.store_changed()  # the baseline: what this window has loaded
        self.store_timer.timeout.connect(self._check_store)
        self.store_timer.start()

    def _check_store(self) -> None:
        if self.households.store_changed():
            self.entries_changed.emit()

    # ------------------------------------------------------------------ menus
    def _action(self, text: str, slot: Any, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                name: str = "") -> QAction:
        act = QAction(text, self)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
        if name:
            act.setObjectName(name)
        act.triggered.connect(slot)
        return act

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        entry_menu = bar.addMenu(self.tr("&Data"))
        sync_menu = bar.addMenu(self.tr("S&ynchronisation"))
        print_menu = bar.addMenu("&Cetak")
        help_menu = bar.addMenu(self.tr("&Help"))
        self._menus = {"file": file_menu, "entry": entry_menu, "sync": sync_menu, "print": print_menu, "help": help_menu}
        install_print_menu(self, print_menu)
        sync_menu.setObjectName("syncMenu")

        self.act_new = self._action(self.tr("&New family"), self.new_household, QKeySequence.StandardKey.New, "actNew")
        file_menu.addAction(self.act_new)
        # Enter / Ctrl+U / Esc are the household screen's own keys; the menu shows them for discovery.
        save = self._action(self.tr("&Save the member and start the next one\tEnter"),
                            self.household_screen.save_member, None, "actSave")
        proposal = self._action(self.tr("New &proposal for the family or the selected member\tCtrl+U"),
                                self.household_screen.new_proposal, None, "actProposal")
        file_menu.addAction(save)
        file_menu.addAction(proposal)
        file_menu.addSeparator()
        file_menu.addAction(self._action(self.tr("&Quit"), self.close, QKeySequence("Ctrl+Q"), "actQuit"))

        entry_menu.addAction(self._action(self.tr("Go to the &family"), self.show_form, QKeySequence("F2"), "actForm"))
        entry_menu.addAction(self._action(self.tr("Go to the &list"), self.show_list, QKeySequence("F3"), "actList"))
        entry_menu.addAction(self._action(self.tr("&Search the list"), self.focus_search, QKeySequence.StandardKey.Find,
                                          "actFind"))
        # Citizens' reports (issue 16): the "Laporan warga" queue; Indonesian literal, like the print menu.
        entry_menu.addAction(self._action("Laporan &warga (usul dan sanggah)", self.show_citizen_reports,
                                          QKeySequence("F6"), "actCitizenReports"))
        entry_menu.addSeparator()
        entry_menu.addAction(self._action(self.tr("&Open the selected row"), self.record_list.open_current,
                                          QKeySequence("Ctrl+E"), "actEdit"))
        entry_menu.addAction(self._action(self.tr("&Delete the selected row…"), self._delete_selected,
                                          QKeySequence("Ctrl+Del"), "actDelete"))
        entry_menu.addSeparator()
        entry_menu.addAction(self._action("&Musdesus…", self.open_musdesus, QKeySequence("Ctrl+M"), "actMusdesus"))

        self.sync_placeholder = QAction(self.tr("(Synchronisation is not set up on this computer)"), self)
        self.sync_placeholder.setEnabled(False)
        sync_menu.addAction(self.sync_placeholder)
        # Without any network (design.md §5): the same batches on a USB stick, the server's reply back.
        sync_menu.addAction(self._action(self.tr("Send by &file…"), self.send_by_file, None, "actSendFile"))
        sync_menu.addAction(self._action(self.tr("Read the &reply file…"), self.read_reply_file, None,
                                         "actReadReply"))

        help_menu.addAction(self._action(self.tr("&Keyboard shortcuts"), self.show_shortcuts, QKeySequence("F1"),
                                         "actShortcuts"))
        help_menu.addAction(self._action(self.tr("&About Bansos Desa"), self.show_about, None, "actAbout"))

    def open_musdesus(self) -> MusdesusScreen | None:
        """The Musdesus screen for this desa (issue 15)."""
        if not self.context.desa_code:
            QMessageBox.information(self, "Musdesus", "Pilih desa di pengaturan dulu; Musdesus adalah rapat satu desa.")
            return None
        service = MusdesusService(self.context.engine, operator=self.context.operator_name,
                                  device_id=self.context.device_id, desa_code=self.context.desa_code)
        screen = MusdesusScreen(service, self, print_controller=getattr(self, "print_controller", None))
        screen.finished.connect(lambda _r: self.entries_changed.emit())
        screen.open()
        return screen

    def menu(self, key: str) -> QMenu:
        return self._menus[key]

    def add_menu_action(self, menu_key: str, action: QAction) -> None:
        """Extension point: add `action` to the menu "file" | "entry" | "sync" | "help"."""
        menu = self._menus[menu_key]
        if menu_key == "sync" and self.sync_placeholder in menu.actions():
            menu.removeAction(self.sync_placeholder)
        if action.parent() is None:
            action.setParent(self)
        menu.addAction(action)

    def add_status_widget(self, widget: QWidget, stretch: int = 0) -> None:
        """Extension point: a permanent widget at the right of the status bar."""
        self.statusBar().insertPermanentWidget(0, widget, stretch)

    def add_workspace(self, widget: QWidget) -> int:
        """Extension point: another central page (e.g. the reviewer workspace); returns its index."""
        return self.stack.addWidget(widget)

    def show_workspace(self, index: int) -> None:
        self.stack.setCurrentIndex(index)

    def load_extensions(self) -> None:
        for name, attach in EXTENSIONS:
            try:
                self.extensions.append(attach(self))
            except Exception:
                # A broken optional part must not keep the operator from entering data.
                log.exception("extension %s failed to attach", name)

    # ------------------------------------------------------------------ start-up work
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if self.auto_backup:
                # After the first paint: the copy must not delay the window.
                QTimer.singleShot(0, self.start_daily_backup)

    def start_daily_backup(self) -> None:
        """Today's automatic copy of the store (design.md §5), on a reader thread; never bothers the operator.

        A read, not a write: the backup API copies a consistent snapshot while saves go on.
        """
        db_path, key = self.context.db_path, self.context.store_key
        self.backup_task = self.runner.query(lambda _p: daily_backup(db_path, key=key), on_success=self._backup_done,
                                             on_failure=self._backup_failed)

    def _backup_done(self, made: Any) -> None:
        if made is not None:
            log.info("daily backup done: %s", made.name)

    def _backup_failed(self, exc: BaseException) -> None:
        # daily_backup logs its own expected failures and returns None; this is a bug in it.
        log.error("daily backup failed unexpectedly", exc_info=exc)
        self.statusBar().showMessage(self.tr("The daily backup could not be made; details are in the log."), 8000)

    # ------------------------------------------------------------------ actions
    def _busy_changed(self, busy: bool) -> None:
        if not busy:
            self.progress.hide()

    def show_form(self) -> None:
        self.stack.setCurrentIndex(0)
        self.workspace.setCurrentWidget(self.household_screen)
        if not self.household_screen.is_dirty():
            self.household_screen.kk.setFocus()

    def show_citizen_reports(self) -> None:
        from desktop_app.services.citizen_reports import CitizenReportService
        from ui.citizen_reports import CitizenReportsScreen

        if getattr(self, "citizen_reports", None) is None:
            self.citizen_reports = CitizenReportsScreen(CitizenReportService(self.context.engine, self.households))
            self.citizen_reports.changed.connect(self.entries_changed.emit)
            self._citizen_reports_index = self.add_workspace(self.citizen_reports)
        self.citizen_reports.reload()  # a sync run may have pulled new reports
        self.show_workspace(self._citizen_reports_index)
        self.citizen_reports.table.setFocus()

    def show_list(self) -> None:
        self.stack.setCurrentIndex(0)
        self.workspace.setCurrentWidget(self.record_list)
        self.record_list.table.setFocus()

    def focus_search(self) -> None:
        self.show_list()
        self.record_list.focus_search()

    def new_household(self) -> None:
        self.show_form()
        if self._may_discard():
            self.household_screen.new_household()

    def _may_discard(self) -> bool:
        if not self.household_screen.is_dirty():
            return True
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Discard changes"),
                          self.tr("The family or member form has changes that are not saved. Discard them?"),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("discardDialog")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def open_household(self, household_id: str, member_id: str = "") -> None:
        """Open a family from the list (with the member selected there in the member form)."""
        self.stack.setCurrentIndex(0)
        self.workspace.setCurrentWidget(self.household_screen)
        if self._may_discard():
            self.household_screen.load(household_id, member_id=member_id)

    def _delete_selected(self) -> None:
        """Delete the selected row of the list, with a reason (kept in the record, its op and the audit)."""
        self.show_list()
        rid, _hid = self.record_list.current_ids()
        if not rid:
            return
        kind = {View.HOUSEHOLDS: RecordType.HOUSEHOLD, View.MEMBERS: RecordType.MEMBER,
                View.PROPOSALS: RecordType.PROPOSAL}[self.record_list.view]
        dlg = ReasonDialog(self.tr("Delete"), self.tr("Why is this deleted? The reason is kept in the audit log."),
                           parent=self, object_name="deleteReasonDialog")
        if dlg.exec() != ReasonDialog.DialogCode.Accepted:
            return
        reason = dlg.text()
        self.runner.write(lambda _p: self.households.delete(kind, rid, reason=reason),
                          on_success=lambda _r: self._deleted(), on_failure=self._delete_failed)

    def _deleted(self) -> None:
        messages.info(self.tr("Deleted."))
        self.entries_changed.emit()

    def _delete_failed(self, exc: BaseException) -> None:
        text = messages.user_message(exc)
        if text is None:
            from desktop_app.logging_setup import report_unexpected

            report_unexpected(exc)
            return
        messages.warning(text)

    # ------------------------------------------------------------------ sync by file
    def _file_sync(self) -> Any:
        from desktop_app.services.file_sync_service import FileSyncService

        return FileSyncService(self.context.engine, actor=self.context.operator_name)

    def send_by_file(self) -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getSaveFileName(self, self.tr("Send by file"), str(Path.home() / "kiriman.bansos"),
                                              self.tr("Bansos Desa sync files (*.bansos)"))
        if not path:
            return
        svc = self._file_sync()
        self.runner.write(lambda _p: svc.export(Path(path)), on_success=self._file_sent,
                          on_failure=self._delete_failed, label=self.tr("Send by file"))

    def _file_sent(self, res: Any) -> None:
        messages.info(self.tr("Sent to {path}: {b} batches, {n} records. Take the file to the kecamatan/dinas.")
                      .format(path=res.path.name, b=res.batches, n=res.ops))
        self.entries_changed.emit()

    def read_reply_file(self) -> None:
        from pathlib import Path

        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(self, self.tr("Read the reply file"), str(Path.home()),
                                              self.tr("Bansos Desa sync files (*.bansos)"))
        if not path:
            return
        svc = self._file_sync()
        self.runner.write(lambda _p: svc.read_reply(Path(path)), on_success=self._reply_read,
                          on_failure=self._delete_failed, label=self.tr("Read the reply file"))

    def _reply_read(self, report: Any) -> None:
        messages.info(self.tr("Reply applied: {a} accepted, {c} in conflict, {i} refused, {p} updates from the server.")
                      .format(a=report.accepted, c=report.conflict, i=report.invalid, p=report.pulled))
        self.entries_changed.emit()

    def refresh(self) -> None:
        """After a save/delete (and at start): the list, the dusun names, the counts."""
        self.record_list.refresh()
        self._refresh_counts()
        self.runner.query(lambda _p: self.households.dusuns(), on_success=self._show_dusuns, key="dusuns")

    def _show_dusuns(self, names: list[str]) -> None:
        self.record_list.set_dusuns(names)
        self.household_screen.set_dusuns(names)

    def _refresh_counts(self) -> None:
        self.runner.query(lambda _p: (self.households.counts(), self.households.waiting()),
                          on_success=self._show_counts, key="counts")

    def _show_counts(self, result: tuple[dict[View, int], dict[View, int]]) -> None:
        counts, waiting = result

        def n(v: int) -> str:
            return f"{v:,}".replace(",", ".")

        self.count_label.setText(self.tr("{h} families · {m} members · {p} proposals · {w} not sent yet").format(
            h=n(counts[View.HOUSEHOLDS]), m=n(counts[View.MEMBERS]), p=n(counts[View.PROPOSALS]),
            w=n(sum(waiting.values()))))

    def _show_info(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _progress(self, label: str, value: int, maximum: int) -> None:
        self.progress.setMaximum(maximum)
        self.progress.setValue(value)
        self.progress.setToolTip(label)
        self.progress.show()

    def _update_title(self) -> None:
        # The region names load a data file the first time (~0.1 s): not before the window shows.
        desa = self.context.desa_code
        self._set_title(self.tr("no desa chosen") if not desa else regions.dotted(desa))
        if desa:
            self.runner.query(lambda _p: regions.path_text(desa), on_success=self._set_title, key="title")

    def _set_title(self, where: str) -> None:
        self.setWindowTitle(self.tr("Bansos Desa — {where} — operator: {who}").format(
            where=where, who=self.context.operator_name))

    def show_shortcuts(self) -> None:
        text = self.tr(
            "<b>Family screen (F2)</b><br>"
            "Enter in the KK or address: save the family, go to its first member<br>"
            "Enter in the member form: save the member and start the next one of the same family<br>"
            "Ctrl+T: the person has no NIK yet (temporary number)<br>"
            "Alt+A: the member table (Enter there: edit that member)<br>"
            "Ctrl+U: new proposal (on the member selected in the table, else on the family)<br>"
            "Esc: drop the member being typed · Ctrl+Tab: house and assets<br><br>"
            "<b>List (F3)</b><br>Ctrl+1 / Ctrl+2 / Ctrl+3: families / members / proposals · Ctrl+F: search<br>"
            "Enter: open the family · Ctrl+Del: delete the selected row (with a reason)<br><br>"
            "<b>Other</b><br>Ctrl+N: new family · Ctrl+Q: quit")
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Keyboard shortcuts"), text,
                          QMessageBox.StandardButton.Close, self)
        box.setTextFormat(Qt.TextFormat.RichText)
        box.exec()

    def show_about(self) -> None:
        from desktop_app.build_info import version_text

        QMessageBox.about(self, self.tr("About Bansos Desa"), self.tr(
            "Bansos Desa: registration of social-assistance candidates for the village.\n{version}\n"
            "Data folder: {folder}").format(version=version_text(), folder=self.context.data_dir))

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_discard():
            event.ignore()
            return
        event.accept()
