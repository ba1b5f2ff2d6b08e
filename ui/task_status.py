"""A status line with a "Coba lagi" button for one screen's TaskGroup (desktop_app.tasks).

What runs ("Memuat kotak masuk…") and what failed ("… gagal. Server tidak bisa dihubungi …") show
in the line; the button appears while something can be retried and repeats exactly what failed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop_app.tasks import TaskGroup

ERROR_CSS = "color: #b3261e"


class TaskStatusLine(QWidget):
    def __init__(self, tasks: TaskGroup, parent: QWidget | None = None, *, name: str = "taskStatus") -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.label = QLabel("")
        self.label.setObjectName(name)
        self.label.setWordWrap(True)
        self.retry_button = QPushButton("Coba lagi")
        self.retry_button.setObjectName(f"{name}Retry")
        self.retry_button.setVisible(False)
        self.retry_button.clicked.connect(tasks.retry)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.retry_button)
        tasks.started.connect(lambda label: self.say(f"{label}…"))
        tasks.failed.connect(lambda text: self.say(text, error=True))
        tasks.retry_changed.connect(self.retry_button.setVisible)

    def say(self, text: str, *, error: bool = False) -> None:
        self.label.setText(text)
        self.label.setStyleSheet(ERROR_CSS if error else "")
