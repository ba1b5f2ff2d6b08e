"""Create .venv and install the project with pinned versions; re-install only when pins change."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"


def _bin(name: str) -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin") / (name + (".exe" if os.name == "nt" else ""))


def run(cmd: list[str], **kw: object) -> int:
    return subprocess.call(cmd, **kw)  # type: ignore[call-overload]


def ensure_venv(extras: str = "") -> Path:
    """Return the venv's python, creating/updating the venv when pyproject or pins changed."""
    py = _bin("python")
    if not py.exists():
        print("Membuat virtual environment .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256()
    for f in ("pyproject.toml", "constraints.txt"):
        digest.update((ROOT / f).read_bytes())
    digest.update(extras.encode())
    stamp = VENV / ".installed"
    if not stamp.exists() or stamp.read_text() != digest.hexdigest():
        print("Memasang dependensi (sekali saja) ...", flush=True)
        target = f".[{extras}]" if extras else "."
        cmds = [
            [str(py), "-m", "pip", "install", "-q", "--upgrade", "pip"],
            [str(py), "-m", "pip", "install", "-q", "-c", "constraints.txt", "-e", target],
        ]
        for cmd in cmds:
            if subprocess.call(cmd, cwd=ROOT) != 0:
                sys.exit("Gagal memasang dependensi; lihat pesan di atas.")
        stamp.write_text(digest.hexdigest())
    return py
