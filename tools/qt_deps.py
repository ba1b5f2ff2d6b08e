"""Find the system libraries Qt's platform plugin needs and install them (Debian/Ubuntu) or say how.

PySide6 wheels bring Qt itself but not the X11/EGL/fontconfig libraries it links against; on a fresh
Debian machine Qt then stops with an English "xcb-cursor0 ... is needed". `tools/run_app.py` calls
`ensure_qt_libraries()` before starting the app: as root with apt-get the missing packages are
installed, otherwise the one command to run is printed (English and Indonesian, as the README).

Detection runs `ldd` on the platform plugin that will be used (xcb for a window, offscreen for
`--screenshot` without a screen), so it reports exactly what is missing on this machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

# Sonames whose Debian package name does not follow the usual rule (see `debian_package`).
_EXCEPTIONS = {
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libgobject-2.0.so.0": "libglib2.0-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libOpenGL.so.0": "libopengl0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libfreetype.so.6": "libfreetype6",
    "libpng16.so.16": "libpng16-16",
    "libz.so.1": "zlib1g",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found\s*$")
_SONAME = re.compile(r"^(lib[A-Za-z0-9_.+-]+?)\.so\.([0-9]+)$")


def missing_sonames(ldd_output: str) -> list[str]:
    """The libraries `ldd` could not resolve, each once, in the order seen."""
    seen: list[str] = []
    for line in ldd_output.splitlines():
        m = _NOT_FOUND.match(line)
        if m and m.group(1) not in seen:
            seen.append(m.group(1))
    return seen


def debian_package(soname: str) -> str:
    """The Debian/Ubuntu package that ships `soname` (Debian's library package naming policy).

    libxcb-cursor.so.0 -> libxcb-cursor0; libxkbcommon-x11.so.0 -> libxkbcommon-x11-0 (a name that
    ends in a digit takes a hyphen before the version); libdbus-1.so.3 -> libdbus-1-3.
    """
    if soname in _EXCEPTIONS:
        return _EXCEPTIONS[soname]
    m = _SONAME.match(soname)
    if not m:
        return soname
    name, version = m.group(1).lower().replace("_", "-"), m.group(2)
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def install_command(packages: list[str], *, as_root: bool) -> list[str]:
    cmd = ["apt-get", "install", "-y", *packages]
    return cmd if as_root else ["sudo", *cmd]


def advice(packages: list[str]) -> str:
    """The message for a user who must install the packages themselves (English, then Indonesian)."""
    cmd = " ".join(install_command(packages, as_root=False))
    return (
        "Qt needs system libraries that are missing on this machine. Run:\n"
        f"    {cmd}\n"
        "then start the app again.\n"
        "Qt memerlukan pustaka sistem yang belum terpasang di komputer ini. Jalankan:\n"
        f"    {cmd}\n"
        "lalu jalankan aplikasi lagi."
    )


def plugin_files(pyside_dir: Path, platform: str) -> list[Path]:
    plugin = pyside_dir / "Qt" / "plugins" / "platforms" / f"libq{platform}.so"
    return [plugin] if plugin.exists() else []


def missing_packages(pyside_dir: Path, platform: str) -> list[str]:
    """Debian packages to install so Qt's `platform` plugin loads; [] when nothing is missing."""
    if not sys.platform.startswith("linux") or not shutil.which("ldd"):
        return []
    packages: list[str] = []
    for f in plugin_files(pyside_dir, platform):
        out = subprocess.run(["ldd", str(f)], capture_output=True, text=True, check=False).stdout
        for so in missing_sonames(out):
            pkg = debian_package(so)
            if pkg not in packages:
                packages.append(pkg)
    return packages


def pyside_dir(python: Path) -> Path | None:
    """Where the venv's PySide6 package lives (found without importing Qt, which may not load yet)."""
    code = ("import importlib.util as u; s = u.find_spec('PySide6'); "
            "print(s.submodule_search_locations[0] if s and s.submodule_search_locations else '')")
    out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False).stdout.strip()
    return Path(out) if out else None


def ensure_qt_libraries(python: Path, platform: str) -> bool:
    """Install what Qt's plugin lacks when we can (root + apt-get), else print how. True when usable."""
    where = pyside_dir(python)
    if where is None:
        return True
    packages = missing_packages(where, platform)
    if not packages:
        return True
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if as_root and shutil.which("apt-get"):
        print("Memasang pustaka sistem untuk Qt: " + " ".join(packages), flush=True)
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        ok = subprocess.call(["apt-get", "update", "-qq"], env=env) == 0
        ok = ok and subprocess.call([*install_command(packages, as_root=True), "-qq"], env=env) == 0
        if ok and not missing_packages(where, platform):
            return True
    print(advice(packages), file=sys.stderr, flush=True)
    return False


if __name__ == "__main__":  # python3 tools/qt_deps.py [platform]: list what is missing
    here = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "python"
    d = pyside_dir(here)
    print(" ".join(missing_packages(d, sys.argv[1] if len(sys.argv) > 1 else "xcb")) if d else "")
