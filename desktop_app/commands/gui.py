"""`bansos` / `bansos gui`: open the main window (the only module that imports ui/).

`bansos gui --screenshot FILE [--data-dir DIR]` renders the main window with the store's current
data into a PNG and exits (docs and checks; works with QT_QPA_PLATFORM=offscreen).
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
                   help="untuk --screenshot: tampilkan daftar entri (bawaan) atau formulir")
    p.set_defaults(func=run_gui)


def _first_run(context: Any, runner: Any) -> bool:
    """Ask for the desa and the operator's name; False when the operator cancels."""
    from desktop_app.first_run import apply_first_run
    from ui.desa_picker import FirstRunDialog

    dlg = FirstRunDialog(runner, operator_name="" if context.operator_name == "operator" else context.operator_name)
    while dlg.exec():
        code = dlg.desa_code()
        if code:
            apply_first_run(context, code, dlg.operator_name())
            return True
    return False


def run_gui(args: argparse.Namespace) -> int:
    from PySide6.QtCore import QTimer

    from desktop_app import logging_setup, messages, paths
    from desktop_app.context import AppContext
    from desktop_app.first_run import needs_first_run
    from desktop_app.services.entries import EntryError
    from desktop_app.tasks import TaskRunner
    from local_db.engine import StoreError
    from ui.app import create_application

    screenshot: str | None = getattr(args, "screenshot", None)
    app = create_application(sys.argv[:1])
    data_dir = paths.resolve_data_dir(getattr(args, "data_dir", None))
    try:
        logging_setup.setup_logging(data_dir)
    except OSError as exc:
        sys.stderr.write(f"Folder data {data_dir} tidak bisa ditulisi: {exc.strerror}\n")
        return 1
    logging_setup.install_excepthook()
    messages.register_expected(EntryError, StoreError)
    try:
        context = AppContext.open(data_dir)
    except StoreError as exc:
        from ui.error_dialog import show_message

        log.error("store could not be opened: %s", type(exc).__name__)
        if screenshot:
            sys.stderr.write(f"{exc}\n")
        else:
            show_message("error", str(exc))
        return 1
    runner = TaskRunner()
    try:
        if needs_first_run(context) and not screenshot and not _first_run(context, runner):
            return 0
        from ui.main_window import MainWindow

        # Optional parts (sync status, conflicts) attach right after the first paint, so they do
        # not delay the window; for a screenshot they attach first so they are in the picture.
        window = MainWindow(context, runner, extensions=bool(screenshot))
        if screenshot:
            if getattr(args, "view", "list") == "list":
                window.show_list()
            return _screenshot(app, window, Path(screenshot), getattr(args, "size", "1280x760"))
        window.show()
        QTimer.singleShot(0, window.load_extensions)
        log.info("main window shown after %.2f s", time.perf_counter() - _T0)
        return int(app.exec())
    finally:
        runner.shutdown(wait=True)
        context.close()


def _screenshot(app: Any, window: Any, path: Path, size: str) -> int:
    """Show the window, wait for the list and checks to settle, grab it, save, quit."""
    from PySide6.QtCore import QEventLoop

    w, _, h = size.partition("x")
    window.resize(int(w or 1280), int(h or 760))
    window.show()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        if window.runner.idle and window.entry_list.searches:
            break
    for _ in range(5):  # let pending paints and deferred layouts run
        app.processEvents()
    path.parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(str(path), "PNG")
    window.close()
    if not ok:
        sys.stderr.write(f"Gambar tidak bisa disimpan ke {path}\n")
        return 1
    print(path)
    return 0
