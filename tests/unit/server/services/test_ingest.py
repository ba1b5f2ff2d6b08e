"""Batch ingest through the API: idempotency, per-op results, and every row of the conflict table."""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, func, select

from server.models import AppliedOp, Entry, EntryVersion
from tests.support.serverapp import Api
from tests.support.serverdata import DESA_A, DESA_B, batch, op, payload


def _setup(api: Api) -> str:
    api.user("op1", "operator", DESA_A)
    api.user("rev1", "reviewer", DESA_A[:6])
    return api.device("op1", DESA_A)


def _send_ok(api: Api, dev: str, ops: list[dict[str, Any]], user: str = "op1") -> list[dict[str, Any]]:
    r = api.send(user, batch(dev, ops))
    assert r.status_code == 200, r.text
    return list(r.json()["results"])


def _count(api: Api, model: Any) -> int:
    with Session(api.engine) as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def _decide(api: Api, rid: str, decision: str, **kw: Any) -> None:
    r = api.client.post("/api/v1/review/decisions", json={"record_ids": [rid], "decision": decision, **kw},
                        headers=api.auth("rev1"))
    assert r.status_code == 200 and r.json()["decided"] == 1, r.text


def _server(api: Api, rid: str) -> dict[str, Any]:
    r = api.client.get(f"/api/v1/review/entries/{rid}", headers=api.auth("rev1"))
    assert r.status_code == 200, r.text
    return dict(r.json())


def test_new_entries_are_accepted_at_version_one_and_pulled(api: Api) -> None:
    dev = _setup(api)
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    res = _send_ok(api, dev, [op(a, payload()), op(b, payload(serial=2, kk_serial=2, name="Budi Santoso", sex="L"))])
    assert [(r["status"], r["version"]) for r in res] == [("ACCEPTED", 1), ("ACCEPTED", 1)]
    page = api.changes("op1", dev)
    assert [c["entry"]["record_id"] for c in page["changes"]] == [a, b]
    assert all(c["entry"]["review_state"] == "PENDING" for c in page["changes"])


def test_same_key_same_content_returns_the_stored_response(api: Api) -> None:
    dev = _setup(api)
    body = batch(dev, [op(p=payload())])
    first = api.send("op1", body, "batch-same-0001")
    body["client_time"] = "2030-01-01T00:00:00Z"  # a resend may carry another client time
    again = api.send("op1", body, "batch-same-0001")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert _count(api, Entry) == 1


def test_same_key_other_content_is_422_and_nothing_applied(api: Api) -> None:
    dev = _setup(api)
    assert api.send("op1", batch(dev, [op(p=payload())]), "batch-key-0001").status_code == 200
    r = api.send("op1", batch(dev, [op(p=payload(serial=7, kk_serial=7))]), "batch-key-0001")
    assert r.status_code == 422
    assert "Idempotency-Key" in r.json()["detail"]
    assert _count(api, Entry) == 1


def test_same_ops_under_a_new_batch_id_are_duplicates(api: Api) -> None:
    dev = _setup(api)
    ops = [op(p=payload()), op(p=payload(serial=2, kk_serial=2, name="Budi Santoso", sex="L"))]
    _send_ok(api, dev, ops)
    res = _send_ok(api, dev, ops)
    assert [(r["status"], r["version"]) for r in res] == [("DUPLICATE", 1), ("DUPLICATE", 1)]
    assert _count(api, Entry) == 2 and _count(api, AppliedOp) == 2


def test_one_invalid_op_does_not_block_the_others(api: Api) -> None:
    dev = _setup(api)
    bad = payload(serial=3, kk_serial=3, nik="190201570580000")  # 15 digits
    res = _send_ok(api, dev, [op(p=payload()), op(p=bad), op(p=payload(serial=2, kk_serial=2, name="Budi", sex="L"))])
    assert [r["status"] for r in res] == ["ACCEPTED", "INVALID", "ACCEPTED"]
    assert res[1]["errors"][0]["field"] == "nik"
    assert "16 digit" in res[1]["errors"][0]["message"]
    assert _count(api, Entry) == 2


def test_edit_with_current_base_is_a_new_version_with_history(api: Api) -> None:
    dev = _setup(api)
    rid = str(uuid.uuid4())
    _send_ok(api, dev, [op(rid, payload())])
    res = _send_ok(api, dev, [op(rid, payload(address="Jl. Kenanga 5"), base_version=1, local_rev=2)])
    assert (res[0]["status"], res[0]["version"]) == ("ACCEPTED", 2)
    detail = _server(api, rid)
    assert [h["version"] for h in detail["history"]] == [1, 2]
    assert detail["entry"]["payload"]["address"] == "Jl. Kenanga 5"


def test_stale_base_different_fields_merges_with_soft_conflict(api: Api) -> None:
    dev = _setup(api)
    rid = str(uuid.uuid4())
    _send_ok(api, dev, [op(rid, payload())])
    _send_ok(api, dev, [op(rid, payload(address="Jl. Kenanga 5"), base_version=1, local_rev=2)])
    # Another copy of version 1 changes the phone only.
    res = _send_ok(api, dev, [op(rid, payload(phone="081234567890"), base_version=1, local_rev=2)])
    assert res[0]["status"] == "ACCEPTED" and res[0]["version"] == 3
    assert res[0]["conflict_kind"] == "soft" and res[0]["conflict_fields"] == ["phone"]
    e = _server(api, rid)["entry"]
    assert (e["payload"]["address"], e["payload"]["phone"]) == ("Jl. Kenanga 5", "081234567890")
    assert "CONFLICT_SOFT" in [f["code"] for f in e["flags"]]


def test_stale_base_same_fields_keeps_server_values_and_stores_village_edit(api: Api) -> None:
    dev = _setup(api)
    rid = str(uuid.uuid4())
    _send_ok(api, dev, [op(rid, payload())])
    _send_ok(api, dev, [op(rid, payload(address="Jl. Kenanga 5"), base_version=1, local_rev=2)])
    hard = op(rid, payload(address="Jl. Mawar 9"), base_version=1, local_rev=2)
    res = _send_ok(api, dev, [hard])
    assert res[0]["status"] == "CONFLICT" and res[0]["conflict_kind"] == "hard"
    assert res[0]["conflict_fields"] == ["address"]
    assert res[0]["server_copy"]["payload"]["address"] == "Jl. Kenanga 5"
    e = _server(api, rid)["entry"]
    assert e["payload"]["address"] == "Jl. Kenanga 5"
    assert e["conflict"]["village"]["address"] == "Jl. Mawar 9"
    # The same op again: still a conflict, not silently "done".
    assert _send_ok(api, dev, [hard])[0]["status"] == "CONFLICT"
    # The reviewer takes the village's address: a new version, conflict cleared.
    r = api.client.post(f"/api/v1/review/conflicts/{rid}/settle", json={"choices": {"address": "village"}},
                        headers=api.auth("rev1"))
    assert r.status_code == 200, r.text
    assert r.json()["payload"]["address"] == "Jl. Mawar 9" and r.json()["conflict"] is None
    assert r.json()["version"] == 3


def test_edit_after_approval_goes_back_to_pending_with_approved_version_in_history(api: Api) -> None:
    dev = _setup(api)
    rid = str(uuid.uuid4())
    _send_ok(api, dev, [op(rid, payload())])
    _decide(api, rid, "approve")
    res = _send_ok(api, dev, [op(rid, payload(address="Jl. Baru"), base_version=1, local_rev=2)])
    assert res[0]["status"] == "ACCEPTED"
    d = _server(api, rid)
    assert d["entry"]["review_state"] == "PENDING"
    assert "EDITED_AFTER_APPROVAL" in [f["code"] for f in d["entry"]["flags"]]
    assert d["history"][0]["payload"]["address"] == "Jl. Melati"  # the approved version is kept
    with Session(api.engine) as s:
        assert s.get(Entry, rid).approved_version == 1  # type: ignore[union-attr]


def test_returned_then_edited_is_a_resubmission_keeping_the_note(api: Api) -> None:
    dev = _setup(api)
    rid = str(uuid.uuid4())
    _send_ok(api, dev, [op(rid, payload())])
    _decide(api, rid, "return", note="Lengkapi alamat")
    _send_ok(api, dev, [op(rid, payload(address="Jl. Melati No. 3"), base_version=1, local_rev=2)])
    e = _server(api, rid)["entry"]
    assert e["review_state"] == "PENDING" and e["review_note"] == "Lengkapi alamat"
    assert "RESUBMITTED" in [f["code"] for f in e["flags"]]


def test_delete_with_current_base_is_a_soft_delete(api: Api) -> None:
    dev = _setup(api)
    rid = str(uuid.uuid4())
    _send_ok(api, dev, [op(rid, payload())])
    res = _send_ok(api, dev, [op(rid, kind="DELETE", base_version=1, local_rev=2)])
    assert (res[0]["status"], res[0]["version"]) == ("ACCEPTED", 2)
    page = api.changes("op1", dev)
    assert page["changes"][-1]["entry"]["deleted"] is True
    with Session(api.engine) as s:  # soft: the row and its history stay
        assert s.get(Entry, rid) is not None
        assert len(s.exec(select(EntryVersion).where(EntryVersion.record_id == rid)).all()) == 2


def test_delete_with_stale_base_is_a_hard_conflict(api: Api) -> None:
    dev = _setup(api)
    rid = str(uuid.uuid4())
    _send_ok(api, dev, [op(rid, payload())])
    _send_ok(api, dev, [op(rid, payload(address="Jl. Baru"), base_version=1, local_rev=2)])
    res = _send_ok(api, dev, [op(rid, kind="DELETE", base_version=1, local_rev=2)])
    assert res[0]["status"] == "CONFLICT" and res[0]["conflict_fields"] == ["deleted"]
    assert _server(api, rid)["entry"]["deleted"] is False


def test_voided_on_server_then_edited_in_village_is_conflict_deleted(api: Api) -> None:
    dev = _setup(api)
    rid = str(uuid.uuid4())
    _send_ok(api, dev, [op(rid, payload())])
    _decide(api, rid, "void", note="Entri ganda")
    res = _send_ok(api, dev, [op(rid, payload(address="Jl. Baru"), base_version=1, local_rev=2)])
    assert res[0]["status"] == "CONFLICT" and res[0]["conflict_kind"] == "deleted"
    assert res[0]["server_copy"]["voided"] is True
    assert _server(api, rid)["entry"]["payload"]["address"] == "Jl. Melati"


def test_review_outcome_reaches_the_village_on_pull_without_a_version_bump(api: Api) -> None:
    dev = _setup(api)
    rid = str(uuid.uuid4())
    _send_ok(api, dev, [op(rid, payload())])
    cursor = api.changes("op1", dev)["next_cursor"]
    _decide(api, rid, "reject", reason_code="R06")
    page = api.changes("op1", dev, since=cursor)
    [change] = page["changes"]
    assert change["entry"]["review_state"] == "REJECTED" and change["entry"]["review_reason_code"] == "R06"
    assert change["entry"]["version"] == 1
    assert page["next_cursor"] > cursor


def test_pull_pages_follow_the_cursor(api: Api) -> None:
    dev = _setup(api)
    from tests.support.serverdata import many_payloads

    _send_ok(api, dev, [op(p=p) for p in many_payloads(DESA_A, 25)])
    seen: list[str] = []
    cursor, more = 0, True
    while more:
        page = api.changes("op1", dev, since=cursor, limit=10)
        seen += [c["entry"]["record_id"] for c in page["changes"]]
        cursor, more = page["next_cursor"], page["has_more"]
    assert len(seen) == len(set(seen)) == 25


def test_changes_are_scoped_to_the_devices_desa(api: Api) -> None:
    dev = _setup(api)
    api.user("op2", "operator", DESA_B)
    dev_b = api.device("op2", DESA_B)
    _send_ok(api, dev, [op(p=payload())])
    _send_ok(api, dev_b, [op(p=payload(DESA_B, serial=9, kk_serial=9, name="Andi", sex="L"))], user="op2")
    assert [c["entry"]["payload"]["desa_code"] for c in api.changes("op2", dev_b)["changes"]] == [DESA_B]
    # op2 cannot pull through op1's device.
    r = api.client.get("/api/v1/sync/changes", params={"device_id": dev}, headers=api.auth("op2"))
    assert r.status_code == 403
