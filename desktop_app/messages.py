"""The message bridge: logic reports to the operator without touching widgets.

Services, background tasks and the sync engine call `messages.info/warning/error(text)`; the main
window connects the bridge's signals to its status bar and dialogs. Signals emitted from a worker
thread are queued to the GUI thread by Qt, so any thread may call these functions.

Texts are already in Bahasa Indonesia (they come from domain/ or services). Which failures are
expected is decided by `user_message`: a KnownError (domain/errors.py) is, anything else is a bug.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from domain import errors


class MessageBridge(QObject):
    info = Signal(str)  # passing note: the status bar
    warning = Signal(str)  # needs attention: a dialog
    error = Signal(str)  # something failed: a dialog
    crashed = Signal(str)  # a bug: the UI shows the short error dialog; the text is the log path

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Kept for tests and for the status bar's tooltip: the last few messages, newest last.
        self.history: list[tuple[str, str]] = []

    def _record(self, level: str, text: str) -> None:
        self.history.append((level, text))
        del self.history[:-50]


_bridge: MessageBridge | None = None


def bridge() -> MessageBridge:
    """The process-wide bridge (created on first use, in the GUI thread)."""
    global _bridge
    if _bridge is None:
        _bridge = MessageBridge()
    return _bridge


def info(text: str) -> None:
    b = bridge()
    b._record("info", text)
    b.info.emit(text)


def warning(text: str) -> None:
    b = bridge()
    b._record("warning", text)
    b.warning.emit(text)


def error(text: str) -> None:
    b = bridge()
    b._record("error", text)
    b.error.emit(text)


def user_message(exc: BaseException) -> str | None:
    """The operator-facing text of an expected error, or None when `exc` is a bug.

    Decided by type alone (design.md §2): a `domain.errors.KnownError` carries its Indonesian text;
    anything else is a bug, logged with its traceback and shown as the short error dialog.
    """
    return errors.user_message(exc)
