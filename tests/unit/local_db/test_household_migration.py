"""The local half of issue 12's upgrade: both fixture stores (first release, and the last
entry-centred code) moved into households, members and proposals with nothing lost.

Every expectation is derived from the old rows read before the migration (not from hard-coded
numbers only): each person -> one member, each KK -> one household, each entry -> one proposal with
its outcome, note, flags, warnings, deletion and versions; old audit rows kept and linked; every
unsent op converted household -> member -> proposal with ids the server's migration can recognise.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from domain.legacy_ids import derived_op_id, household_id_for, member_id_for
from domain.payload import EntryPayload
from domain.programmes import DEFAULT, Target
from domain.proposal_check import validate_proposal
from domain.records import PAYLOADS, ProposalPayload, RecordType
from domain.states import OpKind, SyncState
from local_db import household_migration as hmig
from local_db import migrations
from local_db.engine import backup_database, close_store, make_engine, open_store, restore_database

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
ENTRY_CENTRED = migrations.MIGRATIONS[:3]  # the schema every store had before the household step


def rows(path: Path, sql: str, *params: Any) -> list[dict[str, Any]]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


def dump(path: Path) -> list[str]:
    """Every schema object and row of the file, in a stable order."""
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.iterdump())
    finally:
        conn.close()


def at_schema_3(tmp_path: Path, name: str) -> Path:
    """A copy of a fixture brought to the last entry-centred schema (steps 1-3; step 4 is the one tested)."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / f"{name}.sqlite3"
    shutil.copyfile(FIXTURES / f"{name}.sqlite3", path)
    close_store(open_store(path, backup_dir=tmp_path / "backups", steps=ENTRY_CENTRED))
    return path


def run(path: Path) -> hmig.MigrationReport | None:
    engine = make_engine(path)
    try:
        with engine.begin() as conn:
            return hmig.migrate_to_households(conn, now=NOW)
    finally:
        engine.dispose()


class Old:
    """The store's rows before the migration."""

    def __init__(self, path: Path) -> None:
        self.entries = {e["record_id"]: e for e in rows(path, "SELECT * FROM entry")}
        self.ops = rows(path, "SELECT * FROM outbox ORDER BY seq")
        self.audit = rows(path, "SELECT * FROM auditlog ORDER BY id")
        self.open_batches = {b["batch_id"] for b in rows(path, "SELECT batch_id FROM batch WHERE done_at IS NULL")}
        self.by_kk: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.by_nik: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for e in self.entries.values():
            self.by_kk[household_id_for(e["desa_code"], e["kk"])].append(e)
            self.by_nik[member_id_for(e["desa_code"], e["nik"])].append(e)
        self.legacy_tables = {t: sorted(map(tuple, (r.values() for r in rows(path, f"SELECT * FROM {t}"))))
                              for t in ("entry", "household", "auditlog", "batch", "referencerecipient", "meta")}


def latest(group: list[dict[str, Any]]) -> dict[str, Any]:
    return max(group, key=lambda e: (not e["deleted"], e["updated_at"], e["record_id"]))


@pytest.fixture(params=["store_v1", "store_v2"])
def migrated(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, Old, hmig.MigrationReport]]:
    path = at_schema_3(tmp_path, request.param)
    old = Old(path)
    assert old.entries and old.ops and old.open_batches  # the fixture holds unsent and in-doubt work
    report = run(path)
    assert report is not None
    yield path, old, report


def test_each_kk_is_one_household_with_the_latest_address(migrated: tuple[Path, Old, hmig.MigrationReport]) -> None:
    path, old, report = migrated
    hh = {h["record_id"]: h for h in rows(path, "SELECT * FROM households")}
    assert set(hh) == set(old.by_kk) and report.households == len(hh)
    for hid, group in old.by_kk.items():
        src, h = latest(group), hh[hid]
        assert (h["kk"], h["desa_code"], h["dusun"], h["rt"], h["rw"], h["address"]) == (
            src["kk"], src["desa_code"], src["dusun"], src["rt"], src["rw"], src["address"])
        assert bool(h["deleted"]) == all(e["deleted"] for e in group)
        on_server = any(e["server_version"] is not None for e in group)
        assert h["server_version"] == (1 if on_server else None)


def test_each_person_is_one_member_with_criteria_override_and_person_warnings(
        migrated: tuple[Path, Old, hmig.MigrationReport]) -> None:
    path, old, report = migrated
    mm = {m["record_id"]: m for m in rows(path, "SELECT * FROM members")}
    assert set(mm) == set(old.by_nik) and report.members == len(mm)
    assert len(mm) == len({(e["desa_code"], e["nik"]) for e in old.entries.values()})
    for mid, group in old.by_nik.items():
        src, m = latest(group), mm[mid]
        assert (m["nik"], m["name"], m["name_key"], m["birth_place"], m["birth_date"][:10], m["sex"]) == (
            src["nik"], src["name"], src["name_key"], src["birth_place"], str(src["birth_date"])[:10], src["sex"])
        assert m["household_id"] == household_id_for(src["desa_code"], src["kk"])
        assert set(m["criteria"].split(",")) - {""} == {c for e in group for c in e["criteria"].split(",") if c}
        overrides = [e["override_reason"] for e in sorted(group, key=lambda e: e["updated_at"]) if e["override_reason"]]
        assert m["override_reason"] == (overrides[-1] if overrides else "")
        person_warnings = {w["code"] for e in group for w in json.loads(e["warnings"])
                           if w["code"] in hmig.PROBABLE_PERSON_CODES}
        assert {w["code"] for w in json.loads(m["warnings"])} == person_warnings
        assert bool(m["deleted"]) == all(e["deleted"] for e in group)


def test_each_entry_is_one_proposal_with_outcome_note_flags_warnings_and_versions(
        migrated: tuple[Path, Old, hmig.MigrationReport]) -> None:
    path, old, report = migrated
    props = {p["record_id"]: p for p in rows(path, "SELECT * FROM proposals")}
    assert set(props) == set(old.entries) and report.proposals == len(old.entries)
    members = {m["record_id"]: m for m in rows(path, "SELECT record_id, household_id FROM members")}
    for rid, e in old.entries.items():
        p = props[rid]
        same = ("programme", "review_state", "review_reason_code", "review_note", "warnings", "delete_reason",
                "local_rev", "base_version", "server_version", "conflict_data", "created_at", "created_by")
        assert {k: p[k] for k in same} == {k: e[k] for k in same}, rid
        assert (p["note"], p["criteria"], bool(p["deleted"]), p["legacy_entry_id"]) == (
            e["notes"], e["criteria"], bool(e["deleted"]), rid)
        assert set(json.loads(e["server_flags"])) <= set(json.loads(p["server_flags"]))
        expected_state = e["sync_state"]
        if expected_state == SyncState.UPLOADING:
            expected_state = SyncState.NEW if e["server_version"] is None else SyncState.DIRTY
        assert p["sync_state"] == expected_state
        hid, mid = household_id_for(e["desa_code"], e["kk"]), member_id_for(e["desa_code"], e["nik"])
        prog = DEFAULT.get(e["programme"])
        assert prog is not None
        if prog.target is Target.HOUSEHOLD:
            assert (p["household_id"], p["member_id"], p["pengurus_id"], p["target_id"]) == (hid, "", mid, hid)
        else:
            assert (p["household_id"], p["member_id"], p["pengurus_id"], p["target_id"]) == ("", mid, "", mid)
        # The migrated proposal passes the domain's own check (target fits the programme, pengurus a member).
        payload = ProposalPayload.model_validate_json(
            json.dumps({k: p[k] for k in ("type", "programme", "household_id", "member_id", "pengurus_id", "note")}))
        in_household = {m for m, r in members.items() if r["household_id"] == hid}
        assert validate_proposal(payload, household_member_ids=in_household).errors == []


def test_outcomes_and_deletions_counted_as_before(migrated: tuple[Path, Old, hmig.MigrationReport]) -> None:
    path, old, _ = migrated

    def tally(items: list[dict[str, Any]]) -> dict[tuple[Any, ...], int]:
        out: dict[tuple[Any, ...], int] = defaultdict(int)
        for r in items:
            out[(r["review_state"], r["review_reason_code"], r["review_note"], bool(r["deleted"]))] += 1
        return dict(out)

    assert tally(rows(path, "SELECT * FROM proposals")) == tally(list(old.entries.values()))


def test_old_rows_stay_and_old_audit_is_linked_new_records_get_a_migrate_row(
        migrated: tuple[Path, Old, hmig.MigrationReport]) -> None:
    path, old, _ = migrated
    for t, before in old.legacy_tables.items():
        if t in ("batch", "auditlog"):
            continue
        assert sorted(map(tuple, (r.values() for r in rows(path, f"SELECT * FROM {t}")))) == before, t
    audit = rows(path, "SELECT * FROM auditlog ORDER BY id")
    assert audit[:len(old.audit)] == old.audit  # every old row as it was
    proposals = {r["record_id"] for r in rows(path, "SELECT record_id FROM proposals")}
    assert {a["record_id"] for a in old.audit} <= proposals  # linked: same record ids
    new = audit[len(old.audit):]
    assert {a["action"] for a in new} == {hmig.MIGRATE_ACTION}
    by_record = {a["record_id"]: a for a in new}
    assert len(by_record) == len(new) == len(old.by_kk) + len(old.by_nik)
    for rid, group in (*old.by_kk.items(), *old.by_nik.items()):
        assert sorted(by_record[rid]["reason"].split(": ", 1)[1].split(", ")) == sorted(e["record_id"] for e in group)
    legacy = rows(path, f"SELECT * FROM {hmig.LEGACY_OUTBOX} ORDER BY seq")
    assert [{k: v for k, v in r.items() if k != "record_type"} for r in legacy] == old.ops
    assert {r["record_type"] for r in legacy} == {hmig.LEGACY_RECORD_TYPE}


def test_unsent_ops_become_household_member_proposal_ops_in_order(
        migrated: tuple[Path, Old, hmig.MigrationReport]) -> None:
    path, old, report = migrated
    ops = rows(path, "SELECT * FROM outbox ORDER BY seq")
    upserts = [o for o in old.ops if o["kind"] == OpKind.UPSERT]
    assert len(ops) == report.ops_out == 3 * len(upserts) + (len(old.ops) - len(upserts))
    assert all(o["batch_id"] is None for o in ops)  # in-doubt ones queued again
    position = {o["op_id"]: i for i, o in enumerate(ops)}
    assert len(position) == len(ops)
    for prev, o in zip(old.ops, old.ops[1:], strict=False):
        assert position[prev["op_id"]] < position[o["op_id"]]  # old save order kept
    for o in old.ops:
        e = old.entries[o["record_id"]]
        new = ops[position[o["op_id"]]]  # the proposal op keeps the old op id
        assert (new["record_type"], new["record_id"], new["kind"], new["local_rev"], new["base_version"]) == (
            RecordType.PROPOSAL, o["record_id"], o["kind"], o["local_rev"], o["base_version"])
        if o["kind"] == OpKind.DELETE:
            assert derived_op_id(o["op_id"], RecordType.MEMBER) not in position
            continue
        h = ops[position[derived_op_id(o["op_id"], RecordType.HOUSEHOLD)]]
        m = ops[position[derived_op_id(o["op_id"], RecordType.MEMBER)]]
        assert position[h["op_id"]] < position[m["op_id"]] < position[o["op_id"]]
        assert (h["record_type"], h["record_id"]) == (RecordType.HOUSEHOLD, household_id_for(e["desa_code"], e["kk"]))
        assert (m["record_type"], m["record_id"]) == (RecordType.MEMBER, member_id_for(e["desa_code"], e["nik"]))
    # Each payload is a valid protocol-2 payload of its record type, naming records sent earlier or already
    # on the server (the server's migration makes every household/member it has at version 1).
    records = {t: {r["record_id"]: r for r in rows(path, f"SELECT * FROM {t}")}
               for t in ("households", "members", "proposals")}
    seen: set[str] = set()
    for o in ops:
        payload = PAYLOADS[RecordType(o["record_type"])].model_validate_json(o["payload"])
        refs = [getattr(payload, f, "") for f in ("household_id", "member_id", "pengurus_id")]
        for ref in filter(None, refs):
            assert ref in seen or (records["households"] | records["members"])[ref]["server_version"] == 1
        seen.add(o["record_id"])
    # The last op of each household/member carries the record's local_rev (its result marks it SYNCED).
    for table, rtype in (("households", RecordType.HOUSEHOLD), ("members", RecordType.MEMBER)):
        last = {o["record_id"]: o["local_rev"] for o in ops if o["record_type"] == rtype}
        for rid, r in records[table].items():
            assert r["local_rev"] == last.get(rid, 1)
            waiting = rid in last
            assert r["sync_state"] == (SyncState.NEW if r["server_version"] is None else
                                       SyncState.DIRTY if waiting else SyncState.SYNCED)


def test_batch_never_answered_is_closed_and_its_ops_queued_again(
        migrated: tuple[Path, Old, hmig.MigrationReport]) -> None:
    path, old, report = migrated
    closed = {b["batch_id"]: b for b in rows(path, "SELECT * FROM batch") if b["batch_id"] in old.open_batches}
    assert report.batches_closed == len(old.open_batches) == len(closed)
    assert all(b["done_at"] and b["last_error"] == hmig.IN_DOUBT_NOTE for b in closed.values())
    in_doubt = [o for o in old.ops if o["batch_id"] in old.open_batches]
    assert in_doubt
    queued = {o["op_id"] for o in rows(path, "SELECT op_id FROM outbox WHERE batch_id IS NULL")}
    assert {o["op_id"] for o in in_doubt} <= queued
    assert not rows(path, "SELECT record_id FROM proposals WHERE sync_state = 'UPLOADING'")


def test_second_run_changes_nothing(migrated: tuple[Path, Old, hmig.MigrationReport]) -> None:
    path, _, _ = migrated
    before = dump(path)
    assert run(path) is None
    assert dump(path) == before


def test_a_retry_on_another_copy_makes_the_same_ids(tmp_path: Path) -> None:
    a = at_schema_3(tmp_path / "a", "store_v2")
    b = at_schema_3(tmp_path / "b", "store_v2")
    run(a)
    run(b)
    for sql in ("SELECT op_id, seq, record_type, record_id, kind, local_rev, base_version, payload FROM outbox",
                "SELECT record_id, kk FROM households", "SELECT record_id, nik, household_id FROM members",
                "SELECT record_id, household_id, member_id, pengurus_id FROM proposals"):
        assert rows(a, sql + " ORDER BY 1") == rows(b, sql + " ORDER BY 1")


@pytest.mark.parametrize("table, event", [("outbox", "DELETE"), ("auditlog", "INSERT")])
def test_failure_midway_leaves_the_store_exactly_as_before(tmp_path: Path, table: str, event: str) -> None:
    """A real failure inside the step (a trigger in the file aborts it after the tables were made and
    filled): the transaction rolls back every table, row and the ALTER."""
    path = at_schema_3(tmp_path, "store_v2")
    conn = sqlite3.connect(path)
    conn.execute(f"CREATE TRIGGER inject_failure BEFORE {event} ON {table} BEGIN SELECT RAISE(ABORT, 'uji'); END")
    conn.commit()
    conn.close()
    before = dump(path)
    with pytest.raises(Exception, match="uji"):
        run(path)
    assert dump(path) == before


def test_as_a_migration_step_backup_first_and_restore_on_failure(tmp_path: Path) -> None:
    """Through local_db.migrations.migrate, as the registered step 4 runs when the app opens a store: a
    failure restores the backup and says so in Indonesian; a clean run moves user_version and keeps
    the backup."""
    step = migrations.MIGRATIONS[3]
    assert (step.version, step.apply, step.description) == (4, hmig.apply, hmig.STEP_DESCRIPTION)
    steps = migrations.MIGRATIONS[:4]  # up to this step (later steps have their own tests)
    path = at_schema_3(tmp_path, "store_v1")
    conn = sqlite3.connect(path)
    # The new tables do not exist yet: the step fails when it writes its first converted op.
    conn.execute("CREATE TRIGGER inject_failure BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'uji'); END")
    conn.commit()
    conn.close()
    before = dump(path)
    engine: Engine = make_engine(path)
    with pytest.raises(migrations.MigrationFailed) as err:
        migrations.migrate(engine, backup_dir=tmp_path / "bk", backup=backup_database, restore=restore_database,
                           steps=steps)
    engine.dispose()
    assert "dikembalikan seperti sebelum pembaruan" in err.value.message
    assert dump(path) == before
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER inject_failure")
    conn.commit()
    conn.close()
    engine = make_engine(path)
    copy = migrations.migrate(engine, backup_dir=tmp_path / "bk2", backup=backup_database,
                              restore=restore_database, steps=steps)
    engine.dispose()
    assert copy is not None and copy.exists()
    assert rows(path, "PRAGMA user_version")[0]["user_version"] == steps[-1].version  # later steps run too
    assert rows(path, "SELECT count(*) AS n FROM proposals")[0]["n"] == len(rows(path, "SELECT 1 FROM entry"))


def old_entry(path: Path, p: EntryPayload, at: str) -> str:
    """An entry as the entry-centred app saved it (today's app no longer writes that table)."""
    rid = str(uuid.uuid4())
    values = {**p.model_dump(exclude={"criteria"}), "criteria": ",".join(p.criteria), "record_id": rid,
              "name_key": "siti aminah", "warnings": "[]", "deleted": 0, "created_at": at, "updated_at": at,
              "created_by": "op", "updated_by": "op", "local_rev": 1, "sync_state": "NEW", "server_flags": "[]"}
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT OR IGNORE INTO household (kk, desa_code, dusun, rt, rw, address, created_at, updated_at) "
                      "VALUES (?, ?, '', '', '', ?, ?, ?)", (p.kk, p.desa_code, p.address, at, at))
        conn.execute(f"INSERT INTO entry ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                     tuple(values.values()))
    conn.close()
    return rid


def test_pengurus_who_moved_and_unknown_programme_are_flagged(tmp_path: Path) -> None:
    """A person whose entries name two KKs goes to the latest one; the household proposal of the other
    KK keeps its household and is flagged for the reviewer. A programme no longer in the catalogue
    stays a (person) proposal, flagged."""
    path = tmp_path / "s.sqlite3"
    close_store(open_store(path, steps=ENTRY_CENTRED))
    base = {"nik": "1902015708850001", "name": "Siti Aminah", "birth_date": "1985-08-17", "sex": "P",
            "desa_code": "1902012003", "address": "Jl. Merdeka 1"}
    first_id = old_entry(path, EntryPayload(**base, kk="1902010101100001", programme="PKH"), "2026-01-01")
    second_id = old_entry(path, EntryPayload(**base, kk="1902010202100002", programme="KARTU-LANSIA"), "2026-01-02")
    run(path)
    props = {p["record_id"]: p for p in rows(path, "SELECT * FROM proposals")}
    member = rows(path, "SELECT * FROM members")
    assert len(member) == 1 and member[0]["household_id"] == household_id_for("1902012003", "1902010202100002")
    assert props[first_id]["household_id"] == household_id_for("1902012003", "1902010101100001")
    assert hmig.FLAG_PENGURUS_MOVED in json.loads(props[first_id]["server_flags"])
    assert props[second_id]["member_id"] == member[0]["record_id"]
    assert hmig.FLAG_UNKNOWN_PROGRAMME in json.loads(props[second_id]["server_flags"])
    assert len(rows(path, "SELECT * FROM households")) == 2


def test_an_op_whose_entry_is_gone_stays_as_it_was_and_is_reported(tmp_path: Path) -> None:
    """Entries are never hard-deleted by the app; should one be missing, its op is not guessed at."""
    path = at_schema_3(tmp_path, "store_v2")
    conn = sqlite3.connect(path)
    gone = conn.execute("SELECT op_id, record_id FROM outbox WHERE kind = 'DELETE'").fetchone()
    conn.execute("DELETE FROM entry WHERE record_id = ?", (gone[1],))
    conn.commit()
    conn.close()
    report = run(path)
    assert report is not None and report.skipped_ops == [gone[0]]
    kept = rows(path, "SELECT record_type, batch_id FROM outbox WHERE op_id = ?", gone[0])
    assert kept == [{"record_type": hmig.LEGACY_RECORD_TYPE, "batch_id": None}]
