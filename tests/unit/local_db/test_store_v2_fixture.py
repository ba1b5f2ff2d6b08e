"""The "store made by today's code" fixture holds what it claims (issue 12).

tests/fixtures/store_v2.sqlite3 and server_v2.sqlite3 were written by the last entry-centred code
(local schema 2, server alembic 0001) through its real paths: see tests/fixtures/make_store_v2.py.
The household migration must account for every row counted here; these tests pin the counts so a
regenerated or damaged fixture cannot slip through as an empty success.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from desktop_app import paths
from desktop_app.context import AppContext
from domain.states import OpKind, ReviewState, SyncState

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
STORE = FIXTURES / "store_v2.sqlite3"
SERVER = FIXTURES / "server_v2.sqlite3"

# (sync_state, review_state, reason code) -> entries, deleted ones included.
STORE_STATES = {
    ("SYNCED", "APPROVED", None): 5,
    ("DIRTY", "APPROVED", None): 1,  # approved, then edited in the village
    ("SYNCED", "PENDING", None): 18,  # includes the entry deleted on both sides
    ("DIRTY", "PENDING", None): 1,  # deleted in the village, DELETE not sent
    ("SYNCED", "REJECTED", "R06"): 1,
    ("SYNCED", "REJECTED", "R10"): 1,
    ("SYNCED", "REJECTED", "R99"): 1,
    ("SYNCED", "RETURNED", None): 1,
    ("DIRTY", "RETURNED", None): 1,  # returned, then fixed in the village
    ("UPLOADING", None, None): 2,  # in the batch the server committed but never answered
    ("NEW", None, None): 3,  # one of the in-doubt batch edited again, and a family never sent
}
STORE_COUNTS = {"entry": 35, "household": 14, "auditlog": 40, "outbox": 9, "batch": 3, "referencerecipient": 1}
SERVER_COUNTS = {"srv_entry": 33, "srv_entry_version": 34, "srv_applied_op": 34, "srv_batch": 3}


def query(path: Path, sql: str, *params: Any) -> list[sqlite3.Row]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def count(path: Path, table: str) -> int:
    return int(query(path, f"SELECT count(*) FROM {table}")[0][0])


def test_files_are_small_self_contained_and_of_schema_2() -> None:
    for f in (STORE, SERVER):
        assert f.stat().st_size < 1_000_000
        assert query(f, "PRAGMA journal_mode")[0][0] == "delete"
        assert query(f, "PRAGMA quick_check")[0][0] == "ok"
    assert query(STORE, "PRAGMA user_version")[0][0] == 2
    assert query(SERVER, "SELECT version_num FROM alembic_version")[0][0] == "0001"
    assert {t: count(STORE, t) for t in STORE_COUNTS} == STORE_COUNTS
    assert {t: count(SERVER, t) for t in SERVER_COUNTS} == SERVER_COUNTS


def test_store_holds_every_sync_and_review_state() -> None:
    rows = query(STORE, "SELECT sync_state, review_state, review_reason_code FROM entry")
    assert Counter((r[0], r[1], r[2]) for r in rows) == STORE_STATES
    notes = {r[0]: r[1] for r in query(STORE, "SELECT name, review_note FROM entry WHERE review_note IS NOT NULL")}
    assert notes["Nur Aini"] == "Sudah pindah ke Kabupaten Belitung Timur"  # R99 needs a note
    assert notes["Maimunah"] == "Tanggal lahir mohon dicek ke KK"
    assert "Foto KK tidak terbaca" in notes["Dewi Lestari"]


def test_store_holds_families_persons_in_two_programmes_warnings_and_overrides() -> None:
    # Families with several members in a person programme (PBI-JK) beside the head's family programme.
    per_kk = query(STORE, "SELECT kk, count(*) FROM entry WHERE programme='PBI-JK' GROUP BY kk HAVING count(*) > 1")
    assert len(per_kk) >= 4
    # One person (one NIK) in two programmes.
    two = query(STORE, "SELECT nik, group_concat(programme) FROM entry GROUP BY nik HAVING count(*) > 1")
    assert [(r[0], sorted(r[1].split(","))) for r in two] == [("1902010905780001", ["PBI-JK", "PKH"])]
    warned = {r[0]: [w["code"] for w in json.loads(r[1])] for r in
              query(STORE, "SELECT name || '/' || programme, warnings FROM entry WHERE warnings != '[]'")}
    assert warned["Ahmad Fauzi/PBI-JK"] == ["duplicate_nik"]
    assert warned["Dewi Lestiani/PBI-JK"] == ["duplicate_probable_person"]
    overrides = query(STORE, "SELECT name, override_reason FROM entry WHERE override_reason != '' ORDER BY name")
    assert [tuple(r) for r in overrides] == [("Dewi Lestari", "Kembar; orang berbeda, KK sama"),
                                             ("Dewi Lestiani", "Kembar; orang berbeda, KK sama")]
    flags = Counter(f for r in query(STORE, "SELECT server_flags FROM entry") for f in json.loads(r[0]))
    assert flags["REF_MATCH"] == 2 and flags["DUP_NIK"] == 2 and flags["OVERRIDE"] == 1
    assert [tuple(r) for r in query(STORE, "SELECT nik, programme, level, status FROM referencerecipient")] == [
        ("1902010905780001", "PKH", "pusat", "aktif")]


def test_store_holds_deletions_audit_and_unsent_work() -> None:
    deleted = {r[0]: (r[1], r[2]) for r in query(STORE, "SELECT name, sync_state, delete_reason FROM entry WHERE deleted")}
    assert deleted == {"Asmah": ("SYNCED", "Meninggal dunia"), "Nurlela": ("DIRTY", "Pindah domisili ke desa lain")}
    assert Counter(r[0] for r in query(STORE, "SELECT action FROM auditlog")) == {"CREATE": 35, "UPDATE": 3, "DELETE": 2}
    ops = query(STORE, "SELECT o.kind, o.batch_id, e.name FROM outbox o JOIN entry e USING (record_id) ORDER BY o.seq")
    assert [(r[0], r[2]) for r in ops] == [
        ("UPSERT", "Rudi Hartono"), ("UPSERT", "Sri Rahayu"), ("UPSERT", "Putri Ayu"),  # the in-doubt batch
        ("UPSERT", "Putri Ayu"), ("UPSERT", "Junaidi"), ("UPSERT", "Dewi Lestari"), ("DELETE", "Nurlela"),
        ("UPSERT", "Agus Salim"), ("UPSERT", "Nurhayati"),
    ]
    in_doubt = query(STORE, "SELECT batch_id, op_ids, attempts, done_at FROM batch WHERE done_at IS NULL")
    assert len(in_doubt) == 1 and in_doubt[0]["attempts"] >= 1
    assert {r[1] for r in ops[:3]} == {in_doubt[0]["batch_id"]} and all(r[1] is None for r in ops[3:])
    # The server committed that batch: its ops are there, the later ones are not.
    sent = {r[0] for r in query(SERVER, "SELECT op_id FROM srv_applied_op")}
    doubt_ops = json.loads(in_doubt[0]["op_ids"])
    assert set(doubt_ops) <= sent
    later = {r[0] for r in query(STORE, "SELECT op_id FROM outbox WHERE batch_id IS NULL")}
    assert len(later) == 6 and not later & sent


def test_server_holds_the_same_outcomes() -> None:
    rows = query(SERVER, "SELECT review_state, review_reason_code, deleted FROM srv_entry")
    assert Counter((r[0], r[1], bool(r[2])) for r in rows) == {
        ("APPROVED", None, False): 6, ("PENDING", None, False): 21, ("PENDING", None, True): 1,
        ("REJECTED", "R06", False): 1, ("REJECTED", "R10", False): 1, ("REJECTED", "R99", False): 1,
        ("RETURNED", None, False): 2,
    }
    # Everything but the family never sent (Putri Ayu is NEW again locally, but her first op reached it).
    local = {r[0] for r in query(STORE, "SELECT record_id FROM entry WHERE name NOT IN ('Agus Salim', 'Nurhayati')")}
    server = {r[0] for r in query(SERVER, "SELECT record_id FROM srv_entry")}
    assert server == local


@pytest.fixture
def v2_data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    shutil.copyfile(STORE, paths.db_path(d))
    return d


def test_todays_code_reads_the_fixture(v2_data_dir: Path) -> None:
    """The app itself (not just SQL) opens the fixture as a village PC between two syncs: every entry is
    a proposal with its outcome, the in-doubt work waits to go again, and the unsent ops travel as
    household -> member -> proposal ops (ADR 0005 step 5)."""
    with AppContext.open(v2_data_dir) as ctx:
        assert ctx.desa_code == "1902012003"
        with ctx.engine.connect() as conn:
            proposals = conn.exec_driver_sql("SELECT sync_state, review_state FROM proposals").all()
            kinds = Counter((r[0], r[1]) for r in conn.exec_driver_sql("SELECT record_type, kind FROM outbox"))
            open_batches = conn.exec_driver_sql("SELECT count(*) FROM batch WHERE done_at IS NULL").scalar_one()
    assert len(proposals) == STORE_COUNTS["entry"]
    states = Counter((str(p[0]), p[1]) for p in proposals)
    assert states[(SyncState.SYNCED, ReviewState.APPROVED)] == 5
    # The two entries of the never-answered batch wait again: its ops are queued anew.
    assert states[(SyncState.UPLOADING, None)] == 0 and open_batches == 0
    assert states[(SyncState.NEW, None)] + states[(SyncState.DIRTY, None)] == 5
    upserts = 8  # each old UPSERT becomes a household, a member and a proposal op; the DELETE stays one
    assert kinds == {("household", OpKind.UPSERT): upserts, ("member", OpKind.UPSERT): upserts,
                     ("proposal", OpKind.UPSERT): upserts, ("proposal", OpKind.DELETE): 1}
