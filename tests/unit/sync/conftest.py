"""Fixtures of the sync unit tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.context import AppContext


@pytest.fixture
def ctx(data_dir: Path) -> Iterator[AppContext]:
    """A real local store of desa 1902012003 (Buluh Tumbang), in this test's data dir."""
    c = AppContext.open(data_dir)
    c.configure(desa_code="1902012003")
    yield c
    c.close()
