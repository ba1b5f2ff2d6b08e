"""Engine factory and opening the store: PRAGMAs, transactions, unclean-shutdown check."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from local_db.engine import StoreDamaged, close_store, make_engine, open_store, quick_check
from local_db.migrations import SCHEMA_VERSION
from tests.support.store import scalar

ROOT = Path(__file__).resolve().parents[3]


def pragmas(engine: object) -> tuple[object, ...]:
    with engine.connect() as conn:  # type: ignore[attr-defined]
        return tuple(conn.exec_driver_sql(f"PRAGMA {p}").scalar()
                     for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout"))


def test_make_engine_touches_nothing_until_used(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    engine = make_engine(path)
    assert not path.exists()
    assert pragmas(engine) == ("wal", 2, 1, 5000)  # synchronous FULL = 2
    engine.dispose()


def test_pragmas_hold_on_every_pooled_connection(tmp_path: Path) -> None:
    engine = open_store(tmp_path / "s.sqlite3")
    conns = [engine.connect() for _ in range(3)]  # three distinct DB-API connections
    try:
        for c in conns:
            assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert c.exec_driver_sql("PRAGMA synchronous").scalar() == 2
            assert c.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    finally:
        for c in conns:
            c.close()
        close_store(engine)


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    from sqlalchemy.exc import IntegrityError

    engine = open_store(tmp_path / "s.sqlite3")
    try:
        with pytest.raises(IntegrityError), engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO entry (record_id, nik, kk, name, name_key, birth_place, birth_date, sex, desa_code, dusun,"
                " rt, rw, address, phone, criteria, programme, notes, warnings, override_reason, deleted, delete_reason,"
                " created_at, updated_at, created_by, updated_by, local_rev, sync_state, server_flags) VALUES ('r1',"
                " '1', 'no-such-kk', 'n', 'n', '', '1985-01-01', 'L', '1', '', '', '', '', '', '', 'PKH', '', '[]', '',"
                " 0, '', '2026-01-01', '2026-01-01', '', '', 1, 'NEW', '[]')")
    finally:
        close_store(engine)


def test_fresh_store_has_the_schema_and_closing_leaves_no_marker(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    engine = open_store(path)
    assert scalar(engine, "PRAGMA user_version") == SCHEMA_VERSION
    assert (tmp_path / "s.sqlite3.open").is_dir()
    close_store(engine)
    assert not (tmp_path / "s.sqlite3.open").exists()


def _die_with_store_open(path: Path) -> None:
    code = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from local_db.engine import open_store
        engine = open_store(__import__('pathlib').Path({str(path)!r}))
        with engine.begin() as c:
            c.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('k', 'v')")
        os._exit(0)  # no close_store: like a crash or a power cut
    """)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_unclean_shutdown_runs_quick_check_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "s.sqlite3"
    _die_with_store_open(path)
    assert list((tmp_path / "s.sqlite3.open").iterdir())  # the marker stayed behind
    with caplog.at_level(logging.WARNING, logger="local_db.engine"):
        engine = open_store(path)
    assert any("quick_check" in r.getMessage() for r in caplog.records)
    assert scalar(engine, "SELECT value FROM meta WHERE key='k'") == "v"  # the committed row survived
    close_store(engine)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="local_db.engine"):
        close_store(open_store(path))
    assert not caplog.records  # clean close: no check next time


def test_a_store_open_in_another_live_process_is_not_taken_for_a_crash(tmp_path: Path,
                                                                      caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "s.sqlite3"
    first = open_store(path)
    try:
        with caplog.at_level(logging.WARNING, logger="local_db.engine"):
            second = open_store(path)
        assert not caplog.records
        close_store(second)
        assert list((tmp_path / "s.sqlite3.open").iterdir())  # the first one's marker is still there
    finally:
        close_store(first)


def test_damaged_file_after_a_crash_is_refused_in_indonesian(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    _die_with_store_open(path)
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # move the tables from the WAL into the file
    con.close()
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) >= 3 * page
    data[page:3 * page] = b"\xff" * (2 * page)  # trash two b-tree pages
    path.write_bytes(bytes(data))
    (tmp_path / "s.sqlite3-wal").unlink(missing_ok=True)
    with pytest.raises(StoreDamaged) as e:
        open_store(path)
    assert "rusak" in str(e.value) and "cadangan" in str(e.value)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreDamaged):
        open_store(path)


def test_quick_check_ok_on_a_healthy_store(tmp_path: Path) -> None:
    engine = open_store(tmp_path / "s.sqlite3")
    try:
        assert quick_check(engine) == ["ok"]
    finally:
        close_store(engine)
