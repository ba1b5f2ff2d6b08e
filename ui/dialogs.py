"""Small dialogs: a required reason (duplicate override, deletion) and a read-only entry view."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)


class ReasonDialog(QDialog):
    """Asks for a reason that must not be empty. Ctrl+Enter or the OK button accepts."""

    def __init__(self, title: str, explanation: str, details: Sequence[str] = (), *,
                 parent: QWidget | None = None, object_name: str = "reasonDialog") -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.resize(520, 320)
        text = QLabel(explanation)
        text.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.addWidget(text)
        for d in details:
            lbl = QLabel(f"• {d}")
            lbl.setWordWrap(True)
            lbl.setStyleSheet("color: #8a5300;")
            lay.addWidget(lbl)
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reasonText")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText(self.tr("Write the reason here (required)."))
        lay.addWidget(self.reason, 1)
        self.hint = QLabel(self.tr("Ctrl+Enter to confirm, Esc to go back."))
        self.hint.setStyleSheet("color: #555;")
        lay.addWidget(self.hint)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        lay.addWidget(self.buttons)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update)
        self._update()
        self.reason.setFocus()

    def _update(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.text()))

    def keyPressEvent(self, event: object) -> None:
        from PySide6.QtGui import QKeyEvent

        if (isinstance(event, QKeyEvent) and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self._accept()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def text(self) -> str:
        return " ".join(self.reason.toPlainText().split())

    def _accept(self) -> None:
        if self.text():
            self.accept()
