"""Decisions carry what the reviewer saw: an entry changed since (another reviewer's decision, the
village's edit) is skipped with a clear Indonesian reason and nothing is applied to it."""

from __future__ import annotations

import uuid
from typing import Any

from tests.support.serverapp import Api
from tests.support.serverdata import DESA_A, KEC, batch, many_payloads, op, payload


def _setup(api: Api) -> str:
    api.user("op1", "operator", DESA_A)
    api.user("rev1", "reviewer", KEC)
    api.user("rev2", "reviewer", KEC)  # a colleague in the same kecamatan
    return api.device("op1", DESA_A)


def _entries(api: Api, user: str) -> dict[str, dict[str, Any]]:
    """What a reviewer's screen holds after opening the list: record_id -> entry."""
    r = api.client.get("/api/v1/review/entries", headers=api.auth(user))
    assert r.status_code == 200, r.text
    return {e["record_id"]: e for e in r.json()["items"]}


def _decide(api: Api, user: str, seen: dict[str, dict[str, Any]], decision: str, **body: Any) -> Any:
    ids = list(seen)
    r = api.client.post("/api/v1/review/decisions", headers=api.auth(user), json={
        "record_ids": ids, "decision": decision, **body,
        "versions": {rid: seen[rid]["version"] for rid in ids},
        "change_seqs": {rid: seen[rid]["change_seq"] for rid in ids}})
    assert r.status_code == 200, r.text
    return r.json()


def _audit(api: Api, record_id: str) -> list[dict[str, Any]]:
    r = api.client.get("/api/v1/audit", params={"record_id": record_id}, headers=api.auth("rev1"))
    assert r.status_code == 200, r.text
    return list(r.json())


def test_two_reviewers_deciding_one_entry_the_second_is_told_and_nothing_applied(api: Api) -> None:
    dev = _setup(api)
    rid = str(uuid.uuid4())
    api.send("op1", batch(dev, [op(rid, payload(DESA_A, serial=5))]))
    seen1 = _entries(api, "rev1")  # both open the list while the entry waits
    seen2 = _entries(api, "rev2")
    assert seen1[rid]["review_state"] == seen2[rid]["review_state"] == "PENDING"

    first = _decide(api, "rev1", seen1, "approve")
    assert first["decided"] == 1 and first["skipped"] == []
    second = _decide(api, "rev2", seen2, "reject", reason_code="R02")
    assert second["decided"] == 0
    [skip] = second["skipped"]
    assert skip["record_id"] == rid and skip["code"] == "stale"
    assert skip["reason"] == ("Entri sudah diubah sejak dibuka (disetujui oleh rev1); "
                              "muat ulang lalu putuskan lagi.")
    now = _entries(api, "rev2")[rid]
    assert (now["review_state"], now["review_reason_code"]) == ("APPROVED", None)
    audit = _audit(api, rid)
    assert [(a["username"], a["action"]) for a in audit] == [("rev1", "approve")]


def test_entry_the_village_changed_after_it_was_opened_is_not_approved_blind(api: Api) -> None:
    dev = _setup(api)
    ops = [op(p=p) for p in many_payloads(DESA_A, 3)]
    api.send("op1", batch(dev, ops))
    seen = _entries(api, "rev1")
    edited = ops[1]["record_id"]
    assert seen[edited]["version"] == 1
    # The village fixes an address while the reviewer is looking at version 1.
    r = api.send("op1", batch(dev, [op(edited, {**ops[1]["payload"], "address": "Jl. Baru 7"},
                                       base_version=1, local_rev=2)]))
    assert r.json()["results"][0]["status"] == "ACCEPTED" and r.json()["results"][0]["version"] == 2

    res = _decide(api, "rev1", seen, "approve")  # the whole list, as shown
    assert res["decided"] == 2
    assert res["skipped"] == [{"record_id": edited, "code": "stale", "reason":
                               "Entri sudah berubah (versi 2) sejak dibuka; muat ulang lalu putuskan lagi."}]
    now = _entries(api, "rev1")
    assert {rid: e["review_state"] for rid, e in now.items()} == {
        ops[0]["record_id"]: "APPROVED", edited: "PENDING", ops[2]["record_id"]: "APPROVED"}
    assert _audit(api, edited) == []
    # Reloaded, the reviewer sees version 2 and can decide it.
    again = _decide(api, "rev1", {edited: now[edited]}, "approve")
    assert again["decided"] == 1 and again["skipped"] == []


def test_the_same_reviewer_can_change_their_mind_with_the_returned_change_seq(api: Api) -> None:
    dev = _setup(api)
    rid = str(uuid.uuid4())
    api.send("op1", batch(dev, [op(rid, payload(DESA_A, serial=9))]))
    seen = _entries(api, "rev1")
    first = _decide(api, "rev1", seen, "approve")
    assert first["change_seqs"][rid] > seen[rid]["change_seq"]
    # The old change_seq is stale now; the one the answer carried is current.
    assert _decide(api, "rev1", seen, "return", note="cek KK")["decided"] == 0
    fresh = {rid: {**seen[rid], "change_seq": first["change_seqs"][rid]}}
    assert _decide(api, "rev1", fresh, "return", note="Foto KK buram")["decided"] == 1
    assert [a["action"] for a in _audit(api, rid)] == ["return", "approve"]  # newest first


def test_requests_without_seen_values_still_work_and_bad_values_are_refused(api: Api) -> None:
    dev = _setup(api)
    rid = str(uuid.uuid4())
    api.send("op1", batch(dev, [op(rid, payload(DESA_A, serial=11))]))
    r = api.client.post("/api/v1/review/decisions", headers=api.auth("rev1"),
                        json={"record_ids": [rid], "decision": "approve"})
    assert r.status_code == 200 and r.json()["decided"] == 1
    r = api.client.post("/api/v1/review/decisions", headers=api.auth("rev1"),
                        json={"record_ids": [rid], "decision": "approve", "versions": {rid: -1}})
    assert r.status_code == 422
    r = api.client.post("/api/v1/review/decisions", headers=api.auth("rev1"),
                        json={"record_ids": [rid], "decision": "approve", "versions": {rid: "satu"}})
    assert r.status_code == 422
