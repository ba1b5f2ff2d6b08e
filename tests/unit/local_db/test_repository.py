"""Writes of the local store: entry + household + outbox + audit in one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from domain.names import name_key
from domain.states import OpKind, SyncState
from local_db import repository as repo
from local_db.models import Entry
from sync.protocol import EntryPayload
from tests.support.store import entry, store


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    with store(tmp_path / "s.sqlite3") as e:
        yield e


def payload(**over: object) -> EntryPayload:
    d = entry(desa_code="1902012003", **over)
    return EntryPayload.model_validate({**d, "criteria": d.get("criteria", [])})


def counts(engine: Engine) -> tuple[int, ...]:
    with engine.connect() as c:
        return tuple(c.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar_one()
                     for t in ("entry", "household", "outbox", "auditlog"))


def create(s: repo.Session, p: EntryPayload) -> Entry:  # type: ignore[name-defined]
    return repo.create_entry(s, payload=p, name_key=name_key(p.name), warnings=[], actor="ani", device_id="dev1",
                             reason="")


def test_create_writes_four_rows_in_one_transaction(engine: Engine) -> None:
    with repo.session_scope(engine, write=True) as s:
        e = create(s, payload())
    assert counts(engine) == (1, 1, 1, 1)
    with repo.session_scope(engine) as s:
        got = repo.get_entry(s, e.record_id)
        assert got is not None and got.sync_state == SyncState.NEW and got.local_rev == 1
        assert got.base_version is None and got.name_key == "siti aminah"
        [op] = repo.outbox_ops(s)
        assert (op.kind, op.local_rev, op.record_id, op.batch_id, op.seq) == (OpKind.UPSERT, 1, e.record_id, None, 1)
        assert EntryPayload.model_validate_json(op.payload) == payload()
        [a] = repo.audit_for(s, e.record_id)
        assert (a.action, a.actor, a.device_id, a.before) == ("CREATE", "ani", "dev1", None)
        assert json.loads(a.after or "{}")["nik"] == "1902015708850001"


def test_an_error_mid_transaction_leaves_nothing(engine: Engine) -> None:
    with pytest.raises(RuntimeError), repo.session_scope(engine, write=True) as s:
        create(s, payload())
        raise RuntimeError("power cut")
    assert counts(engine) == (0, 0, 0, 0)


def test_update_and_delete_bump_rev_seq_and_audit(engine: Engine) -> None:
    with repo.session_scope(engine, write=True) as s:
        rid = create(s, payload()).record_id
    with repo.session_scope(engine, write=True) as s:
        e = repo.get_entry(s, rid)
        assert e is not None
        repo.update_entry(s, e, payload=payload(address="Jl. Baru 2"), name_key="siti aminah", warnings=[],
                          actor="budi", device_id="dev2")
    with repo.session_scope(engine, write=True) as s:
        e = repo.get_entry(s, rid)
        assert e is not None
        e.server_version = 3  # as if the server accepted it
        e.base_version = 3
        e.sync_state = SyncState.SYNCED
        repo.soft_delete_entry(s, e, reason="pindah domisili", actor="budi", device_id="dev2")
    with repo.session_scope(engine) as s:
        e = repo.get_entry(s, rid)
        assert e is not None and e.deleted and e.delete_reason == "pindah domisili"
        assert e.local_rev == 3 and e.sync_state == SyncState.DIRTY  # known to the server: DIRTY, not NEW
        ops = repo.outbox_ops(s)
        assert [(o.seq, o.kind, o.local_rev) for o in ops] == [(1, "UPSERT", 1), (2, "UPSERT", 2), (3, "DELETE", 3)]
        assert ops[2].base_version == 3
        assert EntryPayload.model_validate_json(ops[2].payload).delete_reason == "pindah domisili"
        audit = repo.audit_for(s, rid)
        assert [a.action for a in audit] == ["CREATE", "UPDATE", "DELETE"]
        before, after = json.loads(audit[1].before or ""), json.loads(audit[1].after or "")
        assert (before["address"], after["address"]) == ("Jl. Merdeka 1", "Jl. Baru 2")
        assert audit[2].reason == "pindah domisili" and json.loads(audit[2].after or "")["deleted"] is True
        assert repo.list_entries(s) == [] and len(repo.list_entries(s, include_deleted=True)) == 1
        # The household follows the latest address.
        assert s.connection().exec_driver_sql("SELECT address FROM household").scalar() == "Jl. Baru 2"


def test_meta_get_set(engine: Engine) -> None:
    with repo.session_scope(engine, write=True) as s:
        assert repo.get_meta(s, "desa_code") is None
        assert repo.get_meta(s, "desa_code", "x") == "x"
        repo.set_meta(s, "desa_code", "1902012003")
        repo.set_meta(s, "desa_code", "1902012004")
    with repo.session_scope(engine) as s:
        assert repo.get_meta(s, "desa_code") == "1902012004"
        assert repo.all_meta(s) == {"desa_code": "1902012004"}


def test_bulk_create_writes_the_same_rows_as_create(engine: Engine) -> None:
    with repo.session_scope(engine, write=True) as s:
        one = create(s, payload())
    p2 = payload(nik="1902011708850002", kk="1902010101100002", name="Budi Santoso", sex="L")
    p3 = payload(nik="1902011708850003", kk="1902010101100002", name="Joko", sex="L", programme="PBI-JK",
                 address="Jl. Akhir")
    with repo.session_scope(engine, write=True) as s:
        ids = repo.bulk_create_entries(s, [repo.NewEntry(p2, name_key(p2.name), [], "impor a.csv baris 2"),
                                           repo.NewEntry(p3, name_key(p3.name), [], "impor a.csv baris 3")],
                                       actor="ani", device_id="dev1")
    assert counts(engine) == (3, 2, 3, 3)
    with repo.session_scope(engine) as s:
        e = repo.get_entry(s, ids[0])
        assert e is not None
        for col in ("sync_state", "local_rev", "deleted", "created_by", "warnings", "server_flags", "base_version"):
            assert getattr(e, col) == getattr(one, col), col
        assert e.birth_date == one.birth_date
        assert s.connection().exec_driver_sql(
            "SELECT address FROM household WHERE kk='1902010101100002'").scalar() == "Jl. Akhir"
        ops = repo.outbox_ops(s)
        assert [o.seq for o in ops] == [1, 2, 3]
        assert EntryPayload.model_validate_json(ops[2].payload) == p3
        [a] = repo.audit_for(s, ids[1])
        assert a.action == "CREATE" and a.reason == "impor a.csv baris 3"
        [first] = repo.audit_for(s, one.record_id)
        assert set(json.loads(a.after or "")) == set(json.loads(first.after or ""))  # same audit shape
        assert json.loads(a.after or "") == {**p3.model_dump(), "deleted": False}
        assert repo.payload_of(repo.get_entry(s, ids[1])) == p3  # type: ignore[arg-type]


def test_a_writer_held_elsewhere_gives_an_indonesian_busy_error(engine: Engine, tmp_path: Path) -> None:
    from tests.support.store import raw

    other = raw(tmp_path / "s.sqlite3", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. a long import in another process
    try:
        with pytest.raises(repo.StoreBusy) as e, repo.session_scope(engine, write=True) as s:
            create(s, payload())
        assert "sedang dipakai" in str(e.value)
        with repo.session_scope(engine) as s:  # readers are never blocked (WAL)
            assert repo.count_entries(s) == 0
    finally:
        other.execute("ROLLBACK")
        other.close()
    with repo.session_scope(engine, write=True) as s:
        create(s, payload())
    assert counts(engine) == (1, 1, 1, 1)
