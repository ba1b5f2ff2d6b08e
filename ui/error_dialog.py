"""The dialog an operator sees when a bug reaches the top: short, Indonesian, names the log file.

Never a traceback: the traceback is in the log (desktop_app.logging_setup).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from desktop_app import logging_setup, messages


def error_text(log_path: str) -> str:
    return QCoreApplication.translate(
        "ErrorDialog",
        "Something went wrong that the application did not expect. What was already saved is safe.\n\n"
        "The technical details were written to:\n{path}\n\n"
        "Please give this file to the IT officer.",
    ).format(path=log_path)


def error_box(log_path: str, parent: QWidget | None = None) -> QMessageBox:
    """The unexpected-error dialog, built but not shown (`bansos gui --screenshot` grabs it instead)."""
    box = QMessageBox(parent or QApplication.activeWindow())
    box.setObjectName("unexpectedErrorDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("ErrorDialog", "Unexpected error"))
    box.setText(error_text(log_path))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def show_error_dialog(log_path: str, parent: QWidget | None = None) -> None:
    error_box(log_path, parent).exec()


def message_box(kind: str, text: str, parent: QWidget | None = None) -> QMessageBox:
    """A warning ("warning") or error ("error") dialog, built but not shown."""
    box = QMessageBox(parent or QApplication.activeWindow())
    box.setObjectName(f"{kind}MessageDialog")
    if kind == "error":
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(QCoreApplication.translate("ErrorDialog", "Error"))
    else:
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(QCoreApplication.translate("ErrorDialog", "Attention"))
    box.setText(text)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def show_message(kind: str, text: str, parent: QWidget | None = None) -> None:
    """Warnings and errors sent through the message bridge."""
    message_box(kind, text, parent).exec()


def _show_warning(text: str) -> None:
    show_message("warning", text)


def _show_error(text: str) -> None:
    show_message("error", text)


_installed = False


def install_error_presenter() -> None:
    """Route crashes, warnings and errors to dialogs through the bridge (queued: any thread may report)."""
    global _installed
    if _installed:
        return
    b = messages.bridge()
    b.crashed.connect(show_error_dialog)
    b.warning.connect(_show_warning)
    b.error.connect(_show_error)
    logging_setup.set_error_presenter(b.crashed.emit)
    _installed = True


def installed() -> bool:
    """True while bridge messages are shown as dialogs."""
    return _installed


def uninstall_error_presenter() -> None:
    """Tests: stop showing dialogs for bridge messages."""
    global _installed
    if not _installed:
        return
    b = messages.bridge()
    b.crashed.disconnect(show_error_dialog)
    b.warning.disconnect(_show_warning)
    b.error.disconnect(_show_error)
    logging_setup.set_error_presenter(None)
    _installed = False
