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
