"""ADR 0005 end to end at the server's door: the village store of the last entry-centred release
(tests/fixtures/store_v2.sqlite3) migrated by the app's own step, its converted outbox sent as one
protocol-2 batch to the server database of the same moment (server_v2.sqlite3) migrated by 0007.

The two migrations never talk, yet: every op the old server had applied (the in-doubt batch) is
DUPLICATE for all three record types; the unsent work applies with no conflict and no refusal (the
approved entry edited in the village is back to pending with its approved version in the history,
the returned one is resubmitted with its note, the deleted one deleted, the new family created);
a second send is all DUPLICATE; the ledger holds check 2."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session, col, select

from domain.programmes import Catalogue
from local_db import migrations
from server import db, migrate
from server.models import Device, ProposalRow, RecordVersion, User
from server.services.ingest import ingest_batch
from server.settings import Settings
from sync.protocol import RecordBatchRequest
from tests.support.sync_invariants import ledger_problems

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
DESA = "1902012003"
EDIT_APPROVED = "ef7605d7-c1ce-46a0-a88e-65c5005bd5e6"  # make_store_v2 row 9: approved, then edited in the village
FIX_RETURNED = "7361e131-9be7-43e2-bd67-87090c571703"  # row 7: returned, then fixed in the village
DELETE_UNSENT = "323f9d04-3aed-4680-bc4f-bfc120001579"  # row 25: pending, deleted in the village
SETTINGS = Settings(environment="test", secret_key="uji-" + uuid.uuid4().hex, database_url="sqlite://")


def _village(tmp: Path) -> tuple[list[dict[str, Any]], str, set[str]]:
    """The store migrated by the app's registered steps: its outbox ops (seq order), its device, and
    the op ids of the batch the server committed but never answered."""
    path = tmp / "store.db"
    shutil.copy(FIXTURES / "store_v2.sqlite3", path)
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as c:
        in_doubt = {op for (ids,) in c.execute(text("SELECT op_ids FROM batch WHERE done_at IS NULL"))
                    for op in json.loads(ids)}
    migrations.migrate(engine, backup_dir=tmp, backup=lambda s, d: Path(shutil.copy(s, d)),
                       restore=lambda b, d: shutil.copy(b, d))
    with engine.connect() as c:
        ops = [dict(r._mapping) for r in c.execute(text("SELECT * FROM outbox ORDER BY seq"))]
        device = str(c.execute(text("SELECT value FROM meta WHERE key = 'device_id'")).scalar_one())
    engine.dispose()
    return ops, device, in_doubt


def _server(tmp: Path) -> Engine:
    path = tmp / "server.db"
    shutil.copy(FIXTURES / "server_v2.sqlite3", path)
    engine = db.make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    return engine


def _send(engine: Engine, device: str, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    req = RecordBatchRequest.model_validate({"device_id": device, "ops": [
        {"op_id": o["op_id"], "record_type": o["record_type"], "record_id": o["record_id"],
         "base_version": o["base_version"], "local_rev": o["local_rev"], "kind": o["kind"],
         "payload": json.loads(o["payload"]) if o["kind"] == "UPSERT" else None} for o in ops]})
    with Session(engine) as s:
        dev = s.get(Device, device)
        assert dev is not None
        user = s.get(User, dev.user_id)
        assert user is not None
        body = ingest_batch(s, settings=SETTINGS, catalogue=Catalogue.from_file(None), user=user,
                            batch_id=uuid.uuid4().hex, req=req)
    return list(json.loads(body)["results"])


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        engine = _server(tmp_path)
        yield engine
        engine.dispose()
        return
    from tests.support.pg import fresh_schema_url
    from tests.support.server_v2 import postgres_copy_upgraded

    with fresh_schema_url() as url:
        engine = postgres_copy_upgraded(url)
        yield engine
        engine.dispose()


def test_a_migrated_village_sends_its_converted_outbox_exactly_once(tmp_path: Path, server: Engine) -> None:
    from domain.legacy_ids import derived_op_id
    from domain.records import RecordType

    ops, device, in_doubt = _village(tmp_path)
    engine = server
    results = _send(engine, device, ops)

    assert {r["status"] for r in results} <= {"ACCEPTED", "DUPLICATE"}, [
        (r["record_type"], r["status"], r["conflict_fields"], r["errors"]) for r in results
        if r["status"] not in ("ACCEPTED", "DUPLICATE")]
    derived = {derived_op_id(o, t) for o in in_doubt for t in RecordType}
    by_op = {r["op_id"]: r for r in results}
    assert derived & set(by_op) and all(by_op[o]["status"] == "DUPLICATE" for o in derived & set(by_op))
    assert [r["status"] for r in results if r["op_id"] not in derived] == ["ACCEPTED"] * (len(results) - len(
        derived & set(by_op)))

    with Session(engine) as s:
        edited = s.get(ProposalRow, EDIT_APPROVED)
        fixed = s.get(ProposalRow, FIX_RETURNED)
        deleted = s.get(ProposalRow, DELETE_UNSENT)
        assert edited is not None and fixed is not None and deleted is not None
        assert edited.review_state == "PENDING" and "EDITED_AFTER_APPROVAL" in json.loads(edited.flags)
        kept = s.exec(select(RecordVersion).where(RecordVersion.record_id == EDIT_APPROVED,
                                                  col(RecordVersion.action) == "approved")).all()
        assert [v.review_state for v in kept] == ["APPROVED"]
        assert fixed.review_state == "PENDING" and "RESUBMITTED" in json.loads(fixed.flags)
        assert fixed.review_note == "Foto KK tidak terbaca, mohon periksa alamat dan RT/RW"
        assert deleted.deleted
        assert len(s.exec(select(ProposalRow)).all()) == 33 + 2  # the family of two never sent
    assert ledger_problems(engine, DESA) == []

    # The same converted ops again (a lost answer, a second run): nothing applies twice.
    again = _send(engine, device, ops)
    assert {r["status"] for r in again} == {"DUPLICATE"}
    assert ledger_problems(engine, DESA) == []
