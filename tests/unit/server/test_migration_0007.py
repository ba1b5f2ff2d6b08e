"""Alembic 0007 on the last entry-centred server database (tests/fixtures/server_v2.sqlite3, made by
tests/fixtures/make_store_v2.py): every entry, decision, note, flag, history row, duplicate group and
applied op is accounted for in households, members and proposals (ADR 0005 "moving the old entries
in"), on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, inspect, text

from domain.legacy_ids import derived_op_id, household_id_for, member_id_for
from domain.records import HouseholdPayload, MemberPayload, ProposalPayload, RecordType
from server import db, migrate
from tests.support.pg import fresh_schema_url
from tests.support.server_v2 import postgres_copy_upgraded

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "server_v2.sqlite3"
DESA = "1902012003"
AHMAD_NIK, AHMAD_KK = "1902010905780001", "1902011403123100"
AHMAD_PKH, AHMAD_PBI = "6f9a8dbd-fc3d-4677-8311-ccaadaffe5b9", "e599b459-0a1b-41ae-9966-d7d74f6eabb2"
RETURNED = "f99edd7c-7fb1-42a7-afe7-37c2d8f52fb8"
REJECTED_R99 = "efa1ab1b-3e88-4fd5-bfb9-d67de5f71e2a"
DELETED = "b60ed5ea-1778-406d-ab7e-0f1027c45320"  # Asmah, the only entry of her NIK, deleted and synced
TWINS = ("7361e131-9be7-43e2-bd67-87090c571703", "3e876c69-9d38-4a9c-b7e9-ab93d5d4f066")


def _rows(engine: Engine, sql: str, **params: Any) -> list[dict[str, Any]]:
    with engine.connect() as c:
        return [dict(r._mapping) for r in c.execute(text(sql), params)]


def _old(path: Path) -> dict[str, list[dict[str, Any]]]:
    """The fixture's rows before the upgrade (read from the untouched file)."""
    # Read-only, without the server's pragmas (make_engine would switch the committed file to WAL).
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    out = {t: _rows(engine, f"SELECT * FROM {t}") for t in
           ("srv_entry", "srv_entry_version", "srv_applied_op", "srv_audit", "srv_dup_group", "srv_dup_member")}
    engine.dispose()
    return out


@pytest.fixture
def sqlite_upgraded(tmp_path: Path) -> Iterator[Engine]:
    copy = tmp_path / "server.db"
    shutil.copy(FIXTURE, copy)
    engine = db.make_engine(f"sqlite:///{copy}")
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


def _check(engine: Engine) -> None:
    old = _old(FIXTURE)
    entries = {e["record_id"]: e for e in old["srv_entry"]}
    households = {r["record_id"]: r for r in _rows(engine, "SELECT * FROM srv_household")}
    members = {r["record_id"]: r for r in _rows(engine, "SELECT * FROM srv_member")}
    proposals = {r["record_id"]: r for r in _rows(engine, "SELECT * FROM srv_proposal")}

    # One household per KK, one member per NIK, one proposal per entry (same id, version, outcome).
    assert set(households) == {household_id_for(DESA, e["kk"]) for e in entries.values()}
    assert set(members) == {member_id_for(DESA, e["nik"]) for e in entries.values()}
    assert set(proposals) == set(entries)
    assert (len(households), len(members), len(proposals)) == (13, 32, 33)
    for rid, e in entries.items():
        p = proposals[rid]
        assert (p["version"], bool(p["deleted"]), p["review_state"], p["review_reason_code"], p["review_note"],
                p["approved_version"], p["legacy_entry_id"]) == (
            e["version"], bool(e["deleted"]), e["review_state"], e["review_reason_code"], e["review_note"],
            e["approved_version"], rid)
        assert p["programme"] == e["programme"] and p["desa_code"] == DESA and p["province_code"] == "19"
        ProposalPayload.model_validate_json(p["payload"])
    for h in households.values():
        HouseholdPayload.model_validate_json(h["payload"])
        assert h["version"] == 1
    for m in members.values():
        MemberPayload.model_validate_json(m["payload"])
        assert m["version"] == 1 and m["household_id"] in households

    # Ahmad Fauzi: one person in two programmes -> one member, the PKH proposal on his household with
    # him as pengurus, the PBI-JK proposal on him; the server's flags stay, DUP_NIK leaves (one member now).
    hid, mid = household_id_for(DESA, AHMAD_KK), member_id_for(DESA, AHMAD_NIK)
    pkh, pbi = json.loads(proposals[AHMAD_PKH]["payload"]), json.loads(proposals[AHMAD_PBI]["payload"])
    assert (pkh["household_id"], pkh["pengurus_id"], pkh["member_id"]) == (hid, mid, "")
    assert (pbi["member_id"], pbi["household_id"]) == (mid, "")
    assert proposals[AHMAD_PKH]["target_id"] == hid and proposals[AHMAD_PBI]["target_id"] == mid
    assert json.loads(proposals[AHMAD_PKH]["flags"]) == ["REF_MATCH"]
    ahmad = json.loads(members[mid]["payload"])
    assert (ahmad["nik"], ahmad["name"], ahmad["household_id"], ahmad["relation"]) == (AHMAD_NIK, "Ahmad Fauzi", hid, "")
    assert set(ahmad["criteria"]) >= {"nelayan"}
    assert json.loads(households[hid]["payload"])["kk"] == AHMAD_KK

    # Notes and outcomes stay on the proposals; a deletion stays a deletion (and its only member goes too).
    assert proposals[RETURNED]["review_note"] == "Tanggal lahir mohon dicek ke KK"
    assert proposals[REJECTED_R99]["review_reason_code"] == "R99"
    assert proposals[DELETED]["deleted"] and members[member_id_for(DESA, entries[DELETED]["nik"])]["deleted"]
    assert not households[household_id_for(DESA, entries[DELETED]["kk"])]["deleted"]  # Syamsul Bahri lives there

    # History: every entry version is the proposal's history, the old payload kept beside the new one.
    hist = _rows(engine, "SELECT * FROM srv_record_version")
    moved = [h for h in hist if h["action"] != "migrate"]
    assert sorted((h["record_id"], h["version"], h["action"], h["op_id"]) for h in moved) == sorted(
        (v["record_id"], v["version"], v["change"], v["op_id"]) for v in old["srv_entry_version"])
    assert all(h["record_type"] == "proposal" and json.loads(h["source_payload"])["nik"] for h in moved)
    migrated = [h for h in hist if h["action"] == "migrate"]
    assert len(migrated) == 13 + 32 + 33
    assert len(_rows(engine, "SELECT * FROM srv_entry")) == 33  # the old tables stay (read-only proof)

    # Every record has its own, fresh change seq in the desa feed, above every old entry's.
    seqs = [r["change_seq"] for t in (households, members, proposals) for r in t.values()]
    assert len(set(seqs)) == len(seqs) == 78
    assert min(seqs) > max(e["change_seq"] for e in entries.values())
    [feed] = _rows(engine, "SELECT value FROM srv_area_seq WHERE area = :a", a=f"desa:{DESA}")
    assert feed["value"] == max(seqs)

    # Exactly once across the migration: both derived op ids of every applied entry op are applied.
    applied = {a["op_id"]: a for a in _rows(engine, "SELECT * FROM srv_applied_op")}
    assert len(applied) == 3 * len(old["srv_applied_op"])
    for a in old["srv_applied_op"]:
        e = entries[a["record_id"]]
        h = applied[derived_op_id(a["op_id"], RecordType.HOUSEHOLD)]
        m = applied[derived_op_id(a["op_id"], RecordType.MEMBER)]
        assert (h["record_id"], h["version"], m["record_id"], m["version"]) == (
            household_id_for(DESA, e["kk"]), 1, member_id_for(DESA, e["nik"]), 1)

    # Audit: old rows untouched, one "migrate" row per household and member naming its entries.
    audit = _rows(engine, "SELECT * FROM srv_audit")
    assert len(audit) == len(old["srv_audit"]) + 13 + 32
    row = next(a for a in audit if a["record_id"] == mid and a["action"] == "migrate")
    assert json.loads(row["after"])["sources"] == sorted([AHMAD_PKH, AHMAD_PBI])

    # Duplicate groups move with their kind: the twins' person group now holds their members; the
    # NIK group of Ahmad's two entries is one member now, so it is dissolved (kept for the record).
    groups = {g["kind"]: g for g in _rows(engine, "SELECT * FROM srv_dup_group")}
    group_members = _rows(engine, "SELECT * FROM srv_dup_member")
    twins = {member_id_for(DESA, entries[t]["nik"]) for t in TWINS}
    assert {m["record_id"] for m in group_members if m["group_id"] == groups["person"]["id"]} == twins
    assert groups["person"]["state"] == "OPEN"
    assert all("DUP_PERSON" in json.loads(members[t]["flags"]) for t in twins)
    assert all("DUP_PERSON" not in json.loads(proposals[t]["flags"]) for t in TWINS)
    assert groups["nik"]["state"] == "DISSOLVED"
    twin_with_reason = member_id_for(DESA, entries[TWINS[1]]["nik"])
    assert json.loads(members[twin_with_reason]["payload"])["override_reason"]
    assert "OVERRIDE" in json.loads(members[twin_with_reason]["flags"])


def test_0007_moves_every_entry_of_the_v2_server_into_the_three_records(sqlite_upgraded: Engine) -> None:
    _check(sqlite_upgraded)
    assert {"srv_household", "srv_member", "srv_proposal", "srv_record_version"} <= set(
        inspect(sqlite_upgraded).get_table_names())


def test_the_migrated_database_serves_a_pull_of_the_three_records(sqlite_upgraded: Engine) -> None:
    from sqlmodel import Session

    from server.services.changes import changes_page_json
    from sync.protocol import RecordChangesPage

    with Session(sqlite_upgraded) as s:
        page = RecordChangesPage.model_validate_json(changes_page_json(s, desa=DESA, since=0, limit=500))
    kinds = [c.type for c in page.changes]
    assert (kinds.count("household"), kinds.count("member"), kinds.count("proposal")) == (13, 32, 33)
    assert not page.has_more


@pytest.mark.postgres
def test_0007_on_postgresql_moves_the_same_rows_into_province_partitions() -> None:
    with fresh_schema_url() as url:
        engine = postgres_copy_upgraded(url)
        try:
            _check(engine)
            [part] = _rows(engine, "SELECT count(*) AS n FROM srv_proposal_p19")
            assert part["n"] == 33
        finally:
            engine.dispose()
