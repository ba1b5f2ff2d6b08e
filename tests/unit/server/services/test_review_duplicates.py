"""Duplicate groups as the reviewer settles them: the same person (NIK) in two villages, the same family
(KK) in two villages, a second open proposal for one programme and target. Keeping one rejects the other
records' open proposals as duplicates; "not the same" rejects nothing; both villages pull the outcome."""

from __future__ import annotations

from typing import Any

from tests.support.review_families import family
from tests.support.serverapp import Api
from tests.support.serverdata import DESA_A, DESA_B, DESA_C, KAB, KEC, batch, op


def _setup(api: Api) -> tuple[str, str]:
    api.user("op1", "operator", DESA_A)
    api.user("op2", "operator", DESA_B)
    api.user("rev1", "reviewer", KEC)
    return api.device("op1", DESA_A), api.device("op2", DESA_B)


def _groups(api: Api, user: str = "rev1", state: str = "OPEN") -> list[dict[str, Any]]:
    r = api.client.get("/api/v1/review/duplicates", params={"state": state}, headers=api.auth(user))
    assert r.status_code == 200, r.text
    return list(r.json())


def _settle(api: Api, group_id: int, user: str = "rev1", **body: Any) -> Any:
    return api.client.post(f"/api/v1/review/duplicates/{group_id}/settle", json=body, headers=api.auth(user))


def _pulled(api: Api, user: str, dev: str) -> dict[str, dict[str, Any]]:
    return {c["record"]["record_id"]: c["record"] for c in api.changes(user, dev)["changes"] if c["record"]}


def test_same_person_in_two_villages_keep_one_rejects_the_others_open_proposals(api: Api) -> None:
    dev_a, dev_b = _setup(api)
    a = family(DESA_A, 1, person_programme="PBI-JK", size=1)
    b = family(DESA_B, 2, size=1, programmes=(), person_programme="PBI-JK", head_nik=a.head["nik"],
               head_name=a.head["name"], head_born=None)
    assert api.send("op1", batch(dev_a, a.ops)).status_code == 200
    assert api.send("op2", batch(dev_b, b.ops)).status_code == 200
    [g] = [g for g in _groups(api) if g["kind"] == "nik"]
    assert g["record_type"] == "member" and not g["spans_kecamatan"]
    by_desa = {m["desa_code"]: m for m in g["members"]}
    assert by_desa[DESA_A]["member"]["payload"]["nik"] == a.head["nik"] == by_desa[DESA_B]["member"]["payload"]["nik"]
    assert by_desa[DESA_B]["household"]["payload"]["kk"] == b.kk and len(by_desa[DESA_B]["members"]) == 1
    # The proposal shows the flag, linked to the other village's member.
    r = api.client.get(f"/api/v1/review/proposals/{b.proposals['PBI-JK']}", headers=api.auth("rev1")).json()
    dup = [f for f in r["proposal"]["members"][0]["flags"] if f["code"] == "DUP_NIK"]
    assert dup and dup[0]["related_record_ids"] == [a.member_ids[0]]
    assert [d["group_id"] for d in r["duplicate_groups"]] == [g["group_id"]]

    res = _settle(api, g["group_id"], keep_record_ids=[a.member_ids[0]])
    assert res.status_code == 200, res.text
    assert res.json()["state"] == "SETTLED" and res.json()["kept_record_id"] == a.member_ids[0]
    # B's person proposal for the duplicate is rejected as a duplicate, naming the village kept.
    pb = api.client.get(f"/api/v1/review/proposals/{b.proposals['PBI-JK']}", headers=api.auth("rev1")).json()["proposal"]
    assert (pb["review_state"], pb["review_reason_code"]) == ("REJECTED", "R03")
    assert "Buluh Tumbang" in pb["review_note"]
    pa = api.client.get(f"/api/v1/review/proposals/{a.proposals['PBI-JK']}", headers=api.auth("rev1")).json()["proposal"]
    assert pa["review_state"] == "PENDING"
    # Both villages learn it at their next pull.
    assert "DUP_KEPT" in _pulled(api, "op1", dev_a)[a.member_ids[0]]["flags"]
    pulled_b = _pulled(api, "op2", dev_b)
    assert "DUP_OTHER_KEPT" in pulled_b[b.member_ids[0]]["flags"]
    assert pulled_b[b.proposals["PBI-JK"]]["review_state"] == "REJECTED"
    assert _groups(api) == [] and [x["group_id"] for x in _groups(api, state="SETTLED")] == [g["group_id"]]
    # A change of mind: settled again as "not the same", the outcome flags follow (rejections stay, by design).
    again = _settle(api, g["group_id"], not_same=True, note="Ternyata dua orang berbeda")
    assert again.status_code == 200 and again.json()["state"] == "DISTINCT"
    assert "DUP_NOT_SAME" in _pulled(api, "op2", dev_b)[b.member_ids[0]]["flags"]
    assert "DUP_OTHER_KEPT" not in _pulled(api, "op2", dev_b)[b.member_ids[0]]["flags"]


def test_same_kk_in_two_villages_marked_not_the_same_rejects_nothing(api: Api) -> None:
    dev_a, dev_b = _setup(api)
    a = family(DESA_A, 3)
    b = family(DESA_B, 4, kk=a.kk)  # a typo in one village's KK makes two families share a number
    api.send("op1", batch(dev_a, a.ops))
    api.send("op2", batch(dev_b, b.ops))
    [g] = [g for g in _groups(api) if g["kind"] == "kk"]
    assert g["record_type"] == "household" and {m["record_id"] for m in g["members"]} == {a.household_id, b.household_id}
    assert all(len(m["members"]) == 4 for m in g["members"])  # each family's members, to compare
    assert _settle(api, g["group_id"]).status_code == 422  # neither kept nor "not the same"
    res = _settle(api, g["group_id"], not_same=True, note="Dua keluarga berbeda; KK desa B salah ketik")
    assert res.status_code == 200 and res.json()["state"] == "DISTINCT"
    assert res.json()["note"] == "Dua keluarga berbeda; KK desa B salah ketik"
    for user, dev, fam in (("op1", dev_a, a), ("op2", dev_b, b)):
        pulled = _pulled(api, user, dev)
        assert "DUP_NOT_SAME" in pulled[fam.household_id]["flags"]
        assert pulled[fam.proposals["PKH"]]["review_state"] == "PENDING"
    trail = api.client.get("/api/v1/audit", headers=api.auth("rev1")).json()
    assert [t["action"] for t in trail][:1] == ["not_same"]


def test_second_open_proposal_for_one_programme_and_target(api: Api) -> None:
    dev_a, _ = _setup(api)
    a = family(DESA_A, 5)
    api.send("op1", batch(dev_a, a.ops))
    second = dict(a.proposal_payloads["PKH"])
    r = api.send("op1", batch(dev_a, [op("b" * 36, second, record_type="proposal")]))
    assert r.json()["results"][0]["status"] == "ACCEPTED"
    [g] = [g for g in _groups(api) if g["kind"] == "kk_programme"]
    assert g["record_type"] == "proposal"
    assert {m["proposal"]["record_id"] for m in g["members"]} == {a.proposals["PKH"], "b" * 36}
    assert all(m["proposal"]["household"]["record_id"] == a.household_id for m in g["members"])
    assert _settle(api, g["group_id"], keep_record_ids=[a.proposals["PKH"]]).status_code == 200
    states = {p["record_id"]: p["review_state"] for p in api.client.get(
        "/api/v1/review/proposals", headers=api.auth("rev1")).json()["items"]}
    assert states == {a.proposals["PKH"]: "PENDING", "b" * 36: "REJECTED"}


def test_a_group_spanning_kecamatan_is_the_supervisors(api: Api) -> None:
    dev_a, _ = _setup(api)
    api.user("op3", "operator", DESA_C)
    api.user("sup1", "supervisor", KAB)
    dev_c = api.device("op3", DESA_C)
    a = family(DESA_A, 7, size=1)
    c = family(DESA_C, 8, size=1, head_nik=a.head["nik"])
    api.send("op1", batch(dev_a, a.ops))
    api.send("op3", batch(dev_c, c.ops))
    assert [g for g in _groups(api) if g["kind"] == "nik"] == []  # not the kecamatan reviewer's
    [g] = [g for g in _groups(api, "sup1") if g["kind"] == "nik"]
    assert g["spans_kecamatan"] is True
    assert _settle(api, g["group_id"], user="rev1", not_same=True).status_code == 404
    assert _settle(api, g["group_id"], user="sup1", keep_record_ids=[c.member_ids[0]]).status_code == 200
