"""`bansos` / `bansos gui`: open the main window (the only module that imports ui/).

`bansos gui --screenshot FILE [--data-dir DIR]` renders the main window with the store's current
data into a PNG and exits (docs and checks; works with QT_QPA_PLATFORM=offscreen). It never waits
on a person: in screenshot mode no dialog is shown. Warnings, errors and failed background tasks
go to the log (and a short line to stderr); a modal dialog that opens anyway is closed; when the
store cannot be opened the error dialog the operator would see is what gets saved. Exit codes:
0 the main window was saved, 2 the error dialog was saved instead (the app could not open; checks
such as the frozen-app test must fail then), 1 no PNG could be written.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)
_T0 = time.perf_counter()  # for the startup figure in the log (and bench/bench_gui.py)


def register(sub: Any) -> None:
    p = sub.add_parser("gui", help="buka jendela aplikasi (bawaan tanpa perintah)")
    # SUPPRESS: do not overwrite the top-level --data-dir with None when only that one is given.
    p.add_argument("--data-dir", default=argparse.SUPPRESS, help="folder data lokal")
    p.add_argument("--screenshot", metavar="FILE", default=None,
                   help="simpan gambar jendela utama ke FILE (PNG) lalu keluar")
    p.add_argument("--size", default="1280x760", help="ukuran jendela untuk --screenshot, mis. 1280x760")
    p.add_argument("--view", choices=("list", "form"), default="list",
                   help="untuk --screenshot: tampilkan daftar keluarga/anggota/usulan (bawaan) atau formulir keluarga")
    p.set_defaults(func=run_gui)


def _first_run(context: Any, runner: Any) -> bool:
    """Ask for the desa and the operator's name; False when the operator cancels."""
    from desktop_app.first_run import apply_first_run
    from ui.desa_picker import FirstRunDialog

    dlg = FirstRunDialog(runner, operator_name="" if context.operator_name == "operator" else context.operator_name,
                         context=context)
    while dlg.exec():
        code = dlg.desa_code()
        if code:
            apply_first_run(context, code, dlg.operator_name())
            return True
    return False


def _ask_passphrase(new: bool) -> str | None:
    """The store passphrase where no keyring works (desktop_app.store_key); None when cancelled."""
    from PySide6.QtWidgets import QInputDialog, QLineEdit

    from desktop_app import store_key

    env = store_key.env_passphrase(new)
    if env:
        return env
    label = (f"Komputer ini tidak punya penyimpan kunci sistem. Buat kata sandi basis data (minimal "
             f"{store_key.MIN_PASSPHRASE} karakter); kata sandi ini diminta setiap aplikasi dibuka:"
             if new else "Kata sandi basis data:")
    text, ok = QInputDialog.getText(None, "Basis data terkunci", label, QLineEdit.EchoMode.Password)
    return str(text) if ok and text else None


def _show_recovery_code(code: str) -> None:
    """The recovery key of a just-made store key, shown once for the IT officer."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(QMessageBox.Icon.Information, "Kunci pemulihan basis data",
                      "Data di komputer ini dienkripsi. Catat kunci pemulihan di bawah dan serahkan kepada "
                      "petugas IT; kunci ini hanya ditampilkan sekali dan diperlukan untuk membuka data di "
                      f"komputer lain.\n\n{code}")
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()


def run_gui(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer

    from desktop_app import logging_setup, paths
    from desktop_app.context import AppContext
    from desktop_app.first_run import needs_first_run
    from desktop_app.tasks import TaskRunner
    from domain.errors import KnownError
    from ui.app import create_application

    screenshot: str | None = getattr(args, "screenshot", None)
    size: str = getattr(args, "size", "1280x760")
    app = create_application(sys.argv[:1])
    data_dir = paths.resolve_data_dir(getattr(args, "data_dir", None))
    try:
        logging_setup.setup_logging(data_dir)
    except OSError as exc:
        sys.stderr.write(f"Folder data {data_dir} tidak bisa ditulisi: {exc.strerror}\n")
        return 1
    logging_setup.install_excepthook()
    headless = Headless(app) if screenshot else None
    try:
        context = AppContext.open(data_dir, passphrase=None if screenshot else _ask_passphrase)
    except KnownError as exc:  # a locked, damaged or too-new store; a bad settings file
        from ui.error_dialog import message_box, show_message

        log.error("store could not be opened: %s", type(exc).__name__)
        if not screenshot:
            show_message("error", exc.message)
            return 1
        sys.stderr.write(f"{exc}\n")
        return _screenshot_widget(app, message_box("error", str(exc)), Path(screenshot), None) or SHOWED_ERROR
    except Exception as exc:
        if not screenshot:
            raise  # the excepthook logs it and shows the short error dialog
        return _screenshot_error(app, exc, Path(screenshot))
    if context.new_recovery_code and not screenshot:
        _show_recovery_code(context.new_recovery_code)
    runner = TaskRunner()
    try:
        if needs_first_run(context) and not screenshot and not _first_run(context, runner):
            return 0
        from ui.main_window import MainWindow

        if screenshot:
            # Optional parts attach first so they are in the picture; no daily backup for a picture.
            try:
                window = MainWindow(context, runner, extensions=True, auto_backup=False)
            except Exception as exc:
                return _screenshot_error(app, exc, Path(screenshot))
            if getattr(args, "view", "list") == "list":
                window.show_list()
            w, _, h = size.partition("x")
            window.resize(int(w or 1280), int(h or 760))
            return _screenshot_widget(app, window, Path(screenshot), window)
        # Optional parts (sync status, conflicts, review) attach right after the first paint, so
        # they do not delay the window; the daily backup starts then too (MainWindow.showEvent).
        window = MainWindow(context, runner, extensions=False)
        window.show()
        QTimer.singleShot(0, window.load_extensions)
        log.info("main window shown after %.2f s", time.perf_counter() - _T0)
        return int(app.exec())
    finally:
        if headless is not None:
            headless.stop()
        runner.shutdown(wait=True)
        context.close()


class Headless:
    """Screenshot mode: report to the log and stderr instead of dialogs, and close any modal dialog.

    The watchdog timer also runs inside a nested dialog's event loop, so a dialog some part opens
    with exec() is closed instead of waiting forever for a click. `stop()` undoes all of it.
    """

    def __init__(self, app: Any) -> None:
        from PySide6.QtCore import QTimer

        from desktop_app import logging_setup, messages
        from ui.error_dialog import installed, uninstall_error_presenter

        self.app = app
        self.closed: list[str] = []  # object names of the dialogs the watchdog closed
        self._had_presenter = installed()
        uninstall_error_presenter()
        bridge = messages.bridge()
        bridge.warning.connect(self._warning)
        bridge.error.connect(self._error)
        logging_setup.set_error_presenter(self._crashed)
        self.timer = QTimer(app)
        self.timer.setInterval(200)
        self.timer.timeout.connect(self._close_modals)
        self.timer.start()

    def _tell(self, kind: str, text: str) -> None:
        log.warning("%s for the operator not shown (screenshot mode)", kind)  # the text may name a person
        sys.stderr.write(f"{text}\n")

    def _warning(self, text: str) -> None:
        self._tell("warning", text)

    def _error(self, text: str) -> None:
        self._tell("error", text)

    def _crashed(self, where: str) -> None:  # the traceback is already in the log
        sys.stderr.write(f"Terjadi kesalahan yang tidak terduga. Rincian dicatat di: {where}\n")

    def _close_modals(self) -> None:
        modal = self.app.activeModalWidget()
        if modal is not None:
            name = modal.objectName() or type(modal).__name__
            log.warning("dialog %s closed (screenshot mode)", name)
            sys.stderr.write(f"Dialog {modal.windowTitle()!r} ditutup (mode tangkapan layar).\n")
            self.closed.append(name)
            modal.close()

    def stop(self) -> None:
        from desktop_app import logging_setup, messages
        from ui.error_dialog import install_error_presenter

        self.timer.stop()
        bridge = messages.bridge()
        bridge.warning.disconnect(self._warning)
        bridge.error.disconnect(self._error)
        logging_setup.set_error_presenter(None)
        if self._had_presenter:
            install_error_presenter()


SHOWED_ERROR = 2  # the PNG holds the error dialog, not the main window


def _screenshot_error(app: Any, exc: BaseException, path: Path) -> int:
    """A bug before the main window existed: log it and picture the dialog the operator would see."""
    from desktop_app import logging_setup
    from ui.error_dialog import error_box

    logging_setup.report_unexpected(exc)
    return _screenshot_widget(app, error_box(str(logging_setup.log_path() or "")), path, None) or SHOWED_ERROR


def _screenshot_widget(app: Any, widget: Any, path: Path, window: Any) -> int:
    """Show `widget`, let the main window's list and checks settle (when it is one), grab, save, close."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QDialog

    if isinstance(widget, QDialog):
        widget.setModal(False)  # a picture of the dialog: the watchdog must not close it
    widget.show()
    deadline = time.monotonic() + 10
    while window is not None and time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if window.runner.idle and window.record_list.searches:
            break
    for _ in range(5):  # let pending paints and deferred layouts run
        app.processEvents()
    ok = False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        ok = widget.grab().save(str(path), "PNG")
    except OSError as exc:
        log.error("screenshot folder could not be made: %s", exc.strerror)
    widget.close()
    if not ok:
        sys.stderr.write(f"Gambar tidak bisa disimpan ke {path}\n")
        return 1
    print(path)
    return 0
