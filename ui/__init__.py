"""Qt widgets, dialogs and item models of the desktop app (no SQL, no HTTP)."""

from desktop_app import pyside_compat

pyside_compat.apply()  # PySide6 6.12 on Python 3.11: see desktop_app/pyside_compat.py
