"""Review API over proposals: each with its family, decisions (single and bulk, coded reasons, a return
naming the fields to fix), the dashboard in families (KPM), area checks on every request, and the clear
refusal of a client without protocol 2 (the old review desktop)."""

from __future__ import annotations

from typing import Any

from sync.protocol import OLD_CLIENT_MESSAGE, PROTOCOL_HEADER
from tests.support.review_families import Family, family
from tests.support.serverapp import Api
from tests.support.serverdata import DESA_A, DESA_B, DESA_C, KAB, KEC, KEC_OTHER, batch


def _setup(api: Api) -> tuple[str, str]:
    api.user("op1", "operator", DESA_A)
    api.user("op2", "operator", DESA_B)
    api.user("rev1", "reviewer", KEC)
    return api.device("op1", DESA_A), api.device("op2", DESA_B)


def _get(api: Api, path: str, user: str = "rev1", **params: Any) -> Any:
    r = api.client.get(path, params=params, headers=api.auth(user))
    assert r.status_code == 200, r.text
    return r.json()


def _decide(api: Api, ids: list[str], decision: str, user: str = "rev1", **body: Any) -> Any:
    return api.client.post("/api/v1/review/decisions", json={"record_ids": ids, "decision": decision, **body},
                           headers=api.auth(user))


def _send(api: Api, user: str, dev: str, fam: Family, batch_id: str | None = None) -> None:
    r = api.send(user, batch(dev, fam.ops), batch_id)
    assert r.status_code == 200, r.text
    assert {x["status"] for x in r.json()["results"]} == {"ACCEPTED"}, r.json()


def test_a_proposal_comes_with_its_household_all_members_and_its_member(api: Api) -> None:
    dev_a, _ = _setup(api)
    fam = family(DESA_A, 1, size=4, person_programme="PBI-JK")
    _send(api, "op1", dev_a, fam)
    items = {p["payload"]["programme"]: p for p in _get(api, "/api/v1/review/proposals")["items"]}
    pkh, pbi = items["PKH"], items["PBI-JK"]
    # A household programme: the household is the target, the spouse receives it (pengurus).
    assert pkh["target"] == "household" and pkh["member_id"] == fam.member_ids[1]
    assert pkh["household"]["payload"]["kk"] == fam.kk
    assert pkh["household"]["payload"]["housing"]["roof_material"] == fam.household["housing"]["roof_material"]
    assert pkh["household"]["kk_info"]["valid"] is True
    assert {m["record_id"] for m in pkh["members"]} == set(fam.member_ids)
    assert {m["payload"]["relation"] for m in pkh["members"]} >= {"kepala_keluarga", "istri"}
    # A person programme: the member is the target, shown within the same family.
    assert pbi["target"] == "person" and pbi["member_id"] == fam.member_ids[-1]
    assert pbi["household"]["record_id"] == fam.household_id and len(pbi["members"]) == 4
    [target] = [m for m in pbi["members"] if m["record_id"] == pbi["member_id"]]
    assert target["nik_info"]["region"].startswith("Tanjungpandan")  # the NIK of the one it is about, read back


def test_batch_inbox_counts_the_batchs_proposals_and_whether_it_arrived_whole(api: Api) -> None:
    dev_a, dev_b = _setup(api)
    _send(api, "op1", dev_a, family(DESA_A, 1, programmes=("PKH", "BPNT")), "batch-whole-01")
    damaged = batch(dev_b, family(DESA_B, 2).ops)
    damaged["record_count"] += 1  # the village sent one more than arrived
    assert api.send("op2", damaged, "batch-damaged-01").status_code == 200
    items = {b["batch_id"]: b for b in _get(api, "/api/v1/review/batches")["items"]}
    whole = items["batch-whole-01"]
    assert whole["arrived_whole"] is True and whole["entry_count"] == 7  # 1 household, 4 members, 2 proposals
    assert whole["decision_counts"] == {"PENDING": 2}
    assert whole["operator"] == "op1" and whole["desa_name"] == "Buluh Tumbang"
    assert items["batch-damaged-01"]["arrived_whole"] is False
    page = _get(api, "/api/v1/review/batches/batch-whole-01/proposals")
    assert page["total"] == 2 and {p["payload"]["programme"] for p in page["items"]} == {"PKH", "BPNT"}


def test_a_batch_that_only_fixes_a_member_shows_the_proposals_of_that_family(api: Api) -> None:
    dev_a, _ = _setup(api)
    fam = family(DESA_A, 3)
    _send(api, "op1", dev_a, fam)
    r = api.send("op1", batch(dev_a, [fam.member_op(1, base_version=1, occupation="buruh_tani")]), "fix-member-01")
    assert r.json()["results"][0]["status"] == "ACCEPTED"
    [p] = _get(api, "/api/v1/review/batches/fix-member-01/proposals")["items"]
    assert p["record_id"] == fam.proposals["PKH"]


def test_decisions_single_and_bulk_with_coded_reasons_and_audit(api: Api) -> None:
    dev_a, _ = _setup(api)
    fams = [family(DESA_A, i) for i in range(1, 7)]
    for f in fams:
        _send(api, "op1", dev_a, f)
    ids = [f.proposals["PKH"] for f in fams]
    r = _decide(api, ids[:3], "approve")
    assert r.json()["decided"] == 3 and r.json()["skipped"] == [] and len(r.json()["change_seqs"]) == 3
    r = _decide(api, [ids[3]], "reject")
    assert r.status_code == 422 and "R01" in r.text  # a coded reason is required
    assert _decide(api, [ids[3]], "reject", reason_code="R99").status_code == 422  # R99 needs a note
    r = _decide(api, [ids[3], "tidak-ada-123"], "reject", reason_code="R06")
    assert r.json()["decided"] == 1 and r.json()["skipped"][0]["record_id"] == "tidak-ada-123"
    assert r.json()["proposals"][0]["review_reason_text"] == "Tidak memenuhi kriteria program"
    [row] = _get(api, "/api/v1/audit", record_id=ids[3])
    assert row["username"] == "rev1" and row["action"] == "reject"
    assert row["before"]["review_state"] == "PENDING" and row["after"]["review_reason_code"] == "R06"
    detail = _get(api, f"/api/v1/review/proposals/{ids[0]}")
    assert detail["proposal"]["review_state"] == "APPROVED" and detail["proposal"]["approved_version"] == 1


def test_a_return_needs_a_note_and_the_fields_to_fix_and_the_village_pulls_both(api: Api) -> None:
    dev_a, _ = _setup(api)
    fam = family(DESA_A, 4)
    _send(api, "op1", dev_a, fam)
    pid = fam.proposals["PKH"]
    assert _decide(api, [pid], "return", note="Periksa KK").status_code == 422  # no fields named
    r = _decide(api, [pid], "return", review_fields=["member.nama"], note="x")
    assert r.status_code == 422 and "member.nama" in r.text  # not a field code
    r = _decide(api, [pid], "return", note="Foto rumah dan nomor KK tidak sesuai",
                review_fields=["household.kk", "household.housing"])
    assert r.status_code == 200 and r.json()["proposals"][0]["review_fields"] == ["household.kk", "household.housing"]
    # The village learns it from its feed: the proposal with its state, note and the fields to fix.
    feed = api.changes("op1", dev_a)
    [rec] = [c["record"] for c in feed["changes"] if c["record"] and c["record"]["record_id"] == pid]
    assert (rec["review_state"], rec["review_note"]) == ("RETURNED", "Foto rumah dan nomor KK tidak sesuai")
    assert rec["review_fields"] == ["household.kk", "household.housing"]
    [audit] = _get(api, "/api/v1/audit", record_id=pid)
    assert audit["after"]["review_fields"] == ["household.kk", "household.housing"]
    # Approving later clears the fields: nothing left to fix.
    r = _decide(api, [pid], "approve")
    assert r.json()["proposals"][0]["review_fields"] == []


def test_dashboard_counts_families_per_desa_programme_type_and_state(api: Api) -> None:
    dev_a, dev_b = _setup(api)
    one = family(DESA_A, 1, programmes=("PKH", "BPNT"), person_programme="PBI-JK")  # 3 proposals, 1 family
    two = family(DESA_A, 2, programmes=("PKH",))
    three = family(DESA_B, 3, programmes=("PKH",))
    for dev, user, f in ((dev_a, "op1", one), (dev_a, "op1", two), (dev_b, "op2", three)):
        _send(api, user, dev, f)
    assert _decide(api, [one.proposals["PKH"], two.proposals["PKH"]], "approve").json()["decided"] == 2
    stats = _get(api, "/api/v1/stats")
    rows = {(r["desa_code"], r["programme"], r["proposal_type"], r["review_state"]): (r["count"], r["kpm"])
            for r in stats["rows"]}
    assert rows == {(DESA_A, "PKH", "new", "APPROVED"): (2, 2), (DESA_A, "BPNT", "new", "PENDING"): (1, 1),
                    (DESA_A, "PBI-JK", "new", "PENDING"): (1, 1), (DESA_B, "PKH", "new", "PENDING"): (1, 1)}
    assert stats["total"] == 5  # proposals
    assert stats["total_kpm"] == 3  # families: the first one counts once for its three proposals
    assert stats["kpm_by_desa"] == {DESA_A: 2, DESA_B: 1}
    kpm = {(k["desa_code"], k["dimension"], k["value"]): k["kpm"] for k in stats["kpm_by"]}
    # Per state each family once: desa A's first family has PKH approved and BPNT, PBI-JK pending.
    assert kpm[(DESA_A, "state", "PENDING")] == 1 and kpm[(DESA_A, "state", "APPROVED")] == 2
    assert kpm[(DESA_A, "type", "new")] == 2 and kpm[(DESA_A, "programme", "PKH")] == 2
    crit = {(c["desa_code"], c["criterion"]): c["count"] for c in stats["by_criteria"]}
    assert crit[(DESA_A, "penyakit_kronis")] == 1  # the person programme's criterion, for its family
    only_b = _get(api, "/api/v1/stats", area=DESA_B)
    assert only_b["total_kpm"] == 1 and {r["desa_code"] for r in only_b["rows"]} == {DESA_B}


def test_every_request_checks_role_and_area(api: Api) -> None:
    dev_a, _ = _setup(api)
    api.user("op3", "operator", DESA_C)
    api.user("rev2", "reviewer", KEC_OTHER)
    api.user("sup1", "supervisor", KAB)
    dev_c = api.device("op3", DESA_C)
    fam, other = family(DESA_A, 1), family(DESA_C, 9)
    _send(api, "op1", dev_a, fam, "batch-a-0001")
    _send(api, "op3", dev_c, other)
    pid = fam.proposals["PKH"]
    # Another kecamatan's reviewer: nothing of kecamatan 190201, and no decision on it.
    assert [p["desa_code"] for p in _get(api, "/api/v1/review/proposals", "rev2")["items"]] == [DESA_C]
    for path in (f"/api/v1/review/proposals/{pid}", "/api/v1/review/batches/batch-a-0001/proposals"):
        assert api.client.get(path, headers=api.auth("rev2")).status_code == 404
    assert _decide(api, [pid], "approve", user="rev2").status_code == 404
    r = api.client.get("/api/v1/stats", params={"area": DESA_A}, headers=api.auth("rev2"))
    assert r.status_code == 403
    assert api.client.get("/api/v1/audit", params={"record_id": pid}, headers=api.auth("rev2")).status_code == 404
    assert _get(api, f"/api/v1/review/proposals/{pid}")["proposal"]["review_state"] == "PENDING"
    # The kab/kota supervisor sees both kecamatan; an operator may not review at all.
    assert {p["desa_code"] for p in _get(api, "/api/v1/review/proposals", "sup1")["items"]} == {DESA_A, DESA_C}
    assert api.client.get("/api/v1/review/proposals", headers=api.auth("op1")).status_code == 403
    assert _decide(api, [pid], "approve", user="op1").status_code == 403


def test_a_client_without_protocol_2_is_refused_with_the_clear_message(api: Api) -> None:
    dev_a, _ = _setup(api)
    fam = family(DESA_A, 1)
    _send(api, "op1", dev_a, fam)
    old = {k: v for k, v in api.auth("rev1").items() if k != PROTOCOL_HEADER}  # the old review desktop
    calls = [("GET", "/api/v1/review/batches", None), ("GET", "/api/v1/review/entries", None),
             ("GET", f"/api/v1/review/entries/{fam.proposals['PKH']}", None), ("GET", "/api/v1/stats", None),
             ("GET", "/api/v1/audit", None), ("GET", "/api/v1/review/duplicates", None),
             ("POST", "/api/v1/review/decisions", {"record_ids": [fam.proposals["PKH"]], "decision": "approve"})]
    for method, path, body in calls:
        r = api.client.request(method, path, json=body, headers=old)
        assert (r.status_code, r.json()["detail"]) == (403, OLD_CLIENT_MESSAGE), path
    r = api.client.get("/api/v1/review/batches", headers={**old, PROTOCOL_HEADER: "1"})
    assert r.status_code == 403
    assert _get(api, f"/api/v1/review/proposals/{fam.proposals['PKH']}")["proposal"]["review_state"] == "PENDING"


def test_edited_after_approval_the_approved_version_stays_in_the_history(api: Api) -> None:
    dev_a, _ = _setup(api)
    fam = family(DESA_A, 5)
    _send(api, "op1", dev_a, fam)
    pid = fam.proposals["PKH"]
    assert _decide(api, [pid], "approve").json()["decided"] == 1
    approved_criteria = fam.proposal_payloads["PKH"]["criteria"]
    r = api.send("op1", batch(dev_a, [fam.proposal_op("PKH", base_version=1, criteria=["nelayan", "lansia"])]))
    assert r.json()["results"][0]["status"] == "ACCEPTED"
    detail = _get(api, f"/api/v1/review/proposals/{pid}")
    p = detail["proposal"]
    assert (p["review_state"], p["version"], p["approved_version"]) == ("PENDING", 2, 1)
    assert "EDITED_AFTER_APPROVAL" in [f["code"] for f in p["flags"]]
    assert detail["approved"]["version"] == 1 and detail["approved"]["payload"]["criteria"] == approved_criteria
    own = [(v["version"], v["change"], v["approved"]) for v in detail["history"] if v["record_type"] == "proposal"]
    assert (2, "update", False) in own and any(v == 1 and approved for v, _c, approved in own)
    # The family's versions are in the same history (the household and the member it is about).
    assert {v["record_type"] for v in detail["history"]} == {"proposal", "household", "member"}


def test_a_hard_conflict_blocks_approval_until_settled(api: Api) -> None:
    dev_a, _ = _setup(api)
    fam = family(DESA_A, 6)
    _send(api, "op1", dev_a, fam)
    pid = fam.proposals["PKH"]
    base = dict(fam.proposal_payloads["PKH"])
    api.send("op1", batch(dev_a, [fam.proposal_op("PKH", base_version=1, note="catatan pertama")]))
    fam.proposal_payloads["PKH"] = base
    r = api.send("op1", batch(dev_a, [fam.proposal_op("PKH", base_version=1, note="catatan kedua")]))
    assert r.json()["results"][0]["status"] == "CONFLICT"
    assert [p["record_id"] for p in _get(api, "/api/v1/review/conflicts")["items"]] == [pid]
    r = _decide(api, [pid], "approve")
    assert r.json()["decided"] == 0 and "Konflik" in r.json()["skipped"][0]["reason"]
    r = api.client.post(f"/api/v1/review/conflicts/{pid}/settle", json={"choices": {"note": "village"}},
                        headers=api.auth("rev1"))
    assert r.status_code == 200, r.text
    assert r.json()["payload"]["note"] == "catatan kedua" and r.json()["conflict"] is None
    assert _get(api, "/api/v1/review/conflicts")["items"] == []
    assert _decide(api, [pid], "approve").json()["decided"] == 1


def test_a_hard_conflict_on_the_family_is_listed_with_its_proposal_and_settled_by_the_reviewer(api: Api) -> None:
    dev_a, _ = _setup(api)
    fam = family(DESA_A, 7)
    _send(api, "op1", dev_a, fam)
    pid, pengurus = fam.proposals["PKH"], fam.member_ids[1]
    base = dict(fam.members[1])
    assert api.send("op1", batch(dev_a, [fam.member_op(1, base_version=1, occupation="buruh_tani")])).status_code == 200
    fam.members[1] = base
    r = api.send("op1", batch(dev_a, [fam.member_op(1, base_version=1, local_rev=3, occupation="pedagang")]))
    assert r.json()["results"][0]["status"] == "CONFLICT"
    [listed] = _get(api, "/api/v1/review/conflicts")["items"]
    assert listed["record_id"] == pid and listed["conflict"] is None
    [m] = [m for m in listed["members"] if m["record_id"] == pengurus]
    assert m["conflict"]["fields"] == ["occupation"] and m["conflict"]["village"]["occupation"] == "pedagang"
    path = f"/api/v1/review/conflicts/{pengurus}/settle"
    r = api.client.post(path, params={"record_type": "member"}, json={"choices": {"occupation": "village"}},
                        headers=api.auth("rev1"))
    assert r.status_code == 422  # which proposal to answer with
    r = api.client.post(path, params={"record_type": "member", "proposal": pid},
                        json={"choices": {"occupation": "village"}}, headers=api.auth("rev1"))
    assert r.status_code == 200, r.text
    [m] = [m for m in r.json()["members"] if m["record_id"] == pengurus]
    assert m["payload"]["occupation"] == "pedagang" and m["conflict"] is None and m["version"] == 3
    assert _get(api, "/api/v1/review/conflicts")["items"] == []
    pulled = {c["record"]["record_id"]: c["record"] for c in api.changes("op1", dev_a)["changes"] if c["record"]}
    assert pulled[pengurus]["payload"]["occupation"] == "pedagang" and pulled[pengurus]["conflict"] is None
