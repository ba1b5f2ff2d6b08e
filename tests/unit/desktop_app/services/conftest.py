"""Fixtures for the desktop services: a fresh local store per test and an EntryService on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from desktop_app.services.entries import EntryService
from tests.support.store import service, store


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with store(tmp_path / "s.sqlite3") as e:
        yield e


@pytest.fixture
def svc(engine: Engine) -> EntryService:
    return service(engine)
