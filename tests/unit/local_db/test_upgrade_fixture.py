"""Upgrades never lose a village's data.

tests/fixtures/store_v1.sqlite3 was written by the first released schema (version 1; see
tests/fixtures/make_store_v1.py): the demo village between two syncs, with entries in every state,
their audit rows, an unsent outbox and a batch whose send timed out. Every later version of the app
must open it (migrating it) with all of that intact, and a migration that fails must put the file
back as it was and say so in Indonesian.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection

from desktop_app import paths
from desktop_app.cli import main
from desktop_app.context import AppContext
from domain.names import name_key
from domain.states import OpKind
from local_db import cipher, migrations
from local_db.engine import close_store, open_store
from local_db.household_migration import IN_DOUBT_NOTE
from local_db.migrations import SCHEMA_VERSION, Migration, MigrationFailed
from sync.wire import op_wire, validate_op
from tests.support.store import data_dir_key, raw

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "store_v1.sqlite3"
# What the fixture holds (guards against it being regenerated empty).
V1_COUNTS = {"entry": 28, "auditlog": 30, "outbox": 22, "batch": 1, "referencerecipient": 2}
V1_DESA = "1902012003"
# Tables of schema 1 that every later schema keeps, rows and columns unchanged (schema 4 moves the old
# outbox to legacy_outbox and converts the ops; the audit log only grows).
TABLES = {"entry": "record_id", "household": "kk"}
GROWS = {"auditlog": "id"}


def rows_of(path: Path, table: str, key: str, columns: list[str] | None = None,
            db_key: bytes | None = None) -> dict[Any, dict[str, Any]]:
    conn = raw(path, db_key)
    conn.row_factory = cipher.dbapi.Row
    try:
        cols = ", ".join(columns) if columns else "*"
        return {r[key]: dict(r) for r in conn.execute(f"SELECT {cols} FROM {table}")}
    finally:
        conn.close()


@pytest.fixture
def v1_data_dir(tmp_path: Path) -> Path:
    """A data dir whose store is a copy of the v1 fixture (the fixture itself is never written)."""
    d = tmp_path / "data"
    d.mkdir()
    shutil.copyfile(FIXTURE, paths.db_path(d))
    return d


def test_fixture_is_a_v1_store() -> None:
    conn = sqlite3.connect(FIXTURE)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in V1_COUNTS}
    finally:
        conn.close()
    assert counts == V1_COUNTS


def test_current_app_opens_v1_store_with_everything_intact(v1_data_dir: Path) -> None:
    before = {t: rows_of(FIXTURE, t, key) for t, key in (*TABLES.items(), *GROWS.items(), ("outbox", "op_id"))}

    with AppContext.open(v1_data_dir) as ctx:
        assert ctx.desa_code == V1_DESA
        with ctx.engine.connect() as conn:
            version = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
            listed = {r[0] for r in conn.exec_driver_sql("SELECT legacy_entry_id FROM proposals")}

    assert version == SCHEMA_VERSION
    # Every v1 row is still there with every v1 column unchanged, except the derived name_key, which
    # schema 3 recomputes with today's name rules (issue 14).
    for table, key in TABLES.items():
        columns = list(next(iter(before[table].values())).keys())
        after = rows_of(paths.db_path(v1_data_dir), table, key, columns, data_dir_key(v1_data_dir))
        if table == "entry":
            for row in after.values():
                assert row["name_key"] == name_key(row["name"])
            after = {k: {c: v for c, v in r.items() if c != "name_key"} for k, r in after.items()}
            expected = {k: {c: v for c, v in r.items() if c != "name_key"} for k, r in before[table].items()}
            assert after == expected, "table entry changed by the upgrade"
            continue
        assert after == before[table], f"table {table} changed by the upgrade"
    db = paths.db_path(v1_data_dir)
    for table, key in GROWS.items():
        columns = list(next(iter(before[table].values())).keys())
        after = rows_of(db, table, key, columns, data_dir_key(v1_data_dir))
        assert {k: after[k] for k in before[table]} == before[table], f"rows of {table} changed by the upgrade"
    # The old outbox is kept as it was, beside the converted one.
    columns = list(next(iter(before["outbox"].values())).keys())
    assert rows_of(db, "legacy_outbox", "op_id", columns, data_dir_key(v1_data_dir)) == before["outbox"]
    # ... and every entry, deleted ones included, is a proposal of the app.
    assert listed == set(before["entry"])
    # A migration from an older schema leaves a backup of the v1 file.
    if SCHEMA_VERSION > 1:
        assert list(paths.backups_dir(v1_data_dir).glob("*-v1-*"))


def test_unsent_outbox_is_still_sendable_after_upgrade(v1_data_dir: Path) -> None:
    old = rows_of(FIXTURE, "outbox", "op_id")
    with AppContext.open(v1_data_dir) as ctx, ctx.engine.connect() as conn:
        ops = conn.exec_driver_sql(
            "SELECT op_id, record_type, record_id, kind, local_rev, base_version, payload, seq, batch_id "
            "FROM outbox ORDER BY seq").all()
        batch = conn.exec_driver_sql("SELECT op_ids, done_at, last_error FROM batch").one()
    assert [o.seq for o in ops] == sorted(o.seq for o in ops)
    # Every old op still goes out once, under its own id (as the proposal's op).
    assert {o.op_id for o in ops if o.record_type == "proposal"} == set(old)
    assert {o.kind for o in ops} == {str(OpKind.UPSERT), str(OpKind.DELETE)}
    for o in ops:
        validate_op(op_wire(o))  # the protocol-2 wire schema reads every converted op
    # The timed-out batch was closed by the migration and its ops queued again (ADR 0005 step 6).
    assert batch.done_at is not None and batch.last_error == IN_DOUBT_NOTE
    assert all(o.batch_id is None for o in ops)
    assert set(json.loads(batch.op_ids)) <= {o.op_id for o in ops}


def _failing_step(conn: Connection) -> None:
    # A step that damages the file outside its transaction (as a table rebuild or VACUUM would)
    # and then fails: only the backup can bring the data back.
    conn.exec_driver_sql("DELETE FROM outbox")
    conn.exec_driver_sql("DELETE FROM auditlog")
    conn.exec_driver_sql("COMMIT")
    raise RuntimeError("langkah uji gagal")


FAILING = Migration(SCHEMA_VERSION + 1, "langkah uji yang gagal", _failing_step)


def test_failed_migration_restores_the_backup(v1_data_dir: Path) -> None:
    db = paths.db_path(v1_data_dir)
    # Bring the copy to the current schema first, so only the failing step is pending.
    close_store(open_store(db, backup_dir=paths.backups_dir(v1_data_dir)))
    before = {t: rows_of(db, t, key) for t, key in TABLES.items()}

    with pytest.raises(MigrationFailed) as info:
        open_store(db, backup_dir=paths.backups_dir(v1_data_dir), steps=(*migrations.MIGRATIONS, FAILING))
    message = str(info.value)
    assert "gagal" in message and "dikembalikan" in message

    for table, key in TABLES.items():
        assert rows_of(db, table, key) == before[table], f"table {table} not restored"
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    assert list(paths.backups_dir(v1_data_dir).glob(f"*-v{SCHEMA_VERSION}-*"))


def test_failed_migration_tells_the_operator(
    v1_data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the operator sees: an Indonesian message, no traceback, and the data still there."""
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, FAILING))
    assert main(["--data-dir", str(v1_data_dir), "list"]) != 0
    err = capsys.readouterr().err
    assert "Pembaruan basis data lokal" in err and "Hubungi petugas IT" in err
    assert "Traceback" not in err
    monkeypatch.undo()
    with AppContext.open(v1_data_dir) as ctx, ctx.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM proposals").scalar_one() == V1_COUNTS["entry"]
        assert conn.exec_driver_sql("SELECT count(*) FROM legacy_outbox").scalar_one() == V1_COUNTS["outbox"]
