"""Size and start-up of the frozen app, beside their targets and the from-source baseline.

    python bench/bench_build.py            # reuse build/frozen/ when it matches the source, else build
    python bench/bench_build.py --rebuild  # always run PyInstaller

Prints the size on disk, the compressed size (.zip and .tar.gz of the app folder) against the
< 60 MB target, and the time from process start to the main window's screenshot (`bansos gui
--screenshot`, QT_QPA_PLATFORM=offscreen, median of --runs) for the frozen app against the
< 2 s target and the same command run from source. The work is build_spec/build.py's; this is
its benchmark entry point, and it exits 1 when a target is missed (or could not be measured).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from build_spec.build import TARGET_COMPRESSED_MB, TARGET_WINDOW_S  # noqa: E402


def missed_targets(fig: dict[str, Any], *, timed: bool) -> list[str]:
    """The targets build.py's figures miss (build.py itself only prints OK / OVER TARGET)."""
    missed = [f"{label} {size:.1f} MB >= {TARGET_COMPRESSED_MB:.0f} MB"
              for label, size in (("zip", fig.get("zip_mb")), ("tar.xz", fig.get("tarxz_mb")))
              if size is not None and size >= TARGET_COMPRESSED_MB]
    if timed:
        if fig.get("window_error") or not fig.get("window_s_frozen"):
            missed.append(f"time to window not measured ({fig.get('window_error') or 'no runs'})")
        elif (fz := statistics.median(fig["window_s_frozen"])) >= TARGET_WINDOW_S:
            missed.append(f"time to window {fz:.2f} s >= {TARGET_WINDOW_S:.0f} s")
    return missed


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rebuild", action="store_true", help="build even when build/frozen/ is fresh")
    ap.add_argument("--runs", type=int, default=3, help="time-to-window runs per variant")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        figures = Path(tmp) / "figures.json"
        cmd = [sys.executable, str(ROOT / "build_spec" / "build.py"), "--runs", str(args.runs), "--json", str(figures)]
        if not args.rebuild:
            cmd.append("--reuse")
        rc = subprocess.run(cmd, cwd=ROOT, check=False).returncode
        if rc != 0 or not figures.is_file():
            print(f"TARGET MISSED: the build failed (exit {rc})")
            return rc or 1
        missed = missed_targets(json.loads(figures.read_text(encoding="utf-8")), timed=args.runs > 0)
    print("targets met" if not missed else f"TARGET MISSED: {'; '.join(missed)}")
    return 0 if not missed else 1


if __name__ == "__main__":
    sys.exit(main())
