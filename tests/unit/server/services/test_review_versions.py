"""Decisions carry what the reviewer saw: a proposal changed since (another reviewer's decision, the
village's edit) is skipped with a clear Indonesian reason and nothing is applied to it."""

from __future__ import annotations

from typing import Any

from tests.support.review_families import Family, family
from tests.support.serverapp import Api
from tests.support.serverdata import DESA_A, KEC, batch


def _setup(api: Api) -> str:
    api.user("op1", "operator", DESA_A)
    api.user("rev1", "reviewer", KEC)
    api.user("rev2", "reviewer", KEC)  # a colleague in the same kecamatan
    return api.device("op1", DESA_A)


def _send(api: Api, dev: str, *fams: Family) -> None:
    for f in fams:
        assert api.send("op1", batch(dev, f.ops)).status_code == 200


def _proposals(api: Api, user: str) -> dict[str, dict[str, Any]]:
    """What a reviewer's screen holds after opening the list: record_id -> proposal."""
    r = api.client.get("/api/v1/review/proposals", headers=api.auth(user))
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


def test_two_reviewers_deciding_one_proposal_the_second_is_told_and_nothing_applied(api: Api) -> None:
    dev = _setup(api)
    fam = family(DESA_A, 5)
    _send(api, dev, fam)
    rid = fam.proposals["PKH"]
    seen1 = _proposals(api, "rev1")  # both open the list while the proposal waits
    seen2 = _proposals(api, "rev2")
    assert seen1[rid]["review_state"] == seen2[rid]["review_state"] == "PENDING"

    first = _decide(api, "rev1", seen1, "approve")
    assert first["decided"] == 1 and first["skipped"] == []
    second = _decide(api, "rev2", seen2, "reject", reason_code="R02")
    assert second["decided"] == 0
    [skip] = second["skipped"]
    assert skip["record_id"] == rid and skip["code"] == "stale"
    assert skip["reason"] == ("Usulan sudah diubah sejak dibuka (disetujui oleh rev1); "
                              "muat ulang lalu putuskan lagi.")
    now = _proposals(api, "rev2")[rid]
    assert (now["review_state"], now["review_reason_code"]) == ("APPROVED", None)
    assert [(a["username"], a["action"]) for a in _audit(api, rid)] == [("rev1", "approve")]


def test_a_proposal_the_village_changed_after_it_was_opened_is_not_approved_blind(api: Api) -> None:
    dev = _setup(api)
    fams = [family(DESA_A, i) for i in (1, 2, 3)]
    _send(api, dev, *fams)
    seen = _proposals(api, "rev1")
    edited = fams[1].proposals["PKH"]
    assert seen[edited]["version"] == 1
    # The village changes the criteria while the reviewer is looking at version 1.
    r = api.send("op1", batch(dev, [fams[1].proposal_op("PKH", base_version=1, criteria=["nelayan"])]))
    assert r.json()["results"][0]["status"] == "ACCEPTED" and r.json()["results"][0]["version"] == 2

    res = _decide(api, "rev1", seen, "approve")  # the whole list, as shown
    assert res["decided"] == 2
    assert res["skipped"] == [{"record_id": edited, "code": "stale", "reason":
                               "Usulan sudah berubah (versi 2) sejak dibuka; muat ulang lalu putuskan lagi."}]
    now = _proposals(api, "rev1")
    assert {rid: e["review_state"] for rid, e in now.items()} == {
        fams[0].proposals["PKH"]: "APPROVED", edited: "PENDING", fams[2].proposals["PKH"]: "APPROVED"}
    assert _audit(api, edited) == []
    # Reloaded, the reviewer sees version 2 and can decide it.
    again = _decide(api, "rev1", {edited: now[edited]}, "approve")
    assert again["decided"] == 1 and again["skipped"] == []


def test_the_same_reviewer_can_change_their_mind_with_the_returned_change_seq(api: Api) -> None:
    dev = _setup(api)
    fam = family(DESA_A, 9)
    _send(api, dev, fam)
    rid = fam.proposals["PKH"]
    seen = _proposals(api, "rev1")
    first = _decide(api, "rev1", seen, "approve")
    assert first["change_seqs"][rid] > seen[rid]["change_seq"]
    # The old change_seq is stale now; the one the answer carried is current.
    fields = ["member.birth_date"]
    assert _decide(api, "rev1", seen, "return", note="cek KK", review_fields=fields)["decided"] == 0
    fresh = {rid: {**seen[rid], "change_seq": first["change_seqs"][rid]}}
    assert _decide(api, "rev1", fresh, "return", note="Foto KK buram", review_fields=fields)["decided"] == 1
    assert [a["action"] for a in _audit(api, rid)] == ["return", "approve"]  # newest first


def test_requests_without_seen_values_still_work_and_bad_values_are_refused(api: Api) -> None:
    dev = _setup(api)
    fam = family(DESA_A, 11)
    _send(api, dev, fam)
    rid = fam.proposals["PKH"]
    r = api.client.post("/api/v1/review/decisions", headers=api.auth("rev1"),
                        json={"record_ids": [rid], "decision": "approve"})
    assert r.status_code == 200 and r.json()["decided"] == 1
    for bad in (-1, "satu"):
        r = api.client.post("/api/v1/review/decisions", headers=api.auth("rev1"),
                            json={"record_ids": [rid], "decision": "approve", "versions": {rid: bad}})
        assert r.status_code == 422
