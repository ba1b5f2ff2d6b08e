"""Upgrade from the plain store of the previous release (issue 17, "Must show"): the first open encrypts
it in place with every record, audit row and unsent op intact, leaves no plain copy behind (old plain
backups included), and the unsent work then reaches a real server process exactly once.

The same open also moves the entries into households, members and proposals (schema 4, ADR 0005): the
old tables stay unchanged beside the new ones, the old outbox is kept in legacy_outbox, and every old op
goes out under its own id (as its proposal's op, after the household and member ops it needs)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from desktop_app import paths
from desktop_app.context import AppContext
from desktop_app.services.sync_service import SyncService
from domain.names import name_key
from local_db import cipher
from tests.support.serverproc import PASSWORD, ServerProcess
from tests.support.store import data_dir_key, raw
from tests.support.sync_fixtures import module_server, server_db_of

pytestmark = pytest.mark.slow

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "store_v1.sqlite3"
TABLES = {"entry": "record_id", "household": "kk"}  # kept unchanged by every later schema
GROWS = {"auditlog": "id"}  # old rows unchanged; the migration adds its MIGRATE rows
OLD_DAILY = "bansos-harian-2026-11-21.sqlite3"


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    yield from module_server(tmp_path_factory, "upgradesrv")


@pytest.fixture(scope="module")
def server_db(srv: ServerProcess) -> Iterator[Engine]:
    yield from server_db_of(srv)


def _without(rows: dict[str, dict[str, Any]], column: str) -> dict[str, dict[str, Any]]:
    return {k: {c: v for c, v in r.items() if c != column} for k, r in rows.items()}


def rows_of(path: Path, table: str, key_col: str, key: bytes | None,
            columns: list[str] | None = None) -> dict[Any, dict[str, Any]]:
    conn = raw(path, key)
    conn.row_factory = cipher.dbapi.Row
    try:
        cols = ", ".join(columns) if columns else "*"
        return {r[key_col]: dict(r) for r in conn.execute(f"SELECT {cols} FROM {table}")}
    finally:
        conn.close()


def test_plain_v1_store_is_encrypted_on_first_open_and_its_unsent_work_syncs_once(
    tmp_path: Path, srv: ServerProcess, server_db: Engine
) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    db = paths.db_path(data_dir)
    shutil.copyfile(FIXTURE, db)
    paths.backups_dir(data_dir).mkdir()
    shutil.copyfile(FIXTURE, paths.backups_dir(data_dir) / OLD_DAILY)  # the old release's daily copy
    before = {t: rows_of(FIXTURE, t, k, None) for t, k in (*TABLES.items(), *GROWS.items(), ("outbox", "op_id"))}
    secrets = [v.encode() for e in before["entry"].values() for v in (e["nik"], e["kk"], e["name"])]
    unsent = set(before["outbox"])
    assert len(unsent) == 22

    with AppContext.open(data_dir) as ctx:
        assert ctx.new_recovery_code  # the upgrade made the store key: shown once
        key = ctx.store_key
        # Every file of the data dir: no plain header, no NIK/KK/name; no plain leftover of the swap.
        files = sorted(p for p in data_dir.rglob("*.sqlite3*") if p.is_file() and not p.name.endswith((".json", "-shm")))
        assert {p.name for p in files} >= {"bansos.sqlite3", OLD_DAILY}
        assert not [p for p in files if p.name.endswith((".plain-old", ".encrypting"))]
        for f in files:
            data = f.read_bytes()
            assert not data.startswith(b"SQLite format 3\x00"), f.name
            assert not [s for s in secrets if s in data], f"{f.name} holds plain personal data"

    assert key is not None and key == data_dir_key(data_dir)
    # Every v1 row is still there with every v1 column unchanged (the schema migration ran as well).
    for table, k in TABLES.items():
        columns = list(next(iter(before[table].values())).keys())
        after = rows_of(db, table, k, key, columns)
        if table == "entry":  # step 3 (issue 14) recomputes the stored name keys: each must match its name
            assert all(r["name_key"] == name_key(r["name"]) for r in after.values())
            after, expected = _without(after, "name_key"), _without(before[table], "name_key")
        else:
            expected = before[table]
        assert after == expected, f"table {table} changed by the upgrade"
    for table, k in GROWS.items():
        columns = list(next(iter(before[table].values())).keys())
        after = rows_of(db, table, k, key, columns)
        assert {i: after[i] for i in before[table]} == before[table], f"rows of {table} changed by the upgrade"
    columns = list(next(iter(before["outbox"].values())).keys())
    assert rows_of(db, "legacy_outbox", "op_id", key, columns) == before["outbox"]
    # The old plain daily copy is encrypted with the same key and still whole.
    old = paths.backups_dir(data_dir) / OLD_DAILY
    assert rows_of(old, "outbox", "op_id", key).keys() == unsent

    # The unsent work goes to a real server: every op once, the outbox drained; a second run sends nothing.
    with AppContext.open(data_dir) as ctx:
        svc = SyncService.from_context(ctx)
        out = svc.login(srv.url, "op1", PASSWORD, desa_code=ctx.desa_code, label="upgraded")
        ctx.device_id = out.device_id
        first = SyncService.from_context(ctx).sync_once(sleep=lambda _s: None)
        assert first.ok, first.error
        assert first.invalid == first.conflict == 0, first
        with ctx.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one() == 0
            assert conn.exec_driver_sql("SELECT count(*) FROM batch WHERE done_at IS NULL").scalar_one() == 0
            sent = {r[0] for r in conn.exec_driver_sql("SELECT op_id FROM legacy_outbox")}
        with server_db.connect() as conn:
            applied = [r[0] for r in conn.execute(text("SELECT op_id FROM srv_applied_op"))]
        assert sent == unsent and unsent <= set(applied) and len(applied) == len(set(applied))
        second = SyncService.from_context(ctx).sync_once(sleep=lambda _s: None)
        assert second.ok and second.batches == 0
    with server_db.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM srv_applied_op")).scalar_one() == len(applied)
        new_ids = [rid for rid, e in before["entry"].items() if e["sync_state"] == "NEW"]
        on_server = {r[0] for r in conn.execute(text("SELECT record_id FROM srv_proposal"))}
    assert set(new_ids) <= on_server  # the entries never sent are proposals on the server now
