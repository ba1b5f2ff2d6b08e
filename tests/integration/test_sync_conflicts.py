"""Every row of the conflict table (design.md §4), end to end, per record type (household, member,
proposal): two village clients, one real server process, reviewer decisions through the review API in
between, then pulls. Each test ends with the four sync invariants."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine

from domain.records import RecordType
from domain.states import ReviewState, SyncState
from sync import conflicts
from sync.client import gzip_bytes
from sync.protocol import PROTOCOL_HEADER
from sync.wire import encode_body, op_wire
from tests.support.households import Family
from tests.support.serverproc import ServerProcess
from tests.support.sync_env import Village, fresh_rows
from tests.support.sync_fixtures import module_server, server_db_of
from tests.support.sync_invariants import check_sync_invariants, server_rows

pytestmark = pytest.mark.slow

H, M, P = RecordType.HOUSEHOLD, RecordType.MEMBER, RecordType.PROPOSAL


@pytest.fixture(scope="module")
def srv(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    yield from module_server(tmp_path_factory, "conflictsrv")


@pytest.fixture(scope="module")
def server_db(srv: ServerProcess) -> Iterator[Engine]:
    yield from server_db_of(srv)


@pytest.fixture
def pair(tmp_path: Path, srv: ServerProcess) -> Iterator[tuple[Village, Village]]:
    """Two devices of the same desa (op1)."""
    a = Village.create(tmp_path / "pc-1", srv.url, "op1")
    b = Village.create(tmp_path / "pc-2", srv.url, "op1")
    yield a, b
    a.close()
    b.close()


def review(srv: ServerProcess, path: str, body: dict[str, Any]) -> Any:
    r = srv.post(f"/api/v1/review{path}", "rev1", json=body, headers={PROTOCOL_HEADER: "2"})
    assert r.status_code == 200, r.text
    return r.json()


def detail(srv: ServerProcess, proposal_id: str) -> Any:
    r = srv.get(f"/api/v1/review/proposals/{proposal_id}", "rev1", headers={PROTOCOL_HEADER: "2"})
    assert r.status_code == 200, r.text
    return r.json()


def flags(d: Any) -> set[str]:
    return {f["code"] for f in d["proposal"]["flags"]}


def sync_all(*villages: Village) -> None:
    for _ in range(2):  # twice: everyone pulls what the others pushed
        for v in villages:
            rep = v.sync()
            assert rep.ok, rep.error


def invariants(server_db: Engine, *villages: Village) -> None:
    sync_all(*villages)
    by_desa: dict[str, list[Village]] = {}
    for v in villages:
        by_desa.setdefault(v.desa, []).append(v)
    for desa, vs in by_desa.items():
        check_sync_invariants([v.engine for v in vs], server_db, desa)


def shared_family(a: Village, b: Village) -> Family:
    (f,) = a.families(1, members=2)
    sync_all(a, b)
    for rid in (f.household_id, *f.member_ids, f.proposal_id):
        assert b.get(rid) is not None
    return f


def record_of(f: Family, record_type: RecordType) -> str:
    return {H: f.household_id, M: f.member_ids[1], P: f.proposal_id}[record_type]


# An edit per record type that two devices can make to the same field, and another to a different one.
SAME_FIELD: dict[RecordType, tuple[str, Any, Any]] = {
    H: ("address", "Jl. Versi Server", "Jl. Versi Desa"),
    M: ("phone", "081211110000", "081322220000"),
    P: ("note", "catatan versi server", "catatan versi desa"),
}
OTHER_FIELD: dict[RecordType, tuple[str, Any]] = {
    H: ("phone", "081234567890"), M: ("birth_place", "Manggar"), P: ("criteria", ["lansia"]),
}


# ----------------------------------------------------------------------------- same NIK / KK, two villages


@pytest.mark.parametrize("same", ["nik", "kk"])
def test_same_nik_or_kk_in_two_villages_both_pending_reviewer_keeps_one_both_learn(
        tmp_path: Path, srv: ServerProcess, server_db: Engine, same: str) -> None:
    a = Village.create(tmp_path / "desa-a", srv.url, "op1")
    b = Village.create(tmp_path / "desa-b", srv.url, "op2")
    try:
        # PBI-JK targets the person (a same-NIK group settles the member's proposals), PKH the family.
        row = {**next(fresh_rows(1, a.desa)), "programme": "PBI-JK" if same == "nik" else "PKH"}
        other = {**next(fresh_rows(1, b.desa)), "programme": row["programme"]}
        pa = a.add_row(row)
        # The same person (NIK) under another KK, or another person on the same KK, in desa B.
        pb = b.add_row({**row, "desa_code": b.desa, "kk": other["kk"]} if same == "nik" else
                       {**other, "kk": row["kk"]})
        sync_all(a, b)
        for v, pid in ((a, pa), (b, pb)):
            p = v.get(pid)
            assert p is not None and p["sync_state"] == SyncState.SYNCED and p["review_state"] == ReviewState.PENDING
        # The records in the group: the members (same NIK) or the households (same KK) of the two proposals.
        rtype, col = (M, "member_id") if same == "nik" else (H, "household_id")
        ra, rb = a.get(pa)[col], b.get(pb)[col]  # type: ignore[index]
        groups = srv.get("/api/v1/review/duplicates", "rev1", headers={PROTOCOL_HEADER: "2"}).json()
        group = next((g for g in groups if {ra, rb} <= {m["record_id"] for m in g["members"]}), None)
        assert group is not None, [(g["kind"], [m["record_id"] for m in g["members"]]) for g in groups]
        assert group["record_type"] == rtype.value
        review(srv, f"/duplicates/{group['group_id']}/settle", {"keep_record_ids": [ra], "note": "sudah di desa A"})
        sync_all(a, b)
        kept, lost = a.get(pa), b.get(pb)
        assert kept is not None and kept["review_state"] == ReviewState.PENDING
        assert lost is not None and lost["review_state"] == ReviewState.REJECTED
        assert lost["review_reason_code"] and lost["sync_state"] == SyncState.SYNCED
        invariants(server_db, a, b)
    finally:
        a.close()
        b.close()


# ----------------------------------------------------------------------------- edited after approval


def test_edited_after_approval_goes_back_to_pending_and_keeps_the_approved_version(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine) -> None:
    a, b = pair
    pid = shared_family(a, b).proposal_id
    review(srv, "/decisions", {"record_ids": [pid], "decision": "approve"})
    sync_all(a, b)
    assert a.get(pid)["review_state"] == ReviewState.APPROVED  # type: ignore[index]
    approved_payload = detail(srv, pid)["proposal"]["payload"]
    a.edit(pid, note="Diubah setelah disetujui")
    sync_all(a, b)
    d = detail(srv, pid)
    assert d["proposal"]["review_state"] == "PENDING" and d["proposal"]["version"] == 2
    assert "EDITED_AFTER_APPROVAL" in flags(d)
    # STRICT: the approved version stays in the server's history, as it was approved.
    assert d["approved"] is not None and d["approved"]["version"] == 1
    assert d["approved"]["payload"]["note"] == approved_payload["note"] == ""
    kept = [h for h in d["history"] if h["version"] == 1 and h.get("record_type", "proposal") == "proposal"
            and (h.get("approved") or h["review_state"] == "APPROVED")]
    assert kept, d["history"]
    for v in (a, b):
        p = v.get(pid)
        assert p is not None and p["review_state"] == ReviewState.PENDING and p["note"] == "Diubah setelah disetujui"
    review(srv, "/decisions", {"record_ids": [pid], "decision": "approve"})
    invariants(server_db, a, b)
    assert b.get(pid)["review_state"] == ReviewState.APPROVED  # type: ignore[index]


# ----------------------------------------------------------------------------- returned, then edited


@pytest.mark.parametrize("decision", ["return", "reject"])
def test_returned_or_rejected_then_edited_is_a_resubmission_with_the_note_kept(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine, decision: str) -> None:
    a, b = pair
    pid = shared_family(a, b).proposal_id
    body: dict[str, Any] = {"record_ids": [pid], "decision": decision, "note": "Kriteria kurang lengkap"}
    if decision == "reject":
        body["reason_code"] = "R01"
    else:
        body["review_fields"] = ["proposal.criteria"]  # a return names what the village must fix
    review(srv, "/decisions", body)
    sync_all(a, b)
    p = a.get(pid)
    assert p is not None and p["review_note"] == "Kriteria kurang lengkap"
    assert json.loads(p["review_fields"]) == body.get("review_fields", [])
    assert p["review_state"] == (ReviewState.RETURNED if decision == "return" else ReviewState.REJECTED)
    assert a.svc.status().returned == (1 if decision == "return" else 0)
    a.edit(pid, criteria=["lansia"])
    sync_all(a, b)
    d = detail(srv, pid)
    assert d["proposal"]["review_state"] == "PENDING"
    assert "RESUBMITTED" in flags(d)
    assert d["proposal"]["review_note"] == "Kriteria kurang lengkap"  # the earlier note is kept
    p = b.get(pid)
    assert p is not None and p["review_state"] == ReviewState.PENDING and p["review_note"] == "Kriteria kurang lengkap"
    assert p["criteria"] == "lansia"
    invariants(server_db, a, b)


# ----------------------------------------------------------------------------- stale base


@pytest.mark.parametrize("record_type", [H, M, P])
def test_stale_base_different_fields_are_merged_automatically(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine, record_type: RecordType) -> None:
    a, b = pair
    rid = record_of(shared_family(a, b), record_type)
    field, first, _ = SAME_FIELD[record_type]
    other, second = OTHER_FIELD[record_type]
    a.edit(rid, **{field: first})
    assert a.sync().ok
    b.edit(rid, **{other: second})  # still based on version 1
    rep = b.sync()
    assert rep.ok and rep.conflict == 0
    assert b.state(rid) == SyncState.SYNCED
    merged = b.payload(rid)
    assert getattr(merged, field) == first and getattr(merged, other) == second  # both edits, merged
    srv_row = server_rows(server_db, a.desa)[(record_type, rid)]
    assert getattr(srv_row.payload, field) == first and getattr(srv_row.payload, other) == second
    invariants(server_db, a, b)


def _hard_conflict(a: Village, b: Village, record_type: RecordType) -> str:
    rid = record_of(shared_family(a, b), record_type)
    field, server_value, village_value = SAME_FIELD[record_type]
    a.edit(rid, **{field: server_value})
    assert a.sync().ok
    b.edit(rid, **{field: village_value})
    rep = b.sync()
    assert rep.ok and rep.conflict == 1 and rep.conflict_records == [rid]
    return rid


@pytest.mark.parametrize("record_type", [H, M, P])
def test_stale_base_same_fields_server_values_kept_village_edit_stored_operator_picks_per_field(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine, record_type: RecordType) -> None:
    a, b = pair
    rid = _hard_conflict(a, b, record_type)
    field, server_value, village_value = SAME_FIELD[record_type]
    assert b.state(rid) == SyncState.CONFLICT
    assert getattr(b.payload(rid), field) == village_value  # the village keeps its edit meanwhile
    assert getattr(server_rows(server_db, a.desa)[(record_type, rid)].payload, field) == server_value
    view = b.svc.conflict_view(rid)
    assert view is not None and view.record_type is record_type and view.kind == "hard"
    diff = next(f for f in view.fields if f.field == field)
    assert (diff.village, diff.server, diff.contested) == (
        conflicts._show(village_value), conflicts._show(server_value), True)
    b.svc.resolve_conflict(rid, {field: conflicts.VILLAGE})  # the operator keeps the village value
    assert b.state(rid) == SyncState.DIRTY
    sync_all(b, a)
    assert getattr(server_rows(server_db, a.desa)[(record_type, rid)].payload, field) == village_value
    assert getattr(a.payload(rid), field) == village_value
    invariants(server_db, a, b)


@pytest.mark.parametrize("keep", ["village", "server"])
def test_stale_base_same_fields_reviewer_picks_per_field_and_the_village_learns(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine, keep: str) -> None:
    a, b = pair
    rid = _hard_conflict(a, b, P)
    assert detail(srv, rid)["proposal"]["conflict"] is not None
    review(srv, f"/conflicts/{rid}/settle", {"choices": {"note": keep}})
    sync_all(a, b)
    want = SAME_FIELD[P][2] if keep == "village" else SAME_FIELD[P][1]
    for v in (a, b):
        assert v.state(rid) == SyncState.SYNCED and v.payload(rid).note == want
    invariants(server_db, a, b)


# ----------------------------------------------------------------------------- deleted in the village


def test_deleted_in_the_village_with_a_current_base_is_a_soft_delete(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine) -> None:
    a, b = pair
    f = shared_family(a, b)
    a.delete(f.proposal_id, "meninggal dunia")
    a.delete(f.member_ids[1], "pindah domisili")  # not named by any proposal: may go
    sync_all(a, b)
    rows = server_rows(server_db, a.desa)
    assert rows[(P, f.proposal_id)].deleted and rows[(M, f.member_ids[1])].deleted
    for rid in (f.proposal_id, f.member_ids[1]):
        r = b.get(rid)
        assert r is not None and r["deleted"] and r["sync_state"] == SyncState.SYNCED
    invariants(server_db, a, b)


@pytest.mark.parametrize("who", ["reviewer", "operator"])
def test_deleted_in_the_village_with_a_stale_base_is_a_hard_conflict(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine, who: str) -> None:
    a, b = pair
    pid = shared_family(a, b).proposal_id
    a.edit(pid, note="diubah dulu")
    assert a.sync().ok
    b.delete(pid, "pindah")
    rep = b.sync()
    assert rep.conflict == 1
    assert b.state(pid) == SyncState.CONFLICT
    assert not server_rows(server_db, a.desa)[(P, pid)].deleted  # nothing deleted on a stale base
    if who == "reviewer":
        review(srv, f"/conflicts/{pid}/settle", {"choices": {"deleted": "village"}})
    else:
        view = b.svc.conflict_view(pid)
        assert view is not None and any(f.field == conflicts.DELETED for f in view.fields)
        b.svc.resolve_conflict(pid, {conflicts.DELETED: conflicts.VILLAGE})
    sync_all(b, a)
    assert server_rows(server_db, a.desa)[(P, pid)].deleted
    for v in (a, b):
        r = v.get(pid)
        assert r is not None and r["deleted"] and r["sync_state"] == SyncState.SYNCED
    invariants(server_db, a, b)


# ----------------------------------------------------------------------------- voided on the server


@pytest.mark.parametrize("choice", ["server", "village"])
def test_voided_on_the_server_edited_in_the_village_keeps_the_village_copy_until_the_operator_decides(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine, choice: str) -> None:
    a, b = pair
    pid = shared_family(a, b).proposal_id
    review(srv, "/decisions", {"record_ids": [pid], "decision": "void", "note": "terdaftar dua kali"})
    a.edit(pid, note="Diedit setelah dibatalkan")
    rep = a.sync()
    assert rep.conflict == 1
    p = a.get(pid)
    assert p is not None and p["sync_state"] == SyncState.CONFLICT and not p["deleted"]
    assert p["note"] == "Diedit setelah dibatalkan"  # the village keeps its copy
    view = a.svc.conflict_view(pid)
    assert view is not None and view.kind == "deleted" and view.server_deleted
    if choice == "server":
        a.svc.resolve_conflict(pid, {conflicts.RECORD: conflicts.SERVER})
        p = a.get(pid)
        assert p is not None and p["deleted"] and p["sync_state"] == SyncState.SYNCED
        invariants(server_db, a, b)
    else:
        a.svc.resolve_conflict(pid, {conflicts.RECORD: conflicts.VILLAGE})  # send it again
        rep = a.sync()
        assert rep.conflict == 1  # still voided: the reviewer must restore it; nothing is lost
        p = a.get(pid)
        assert p is not None and p["note"] == "Diedit setelah dibatalkan"
        a.svc.resolve_conflict(pid, {conflicts.RECORD: conflicts.SERVER})
        invariants(server_db, a, b)


# ----------------------------------------------------------------------------- retry / duplicate delivery


def test_retry_and_duplicate_delivery_are_no_ops_with_the_stored_result(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine) -> None:
    a, b = pair
    a.families(2, members=2)
    with a.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT * FROM outbox ORDER BY seq").all()
    assert {r.record_type for r in rows} == {"household", "member", "proposal"}
    body = gzip_bytes(encode_body(a.ctx.device_id, [op_wire(r) for r in rows]))
    headers = {**srv.headers("op1"), "Content-Encoding": "gzip", "Content-Type": "application/json",
               PROTOCOL_HEADER: "2", "Idempotency-Key": "retry-batch-" + rows[0].op_id[:8]}
    first = requests.post(f"{srv.url}/api/v1/sync/batches", data=body, timeout=30, headers=headers)
    again = requests.post(f"{srv.url}/api/v1/sync/batches", data=body, timeout=30, headers=headers)
    assert first.status_code == again.status_code == 200, first.text
    assert json.loads(first.content)["results"] == json.loads(again.content)["results"]
    assert {r["status"] for r in json.loads(first.content)["results"]} == {"ACCEPTED"}
    rep = a.sync()  # the client's own batch: new id, same ops -> DUPLICATE, versions unchanged
    assert rep.ok and rep.duplicate == len(rows) and rep.accepted == 0
    invariants(server_db, a, b)
