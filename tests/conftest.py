"""Shared fixtures: a fresh SQLite file per test, an in-memory keyring, offscreen Qt."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh data directory (the desktop app's --data-dir) for one test."""
    d = tmp_path / "data"
    d.mkdir()
    return d


@pytest.fixture(autouse=True)
def memory_keyring(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test ever touches a real keychain: a fresh test keyring per test, which the test's own
    `bansos` subprocesses share (through PYTHON_KEYRING_BACKEND), as one PC's processes share its OS
    keyring. A test that wants a keyring-less box sets PYTHON_KEYRING_BACKEND to the fail backend."""
    import keyring

    from tests.support.memory_keyring import FileKeyring

    path = tmp_path_factory.mktemp("keyring") / "keyring.json"
    monkeypatch.setenv(FileKeyring.ENV, str(path))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", f"{FileKeyring.__module__}.{FileKeyring.__qualname__}")
    previous = keyring.get_keyring()
    keyring.set_keyring(FileKeyring(str(path)))
    yield
    keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def restore_root_logging() -> Iterator[None]:
    """Commands run in-process point the root logger at their data dir's log file (and INFO);
    put it back so one test's logging setup never leaks into the next."""
    import logging

    from desktop_app import logging_setup

    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    for h in root.handlers:
        if h not in handlers:
            root.removeHandler(h)
            h.close()
    root.setLevel(level)
    if logging_setup._handler not in handlers:
        logging_setup._handler = None  # closed above: must not be reused
