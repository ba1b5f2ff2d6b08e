"""Cross-village duplicates and the reference list, as the reviewer sees them."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session

from domain.programmes import Catalogue, Programme, SourceLevel
from server.models import ReferenceRecipient
from tests.support.serverapp import Api
from tests.support.serverdata import DESA_A, DESA_B, DESA_C, KAB, KEC, batch, nik_for, op, payload


def _setup(api: Api) -> tuple[str, str, str]:
    api.user("op1", "operator", DESA_A)
    api.user("op2", "operator", DESA_B)
    api.user("op3", "operator", DESA_C)
    api.user("rev1", "reviewer", KEC)
    api.user("sup1", "supervisor", KAB)
    return api.device("op1", DESA_A), api.device("op2", DESA_B), api.device("op3", DESA_C)


def _send(api: Api, user: str, dev: str, rid: str, p: dict[str, Any]) -> dict[str, Any]:
    r = api.send(user, batch(dev, [op(rid, p)]))
    assert r.status_code == 200, r.text
    return dict(r.json()["results"][0])


def _groups(api: Api, user: str, state: str = "OPEN") -> list[dict[str, Any]]:
    r = api.client.get("/api/v1/review/duplicates", params={"state": state}, headers=api.auth(user))
    assert r.status_code == 200, r.text
    return list(r.json())


def _flags(api: Api, rid: str, user: str = "rev1") -> dict[str, list[str]]:
    r = api.client.get(f"/api/v1/review/entries/{rid}", headers=api.auth(user))
    assert r.status_code == 200, r.text
    return {f["code"]: f["related_record_ids"] for f in r.json()["entry"]["flags"]}


def test_same_nik_in_two_villages_is_accepted_and_grouped_for_the_reviewer(api: Api) -> None:
    dev_a, dev_b, _ = _setup(api)
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    nik = nik_for(DESA_A, date(1961, 4, 2), "P", 31)
    assert _send(api, "op1", dev_a, a, payload(DESA_A, nik=nik, born=date(1961, 4, 2), kk_serial=1))["status"] == "ACCEPTED"
    assert _send(api, "op2", dev_b, b, payload(DESA_B, nik=nik, born=date(1961, 4, 2), kk_serial=2))["status"] == "ACCEPTED"
    assert _flags(api, a)["DUP_NIK"] == [b]
    assert _flags(api, b)["DUP_NIK"] == [a]
    [g] = _groups(api, "rev1")
    assert g["kind"] == "nik" and not g["spans_kecamatan"]
    assert {m["record_id"] for m in g["members"]} == {a, b}
    # Village A learns of the flag on its next pull.
    page = api.changes("op1", dev_a)
    assert "DUP_NIK" in page["changes"][-1]["entry"]["flags"]
    # The reviewer keeps A: B is rejected as a duplicate (R03), and B's village sees it.
    r = api.client.post(f"/api/v1/review/duplicates/{g['group_id']}/settle", json={"keep_record_ids": [a]},
                        headers=api.auth("rev1"))
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "SETTLED"
    [change] = [c for c in api.changes("op2", dev_b)["changes"] if c["entry"]["record_id"] == b]
    assert (change["entry"]["review_state"], change["entry"]["review_reason_code"]) == ("REJECTED", "R03")
    assert _groups(api, "rev1") == []
    audit = api.client.get("/api/v1/audit", params={"record_id": b}, headers=api.auth("rev1")).json()
    assert [a_["action"] for a_ in audit][:1] == ["reject"]


def test_group_spanning_kecamatan_goes_to_the_supervisor(api: Api) -> None:
    dev_a, _, dev_c = _setup(api)
    a, c = str(uuid.uuid4()), str(uuid.uuid4())
    nik = nik_for(DESA_A, date(1970, 1, 9), "L", 5)
    _send(api, "op1", dev_a, a, payload(DESA_A, nik=nik, born=date(1970, 1, 9), sex="L", kk_serial=1))
    _send(api, "op3", dev_c, c, payload(DESA_C, nik=nik, born=date(1970, 1, 9), sex="L", kk_serial=2))
    assert _groups(api, "rev1") == []  # not the kecamatan reviewer's to settle
    [g] = _groups(api, "sup1")
    assert g["spans_kecamatan"] is True
    r = api.client.post(f"/api/v1/review/duplicates/{g['group_id']}/settle", json={"keep_record_ids": [a]},
                        headers=api.auth("rev1"))
    assert r.status_code == 404
    r = api.client.post(f"/api/v1/review/duplicates/{g['group_id']}/settle", json={"keep_record_ids": [c]},
                        headers=api.auth("sup1"))
    assert r.status_code == 200


def test_same_kk_same_programme_and_probable_same_person(api: Api) -> None:
    dev_a, dev_b, _ = _setup(api)
    a, b, c, d = (str(uuid.uuid4()) for _ in range(4))
    # Same KK, same programme, two different people.
    _send(api, "op1", dev_a, a, payload(DESA_A, serial=1, kk_serial=7, name="Budi", sex="L"))
    _send(api, "op1", dev_a, b, payload(DESA_A, serial=2, kk_serial=7, name="Ani", sex="P", born=date(1982, 3, 4)))
    assert _flags(api, a)["DUP_KK"] == [b]
    # Same birth date, a close name under another spelling, different NIK, another village.
    born = date(1955, 12, 1)
    _send(api, "op1", dev_a, c, payload(DESA_A, serial=20, kk_serial=20, name="Djoko Soesilo", sex="L", born=born))
    _send(api, "op2", dev_b, d, payload(DESA_B, serial=21, kk_serial=21, name="Joko Susilo", sex="L", born=born))
    assert _flags(api, d)["DUP_PERSON"] == [c]
    kinds = sorted(g["kind"] for g in _groups(api, "rev1"))
    assert kinds == ["kk_programme", "person"]


def test_editing_the_nik_away_dissolves_the_group(api: Api) -> None:
    dev_a, dev_b, _ = _setup(api)
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    nik = nik_for(DESA_A, date(1961, 4, 2), "P", 31)
    _send(api, "op1", dev_a, a, payload(DESA_A, nik=nik, born=date(1961, 4, 2), kk_serial=1))
    _send(api, "op2", dev_b, b, payload(DESA_B, nik=nik, born=date(1961, 4, 2), kk_serial=2, name="Siti Aminah"))
    fixed = payload(DESA_B, serial=77, born=date(1961, 4, 2), kk_serial=2, name="Sri Wahyuni")
    r = api.send("op2", batch(dev_b, [op(b, fixed, base_version=1, local_rev=2)]))
    assert r.json()["results"][0]["status"] == "ACCEPTED"
    assert _groups(api, "rev1") == []
    assert "DUP_NIK" not in _flags(api, a)


def test_reference_rule_auto_rejects_pusat_recipient_for_a_kabupaten_programme(api: Api, engine: Any) -> None:
    # A regency programme configured on this server.
    api.client.app.state.catalogue = Catalogue([Programme("BANSOS-BLT", "Bansos Kabupaten Belitung",  # type: ignore[attr-defined]
                                                          SourceLevel.KABUPATEN)])
    dev_a, _, _ = _setup(api)
    born = date(1966, 7, 7)
    nik = nik_for(DESA_A, born, "L", 12)
    with Session(engine) as s:
        s.add(ReferenceRecipient(nik=nik, programme="PKH", level="pusat", status="aktif", period="2026",
                                 kecamatan_code=nik[:6], change_seq=0, imported_at=datetime.now(UTC)))
        s.commit()
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    _send(api, "op1", dev_a, a, payload(DESA_A, nik=nik, born=born, sex="L", programme="BANSOS-BLT"))
    _send(api, "op1", dev_a, b, payload(DESA_A, nik=nik, born=born, sex="L", programme="BPNT", kk_serial=3))
    detail = api.client.get(f"/api/v1/review/entries/{a}", headers=api.auth("rev1")).json()["entry"]
    assert (detail["review_state"], detail["review_reason_code"]) == ("REJECTED", "R05")
    assert "REF_REJECT" in [f["code"] for f in detail["flags"]]
    other = api.client.get(f"/api/v1/review/entries/{b}", headers=api.auth("rev1")).json()["entry"]
    assert other["review_state"] == "PENDING"  # a pusat programme: only flagged
    assert "REF_MATCH" in [f["code"] for f in other["flags"]]
