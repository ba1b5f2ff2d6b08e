"""Fixtures for server unit tests: a fresh SQLite file per test behind a TestClient."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from server import db
from tests.support.serverapp import Api, make_api


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = db.make_engine(f"sqlite:///{tmp_path / 'server.db'}")
    db.create_all(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def api(engine: Engine) -> Iterator[Api]:
    yield from make_api(engine)
