"""user_version migrations: schema on a fresh file, backup before migrating, restore on failure."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Connection, inspect

from local_db.engine import close_store, open_store
from local_db.migrations import MIGRATIONS, SCHEMA_VERSION, Migration, MigrationFailed, local_tables
from tests.support.store import entry, scalar, service


# SQLAlchemy cannot reflect the expression index on the NIK's date (local_db/matcher_migration.py);
# tests/unit/local_db/test_matcher_migration.py checks that one.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index ix_entry_nik_date")
def test_fresh_store_matches_the_models(tmp_path: Path) -> None:
    engine = open_store(tmp_path / "s.sqlite3")
    try:
        insp = inspect(engine)
        for table in local_tables():
            cols = {c["name"] for c in insp.get_columns(table.name)}
            assert cols == {c.name for c in table.columns}, table.name
            # Every index the models declare exists: a model change without a migration step fails here.
            indexes = {(i["name"], tuple(i["column_names"])) for i in insp.get_indexes(table.name)}
            declared = {(i.name, tuple(c.name for c in i.columns)) for i in table.indexes}
            assert declared <= indexes, table.name
        entry_indexes = {i["name"] for i in insp.get_indexes("entry")}
        assert {"ix_entry_nik", "ix_entry_kk_programme", "ix_entry_birth_date"} <= entry_indexes
        assert scalar(engine, "PRAGMA user_version") == SCHEMA_VERSION == MIGRATIONS[-1].version
    finally:
        close_store(engine)
    assert not (tmp_path / "backups").exists()  # nothing to back up on a new file


def test_reopening_an_up_to_date_store_takes_no_backup(tmp_path: Path) -> None:
    close_store(open_store(tmp_path / "s.sqlite3"))
    close_store(open_store(tmp_path / "s.sqlite3"))
    assert not (tmp_path / "backups").exists()


def _add_column(conn: Connection) -> None:
    conn.exec_driver_sql("ALTER TABLE entry ADD COLUMN extra TEXT NOT NULL DEFAULT 'x'")


def _half_then_fail(conn: Connection) -> None:
    conn.exec_driver_sql("ALTER TABLE entry ADD COLUMN extra TEXT")
    conn.exec_driver_sql("UPDATE entry SET name = 'RUSAK'")
    raise RuntimeError("step 2 is broken")


def _store_with_one_entry(path: Path) -> str:
    engine = open_store(path)
    try:
        return service(engine).save(entry()).record_id
    finally:
        close_store(engine)


def test_migration_takes_a_backup_first_and_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    rid = _store_with_one_entry(path)
    steps = (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, "kolom tambahan", _add_column))
    engine = open_store(path, steps=steps)
    try:
        assert scalar(engine, "PRAGMA user_version") == SCHEMA_VERSION + 1
        assert scalar(engine, "SELECT extra FROM entry WHERE record_id = ?", rid) == "x"
    finally:
        close_store(engine)
    backups = list((tmp_path / "backups").iterdir())
    assert len(backups) == 1 and f"v{SCHEMA_VERSION}" in backups[0].name
    con = sqlite3.connect(backups[0])
    try:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert con.execute("SELECT name FROM entry").fetchall() == [("Siti Aminah",)]
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()


def test_failed_migration_restores_the_file_and_says_so_in_indonesian(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    _store_with_one_entry(path)
    steps = (*MIGRATIONS, Migration(SCHEMA_VERSION + 1, "kolom rusak", _half_then_fail))
    with pytest.raises(MigrationFailed) as e:
        open_store(path, steps=steps)
    assert "gagal" in str(e.value) and "dikembalikan" in str(e.value)
    assert "backups" in str(e.value)
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert con.execute("SELECT name FROM entry").fetchall() == [("Siti Aminah",)]
        assert "extra" not in {r[1] for r in con.execute("PRAGMA table_info(entry)")}
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()
    # The app of this version still opens it.
    close_store(open_store(path))


def test_a_store_from_a_newer_app_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    close_store(open_store(path))
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version={SCHEMA_VERSION + 5}")
    con.commit()
    con.close()
    with pytest.raises(MigrationFailed) as e:
        open_store(path)
    assert "lebih baru" in str(e.value)
