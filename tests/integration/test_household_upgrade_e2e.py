"""Issue 12's must-show, end to end with the real files and a real server process:

1. tests/fixtures/store_v1.sqlite3 (first release) and store_v2.sqlite3 (last entry-centred code) open
   under today's app: every person, family, proposal (entry), outcome, note, deletion, audit row and
   unsent op is accounted for in households, members and proposals (expectations read from the old
   rows of the fixture itself, not hard-coded);
2. the unsent work of store_v2 reaches a server that was itself migrated from
   tests/fixtures/server_v2.sqlite3 (`bansos-server init` = alembic upgrade head) exactly once: every
   old op is on the server's ledger once, the in-doubt batch the server had applied is answered
   DUPLICATE (nothing applied twice), no record is refused or in conflict;
3. a second device of the same desa then pulls the same households, members and proposals.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from desktop_app import paths
from desktop_app.context import AppContext
from domain.legacy_ids import household_id_for, member_id_for
from domain.records import RecordType
from domain.states import SyncState
from local_db.household_migration import MIGRATE_ACTION
from tests.support.serverproc import PASSWORD, ServerProcess
from tests.support.sync_env import Village
from tests.support.sync_invariants import check_sync_invariants, client_records, server_engine, server_rows

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def old_rows(path: Path, sql: str) -> list[dict[str, Any]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql).fetchall()]
    finally:
        conn.close()


def new_rows(ctx: AppContext, sql: str) -> list[dict[str, Any]]:
    with ctx.engine.connect() as conn:
        res = conn.exec_driver_sql(sql)
        keys = list(res.keys())
        return [dict(zip(keys, r, strict=True)) for r in res.fetchall()]


def opened(tmp_path: Path, name: str) -> Path:
    d = tmp_path / name
    d.mkdir()
    shutil.copyfile(FIXTURES / f"{name}.sqlite3", paths.db_path(d))
    return d


def latest(entries: list[dict[str, Any]]) -> dict[str, Any]:
    return max(entries, key=lambda e: (not e["deleted"], str(e["updated_at"]), e["record_id"]))


@pytest.mark.parametrize("name", ["store_v1", "store_v2"])
def test_every_person_family_proposal_outcome_note_and_audit_row_is_accounted_for(tmp_path: Path, name: str) -> None:
    fixture = FIXTURES / f"{name}.sqlite3"
    entries = old_rows(fixture, "SELECT * FROM entry")
    audit = old_rows(fixture, "SELECT * FROM auditlog")
    ops = old_rows(fixture, "SELECT * FROM outbox")
    refs = old_rows(fixture, "SELECT * FROM referencerecipient")
    assert entries and audit and ops  # the fixture holds work of every kind
    with AppContext.open(opened(tmp_path, name)) as ctx:
        households = {r["record_id"]: r for r in new_rows(ctx, "SELECT * FROM households")}
        members = {r["record_id"]: r for r in new_rows(ctx, "SELECT * FROM members")}
        proposals = {r["record_id"]: r for r in new_rows(ctx, "SELECT * FROM proposals")}
        audit_after = {r["id"]: r for r in new_rows(ctx, "SELECT * FROM auditlog")}
        ops_after = {r["op_id"]: r for r in new_rows(ctx, "SELECT * FROM outbox")}
        refs_after = new_rows(ctx, "SELECT * FROM referencerecipient")

    # Every family (desa, KK) is one household; every person (desa, NIK) one member, in the household of
    # their latest entry, with that entry's identity.
    by_kk: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_nik: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in entries:
        by_kk[household_id_for(e["desa_code"], e["kk"])].append(e)
        by_nik[member_id_for(e["desa_code"], e["nik"])].append(e)
    assert set(households) == set(by_kk)
    for hid, group in by_kk.items():
        h, src = households[hid], latest(group)
        assert (h["kk"], h["desa_code"], h["address"], h["rt"], h["rw"]) == (
            src["kk"], src["desa_code"], src["address"], src["rt"], src["rw"])
        assert bool(h["deleted"]) == all(e["deleted"] for e in group)
    assert set(members) == set(by_nik)
    for mid, group in by_nik.items():
        m, src = members[mid], latest(group)
        assert (m["nik"], m["name"], str(m["birth_date"])[:10], m["sex"]) == (
            src["nik"], src["name"], str(src["birth_date"])[:10], src["sex"])
        assert m["household_id"] == household_id_for(src["desa_code"], src["kk"])
        assert bool(m["deleted"]) == all(e["deleted"] for e in group)
    # Every entry is one proposal under its own id, with its outcome, note, deletion and versions.
    assert set(proposals) == {e["record_id"] for e in entries}
    for e in entries:
        p = proposals[e["record_id"]]
        assert (p["programme"], p["note"], p["criteria"]) == (e["programme"], e["notes"], e["criteria"])
        assert (p["review_state"], p["review_reason_code"], p["review_note"]) == (
            e["review_state"], e["review_reason_code"], e["review_note"])
        assert (bool(p["deleted"]), p["delete_reason"]) == (bool(e["deleted"]), e["delete_reason"])
        assert (p["server_version"], p["legacy_entry_id"]) == (e["server_version"], e["record_id"])
        assert set(json.loads(e["server_flags"])) <= set(json.loads(p["server_flags"]))
        assert p["target_id"] in (members if p["member_id"] else households)
    # Every old audit row is still there, unchanged and linked (the proposal keeps the entry's id); each new
    # household and member has its MIGRATE row naming its source entries.
    for row in audit:
        assert audit_after[row["id"]] == row
        assert row["record_id"] in proposals
    migrated = {r["record_id"]: r for r in audit_after.values() if r["action"] == MIGRATE_ACTION}
    assert set(migrated) == set(households) | set(members)
    for rid, group in (*by_kk.items(), *by_nik.items()):
        assert all(e["record_id"] in migrated[rid]["reason"] for e in group)
    # Every unsent op still goes out once, under its own id; the references stay.
    assert {o["op_id"] for o in ops} <= set(ops_after)
    assert all(ops_after[o["op_id"]]["record_type"] == RecordType.PROPOSAL for o in ops)
    assert refs_after == refs


def test_the_unsent_work_reaches_the_migrated_server_once_and_a_second_device_pulls_it(tmp_path: Path) -> None:
    db = tmp_path / "server_v2.sqlite3"
    shutil.copyfile(FIXTURES / "server_v2.sqlite3", db)
    srv = ServerProcess(tmp_path, database_url=f"sqlite:///{db}")
    srv.init().start()  # alembic upgrade head: srv_entry moved into households, members, proposals (0007)
    eng = server_engine(srv.database_url)
    old_ops = old_rows(FIXTURES / "store_v2.sqlite3", "SELECT op_id, batch_id FROM outbox")
    old_applied = {r["op_id"] for r in old_rows(FIXTURES / "server_v2.sqlite3", "SELECT op_id FROM srv_applied_op")}
    in_doubt = {o["op_id"] for o in old_ops if o["batch_id"] is not None}
    assert in_doubt and in_doubt <= old_applied  # the server committed the batch the village never heard of
    village = second = None
    try:
        before = server_rows(eng)
        village = Village.reopen(opened(tmp_path, "store_v2"), "op1")
        # The fixture's server ran on another port: point the store at this one, same device.
        old_device = village.ctx.device_id
        village.ctx.set_meta("sync.server_url", srv.url)
        village.ctx.set_meta("sync.device_server", srv.url)
        village.svc.login(srv.url, "op1", PASSWORD)
        assert village.svc.device_id == old_device
        with village.engine.connect() as conn:
            waiting = conn.exec_driver_sql("SELECT count(*) FROM outbox").scalar_one()
        rep = village.sync()
        assert rep.ok, rep.error
        assert rep.conflict == rep.invalid == 0 and rep.accepted + rep.duplicate == waiting
        assert rep.duplicate >= len(in_doubt)  # the converted in-doubt ops: answered, not applied again
        # Exactly once: every old op is on the ledger once; the ones it had were not applied again.
        with eng.connect() as conn:
            ledger = [r[0] for r in conn.exec_driver_sql("SELECT op_id FROM srv_applied_op")]
            twice = conn.exec_driver_sql(
                "SELECT op_id FROM srv_record_version WHERE op_id IS NOT NULL AND action NOT IN "
                "('conflict', 'review', 'approved') GROUP BY op_id HAVING count(*) > 1").all()
        assert {o["op_id"] for o in old_ops} <= set(ledger) and len(ledger) == len(set(ledger)) and not twice
        after = server_rows(eng)
        names = {r.payload.name: r for (t, _rid), r in after.items() if t is RecordType.MEMBER}
        proposals = {rid: r for (t, rid), r in after.items() if t is RecordType.PROPOSAL}
        by_member = {r.payload.member_id or r.payload.pengurus_id: r for r in proposals.values()}
        households = {rid: r for (t, rid), r in after.items() if t is RecordType.HOUSEHOLD}
        rudi, putri = names["Rudi Hartono"], names["Putri Ayu"]
        # The in-doubt family: its proposals were applied once (version 1); the address edit made after
        # the batch (Putri Ayu's second op, now her household's op) was applied once on top: version 2.
        assert (by_member[rudi.record_id].version, by_member[putri.record_id].version) == (1, 1)
        home = households[putri.payload.household_id]
        assert (home.version, home.payload.address) == (2, "Jl. Air Serkuk No. 40A")
        assert set(proposals) == {rid for (t, rid) in client_records(village.engine) if t is RecordType.PROPOSAL}
        assert len([k for k in after if k[0] is RecordType.PROPOSAL]) > len(
            [k for k in before if k[0] is RecordType.PROPOSAL])  # the family never sent arrived
        local = client_records(village.engine)
        assert {r["sync_state"] for r in local.values()} == {SyncState.SYNCED}

        second = Village.create(tmp_path / "pc-2", srv.url, "op1")
        assert second.sync().ok
        theirs = client_records(second.engine)
        for t in RecordType:
            assert {rid for (k, rid) in theirs if k is t} == {rid for (k, rid) in local if k is t}, t
        check_sync_invariants([village.engine, second.engine], eng, village.desa)
    finally:
        for v in (village, second):
            if v is not None:
                v.close()
        eng.dispose()
        srv.kill()
