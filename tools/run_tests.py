#!/usr/bin/env python3
"""Set up the virtual environment (first run only) and run the whole check: ruff, mypy, pytest.

Usage: python3 tools/run_tests.py [pytest args...]
Only python3 is needed; everything else is installed into .venv from PyPI.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from venv_setup import ROOT, ensure_venv, run


def main() -> int:
    py = ensure_venv(extras="dev")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    steps = [
        [str(py), "-m", "ruff", "check", "."],
        [str(py), "-m", "mypy"],
        [str(py), "-m", "pytest", *sys.argv[1:]],
    ]
    for cmd in steps:
        print("+", " ".join(cmd[2:]), flush=True)
        rc = run(cmd, cwd=ROOT, env=env)
        if rc != 0:
            print(f"FAILED: {' '.join(cmd[2:])} (exit {rc})", flush=True)
            return rc
    return 0


if __name__ == "__main__":
    sys.exit(main())
