"""Review API: batch inbox with manifest, entries with flags, decisions (single and bulk), stats, audit."""

from __future__ import annotations

import uuid
from typing import Any

from tests.support.serverapp import Api
from tests.support.serverdata import DESA_A, DESA_B, KEC, batch, many_payloads, op, payload


def _setup(api: Api) -> tuple[str, str]:
    api.user("op1", "operator", DESA_A)
    api.user("op2", "operator", DESA_B)
    api.user("rev1", "reviewer", KEC)
    return api.device("op1", DESA_A), api.device("op2", DESA_B)


def _get(api: Api, path: str, **params: Any) -> Any:
    r = api.client.get(path, params=params, headers=api.auth("rev1"))
    assert r.status_code == 200, r.text
    return r.json()


def test_batch_inbox_shows_counts_and_whether_the_batch_arrived_whole(api: Api) -> None:
    dev_a, dev_b = _setup(api)
    whole = batch(dev_a, [op(p=p) for p in many_payloads(DESA_A, 3)])
    api.send("op1", whole, "batch-whole-01")
    damaged = batch(dev_b, [op(p=p) for p in many_payloads(DESA_B, 2, start=10)])
    damaged["entry_count"] = 3  # the village sent three; two arrived
    api.send("op2", damaged, "batch-damaged-01")
    bare = batch(dev_b, [op(p=payload(DESA_B, serial=99, kk_serial=99, name="Hasan", sex="L"))], manifest=False)
    api.send("op2", bare, "batch-bare-001")
    items = {b["batch_id"]: b for b in _get(api, "/api/v1/review/batches")["items"]}
    assert items["batch-whole-01"]["arrived_whole"] is True
    assert items["batch-whole-01"]["entry_count"] == 3
    assert items["batch-whole-01"]["decision_counts"] == {"PENDING": 3}
    assert items["batch-whole-01"]["operator"] == "op1" and items["batch-whole-01"]["desa_name"] == "Buluh Tumbang"
    assert items["batch-damaged-01"]["arrived_whole"] is False
    assert items["batch-bare-001"]["arrived_whole"] is None
    only_b = _get(api, "/api/v1/review/batches", desa=DESA_B)["items"]
    assert {b["desa_code"] for b in only_b} == {DESA_B}


def test_entries_carry_decoded_ids_and_explained_flags(api: Api) -> None:
    dev_a, _ = _setup(api)
    rid = str(uuid.uuid4())
    # Typed birth date contradicts the NIK: a warning, recorded and flagged.
    p = payload(DESA_A, nik="1902015705800001", birth_date="1980-05-18")
    api.send("op1", batch(dev_a, [op(rid, p)]), "batch-flags-01")
    [e] = _get(api, "/api/v1/review/batches/batch-flags-01/entries")["items"]
    assert e["nik_info"]["sex"] == "P" and e["nik_info"]["date_text"] == "17-05-80"
    assert "Tanjungpandan" in e["nik_info"]["region"]
    flags = {f["code"]: f["message"] for f in e["flags"]}
    assert "DATA_WARNING" in flags and "peringatan" in flags["DATA_WARNING"]
    assert e["warnings"][0]["code"] == "nik_birth_date_mismatch"


def test_decisions_single_and_bulk_with_reasons_and_audit(api: Api) -> None:
    dev_a, _ = _setup(api)
    ops = [op(p=p) for p in many_payloads(DESA_A, 30)]
    api.send("op1", batch(dev_a, ops))
    ids = [o["record_id"] for o in ops]
    r = api.client.post("/api/v1/review/decisions", json={"record_ids": ids[:20], "decision": "approve"},
                        headers=api.auth("rev1"))
    assert r.json()["decided"] == 20 and r.json()["skipped"] == [] and len(r.json()["change_seqs"]) == 20
    r = api.client.post("/api/v1/review/decisions", json={"record_ids": [ids[20]], "decision": "reject"},
                        headers=api.auth("rev1"))
    assert r.status_code == 422 and "R01" in r.json()["detail"]  # a coded reason is required
    r = api.client.post("/api/v1/review/decisions", json={"record_ids": [ids[20]], "decision": "reject",
                                                          "reason_code": "R99"}, headers=api.auth("rev1"))
    assert r.status_code == 422  # R99 needs a note
    r = api.client.post("/api/v1/review/decisions", json={"record_ids": ids[20:25], "decision": "reject",
                                                          "reason_code": "R04"}, headers=api.auth("rev1"))
    assert r.json()["decided"] == 5
    r = api.client.post("/api/v1/review/decisions", json={"record_ids": [*ids[25:], "tidak-ada-123"],
                                                          "decision": "return", "note": "Foto KK kurang jelas"},
                        headers=api.auth("rev1"))
    assert r.json()["decided"] == 5 and r.json()["skipped"][0]["record_id"] == "tidak-ada-123"
    stats = _get(api, "/api/v1/stats")
    counts = {(row["programme"], row["review_state"]): row["count"] for row in stats["rows"]}
    assert counts == {("PKH", "APPROVED"): 20, ("PKH", "REJECTED"): 5, ("PKH", "RETURNED"): 5}
    assert stats["total"] == 30
    assert {c["criterion"] for c in stats["by_criteria"]} == {"tidak_bekerja"}
    [row] = _get(api, "/api/v1/audit", record_id=ids[21])
    assert row["username"] == "rev1" and row["action"] == "reject"
    assert row["before"]["review_state"] == "PENDING" and row["after"]["review_reason_code"] == "R04"
    detail = _get(api, f"/api/v1/review/entries/{ids[21]}")
    assert detail["entry"]["review_reason_text"].startswith("Satu KK")


def test_entry_filters(api: Api) -> None:
    dev_a, dev_b = _setup(api)
    api.send("op1", batch(dev_a, [op(p=p) for p in many_payloads(DESA_A, 4)]))
    api.send("op2", batch(dev_b, [op(p=p) for p in many_payloads(DESA_B, 2, start=50, programme="BPNT")]))
    assert _get(api, "/api/v1/review/entries")["total"] == 6
    assert _get(api, "/api/v1/review/entries", desa=DESA_B)["total"] == 2
    assert _get(api, "/api/v1/review/entries", programme="bpnt")["total"] == 2
    assert _get(api, "/api/v1/review/entries", state="APPROVED")["total"] == 0
    page = _get(api, "/api/v1/review/entries", limit=3, offset=3)
    assert (len(page["items"]), page["total"]) == (3, 6)


def test_approve_is_refused_while_a_hard_conflict_is_open(api: Api) -> None:
    dev_a, _ = _setup(api)
    rid = str(uuid.uuid4())
    base = payload()
    api.send("op1", batch(dev_a, [op(rid, base)]))
    api.send("op1", batch(dev_a, [op(rid, {**base, "rt": "004"}, base_version=1, local_rev=2)]))
    api.send("op1", batch(dev_a, [op(rid, {**base, "rt": "005"}, base_version=1, local_rev=2)]))
    assert [e["record_id"] for e in _get(api, "/api/v1/review/conflicts")["items"]] == [rid]
    r = api.client.post("/api/v1/review/decisions", json={"record_ids": [rid], "decision": "approve"},
                        headers=api.auth("rev1"))
    assert r.json()["decided"] == 0 and "Konflik" in r.json()["skipped"][0]["reason"]
    r = api.client.post(f"/api/v1/review/conflicts/{rid}/settle", json={"choices": {"rt": "server"}},
                        headers=api.auth("rev1"))
    assert r.status_code == 200 and r.json()["payload"]["rt"] == "004"
    assert r.json()["version"] == 2  # the server's values kept: no new version
    assert _get(api, "/api/v1/review/conflicts")["items"] == []


def test_a_decision_returns_the_decided_entries_as_the_server_now_has_them(api: Api) -> None:
    """Their review columns (state, reason, note, flags, change_seq): the reviewer's client shows these
    instead of working the outcome out again."""
    dev_a, _ = _setup(api)
    ops = [op(p=p) for p in many_payloads(DESA_A, 3)]
    api.send("op1", batch(dev_a, ops))
    ids = [o["record_id"] for o in ops]
    r = api.client.post("/api/v1/review/decisions", json={"record_ids": ids[:2], "decision": "approve"},
                        headers=api.auth("rev1"))
    assert [e["review_state"] for e in r.json()["entries"]] == ["APPROVED", "APPROVED"]
    # The village edits an approved entry: flagged for re-approval; rejecting it clears that flag.
    edited = {**ops[0]["payload"], "address": "Jl. Baru 9"}
    api.send("op1", batch(dev_a, [op(ids[0], edited, base_version=1, local_rev=2)]))
    assert "EDITED_AFTER_APPROVAL" in [f["code"] for f in _get(api, f"/api/v1/review/entries/{ids[0]}")["entry"]["flags"]]
    r = api.client.post("/api/v1/review/decisions",
                        json={"record_ids": [ids[0], ids[2], "tidak-ada-123"], "decision": "reject",
                              "reason_code": "R99", "note": "Rumah tidak ditemukan"}, headers=api.auth("rev1"))
    body = r.json()
    assert body["decided"] == 2 and [s["record_id"] for s in body["skipped"]] == ["tidak-ada-123"]
    entries = {e["record_id"]: e for e in body["entries"]}
    assert list(entries) == [ids[0], ids[2]]  # the decided ones, in the order asked; never the skipped one
    for rid in (ids[0], ids[2]):
        e = entries[rid]
        assert (e["review_state"], e["review_reason_code"], e["review_note"]) == ("REJECTED", "R99",
                                                                                    "Rumah tidak ditemukan")
        assert e["change_seq"] == body["change_seqs"][rid]
        stored = _get(api, f"/api/v1/review/entries/{rid}")["entry"]
        # Exactly what a reload would show.
        assert {k: stored[k] for k in e if k not in ("flags", "updated_at")} == {k: v for k, v in e.items()
                                                                                if k not in ("flags", "updated_at")}
        assert e["flags"] == [f["code"] for f in stored["flags"]]
        assert e["updated_at"][:19] == stored["updated_at"][:19]
    assert "EDITED_AFTER_APPROVAL" not in entries[ids[0]]["flags"]
