"""The store_v2 / server_v2 fixture pair after both migrations (ADR 0005 steps 5-7): today's code,
serving a copy of server_v2 upgraded by alembic and opening a copy of store_v2 (migrated to households,
members and proposals on open), sends the village's unsent work exactly once.

Per op, from the server's own ledger: the ops of the in-doubt batch (which the server had applied before
the upgrade) and the household/member ops derived from them stay on the ledger under the OLD batch
(answered DUPLICATE, not applied again); every later op is applied once, in a new batch. The whole flow
with the second device is tests/integration/test_household_upgrade_e2e.py."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from desktop_app import paths
from domain.legacy_ids import derived_op_id
from domain.records import RecordType
from tests.support.serverproc import PASSWORD, ServerProcess
from tests.support.sync_env import Village
from tests.support.sync_invariants import check_sync_invariants, server_engine

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def fixture_rows(name: str, sql: str) -> list[tuple[str, ...]]:
    conn = sqlite3.connect(f"file:{FIXTURES / name}?mode=ro", uri=True)
    try:
        return [tuple(r) for r in conn.execute(sql).fetchall()]
    finally:
        conn.close()


def test_unsent_work_of_the_v2_store_reaches_the_migrated_v2_server_exactly_once(tmp_path: Path) -> None:
    db = tmp_path / "server_v2.sqlite3"
    shutil.copyfile(FIXTURES / "server_v2.sqlite3", db)
    data = tmp_path / "desa"
    data.mkdir()
    shutil.copyfile(FIXTURES / "store_v2.sqlite3", paths.db_path(data))
    ops = fixture_rows("store_v2.sqlite3", "SELECT op_id, kind, batch_id FROM outbox ORDER BY seq")
    (doubt_batch,) = {b for _o, _k, b in ops if b is not None}
    doubt = [o for o, _k, b in ops if b is not None]
    later = [(o, k) for o, k, b in ops if b is None]
    srv = ServerProcess(tmp_path, database_url=f"sqlite:///{db}")
    srv.init().start()  # alembic upgrade head; the accounts are in the file
    eng = server_engine(srv.database_url)
    village = None
    try:
        village = Village.reopen(data, "op1")
        village.ctx.set_meta("sync.server_url", srv.url)
        village.ctx.set_meta("sync.device_server", srv.url)
        village.svc.login(srv.url, "op1", PASSWORD)
        rep = village.sync()
        assert rep.ok, rep.error
        assert rep.conflict == rep.invalid == 0
        with eng.connect() as conn:
            ledger = {r[0]: r[1] for r in conn.exec_driver_sql("SELECT op_id, batch_id FROM srv_applied_op")}
        for op_id in doubt:  # applied before the upgrade, in the batch the village never heard back from
            for oid in (op_id, derived_op_id(op_id, RecordType.HOUSEHOLD), derived_op_id(op_id, RecordType.MEMBER)):
                assert ledger[oid] == doubt_batch, oid
        for op_id, kind in later:  # applied now, once
            derived = [] if kind == "DELETE" else [derived_op_id(op_id, t) for t in (RecordType.HOUSEHOLD,
                                                                                     RecordType.MEMBER)]
            for oid in (op_id, *derived):
                assert oid in ledger and ledger[oid] != doubt_batch, oid
        assert rep.duplicate >= 3 * len(doubt)
        check_sync_invariants(village.engine, eng, village.desa)
    finally:
        if village is not None:
            village.close()
        eng.dispose()
        srv.kill()
