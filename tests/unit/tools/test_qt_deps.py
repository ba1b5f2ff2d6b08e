"""tools/qt_deps.py: what `python3 tools/run_app.py` finds missing for Qt, and what it tells the user."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _load():  # tools/ is not a package: load the script as a module
    spec = importlib.util.spec_from_file_location("qt_deps", ROOT / "tools" / "qt_deps.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


qt_deps = _load()

# What ldd printed for PySide6 6.11's xcb plugin on a fresh Debian 12 (abridged).
LDD_FRESH_DEBIAN = """\
\tlinux-vdso.so.1 (0x00007ffd3d5f2000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f1)
\tlibxcb-cursor.so.0 => not found
\tlibxkbcommon-x11.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibEGL.so.1 => not found
\tlibglib-2.0.so.0 => not found
\tlibdbus-1.so.3 => not found
\tlibxcb-cursor.so.0 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f2)
"""


def test_missing_sonames_lists_each_unresolved_library_once() -> None:
    assert qt_deps.missing_sonames(LDD_FRESH_DEBIAN) == [
        "libxcb-cursor.so.0", "libxkbcommon-x11.so.0", "libxcb-icccm.so.4", "libEGL.so.1",
        "libglib-2.0.so.0", "libdbus-1.so.3",
    ]
    assert qt_deps.missing_sonames("\tlibc.so.6 => /lib/libc.so.6 (0x1)\n") == []


@pytest.mark.parametrize(("soname", "package"), [
    ("libxcb-cursor.so.0", "libxcb-cursor0"),      # the one Qt names in its English error
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),  # name ends in a digit: hyphen before the version
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libdbus-1.so.3", "libdbus-1-3"),
    ("libfontconfig.so.1", "libfontconfig1"),
    ("libEGL.so.1", "libegl1"),
    ("libglib-2.0.so.0", "libglib2.0-0"),
])
def test_debian_package_names(soname: str, package: str) -> None:
    assert qt_deps.debian_package(soname) == package


def test_advice_gives_one_command_in_both_languages() -> None:
    text = qt_deps.advice(["libxcb-cursor0", "libegl1"])
    cmd = "sudo apt-get install -y libxcb-cursor0 libegl1"
    assert text.count(cmd) == 2
    assert "Qt needs system libraries" in text and "Qt memerlukan pustaka sistem" in text
    assert qt_deps.install_command(["libegl1"], as_root=True) == ["apt-get", "install", "-y", "libegl1"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ldd-based detection is for Linux")
def test_real_offscreen_plugin_needs_nothing_after_ci_setup() -> None:
    """.ci/run installs the offscreen plugin's libraries: detection on the real plugin must find none."""
    where = qt_deps.pyside_dir(Path(sys.executable))
    assert where is not None and qt_deps.plugin_files(where, "offscreen")
    assert qt_deps.missing_packages(where, "offscreen") == []
