"""The fault tests' check 2 (tests.support.sync_invariants.ledger_problems) holds for what ingest
writes, and fails for each way a server could lose or double an op."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.support.serverapp import Api
from tests.support.serverdata import DESA_A, batch, household, op
from tests.support.sync_invariants import ledger_problems


def _history(api: Api) -> dict[str, str]:
    """Two records: one created, one created then edited twice; a resend under a new key."""
    api.user("op1", "operator", DESA_A)
    dev = api.device("op1", DESA_A)
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    first = batch(dev, [op(a, household()), op(b, household(serial=2))])
    assert api.send("op1", first, "batch-ledger-1").status_code == 200
    assert api.send("op1", first, "batch-ledger-1b").status_code == 200  # same ops, new key: DUPLICATE
    for v, address in ((1, "Jl. Dua"), (2, "Jl. Tiga")):
        edit = op(b, household(serial=2, address=address), base_version=v, local_rev=v + 1)
        r = api.send("op1", batch(dev, [edit]), f"batch-ledger-edit{v}")
        assert r.status_code == 200 and r.json()["results"][0]["status"] == "ACCEPTED", r.text
    return {"a": a, "b": b}


def test_what_ingest_writes_passes(api: Api) -> None:
    _history(api)
    assert ledger_problems(api.engine, DESA_A) == []


def test_what_the_0007_migration_writes_passes(tmp_path: Path) -> None:
    """The migrated v2 server (entry versions as proposal history, derived ops on the ledger) holds check 2."""
    from server import db, migrate

    copy = tmp_path / "server.db"
    shutil.copy(Path(__file__).resolve().parents[3] / "fixtures" / "server_v2.sqlite3", copy)
    engine = db.make_engine(f"sqlite:///{copy}")
    migrate.upgrade(engine)
    assert ledger_problems(engine, DESA_A) == []
    engine.dispose()


TAMPER: dict[str, Callable[[dict[str, str]], str]] = {
    "a version lost from the history": lambda ids: f"DELETE FROM srv_record_version WHERE record_id = '{ids['b']}' "
                                                   "AND version = 2",
    "a version written twice": lambda ids: "INSERT INTO srv_record_version (province_code, record_type, record_id, "
                                           "version, action, payload, actor, op_id, at) SELECT province_code, "
                                           "record_type, record_id, version, action, payload, actor, NULL, at "
                                           f"FROM srv_record_version WHERE record_id = '{ids['b']}' AND version = 3",
    "an applied op missing from the ledger": lambda ids: f"DELETE FROM srv_applied_op WHERE record_id = '{ids['a']}'",
    "the ledger holds another version": lambda ids: "UPDATE srv_applied_op SET version = 7 "
                                                    f"WHERE record_id = '{ids['b']}' AND version = 3",
    "a version skipped": lambda ids: f"UPDATE srv_household SET version = 4 WHERE record_id = '{ids['b']}'",
    "an op accepted by two batches": lambda ids: "UPDATE srv_batch SET response_json = (SELECT response_json "
                                                 "FROM srv_batch WHERE batch_id = 'batch-ledger-1') "
                                                 "WHERE batch_id = 'batch-ledger-1b'",
}


@pytest.mark.parametrize("how", sorted(TAMPER))
def test_each_way_of_losing_or_doubling_an_op_is_caught(api: Api, how: str) -> None:
    ids = _history(api)
    with api.engine.begin() as c:
        assert c.execute(text(TAMPER[how](ids))).rowcount >= 1
    assert ledger_problems(api.engine, DESA_A), how
