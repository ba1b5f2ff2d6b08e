"""The store_v2 / server_v2 fixture pair is consistent: today's code, serving a copy of server_v2 and
opening a copy of store_v2, sends the village's unsent work exactly once (the in-doubt batch is
answered DUPLICATE, not applied twice) and a second device then pulls the same entries.

This is the baseline the household migration must keep: the same flow, after migrating both files,
must end the same way (issue 12, "Must show")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop_app import paths
from domain.states import SyncState
from tests.support.serverproc import ServerProcess
from tests.support.sync_env import Village
from tests.support.sync_invariants import check_sync_invariants, server_engine, server_rows

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def test_unsent_work_of_the_v2_store_reaches_the_v2_server_exactly_once(tmp_path: Path) -> None:
    db = tmp_path / "server_v2.sqlite3"
    shutil.copyfile(FIXTURES / "server_v2.sqlite3", db)
    data = tmp_path / "desa"
    data.mkdir()
    shutil.copyfile(FIXTURES / "store_v2.sqlite3", paths.db_path(data))
    srv = ServerProcess(tmp_path, database_url=f"sqlite:///{db}")
    srv.init().start()  # `init` on a current database changes nothing; the accounts are in the file
    eng = server_engine(srv.database_url)
    village = second = None
    try:
        before = server_rows(eng)
        village = Village.reopen(data, "op1")
        old_device = village.ctx.device_id
        # The fixture's server ran on another port: point the store at this one, same device.
        village.ctx.set_meta("sync.server_url", srv.url)
        village.ctx.set_meta("sync.device_server", srv.url)
        village.svc.login(srv.url, "op1", "rahasia-uji-123")
        assert village.svc.device_id == old_device
        rep = village.sync()
        assert rep.ok, rep.error
        # The in-doubt batch (3 ops the server had already applied) is resent under its key and
        # answered from the stored response; the six later ops are applied once.
        assert rep.accepted + rep.duplicate == 9 and rep.conflict == rep.invalid == 0
        after = server_rows(eng)
        assert len(after) == len(before) + 2  # the family never sent
        version = {row.payload.name: row.version for row in after.values()}
        assert (version["Rudi Hartono"], version["Putri Ayu"]) == (1, 2)  # applied once, then her edit
        with eng.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM srv_applied_op").scalar_one() == 34 + 6
        assert after[next(r for r in after if after[r].payload.name == "Junaidi")].review_state == "PENDING"
        assert after[next(r for r in after if after[r].payload.name == "Nurlela")].deleted
        with village.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one() == 0
            states = {r[0] for r in conn.exec_driver_sql("SELECT sync_state FROM entry")}
        assert states == {SyncState.SYNCED}

        second = Village.create(tmp_path / "pc-2", srv.url, "op1")
        assert second.sync().ok
        check_sync_invariants([village.engine, second.engine], eng, village.desa)
    finally:
        for v in (village, second):
            if v is not None:
                v.close()
        eng.dispose()
        srv.kill()
