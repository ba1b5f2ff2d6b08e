"""The ingest, duplicate and review tests again, on PostgreSQL (the production path).

Each test gets a fresh schema; without a reachable server the tests skip with the reason.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from server import db
from tests.support.pg import fresh_schema_url

pytestmark = pytest.mark.postgres
_HERE = Path(__file__).parent


def _load(path: str) -> object:
    name = Path(path).stem
    spec = importlib.util.spec_from_file_location(f"_pg_{name}", _HERE / path)
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses defined in the module look themselves up there
    spec.loader.exec_module(mod)
    return mod


_MODULES = (
    "services/test_ingest.py",
    "services/test_duplicates.py",
    "routes/test_review.py",
    "services/test_review_versions.py",
    "services/test_changes.py",
    "routes/test_bad_input.py",
)
for _path in _MODULES:
    _mod = _load(_path)
    for _attr, _fn in vars(_mod).items():
        if _attr.startswith("test_") and callable(_fn):
            globals()[f"{_attr}__pg"] = _fn


@pytest.fixture
def engine() -> Iterator[Engine]:
    with fresh_schema_url() as url:
        eng = db.make_engine(url)
        db.create_all(eng)
        yield eng
        eng.dispose()
