"""Fixtures for the operator UI: a seeded store, the task runner, the main window in Indonesian."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from desktop_app.context import AppContext
from desktop_app.tasks import TaskRunner
from tests.support.household_seed import seed_households


@pytest.fixture
def qapp_id(qapp: QApplication) -> QApplication:
    """The QApplication with the Indonesian translation (the operator's language)."""
    from ui.app import install_translator

    assert install_translator(qapp)
    return qapp


@pytest.fixture
def seeded_dir(data_dir: Path) -> Path:
    seed_households(data_dir)
    return data_dir


@pytest.fixture
def context(seeded_dir: Path) -> Iterator[AppContext]:
    ctx = AppContext.open(seeded_dir)
    yield ctx
    ctx.close()


@pytest.fixture
def runner(qapp_id: QApplication) -> Iterator[TaskRunner]:
    r = TaskRunner()
    yield r
    r.shutdown(wait=True)


@pytest.fixture
def window(qtbot, context: AppContext, runner: TaskRunner):  # type: ignore[no-untyped-def]
    from ui.main_window import MainWindow

    w = MainWindow(context, runner, extensions=False)  # sync/review parts have their own tests
    # Closing asks before discarding a typed form; a test's leftovers are discarded silently.
    qtbot.addWidget(w, before_close_func=lambda win: win.household_screen.new_household())
    w.show()
    qtbot.waitUntil(lambda: w.record_list.searches > 0 and runner.idle, timeout=5000)
    return w
