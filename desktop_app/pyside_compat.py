"""Work around a PySide6 6.12 bug on Python < 3.12 that aborts the app after a few thousand calls.

PySide6 6.12 returns `None` from every void Qt method without taking a new reference (it assumes
Python 3.12's immortal objects, PEP 683). On Python 3.11 each `label.setText(...)`,
`widget.update()`, `app.processEvents()` ... lowers None's reference count by one, and after a few
thousand calls the interpreter aborts with "Fatal Python error: none_dealloc". Measured here:
100 calls of QLabel.setText -> None's refcount -100.

The fix does what Python 3.12 does: give None (and, to be safe, True/False, which the same code
path could hand out) a reference count so large that no session can run it down. Nothing else
changes. Imported by desktop_app.tasks and ui/__init__ so it is in force before any widget exists.
Remove when the project moves to Python >= 3.12 or to a PySide6 without the bug.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40  # ~1e12 void calls before a problem; a refcount is a Py_ssize_t (63 bits)
_applied = False


def needed() -> bool:
    return sys.implementation.name == "cpython" and sys.version_info < (3, 12)


def apply() -> bool:
    """Make None/True/False effectively immortal on CPython < 3.12; True when it did something."""
    global _applied
    if _applied or not needed():
        return False
    for obj in (None, True, False):
        # ob_refcnt is the first field of every CPython object (non-debug builds).
        ctypes.c_ssize_t.from_address(id(obj)).value += _HEADROOM
    _applied = True
    return True


apply()
