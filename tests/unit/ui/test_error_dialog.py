"""No traceback ever reaches the operator: a short Indonesian dialog that names the log file."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from desktop_app import logging_setup
from desktop_app.tasks import Progress, TaskRunner


@pytest.fixture
def log_file(tmp_path: Path, qapp_id):  # type: ignore[no-untyped-def]
    from ui.error_dialog import install_error_presenter, uninstall_error_presenter

    path = logging_setup.setup_logging(tmp_path / "data")
    install_error_presenter()
    old_hook, old_thread_hook = sys.excepthook, threading.excepthook
    logging_setup.install_excepthook()
    yield path
    sys.excepthook, threading.excepthook = old_hook, old_thread_hook
    uninstall_error_presenter()


def capture_dialog(qtbot, texts: list[str]) -> None:  # type: ignore[no-untyped-def]
    def grab() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, grab)
            return
        texts.append(f"{box.windowTitle()}\n{box.text()}")
        box.accept()

    QTimer.singleShot(20, grab)


def check_dialog_text(text: str, log_file: Path) -> None:
    assert "Kesalahan tak terduga" in text
    assert "Terjadi kesalahan yang tidak terduga" in text
    assert str(log_file) in text
    assert "Traceback" not in text and "ZeroDivisionError" not in text and "line " not in text


def test_uncaught_exception_shows_indonesian_dialog_with_log_path(qtbot, log_file: Path) -> None:  # type: ignore[no-untyped-def]
    texts: list[str] = []
    capture_dialog(qtbot, texts)
    try:
        1 / 0  # noqa: B018
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())  # what Python does with an uncaught exception
    qtbot.waitUntil(lambda: bool(texts), timeout=3000)
    check_dialog_text(texts[0], log_file)
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "ZeroDivisionError" in logged


def test_bug_in_a_background_task_shows_the_same_dialog(qtbot, log_file: Path, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    texts: list[str] = []

    def op(_p: Progress) -> float:
        return 1 / 0

    capture_dialog(qtbot, texts)
    runner.query(op)
    qtbot.waitUntil(lambda: bool(texts), timeout=3000)
    check_dialog_text(texts[0], log_file)
    assert "ZeroDivisionError" in log_file.read_text(encoding="utf-8")


@pytest.mark.qt_no_exception_capture  # let the app's own hook see it, as in production
def test_exception_in_a_slot_reaches_the_dialog(qtbot, log_file: Path) -> None:  # type: ignore[no-untyped-def]
    texts: list[str] = []
    capture_dialog(qtbot, texts)

    def broken_slot() -> None:
        raise ZeroDivisionError("boom")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: bool(texts), timeout=3000)
    check_dialog_text(texts[0], log_file)
