"""Helpers for tests that need a real local store or a service on one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from desktop_app.services.entries import EntryService
from local_db.engine import close_store, open_store

DESA = "1902012003"


def entry(**over: Any) -> dict[str, Any]:
    """A valid entry dict (Siti Aminah, Tanjungpandan), with overrides."""
    d: dict[str, Any] = {
        "nik": "1902015708850001", "kk": "1902010101100001", "name": "Siti Aminah", "birth_date": "1985-08-17",
        "sex": "P", "desa_code": DESA, "programme": "PKH", "address": "Jl. Merdeka 1",
    }
    d.update(over)
    return d


@contextmanager
def store(path: Path) -> Iterator[Engine]:
    engine = open_store(path)
    try:
        yield engine
    finally:
        close_store(engine)


def service(engine: Engine, **kw: Any) -> EntryService:
    kw.setdefault("operator", "Operator Uji")
    kw.setdefault("device_id", "dev-00000001")
    kw.setdefault("desa_code", None)
    return EntryService(engine, **kw)


def scalar(engine: Engine, sql: str, *params: Any) -> Any:
    with engine.connect() as conn:
        return conn.exec_driver_sql(sql, params).scalar()
