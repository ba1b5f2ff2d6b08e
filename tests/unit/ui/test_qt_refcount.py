"""Guards the PySide6 pin: PySide6 6.12.0 on Python 3.11 dropped a reference to None on every
void Qt call, and the app aborted ("none_dealloc") after a few thousand calls."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_do_not_eat_references_to_none(qtbot: object) -> None:
    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(5000):
        label.setText("x")
        label.update()
    # Other code may take or drop a few references meanwhile; a leak would be -10000.
    assert sys.getrefcount(None) - before > -100
