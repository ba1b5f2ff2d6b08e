"""Helpers for tests that need a real local store or a service on one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from desktop_app.services.entries import EntryService
from local_db import cipher
from local_db.engine import close_store, open_store

DESA = "1902012003"
# The key of the stores these helpers open: like the app's, the store is SQLCipher-encrypted.
TEST_KEY = bytes.fromhex("5e" * 32)


def entry(**over: Any) -> dict[str, Any]:
    """A valid entry dict (Siti Aminah, Tanjungpandan), with overrides."""
    d: dict[str, Any] = {
        "nik": "1902015708850001", "kk": "1902010101100001", "name": "Siti Aminah", "birth_date": "1985-08-17",
        "sex": "P", "desa_code": DESA, "programme": "PKH", "address": "Jl. Merdeka 1",
    }
    d.update(over)
    return d


@contextmanager
def store(path: Path, key: bytes | None = TEST_KEY) -> Iterator[Engine]:
    engine = open_store(path, key=key)
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


def raw(path: Path, key: bytes | None = TEST_KEY, **kw: Any) -> Any:
    """A DB-API connection on a store file, keyed like the store (the app's SQLite library, sqlcipher3).

    Tests look into or hold a store through this, never the stdlib sqlite3: two SQLite libraries in one
    process do not see each other's POSIX locks.
    """
    return cipher.connect(path, key, **kw)


def data_dir_key(data_dir: Path) -> bytes:
    """The store key of an app data dir (from the test keyring, as the app gets it)."""
    from desktop_app import paths, store_key

    return store_key.unlock(paths.db_path(data_dir), create=False).key


def raw_data_dir(data_dir: Path, **kw: Any) -> Any:
    """A DB-API connection on an app data dir's (encrypted) store."""
    from desktop_app import paths

    return raw(paths.db_path(data_dir), data_dir_key(data_dir), **kw)
