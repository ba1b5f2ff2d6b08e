"""Version and build identification (`bansos --version`)."""

from __future__ import annotations

import sys

from domain.version import __version__

# build_spec/build.py rewrites _build_info.py inside the frozen bundle; from source it is "dev".
try:
    from desktop_app._build_info import BUILD  # type: ignore[import-not-found,unused-ignore]
except ImportError:
    BUILD = "dev"


def version_text() -> str:
    frozen = " (frozen)" if getattr(sys, "frozen", False) else ""
    return f"bansos {__version__} build {BUILD}{frozen}"
