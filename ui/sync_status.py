"""The sync indicator in the status bar, the "Sinkronisasi" menu actions and the periodic sync.

States shown to the operator: not connected yet / offline / sending n of m / up to date at HH:MM /
needs attention (entries refused, in conflict or returned for revision) / failed (with the reason).

All network and database work runs through the TaskRunner (desktop_app.tasks) off the GUI thread;
the GUI thread only starts tasks, reads the task's Progress on a timer and shows results. A
periodic sync first makes a cheap reachability check (GET /health, 3 s timeout) on a reader, so
an offline village PC costs one short request per interval and never a frozen window.

The run itself is one task (key "sync": one run at a time in the app; the timer and "Sinkronkan
sekarang" never overlap). It waits on the network on a reader thread and borrows the single writer
thread for each of its write transactions (TaskRunner.hold_writer), so its writes take turns with
the operator's saves while a save asked for during a slow upload goes through at once.

Wiring: `attach(main_window)` (called by MainWindow.load_extensions, EXTENSIONS).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QWidget,
)

from desktop_app import messages
from desktop_app.services.sync_service import (
    PULL_LABEL,
    PUSH_LABEL,
    SyncReport,
    SyncService,
    SyncStatus,
    describe_counts,
)
from desktop_app.tasks import Progress, TaskRunner

log = logging.getLogger(__name__)

NOT_CONFIGURED = "notconfigured"
OFFLINE = "offline"
SENDING = "sending"
UP_TO_DATE = "uptodate"
ATTENTION = "attention"
FAILED = "failed"
LOGIN = "login"
CANCELLED = "cancelled"


@dataclass(slots=True)
class SyncOutcome:
    status: SyncStatus
    report: SyncReport | None = None
    offline: bool = False
    cancelled: bool = False


def _local_hhmm(iso: str | None) -> str:
    if not iso:
        return "--:--"
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%H:%M")
    except ValueError:
        return "--:--"


class LoginDialog(QDialog):
    """Server address, user name and password (the password is never stored by this dialog)."""

    def __init__(self, server_url: str = "", username: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncLoginDialog")
        self.setWindowTitle("Masuk ke server")
        self.server = QLineEdit(server_url)
        self.server.setObjectName("loginServer")
        self.server.setPlaceholderText("https://bansos.kabupaten.go.id")
        self.username = QLineEdit(username)
        self.username.setObjectName("loginUsername")
        self.password = QLineEdit()
        self.password.setObjectName("loginPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        form.addRow("Alamat server", self.server)
        form.addRow("Nama pengguna", self.username)
        form.addRow("Kata sandi", self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Masuk")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Batal")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        (self.password if server_url and username else self.server).setFocus()


class SyncStatusWidget(QWidget):
    """The status-bar indicator plus the actions and timers of background sync."""

    state_changed = Signal(str)
    synced = Signal(object)  # SyncOutcome, after every finished run (to refresh the list)

    PROGRESS_MS = 200

    def __init__(self, context: Any, runner: TaskRunner, *, interval_ms: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.context = context
        self.runner = runner
        self.state = ""
        self.running = False
        self._task: Any = None
        self._cancelling = False
        # The last run's failure, kept on screen until a run succeeds (a later status refresh after a
        # save must not turn "Offline" back into "Terkini").
        self._problem: SyncOutcome | None = None

        self.label = QLabel()
        self.label.setObjectName("syncStatusLabel")
        self.button = QToolButton()
        self.button.setObjectName("syncNowButton")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.button)

        self.action_sync = QAction("Sinkronkan sekarang", self)
        self.action_sync.setObjectName("actSyncNow")
        self.action_sync.setShortcut(QKeySequence("F9"))
        self.action_sync.triggered.connect(self.sync_now)
        self.button.setDefaultAction(self.action_sync)
        self.action_login = QAction("Masuk ke server…", self)
        self.action_login.setObjectName("actSyncLogin")
        self.action_login.triggered.connect(self.login)
        self.action_interval = QAction("Atur jeda sinkronisasi otomatis…", self)
        self.action_interval.setObjectName("actSyncInterval")
        self.action_interval.triggered.connect(self.ask_interval)
        self.action_logout = QAction("Keluar dari server", self)
        self.action_logout.setObjectName("actSyncLogout")
        self.action_logout.triggered.connect(self.logout)
        self.action_cancel = QAction("Batalkan sinkronisasi", self)
        self.action_cancel.setObjectName("actSyncCancel")
        self.action_cancel.setIconText("Batal")
        self.action_cancel.setToolTip("Hentikan sinkronisasi yang sedang berjalan; data yang belum terkirim "
                                      "akan dikirim lagi nanti.")
        self.action_cancel.setEnabled(False)
        self.action_cancel.triggered.connect(self.cancel_sync)
        self.cancel_button = QToolButton()
        self.cancel_button.setObjectName("syncCancelButton")
        self.cancel_button.setDefaultAction(self.action_cancel)
        self.cancel_button.setVisible(False)
        lay.addWidget(self.cancel_button)

        self.progress_timer = QTimer(self)
        self.progress_timer.setInterval(self.PROGRESS_MS)
        self.progress_timer.timeout.connect(self._show_progress)
        self.first_timer = QTimer(self)
        self.first_timer.setSingleShot(True)
        self.first_timer.timeout.connect(self.periodic_sync)
        self.timer = QTimer(self)
        self.timer.setObjectName("syncTimer")
        self.timer.timeout.connect(self.periodic_sync)
        self.timer.start(interval_ms if interval_ms is not None else self.service().interval_seconds() * 1000)
        self.refresh_status()

    # ----------------------------------------------------------------- helpers

    def service(self) -> SyncService:
        """A fresh service each time: login may have changed the device id."""
        return SyncService.from_context(self.context)

    def _set(self, state: str, text: str, tooltip: str = "") -> None:
        self.label.setText(text)
        self.label.setToolTip(tooltip or text)
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    def show_status(self, st: SyncStatus, *, offline: bool = False, report: SyncReport | None = None) -> None:
        cancelled = False
        if not offline and report is None and self._problem is not None and not self.running:
            # still true until a run succeeds
            offline, report, cancelled = self._problem.offline, self._problem.report, self._problem.cancelled
        waiting = (f"{describe_counts(st.waiting_by_type)} menunggu dikirim" if st.outbox
                   else "tidak ada data yang menunggu dikirim")
        if cancelled and st.server_url:
            self._set(CANCELLED, f"Sinkronisasi dibatalkan — {waiting}",
                      "Data yang belum terkirim aman tersimpan dan dikirim pada sinkronisasi berikutnya.")
        elif not st.server_url:
            self._set(NOT_CONFIGURED, "Belum terhubung ke server", "Pilih Sinkronisasi → Masuk ke server.")
        elif offline or (report is not None and report.error_kind == "offline"):
            self._set(OFFLINE, f"Offline — {waiting}",
                      "Server tidak bisa dihubungi. Data aman tersimpan di komputer ini dan akan dikirim otomatis "
                      "begitu server bisa dihubungi lagi.")
        elif report is not None and report.error_kind in ("auth", "device", "config"):
            self._set(LOGIN, "Perlu masuk ke server", report.error or "")
        elif report is not None and report.error:
            self._set(FAILED, f"Sinkronisasi gagal — {waiting}",
                      f"{report.error} Data aman tersimpan di komputer ini; coba lagi nanti.")
        elif st.needs_attention:
            self._set(ATTENTION, f"Perlu perhatian: {describe_counts(st.attention_by_type)}",
                      f"Ditolak server: {st.counts.get('INVALID', 0)}, konflik: {st.counts.get('CONFLICT', 0)}, "
                      f"dikembalikan untuk perbaikan: {st.returned}.")
        elif st.last_success and st.outbox == 0 and not st.last_error:
            self._set(UP_TO_DATE, f"Terkini pukul {_local_hhmm(st.last_success)}")
        elif st.last_error:
            self._set(FAILED, f"Sinkronisasi terakhir gagal — {waiting}", st.last_error)
        else:
            self._set(SENDING if self.running else OFFLINE, waiting)

    def refresh_status(self) -> None:
        svc = self.service()
        self.runner.query(lambda _p: svc.status(), on_success=self.show_status, key="sync-status")

    # ----------------------------------------------------------------- sync

    def sync_now(self) -> None:
        """The operator's "Sinkronkan sekarang": no reachability shortcut, and a login prompt if needed."""
        svc = self.service()
        if not svc.server_url or not self._has_token(svc):
            self.login(then_sync=True)
            return
        self._start(check_reachable=False)

    def periodic_sync(self) -> None:
        self._start(check_reachable=True)

    @staticmethod
    def _has_token(svc: SyncService) -> bool:
        from desktop_app import credentials

        url, user = svc.server_url, svc.username
        return bool(url and user and credentials.load_token(url, user))

    def _start(self, *, check_reachable: bool) -> None:
        if self.running:
            return
        svc = self.service()
        if not svc.server_url:
            self.refresh_status()
            return
        self.running = True
        self._cancelling = False
        self.action_sync.setEnabled(False)
        self.action_cancel.setEnabled(True)
        self.cancel_button.setVisible(True)
        self._set(SENDING, "Menghubungi server…")
        if not check_reachable:
            self._run_sync(svc)
            return

        # The reachability check waits on the network: on a reader, never in the writer's queue.
        def checked(reachable: bool) -> None:
            if reachable:
                self._run_sync(svc)
            else:
                self.runner.query(lambda _p: SyncOutcome(svc.status(), offline=True), on_success=self._finished,
                                  on_failure=self._failed)

        self._task = self.runner.query(lambda _p: svc.reachable(), on_success=checked, on_failure=self._failed)

    def _run_sync(self, svc: SyncService) -> None:
        """The run itself, off the GUI thread. Its network waits are on a reader; each of its write
        transactions borrows the TaskRunner's single writer (hold_writer), so it never overlaps the
        operator's saves, yet a save asked for while a batch is on the wire is not held up by it. Its
        Progress carries "n of m sent" (read by the timer) and the cancel flag."""

        def op(progress: Progress) -> SyncOutcome:
            report = svc.sync_once(progress=progress, write_gate=self.runner.hold_writer)
            return SyncOutcome(svc.status(), report=report)

        self._task = self.runner.query(op, on_success=self._finished, on_failure=self._failed, key="sync",
                                       label=PUSH_LABEL)
        self.progress_timer.start()

    def _show_progress(self) -> None:
        task = self._task
        if task is not None and task.done and self._cancelling:
            # A cancelled task gets no callback: read the status once it has really stopped.
            self._task = None
            svc = self.service()
            self.runner.query(lambda _p: SyncOutcome(svc.status()), on_success=self._finished,
                              on_failure=self._failed)
            return
        if task is None or task.done:
            return
        snap = task.progress.snapshot()
        if snap.label == PUSH_LABEL and snap.maximum:
            self._set(SENDING, f"Mengirim {snap.value} dari {snap.maximum}…")
        elif snap.label == PULL_LABEL:
            self._set(SENDING, "Mengambil hasil verifikasi…")

    def cancel_sync(self) -> None:
        """The operator's "Batal": stop the run now, even while it waits on a hung server. What was not
        answered stays in the outbox (its batch saved) and goes out again, once, on the next run."""
        if not self.running or self._task is None:
            return
        self._cancelling = True
        self.action_cancel.setEnabled(False)
        self._task.cancel()
        self._set(SENDING, "Membatalkan sinkronisasi…")
        self.progress_timer.start()

    def _done(self) -> None:
        self.running = False
        self.progress_timer.stop()
        self.action_sync.setEnabled(True)
        self.action_cancel.setEnabled(False)
        self.cancel_button.setVisible(False)

    def _finished(self, out: SyncOutcome) -> None:
        self._done()
        if self._cancelling:
            self._cancelling = False
            self._problem = SyncOutcome(out.status, cancelled=True)
            self.show_status(out.status)
            self.synced.emit(out)
            return
        failed = out.offline or (out.report is not None and out.report.error is not None)
        self._problem = out if failed else None
        self.show_status(out.status, offline=out.offline, report=out.report)
        rep = out.report
        if rep is not None and rep.error is None and (rep.accepted or rep.pulled or rep.invalid or rep.conflict):
            messages.info(f"Sinkronisasi selesai: {rep.accepted} terkirim, {rep.pulled} pembaruan dari server.")
        self.synced.emit(out)

    def _failed(self, exc: BaseException) -> None:
        self._done()
        self._cancelling = False
        text = messages.user_message(exc)  # expected (not configured, store busy, ...): say what it is
        if text is None:
            log.error("sync task failed", exc_info=exc)
            text = "Terjadi kesalahan. Lihat berkas log untuk rinciannya."
        self._set(FAILED, "Sinkronisasi gagal", text)

    # ----------------------------------------------------------------- account

    def login(self, then_sync: bool = False) -> None:
        svc = self.service()
        dlg = LoginDialog(svc.server_url or "", svc.username or "", self.window())
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        url, user, pw = dlg.server.text().strip(), dlg.username.text().strip(), dlg.password.text()
        if not url or not user or not pw:
            messages.warning("Alamat server, nama pengguna dan kata sandi wajib diisi.")
            return
        self.login_with(url, user, pw, then_sync=then_sync)

    def login_with(self, url: str, user: str, password: str, *, then_sync: bool = False,
                   on_done: Callable[[bool], None] | None = None) -> None:
        svc = self.service()
        desa = getattr(self.context, "desa_code", None)

        def ok(out: Any) -> None:
            self.context.device_id = out.device_id
            p = self._problem
            if p is not None and p.report is not None and p.report.error_kind in ("auth", "device", "config"):
                self._problem = None  # logged in again: that problem is solved
            where = "" if out.token_store == "keyring" else " Tanda masuk hanya disimpan selama aplikasi terbuka."
            messages.info(f"Berhasil masuk; perangkat terdaftar untuk desa {out.desa_code}.{where}")
            self.refresh_status()
            if on_done:
                on_done(True)
            if then_sync:
                self._start(check_reachable=False)

        def fail(exc: BaseException) -> None:
            text = messages.user_message(exc)
            if text is None:  # a bug: its text is not for the operator
                log.error("login task failed", exc_info=exc)
                text = "Terjadi kesalahan. Lihat berkas log untuk rinciannya."
            messages.warning(f"Gagal masuk: {text}")
            # Kept like a failed run's problem: a later refresh must not bring back an older "Offline".
            self._problem = SyncOutcome(SyncStatus(None, None, False), report=SyncReport(error=text, error_kind="auth"))
            self._set(LOGIN, "Perlu masuk ke server", text)
            if on_done:
                on_done(False)

        self.runner.query(lambda _p: svc.login(url, user, password, desa_code=desa), on_success=ok, on_failure=fail)

    def logout(self) -> None:
        """Asks first (the action sits beside everyday ones); during a sync it says to wait or cancel."""
        from PySide6.QtWidgets import QMessageBox

        if self.running:
            QMessageBox.information(self.window(), "Keluar dari server",
                                    "Sinkronisasi sedang berjalan. Tunggu sampai selesai atau tekan Batal, lalu "
                                    "keluar dari server.")
            return
        box = QMessageBox(QMessageBox.Icon.Question, "Keluar dari server",
                          "Keluar dari server? Data di komputer ini tetap aman, tetapi tidak akan dikirim "
                          "sampai Anda masuk lagi dengan kata sandi.", parent=self.window())
        box.setObjectName("syncLogoutConfirm")
        yes = box.addButton("Keluar", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Batal", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is not yes:
            return
        self.do_logout()

    def do_logout(self) -> None:
        svc = self.service()
        self.runner.query(lambda _p: svc.logout(), on_success=lambda _f: self.refresh_status())

    def set_interval_minutes(self, minutes: int) -> None:
        """Store the periodic sync interval (Meta sync.interval_seconds) and use it at once."""
        svc = self.service()
        svc.set_interval_seconds(minutes * 60)
        self.timer.start(svc.interval_seconds() * 1000)

    def ask_interval(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        current = max(1, self.service().interval_seconds() // 60)
        minutes, ok = QInputDialog.getInt(self.window(), "Sinkronisasi otomatis",
                                          "Sinkronkan setiap (menit):", current, 1, 24 * 60)
        if ok:
            self.set_interval_minutes(minutes)
            messages.info(f"Sinkronisasi otomatis setiap {minutes} menit.")

    def stop(self) -> None:
        self.first_timer.stop()
        self.timer.stop()
        self.progress_timer.stop()
        if self._task is not None:
            self._task.cancel()


def attach(window: Any, context: Any = None) -> SyncStatusWidget:
    """Put the indicator in the status bar and the actions in the "Sinkronisasi" menu."""
    ctx = context if context is not None else window.context
    widget = SyncStatusWidget(ctx, window.runner, parent=window)
    window.add_status_widget(widget)
    for action in (widget.action_sync, widget.action_cancel, widget.action_login, widget.action_interval,
                   widget.action_logout):
        window.add_menu_action("sync", action)
    changed = getattr(window, "entries_changed", None)
    if changed is not None:
        widget.synced.connect(lambda _o: changed.emit())
        changed.connect(widget.refresh_status)
    widget.first_timer.start(3000)  # a first sync soon after start, then every interval
    return widget
