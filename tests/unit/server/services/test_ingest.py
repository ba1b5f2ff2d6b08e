"""Protocol-2 batch ingest through the API: households, members and proposals, their references,
idempotency, per-op results, and every row of the conflict table for each record type."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import Session, col, func, select

from server.models import AppliedOp, HouseholdRow, MemberRow, ProposalRow, RecordVersion
from sync.protocol import OLD_CLIENT_MESSAGE, PROTOCOL_HEADER, RecordChangesPage
from tests.support.serverapp import Api
from tests.support.serverdata import (
    DESA_A,
    DESA_B,
    batch,
    household,
    member,
    op,
    payload,
    person_ids,
    person_ops,
    proposal,
)


def _setup(api: Api) -> str:
    api.user("op1", "operator", DESA_A)
    return api.device("op1", DESA_A)


def _send_ok(api: Api, dev: str, ops: list[dict[str, Any]], user: str = "op1") -> list[dict[str, Any]]:
    r = api.send(user, batch(dev, ops))
    assert r.status_code == 200, r.text
    return list(r.json()["results"])


def _count(api: Api, model: Any) -> int:
    with Session(api.engine) as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def _row(api: Api, model: Any, rid: str) -> Any:
    with Session(api.engine) as s:
        row = s.get(model, rid)
        assert row is not None
        s.expunge(row)
        return row


def _history(api: Api, rid: str) -> list[RecordVersion]:
    with Session(api.engine) as s:
        rows = list(s.exec(select(RecordVersion).where(RecordVersion.record_id == rid).order_by(col(RecordVersion.id))))
        for r in rows:
            s.expunge(r)
        return rows


def _family(api: Api, dev: str) -> tuple[str, str, str]:
    """A household, its head and a PKH proposal for it; returns their ids."""
    hid, mid, pid = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    res = _send_ok(api, dev, [op(hid, household()), op(mid, member(hid)),
                              op(pid, proposal("PKH", household_id=hid, pengurus_id=mid))])
    assert [r["status"] for r in res] == ["ACCEPTED"] * 3, res
    return hid, mid, pid


def test_a_family_is_accepted_at_version_one_and_pulled_in_order(api: Api) -> None:
    dev = _setup(api)
    hid, mid, pid = _family(api, dev)
    page = RecordChangesPage.model_validate(api.changes("op1", dev))
    assert [(c.type, c.record.record_id if c.record else None) for c in page.changes] == [
        ("household", hid), ("member", mid), ("proposal", pid)]
    prop = page.changes[2].record
    assert prop is not None and prop.version == 1 and prop.review_state == "PENDING"
    assert _row(api, ProposalRow, pid).target_id == hid
    assert _row(api, MemberRow, mid).household_id == hid


def test_a_member_may_name_a_household_sent_earlier_in_the_batch_never_later(api: Api) -> None:
    dev = _setup(api)
    hid = str(uuid.uuid4())
    res = _send_ok(api, dev, [op(p=member(hid)), op(hid, household()), op(p=member(hid, serial=2, name="Budi",
                                                                              sex="L", relation="anak"))])
    assert [r["status"] for r in res] == ["INVALID", "ACCEPTED", "ACCEPTED"]
    [err] = res[0]["errors"]
    assert err["field"] == "household_id" and "tidak ditemukan" in err["message"] and hid in err["message"]
    assert _count(api, MemberRow) == 1


def test_proposal_references_are_checked_by_field(api: Api) -> None:
    dev = _setup(api)
    hid, mid, _pid = _family(api, dev)
    ghost = str(uuid.uuid4())
    other_hid = str(uuid.uuid4())
    res = _send_ok(api, dev, [
        op(p=proposal("PBI-JK", member_id=ghost)),  # no such member
        op(p=proposal("BPNT", household_id=hid, pengurus_id=ghost)),  # no such pengurus
        op(other_hid, household(serial=5)),
        op(p=proposal("BPNT", household_id=other_hid, pengurus_id=mid)),  # pengurus of another household
        op(p=proposal("PBI-JK", member_id=mid)),
    ])
    assert [r["status"] for r in res] == ["INVALID", "INVALID", "ACCEPTED", "INVALID", "ACCEPTED"]
    assert [e["field"] for e in res[0]["errors"]] == ["member_id"]
    assert "Anggota sasaran (member_id)" in res[0]["errors"][0]["message"]
    assert [e["field"] for e in res[1]["errors"]] == ["pengurus_id"]
    assert "pengurus_id" in [e["field"] for e in res[3]["errors"]]


def test_a_reference_to_another_villages_record_is_invalid(api: Api) -> None:
    dev = _setup(api)
    api.user("op2", "operator", DESA_B)
    dev_b = api.device("op2", DESA_B)
    hid_b = str(uuid.uuid4())
    _send_ok(api, dev_b, [op(hid_b, household(DESA_B, serial=8))], user="op2")
    [res] = _send_ok(api, dev, [op(p=member(hid_b))])
    assert res["status"] == "INVALID"
    assert res["errors"][0]["field"] == "household_id" and "desa lain" in res["errors"][0]["message"]


def test_same_key_same_content_returns_the_stored_response(api: Api) -> None:
    dev = _setup(api)
    body = batch(dev, [op(p=household())])
    first = api.send("op1", body, "batch-same-0001")
    body["client_time"] = "2030-01-01T00:00:00Z"  # a resend may carry another client time
    again = api.send("op1", body, "batch-same-0001")
    assert first.status_code == again.status_code == 200
    assert again.json() == first.json()
    assert _count(api, HouseholdRow) == 1


def test_same_key_other_content_is_422_and_nothing_applied(api: Api) -> None:
    dev = _setup(api)
    assert api.send("op1", batch(dev, [op(p=household())]), "batch-key-0001").status_code == 200
    r = api.send("op1", batch(dev, [op(p=household(serial=7))]), "batch-key-0001")
    assert r.status_code == 422
    assert "Idempotency-Key" in r.json()["detail"]
    assert _count(api, HouseholdRow) == 1


def test_same_ops_under_a_new_batch_id_are_duplicates(api: Api) -> None:
    dev = _setup(api)
    ops = person_ops(payload())
    _send_ok(api, dev, ops)
    res = _send_ok(api, dev, ops)
    assert [(r["record_type"], r["status"], r["version"]) for r in res] == [
        ("household", "DUPLICATE", 1), ("member", "DUPLICATE", 1), ("proposal", "DUPLICATE", 1)]
    assert _count(api, ProposalRow) == 1 and _count(api, AppliedOp) == 3


def test_one_invalid_op_does_not_block_the_others(api: Api) -> None:
    dev = _setup(api)
    hid = str(uuid.uuid4())
    res = _send_ok(api, dev, [op(hid, household()), op(p=member(hid, nik="190201570580000")),
                              op(p=member(hid, serial=2, name="Budi", sex="L", relation="anak"))])
    assert [r["status"] for r in res] == ["ACCEPTED", "INVALID", "ACCEPTED"]
    assert res[1]["errors"][0]["field"] == "nik"
    assert "16 digit" in res[1]["errors"][0]["message"]
    assert _count(api, MemberRow) == 1


def test_household_of_another_desa_in_a_payload_refuses_the_whole_batch(api: Api) -> None:
    dev = _setup(api)
    r = api.send("op1", batch(dev, [op(p=household()), op(p=household(DESA_B, serial=3))]))
    assert r.status_code == 422 and "milik desa lain" in r.json()["detail"]
    assert _count(api, HouseholdRow) == 0


def test_a_record_of_another_desa_is_403_and_nothing_applied(api: Api) -> None:
    dev = _setup(api)
    api.user("op2", "operator", DESA_B)
    dev_b = api.device("op2", DESA_B)
    hid_b = str(uuid.uuid4())
    _send_ok(api, dev_b, [op(hid_b, household(DESA_B, serial=8))], user="op2")
    # The same record id sent from DESA_A's device: the server never lets a village write another's record.
    r = api.send("op1", batch(dev, [op(p=household()), op(hid_b, household(serial=8), base_version=1)]))
    assert r.status_code == 403 and "milik desa lain" in r.json()["detail"]
    assert _count(api, HouseholdRow) == 1


def test_changes_are_scoped_to_the_devices_desa(api: Api) -> None:
    dev = _setup(api)
    api.user("op2", "operator", DESA_B)
    dev_b = api.device("op2", DESA_B)
    _send_ok(api, dev, person_ops(payload()))
    _send_ok(api, dev_b, person_ops(payload(DESA_B, serial=9, kk_serial=9, name="Andi", sex="L")), user="op2")
    assert {c["record"]["desa_code"] for c in api.changes("op2", dev_b)["changes"]} == {DESA_B}
    r = api.client.get("/api/v1/sync/changes", params={"device_id": dev}, headers=api.auth("op2"))
    assert r.status_code == 403


def test_pull_pages_follow_the_cursor_over_the_three_tables(api: Api) -> None:
    dev = _setup(api)
    from tests.support.serverdata import many_payloads

    _send_ok(api, dev, [o for p in many_payloads(DESA_A, 9) for o in person_ops(p)])
    seen: list[str] = []
    seqs: list[int] = []
    cursor, more = 0, True
    while more:
        page = RecordChangesPage.model_validate(api.changes("op1", dev, since=cursor, limit=10))
        seen += [c.record.record_id for c in page.changes if c.record]
        seqs += [c.seq for c in page.changes]
        cursor, more = page.next_cursor, page.has_more
    assert len(seen) == len(set(seen)) == 27
    assert seqs == sorted(seqs)


# ---- protocol 1 is refused ------------------------------------------------------------------


def test_old_clients_get_403_with_the_indonesian_message_and_health_says_protocol_2(api: Api) -> None:
    dev = _setup(api)
    old = {"Authorization": api.auth("op1")["Authorization"]}
    for headers in (old, {**old, PROTOCOL_HEADER: "1"}):
        r = api.client.post("/api/v1/sync/batches", json={"device_id": dev, "ops": []},
                            headers={**headers, "Idempotency-Key": uuid.uuid4().hex})
        assert r.status_code == 403 and r.json()["detail"] == OLD_CLIENT_MESSAGE
        r = api.client.get("/api/v1/sync/changes", params={"device_id": dev}, headers=headers)
        assert r.status_code == 403 and r.json()["detail"] == OLD_CLIENT_MESSAGE
    assert "versi lama" in OLD_CLIENT_MESSAGE
    assert api.client.get("/api/v1/health").json()["protocol"] == 2


# ---- the conflict table, per record type ------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One record type with a valid payload and two independent edits (field, value)."""

    name: str
    model: Any
    a: tuple[str, Any]
    b: tuple[str, Any]
    a_other: Any  # another valid value of a's field (a second village's edit of the same field)


KINDS = [
    Kind("household", HouseholdRow, ("address", "Jl. Kenanga 5"), ("phone", "081234567890"), "Jl. Mawar 9"),
    Kind("member", MemberRow, ("occupation", "nelayan"), ("phone", "081234567890"), "petani"),
    Kind("proposal", ProposalRow, ("note", "Rumah rusak berat"), ("criteria", ["lansia"]), "Atap bocor"),
]


def _record(api: Api, dev: str, kind: Kind) -> tuple[str, dict[str, Any]]:
    """A stored record of the kind at version 1 (with what it references); returns (id, payload)."""
    hid, mid, pid = _family(api, dev)
    rid = {"household": hid, "member": mid, "proposal": pid}[kind.name]
    return rid, json.loads(_row(api, kind.model, rid).payload)


def _edit(p: dict[str, Any], *changes: tuple[str, Any]) -> dict[str, Any]:
    out = dict(p)
    out.update(dict(changes))
    return out


per_kind = pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])


@per_kind
def test_edit_with_current_base_is_a_new_version_with_history(api: Api, kind: Kind) -> None:
    dev = _setup(api)
    rid, p = _record(api, dev, kind)
    [res] = _send_ok(api, dev, [op(rid, _edit(p, kind.a), base_version=1, local_rev=2, record_type=kind.name)])
    assert (res["status"], res["version"]) == ("ACCEPTED", 2)
    assert json.loads(_row(api, kind.model, rid).payload)[kind.a[0]] == kind.a[1]
    assert [(h.version, h.action) for h in _history(api, rid)] == [(1, "create"), (2, "update")]


@per_kind
def test_stale_base_different_fields_merges_with_soft_conflict(api: Api, kind: Kind) -> None:
    dev = _setup(api)
    rid, p = _record(api, dev, kind)
    _send_ok(api, dev, [op(rid, _edit(p, kind.a), base_version=1, local_rev=2, record_type=kind.name)])
    # Another copy of version 1 changes the other field only.
    [res] = _send_ok(api, dev, [op(rid, _edit(p, kind.b), base_version=1, local_rev=2, record_type=kind.name)])
    assert (res["status"], res["version"]) == ("ACCEPTED", 3)
    assert res["conflict_kind"] == "soft" and res["conflict_fields"] == [kind.b[0]]
    row = _row(api, kind.model, rid)
    stored = json.loads(row.payload)
    assert (stored[kind.a[0]], stored[kind.b[0]]) == (kind.a[1], kind.b[1])
    assert "CONFLICT_SOFT" in json.loads(row.flags)


@per_kind
def test_stale_base_same_fields_keeps_server_values_and_stores_village_edit(api: Api, kind: Kind) -> None:
    dev = _setup(api)
    rid, p = _record(api, dev, kind)
    _send_ok(api, dev, [op(rid, _edit(p, kind.a), base_version=1, local_rev=2, record_type=kind.name)])
    other = kind.a_other
    hard = op(rid, _edit(p, (kind.a[0], other)), base_version=1, local_rev=2, record_type=kind.name)
    [res] = _send_ok(api, dev, [hard])
    assert res["status"] == "CONFLICT" and res["conflict_kind"] == "hard"
    assert res["conflict_fields"] == [kind.a[0]]
    assert res["server_copy"]["payload"][kind.a[0]] == kind.a[1]
    row = _row(api, kind.model, rid)
    assert json.loads(row.payload)[kind.a[0]] == kind.a[1] and row.version == 2
    assert json.loads(row.conflict)["village"][kind.a[0]] == other
    assert "CONFLICT_HARD" in json.loads(row.flags)
    # The same op again: still a conflict, not silently "done".
    assert _send_ok(api, dev, [hard])[0]["status"] == "CONFLICT"


@per_kind
def test_delete_with_current_base_is_a_soft_delete(api: Api, kind: Kind) -> None:
    dev = _setup(api)
    rid, _p = _record(api, dev, kind)
    cursor = api.changes("op1", dev)["next_cursor"]
    [res] = _send_ok(api, dev, [op(rid, kind="DELETE", base_version=1, local_rev=2, record_type=kind.name)])
    assert (res["status"], res["version"]) == ("ACCEPTED", 2)
    [change] = api.changes("op1", dev, since=cursor)["changes"]
    assert change["record"]["record_id"] == rid and change["record"]["deleted"] is True
    assert _row(api, kind.model, rid).deleted  # soft: the row and its history stay
    assert [h.action for h in _history(api, rid)] == ["create", "delete"]


@per_kind
def test_delete_with_stale_base_is_a_hard_conflict(api: Api, kind: Kind) -> None:
    dev = _setup(api)
    rid, p = _record(api, dev, kind)
    _send_ok(api, dev, [op(rid, _edit(p, kind.a), base_version=1, local_rev=2, record_type=kind.name)])
    [res] = _send_ok(api, dev, [op(rid, kind="DELETE", base_version=1, local_rev=2, record_type=kind.name)])
    assert res["status"] == "CONFLICT" and res["conflict_fields"] == ["deleted"]
    row = _row(api, kind.model, rid)
    assert not row.deleted and json.loads(row.conflict)["delete"] is True


@per_kind
def test_voided_on_server_then_edited_in_village_is_conflict_deleted(api: Api, kind: Kind) -> None:
    dev = _setup(api)
    rid, p = _record(api, dev, kind)
    with Session(api.engine) as s:  # what a reviewer's void leaves (the review service is another part)
        s.execute(update(kind.model).where(kind.model.record_id == rid).values(voided=True))
        s.commit()
    [res] = _send_ok(api, dev, [op(rid, _edit(p, kind.a), base_version=1, local_rev=2, record_type=kind.name)])
    assert res["status"] == "CONFLICT" and res["conflict_kind"] == "deleted"
    assert res["server_copy"]["voided"] is True
    assert json.loads(_row(api, kind.model, rid).payload) == p


# ---- review outcomes and village edits (proposals) -------------------------------------------


def _set_review(api: Api, pid: str, state: str, *, note: str | None = None, reason: str | None = None) -> None:
    """The review outcome as the review service stores it (that service is tested on its own)."""
    with Session(api.engine) as s:
        s.execute(update(ProposalRow).where(col(ProposalRow.record_id) == pid).values(
            review_state=state, review_note=note, review_reason_code=reason,
            approved_version=1 if state == "APPROVED" else None))
        s.commit()


def test_edit_after_approval_goes_back_to_pending_with_approved_version_in_history(api: Api) -> None:
    dev = _setup(api)
    _hid, _mid, pid = _family(api, dev)
    approved = json.loads(_row(api, ProposalRow, pid).payload)
    _set_review(api, pid, "APPROVED")
    [res] = _send_ok(api, dev, [op(pid, _edit(approved, ("note", "Tambah keterangan")), base_version=1, local_rev=2)])
    assert (res["status"], res["version"]) == ("ACCEPTED", 2)
    row = _row(api, ProposalRow, pid)
    assert row.review_state == "PENDING" and "EDITED_AFTER_APPROVAL" in json.loads(row.flags)
    assert row.approved_version == 1
    kept = [h for h in _history(api, pid) if h.review_state == "APPROVED"]
    assert [(h.version, h.action) for h in kept] == [(1, "approved")]
    assert json.loads(kept[0].payload) == approved  # the approved version as it was approved


@pytest.mark.parametrize("state", ["RETURNED", "REJECTED"])
def test_returned_or_rejected_then_edited_is_a_resubmission_keeping_the_note(api: Api, state: str) -> None:
    dev = _setup(api)
    _hid, _mid, pid = _family(api, dev)
    p = json.loads(_row(api, ProposalRow, pid).payload)
    _set_review(api, pid, state, note="Lengkapi alasan", reason="R06" if state == "REJECTED" else None)
    _send_ok(api, dev, [op(pid, _edit(p, ("note", "Sudah dilengkapi")), base_version=1, local_rev=2)])
    row = _row(api, ProposalRow, pid)
    assert row.review_state == "PENDING" and row.review_note == "Lengkapi alasan"
    assert "RESUBMITTED" in json.loads(row.flags)


def test_a_resent_migrated_op_is_duplicate(api: Api) -> None:
    """ADR 0005 step 6 from the ingest side: an op id already in srv_applied_op is DUPLICATE for any type."""
    dev = _setup(api)
    hid, mid = person_ids(payload())
    ops = person_ops(payload())
    first = _send_ok(api, dev, ops)
    again = _send_ok(api, dev, [dict(o, local_rev=2) for o in ops])
    assert [r["status"] for r in first] == ["ACCEPTED"] * 3
    assert [r["status"] for r in again] == ["DUPLICATE"] * 3
    assert [r["record_id"] for r in again[:2]] == [hid, mid]


def test_two_saves_before_a_sync_are_a_create_and_an_edit_not_a_conflict(api: Api) -> None:
    """Both ops carry the base of the time they were saved (none): the second was made on top of the
    first, so it is applied on top of it."""
    dev = _setup(api)
    hid = str(uuid.uuid4())
    first = op(hid, household(), local_rev=1)
    second = op(hid, household(address="Jl. Kenanga 5"), local_rev=2)
    res = _send_ok(api, dev, [first, second])
    assert [(r["status"], r["version"], r["conflict_kind"]) for r in res] == [("ACCEPTED", 1, None),
                                                                             ("ACCEPTED", 2, None)]
    assert json.loads(_row(api, HouseholdRow, hid).payload)["address"] == "Jl. Kenanga 5"


@pytest.mark.parametrize(("state", "flag"), [("APPROVED", "EDITED_AFTER_APPROVAL"), ("RETURNED", "RESUBMITTED")])
def test_editing_the_family_reopens_its_approved_or_returned_proposal(api: Api, state: str, flag: str) -> None:
    """The data a proposal stands on is its household and members: changing them after an approval (or
    fixing them after a return) sends the proposal back to review, as an edit of the old entry did."""
    dev = _setup(api)
    hid, _mid, pid = _family(api, dev)
    approved = json.loads(_row(api, ProposalRow, pid).payload)
    _set_review(api, pid, state, note="Periksa alamat" if state == "RETURNED" else None)
    h = json.loads(_row(api, HouseholdRow, hid).payload)
    [res] = _send_ok(api, dev, [op(hid, _edit(h, ("address", "Jl. Kenanga 5")), base_version=1, local_rev=2)])
    assert (res["status"], res["version"]) == ("ACCEPTED", 2)
    row = _row(api, ProposalRow, pid)
    assert row.review_state == "PENDING" and flag in json.loads(row.flags) and row.version == 1
    if state == "APPROVED":
        [kept] = [h for h in _history(api, pid) if h.action == "approved"]
        assert kept.review_state == "APPROVED" and json.loads(kept.payload) == approved
    else:
        assert row.review_note == "Periksa alamat"
    # The village learns of it on its next pull.
    page = api.changes("op1", dev)
    assert [c["record"]["review_state"] for c in page["changes"] if c["record"]["record_id"] == pid] == ["PENDING"]
