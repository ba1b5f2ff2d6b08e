"""Size and start-up of the frozen app, beside their targets and the from-source baseline.

    python bench/bench_build.py            # reuse build/frozen/ when it matches the source, else build
    python bench/bench_build.py --rebuild  # always run PyInstaller

Prints the size on disk, the compressed size (.zip and .tar.gz of the app folder) against the
< 60 MB target, and the time from process start to the main window's screenshot (`bansos gui
--screenshot`, QT_QPA_PLATFORM=offscreen, median of --runs) for the frozen app against the
< 2 s target and the same command run from source. The work is build_spec/build.py's; this is
its benchmark entry point.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rebuild", action="store_true", help="build even when build/frozen/ is fresh")
    ap.add_argument("--runs", type=int, default=3, help="time-to-window runs per variant")
    args = ap.parse_args()
    cmd = [sys.executable, str(ROOT / "build_spec" / "build.py"), "--runs", str(args.runs)]
    if not args.rebuild:
        cmd.append("--reuse")
    return subprocess.run(cmd, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
