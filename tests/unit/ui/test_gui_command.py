"""`bansos gui --screenshot`: the real entry point renders the main window into a PNG."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from desktop_app.cli import build_parser

ROOT = Path(__file__).resolve().parents[3]


def test_gui_subcommand_keeps_the_top_level_data_dir() -> None:
    args = build_parser().parse_args(["--data-dir", "/x", "gui", "--screenshot", "a.png"])
    assert (args.command, args.data_dir, args.screenshot) == ("gui", "/x", "a.png")
    args = build_parser().parse_args(["gui", "--data-dir", "/y"])
    assert args.data_dir == "/y" and args.screenshot is None


@pytest.mark.slow
def test_screenshot_of_the_main_window_with_data(seeded_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "main.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-m", "desktop_app.cli", "gui", "--data-dir", str(seeded_dir),
                           "--screenshot", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1280, 760)
    assert "Traceback" not in proc.stderr
    log = (seeded_dir / "logs" / "bansos.log").read_text(encoding="utf-8")
    assert "Siti" not in log and "1902016311" not in log  # no names or NIK in the log (UU PDP)


def _run_screenshot(data: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """The real `bansos --data-dir D gui --screenshot F`; a hang fails the test through the timeout."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-m", "desktop_app.cli", "--data-dir", str(data), "gui",
                           "--screenshot", str(out)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.slow
def test_screenshot_with_an_unreadable_programmes_file_saves_the_error_the_operator_would_see(
        seeded_dir: Path, tmp_path: Path) -> None:
    (seeded_dir / "programmes.json").write_text("{bukan json", encoding="utf-8")
    out = tmp_path / "shots" / "main.png"
    proc = _run_screenshot(seeded_dir, out)
    assert proc.returncode == 2, proc.stderr  # saved, but it is the error dialog: checks must notice
    assert "programmes.json" in proc.stderr and "Traceback" not in proc.stderr
    img = QImage(str(out))
    assert not img.isNull() and img.width() < 1280  # the error dialog, not an empty main window


@pytest.mark.slow
def test_screenshot_goes_on_when_background_work_fails(seeded_dir: Path, tmp_path: Path) -> None:
    from tests.support.store import raw_data_dir

    # A damaged store: the dusun list, the list's search and the counts (background tasks) fail.
    conn = raw_data_dir(seeded_dir)  # the encrypted store, with its key from the test keyring
    conn.execute("ALTER TABLE households RENAME COLUMN dusun TO dusun_rusak")
    conn.commit()
    conn.close()
    out = tmp_path / "main.png"
    proc = _run_screenshot(seeded_dir, out)
    assert proc.returncode == 0, proc.stderr
    assert (QImage(str(out)).width(), QImage(str(out)).height()) == (1280, 760)
    assert "Traceback" not in proc.stderr and "kesalahan yang tidak terduga" in proc.stderr
    log = (seeded_dir / "logs" / "bansos.log").read_text(encoding="utf-8")
    assert "background task failed" in log and "dusun_rusak" not in proc.stderr


@pytest.mark.slow
def test_screenshot_that_cannot_be_written_exits_non_zero(seeded_dir: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "bukan-folder"
    blocker.write_text("x")
    proc = _run_screenshot(seeded_dir, blocker / "main.png")
    assert proc.returncode == 1
    assert "tidak bisa disimpan" in proc.stderr and "Traceback" not in proc.stderr


def test_screenshot_mode_closes_a_modal_dialog_and_reports_without_dialogs(
        qapp_id, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop_app import messages
    from desktop_app.commands.gui import Headless

    headless = Headless(qapp_id)
    fallback = QTimer()
    fallback.setSingleShot(True)
    try:
        # A part of the app asks a question with exec(): nobody will click in screenshot mode.
        box = QMessageBox(QMessageBox.Icon.Question, "Buang isian", "Buang semua yang sudah diketik?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        box.setObjectName("discardDialog")
        fallback.timeout.connect(box.reject)  # keeps a broken watchdog from hanging the test run
        fallback.start(5000)
        box.exec()
        assert headless.closed == ["discardDialog"] and fallback.isActive()  # the watchdog closed it
        messages.warning("Kolom NIK belum diisi.")  # would be a modal warning in the normal app
        assert QApplication.activeModalWidget() is None
    finally:
        fallback.stop()
        headless.stop()
    assert "Kolom NIK belum diisi." in capsys.readouterr().err
