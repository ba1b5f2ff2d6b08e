"""The main window with its real extensions (sync status, conflicts, review) and its start-up work."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from desktop_app import paths
from desktop_app.backup import DAILY_PREFIX, summarize
from desktop_app.context import AppContext
from desktop_app.tasks import TaskRunner
from tests.support.seed import DESA


def _today_backup(data_dir: Path) -> Path:
    return paths.backups_dir(data_dir) / f"{DAILY_PREFIX}{date.today().isoformat()}.sqlite3"


def test_review_login_is_in_the_sync_menu_of_a_real_window(
        qtbot, context: AppContext, runner: TaskRunner, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    from ui.main_window import EXTENSIONS, MainWindow
    from ui.review import ReviewController

    names = [name for name, _attach in EXTENSIONS]
    assert names[:2] == ["ui.sync_status", "ui.conflict_view"] and "ui.review" in names
    caplog.set_level(logging.INFO)
    w = MainWindow(context, runner)  # extensions load as in `bansos`
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.record_list.searches > 0 and runner.idle, timeout=5000)

    texts = [a.text().replace("&", "") for a in w.menu("sync").actions() if not a.isSeparator()]
    assert "Masuk sebagai peninjau kecamatan…" in texts
    assert "Sinkronkan sekarang" in " ".join(texts)  # the sync part is still there beside it
    assert not any("belum diatur" in t for t in texts)  # the placeholder went away
    review = next(e for e in w.extensions if isinstance(e, ReviewController))
    assert not review.logout_action.isEnabled()  # no reviewer session: the operator's window as usual
    assert w.stack.currentIndex() == 0 and w.stack.count() == 1

    # Its shortcut opens the reviewer login; Esc goes back to the operator's window.
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in w.findChildren(QDialog)), timeout=3000)
    dlg = next(d for d in w.findChildren(QDialog) if d.isVisible())
    assert dlg.objectName() == "reviewLoginDialog"
    qtbot.wait(50)
    qtbot.keyClick(dlg.focusWidget() or dlg, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)

    # Shutdown: the window closes without asking, the runner stops, nothing was logged as broken.
    w.close()
    runner.shutdown(wait=True)
    broken = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert broken == [], [r.getMessage() for r in broken]
    assert QApplication.activeModalWidget() is None


def test_opening_the_main_window_makes_todays_backup(window, context: AppContext, runner: TaskRunner,  # type: ignore[no-untyped-def]
                                                     qtbot) -> None:
    target = _today_backup(context.data_dir)
    qtbot.waitUntil(target.exists, timeout=10000)
    qtbot.waitUntil(lambda: runner.idle, timeout=5000)
    copy = summarize(target, context.store_key)  # a whole store (encrypted alike), same desa and entries
    assert copy.desa_code == DESA
    assert copy.members == summarize(context.db_path, context.store_key).members > 0
    assert window.backup_task is not None and window.backup_task.done


def test_a_failed_daily_backup_leaves_the_window_working(qtbot, context: AppContext, runner: TaskRunner,  # type: ignore[no-untyped-def]
                                                         caplog: pytest.LogCaptureFixture) -> None:
    from ui.main_window import MainWindow

    paths.backups_dir(context.data_dir).write_text("not a folder")  # the copy cannot be written
    caplog.set_level(logging.INFO)
    w = MainWindow(context, runner, extensions=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.backup_task is not None and w.backup_task.done, timeout=10000)
    assert any(r.getMessage() == "daily backup failed" for r in caplog.records)
    assert QApplication.activeModalWidget() is None  # no dialog for the operator
    qtbot.keyClicks(w.household_screen.kk, "1902")
    assert w.household_screen.kk.text().startswith("1902")  # still typing as usual
    w.household_screen.new_household()


def test_no_backup_when_the_window_is_only_a_picture(qtbot, context: AppContext, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    w = MainWindow(context, runner, extensions=False, auto_backup=False)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.record_list.searches > 0 and runner.idle, timeout=5000)
    qtbot.wait(200)
    assert w.backup_task is None and not _today_backup(context.data_dir).exists()


def test_a_broken_extension_is_skipped_and_the_others_still_attach(
        qtbot, context: AppContext, runner: TaskRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
        caplog: pytest.LogCaptureFixture) -> None:
    import ui.main_window as mw
    from ui import review
    from ui.review import ReviewController

    def attach_fails(window: object) -> None:
        raise ValueError("rusak")

    monkeypatch.setattr(mw, "EXTENSIONS", (("bansos_ext_attach_fails", attach_fails), ("ui.review", review.attach)))
    caplog.set_level(logging.INFO)
    w = mw.MainWindow(context, runner, auto_backup=False)
    qtbot.addWidget(w)
    w.show()
    assert any(isinstance(e, ReviewController) for e in w.extensions)
    logged = " ".join(r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR)
    assert "bansos_ext_attach_fails failed to attach" in logged
    assert QApplication.activeModalWidget() is None


def test_screens_are_imported_explicitly_so_an_import_error_is_not_hidden() -> None:
    """No plugin loading by name: the entry point imports every screen, so a broken screen fails at start
    (and in this test) instead of being skipped with a log line while the window opens without it."""
    import ast
    import inspect

    import ui.main_window as mw
    from ui import conflict_view, review, sync_status

    assert [attach for _name, attach in mw.EXTENSIONS] == [sync_status.attach, conflict_view.attach, review.attach]
    tree = ast.parse(inspect.getsource(mw))
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert "importlib" not in imported
