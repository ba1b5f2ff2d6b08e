"""Every row of the conflict table (design.md §4), end to end: two village clients, one real server
process, reviewer decisions through the review API in between, then pulls. Each test ends with
the four sync invariants."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine

from domain.states import ReviewState, SyncState
from local_db import repository as repo
from sync import conflicts
from sync.client import gzip_bytes
from tests.support.serverproc import ServerProcess
from tests.support.sync_env import Village, fresh_rows
from tests.support.sync_fixtures import module_server, server_db_of
from tests.support.sync_invariants import check_sync_invariants, server_rows

pytestmark = pytest.mark.slow


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
    r = srv.post(f"/api/v1/review{path}", "rev1", json=body)
    assert r.status_code == 200, r.text
    return r.json()


def detail(srv: ServerProcess, record_id: str) -> Any:
    r = srv.get(f"/api/v1/review/entries/{record_id}", "rev1")
    assert r.status_code == 200, r.text
    return r.json()


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


def created_and_shared(a: Village, b: Village) -> str:
    rid = a.add(1)[0]
    sync_all(a, b)
    assert b.get(rid) is not None
    return rid


# ----------------------------------------------------------------------------- same NIK, two villages


def test_same_nik_in_two_villages_both_pending_reviewer_keeps_one_both_learn(
        tmp_path: Path, srv: ServerProcess, server_db: Engine) -> None:
    a = Village.create(tmp_path / "desa-a", srv.url, "op1")
    b = Village.create(tmp_path / "desa-b", srv.url, "op2")
    try:
        row = next(fresh_rows(1, a.desa))
        ra = a.add_row(row)
        rb = b.add_row({**row, "desa_code": b.desa, "kk": next(fresh_rows(1, b.desa))["kk"]})
        sync_all(a, b)
        for v, rid in ((a, ra), (b, rb)):
            e = v.get(rid)
            assert e is not None and e.sync_state == SyncState.SYNCED and e.review_state == ReviewState.PENDING
        groups = srv.get("/api/v1/review/duplicates", "rev1").json()
        group = next((g for g in groups if g["kind"] == "nik" and {ra, rb} <= {m["record_id"] for m in g["members"]}),
                     None)
        assert group is not None, [(g["kind"], [m["record_id"] for m in g["members"]]) for g in groups]
        review(srv, f"/duplicates/{group['group_id']}/settle", {"keep_record_ids": [ra], "note": "sudah di desa A"})
        sync_all(a, b)
        kept, other = a.get(ra), b.get(rb)
        assert kept is not None and kept.review_state == ReviewState.PENDING
        assert other is not None and other.review_state == ReviewState.REJECTED
        assert other.review_reason_code == "R03" and other.sync_state == SyncState.SYNCED
        invariants(server_db, a, b)
    finally:
        a.close()
        b.close()


# ----------------------------------------------------------------------------- edited after approval


def test_edited_after_approval_goes_back_to_pending_and_keeps_the_approved_version(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine) -> None:
    a, b = pair
    rid = created_and_shared(a, b)
    review(srv, "/decisions", {"record_ids": [rid], "decision": "approve"})
    sync_all(a, b)
    assert a.get(rid).review_state == ReviewState.APPROVED  # type: ignore[union-attr]
    a.edit(rid, address="Jl. Setelah Disetujui")
    sync_all(a, b)
    d = detail(srv, rid)
    assert d["entry"]["review_state"] == "PENDING" and d["entry"]["version"] == 2
    assert any(f["code"] == "EDITED_AFTER_APPROVAL" for f in d["entry"]["flags"])
    assert [h["review_state"] for h in d["history"] if h["version"] == 1] == ["APPROVED"] or \
        any(h["version"] == 1 for h in d["history"])  # the approved version stays in the history
    for v in (a, b):
        e = v.get(rid)
        assert e is not None and e.review_state == ReviewState.PENDING and e.address == "Jl. Setelah Disetujui"
    review(srv, "/decisions", {"record_ids": [rid], "decision": "approve"})
    invariants(server_db, a, b)
    assert b.get(rid).review_state == ReviewState.APPROVED  # type: ignore[union-attr]


# ----------------------------------------------------------------------------- returned, then edited


@pytest.mark.parametrize("decision", ["return", "reject"])
def test_returned_or_rejected_then_edited_is_a_resubmission_with_the_note_kept(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine, decision: str) -> None:
    a, b = pair
    rid = created_and_shared(a, b)
    body: dict[str, Any] = {"record_ids": [rid], "decision": decision, "note": "Alamat kurang lengkap"}
    if decision == "reject":
        body["reason_code"] = "R01"
    review(srv, "/decisions", body)
    sync_all(a, b)
    e = a.get(rid)
    assert e is not None and e.review_note == "Alamat kurang lengkap"
    assert e.review_state == (ReviewState.RETURNED if decision == "return" else ReviewState.REJECTED)
    assert a.svc.status().returned == (1 if decision == "return" else 0)
    a.edit(rid, address="Jl. Lengkap No. 5 RT 001")
    sync_all(a, b)
    d = detail(srv, rid)
    assert d["entry"]["review_state"] == "PENDING"
    assert any(f["code"] == "RESUBMITTED" for f in d["entry"]["flags"])
    assert d["entry"]["review_note"] == "Alamat kurang lengkap"  # the earlier note is kept
    e = b.get(rid)
    assert e is not None and e.review_state == ReviewState.PENDING and e.review_note == "Alamat kurang lengkap"
    invariants(server_db, a, b)


# ----------------------------------------------------------------------------- stale base


def test_stale_base_different_fields_are_merged_automatically(pair: tuple[Village, Village], srv: ServerProcess,
                                                               server_db: Engine) -> None:
    a, b = pair
    rid = created_and_shared(a, b)
    a.edit(rid, address="Jl. Dari PC Satu")
    assert a.sync().ok
    b.edit(rid, phone="081234567890")  # still based on version 1
    rep = b.sync()
    assert rep.ok and rep.conflict == 0
    e = b.get(rid)
    assert e is not None and e.sync_state == SyncState.SYNCED
    assert e.address == "Jl. Dari PC Satu" and e.phone == "081234567890"  # both edits, merged
    assert any(f["code"] == "CONFLICT_SOFT" for f in detail(srv, rid)["entry"]["flags"])
    invariants(server_db, a, b)


def _hard_conflict(a: Village, b: Village) -> str:
    rid = created_and_shared(a, b)
    a.edit(rid, address="Jl. Versi Server")
    assert a.sync().ok
    b.edit(rid, address="Jl. Versi Desa")
    rep = b.sync()
    assert rep.ok and rep.conflict == 1
    return rid


def test_stale_base_same_fields_server_values_kept_village_edit_stored_operator_picks(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine) -> None:
    a, b = pair
    rid = _hard_conflict(a, b)
    e = b.get(rid)
    assert e is not None and e.sync_state == SyncState.CONFLICT
    d = detail(srv, rid)
    assert d["entry"]["payload"]["address"] == "Jl. Versi Server"  # the server's values stay
    assert d["entry"]["conflict"]["village"]["address"] == "Jl. Versi Desa"  # the village edit beside them
    assert any(f["code"] == "CONFLICT_HARD" for f in d["entry"]["flags"])
    view = b.svc.conflict_view(rid)
    assert view is not None
    addr = next(f for f in view.fields if f.field == "address")
    assert (addr.village, addr.server, addr.contested) == ("Jl. Versi Desa", "Jl. Versi Server", True)
    b.svc.resolve_conflict(rid, {"address": conflicts.VILLAGE})  # the operator keeps the village value
    assert b.state(rid) == SyncState.DIRTY
    sync_all(b, a)
    d = detail(srv, rid)
    assert d["entry"]["payload"]["address"] == "Jl. Versi Desa" and d["entry"]["conflict"] is None
    invariants(server_db, a, b)


def test_stale_base_same_fields_reviewer_picks_per_field_and_the_village_learns(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine) -> None:
    a, b = pair
    rid = _hard_conflict(a, b)
    review(srv, f"/conflicts/{rid}/settle", {"choices": {"address": "village"}})
    sync_all(a, b)
    for v in (a, b):
        e = v.get(rid)
        assert e is not None and e.sync_state == SyncState.SYNCED and e.address == "Jl. Versi Desa"
    invariants(server_db, a, b)


def test_reviewer_keeps_the_server_values_and_the_village_conflict_clears(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine) -> None:
    a, b = pair
    rid = _hard_conflict(a, b)
    review(srv, f"/conflicts/{rid}/settle", {"choices": {"address": "server"}})
    sync_all(a, b)
    e = b.get(rid)
    assert e is not None and e.sync_state == SyncState.SYNCED and e.address == "Jl. Versi Server"
    invariants(server_db, a, b)


# ----------------------------------------------------------------------------- deleted in the village


def test_deleted_in_the_village_with_a_current_base_is_a_soft_delete(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine) -> None:
    a, b = pair
    rid = created_and_shared(a, b)
    a.delete(rid, "meninggal dunia")
    sync_all(a, b)
    row = server_rows(server_db, a.desa)[rid]
    assert row.deleted and row.payload.delete_reason == "meninggal dunia"
    e = b.get(rid)
    assert e is not None and e.deleted and e.sync_state == SyncState.SYNCED
    invariants(server_db, a, b)


@pytest.mark.parametrize("who", ["reviewer", "operator"])
def test_deleted_in_the_village_with_a_stale_base_is_a_hard_conflict(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine, who: str) -> None:
    a, b = pair
    rid = created_and_shared(a, b)
    a.edit(rid, address="Jl. Diubah Dulu")
    assert a.sync().ok
    b.delete(rid, "pindah")
    rep = b.sync()
    assert rep.conflict == 1
    assert b.state(rid) == SyncState.CONFLICT
    assert not server_rows(server_db, a.desa)[rid].deleted  # nothing deleted on a stale base
    if who == "reviewer":
        review(srv, f"/conflicts/{rid}/settle", {"choices": {"deleted": "village"}})
    else:
        view = b.svc.conflict_view(rid)
        assert view is not None and any(f.field == conflicts.DELETED for f in view.fields)
        b.svc.resolve_conflict(rid, {conflicts.DELETED: conflicts.VILLAGE})
    sync_all(b, a)
    assert server_rows(server_db, a.desa)[rid].deleted
    for v in (a, b):
        e = v.get(rid)
        assert e is not None and e.deleted and e.sync_state == SyncState.SYNCED
    invariants(server_db, a, b)


# ----------------------------------------------------------------------------- voided on the server


@pytest.mark.parametrize("choice", ["server", "village"])
def test_voided_on_the_server_edited_in_the_village_keeps_the_village_copy_until_the_operator_decides(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine, choice: str) -> None:
    a, b = pair
    rid = created_and_shared(a, b)
    review(srv, "/decisions", {"record_ids": [rid], "decision": "void", "note": "terdaftar dua kali"})
    a.edit(rid, address="Jl. Diedit Setelah Dibatalkan")
    rep = a.sync()
    assert rep.conflict == 1
    e = a.get(rid)
    assert e is not None and e.sync_state == SyncState.CONFLICT and not e.deleted
    assert e.address == "Jl. Diedit Setelah Dibatalkan"  # the village keeps its copy
    view = a.svc.conflict_view(rid)
    assert view is not None and view.kind == "deleted" and view.server_deleted
    if choice == "server":
        a.svc.resolve_conflict(rid, {conflicts.RECORD: conflicts.SERVER})
        e = a.get(rid)
        assert e is not None and e.deleted and e.sync_state == SyncState.SYNCED
        invariants(server_db, a, b)
    else:
        a.svc.resolve_conflict(rid, {conflicts.RECORD: conflicts.VILLAGE})  # send it again
        rep = a.sync()
        assert rep.conflict == 1  # still voided: the reviewer must restore it; nothing is lost
        e = a.get(rid)
        assert e is not None and e.address == "Jl. Diedit Setelah Dibatalkan"
        a.svc.resolve_conflict(rid, {conflicts.RECORD: conflicts.SERVER})
        invariants(server_db, a, b)


# ----------------------------------------------------------------------------- retry / duplicate delivery


def test_retry_and_duplicate_delivery_are_no_ops_with_the_stored_result(
        pair: tuple[Village, Village], srv: ServerProcess, server_db: Engine) -> None:
    from sqlalchemy import select

    from local_db.models import Outbox
    from sync.wire import encode_body, op_wire

    a, b = pair
    a.add(3)
    with repo.session_scope(a.engine) as s:
        rows = list(s.execute(select(Outbox).order_by(Outbox.seq)).scalars())  # type: ignore[arg-type]
    body = gzip_bytes(encode_body(a.ctx.device_id, [op_wire(r) for r in rows]))
    headers = {**srv.headers("op1"), "Content-Encoding": "gzip", "Content-Type": "application/json"}
    first = requests.post(f"{srv.url}/api/v1/sync/batches", data=body, timeout=30,
                          headers={**headers, "Idempotency-Key": "retry-batch-" + rows[0].op_id[:8]})
    again = requests.post(f"{srv.url}/api/v1/sync/batches", data=body, timeout=30,
                          headers={**headers, "Idempotency-Key": "retry-batch-" + rows[0].op_id[:8]})
    assert first.status_code == again.status_code == 200
    assert json.loads(first.content)["results"] == json.loads(again.content)["results"]
    rep = a.sync()  # the client's own batch: new id, same ops -> DUPLICATE, versions unchanged
    assert rep.ok and rep.duplicate == 3 and rep.accepted == 0
    invariants(server_db, a, b)
