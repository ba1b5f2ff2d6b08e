"""Fixtures for the composition root's tests: the background-task runner on a plain QApplication."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from desktop_app.tasks import TaskRunner


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.shutdown(wait=True)
