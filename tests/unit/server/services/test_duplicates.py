"""Cross-village duplicates (design.md §3 rules 1-4) and the reference list (rule 5), as ingest leaves
them for the reviewer: groups of members (same NIK, probable same person), of households (same KK) and
of proposals (a second open proposal for one programme and target), with DUP_* flags the villages pull.
The reviewer's views of these groups are the review service's (tested with it)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, select

from domain.programmes import Catalogue, Programme, SourceLevel, Target
from server.models import DuplicateGroup, DuplicateMember, HouseholdRow, MemberRow, ProposalRow, ReferenceRecipient
from tests.support.serverapp import Api
from tests.support.serverdata import (
    DESA_A,
    DESA_B,
    DESA_C,
    KAB,
    KEC,
    batch,
    household,
    member,
    nik_for,
    op,
    payload,
    person_ids,
    person_ops,
    proposal,
)


def _setup(api: Api) -> tuple[str, str, str]:
    api.user("op1", "operator", DESA_A)
    api.user("op2", "operator", DESA_B)
    api.user("op3", "operator", DESA_C)
    return api.device("op1", DESA_A), api.device("op2", DESA_B), api.device("op3", DESA_C)


def _send(api: Api, user: str, dev: str, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    r = api.send(user, batch(dev, ops))
    assert r.status_code == 200, r.text
    results = list(r.json()["results"])
    assert all(x["status"] == "ACCEPTED" for x in results), [x["errors"] for x in results]
    return results


def _groups(api: Api, state: str = "OPEN") -> dict[str, list[tuple[DuplicateGroup, set[str]]]]:
    """kind -> [(group, member record ids)]"""
    out: dict[str, list[tuple[DuplicateGroup, set[str]]]] = {}
    with Session(api.engine) as s:
        for g in s.exec(select(DuplicateGroup).where(DuplicateGroup.state == state)):
            members = set(s.exec(select(DuplicateMember.record_id).where(DuplicateMember.group_id == g.id)))
            s.expunge(g)
            out.setdefault(g.kind, []).append((g, members))
    return out


def _flags(api: Api, model: Any, rid: str) -> list[str]:
    with Session(api.engine) as s:
        row = s.get(model, rid)
        assert row is not None
        return list(json.loads(row.flags))


def test_same_nik_in_two_villages_is_accepted_and_grouped_on_the_members(api: Api) -> None:
    dev_a, dev_b, _ = _setup(api)
    nik = nik_for(DESA_A, date(1961, 4, 2), "P", 31)
    pa = payload(DESA_A, nik=nik, born=date(1961, 4, 2), kk_serial=1)
    pb = payload(DESA_B, nik=nik, born=date(1961, 4, 2), kk_serial=2)
    _send(api, "op1", dev_a, person_ops(pa))
    cursor = api.changes("op1", dev_a)["next_cursor"]
    _send(api, "op2", dev_b, person_ops(pb))
    (_, ma), (_, mb) = person_ids(pa), person_ids(pb)
    [(g, members)] = _groups(api)["nik"]
    assert members == {ma, mb} and g.key == nik and g.kecamatan_code == KEC
    assert "DUP_NIK" in _flags(api, MemberRow, ma) and "DUP_NIK" in _flags(api, MemberRow, mb)
    # Village A learns of the flag on its next pull, on its member.
    [change] = api.changes("op1", dev_a, since=cursor)["changes"]
    assert change["record"]["record_id"] == ma and "DUP_NIK" in change["record"]["flags"]
    # Households with different KKs are not grouped; the proposals are no rule-4 pair (other targets).
    assert set(_groups(api)) == {"nik"}


def test_group_spanning_kecamatan_is_left_to_the_supervisor(api: Api) -> None:
    dev_a, _, dev_c = _setup(api)
    nik = nik_for(DESA_A, date(1970, 1, 9), "L", 5)
    _send(api, "op1", dev_a, person_ops(payload(DESA_A, nik=nik, born=date(1970, 1, 9), sex="L", kk_serial=1)))
    _send(api, "op3", dev_c, person_ops(payload(DESA_C, nik=nik, born=date(1970, 1, 9), sex="L", kk_serial=2)))
    [(g, _m)] = _groups(api)["nik"]
    assert (g.kecamatan_code, g.kabkota_code) == ("", KAB)  # spans kecamatan: the supervisor's


def test_same_kk_in_two_villages_groups_the_households(api: Api) -> None:
    dev_a, dev_b, _ = _setup(api)
    kk = "1902011403123100"
    ha, hb = str(uuid.uuid4()), str(uuid.uuid4())
    _send(api, "op1", dev_a, [op(ha, household(DESA_A, kk=kk))])
    _send(api, "op2", dev_b, [op(hb, household(DESA_B, kk=kk))])
    [(g, members)] = _groups(api)["kk"]
    assert members == {ha, hb} and g.key == kk
    assert _flags(api, HouseholdRow, ha) == ["DUP_KK"] == _flags(api, HouseholdRow, hb)


def test_a_second_open_proposal_for_one_programme_and_target_is_grouped(api: Api) -> None:
    dev_a, _, _ = _setup(api)
    hid, m1, m2 = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    p1, p2, p3 = str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())
    _send(api, "op1", dev_a, [
        op(hid, household()), op(m1, member(hid)), op(m2, member(hid, serial=2, name="Budi", sex="L", relation="suami")),
        # PKH for the household twice (two pengurus, e.g. two devices), and BPNT once: one rule-4 pair.
        op(p1, proposal("PKH", household_id=hid, pengurus_id=m1)),
        op(p2, proposal("PKH", household_id=hid, pengurus_id=m2)),
        op(p3, proposal("BPNT", household_id=hid, pengurus_id=m1))])
    [(g, members)] = _groups(api)["kk_programme"]
    assert members == {p1, p2} and g.key == f"PKH|{hid}"
    assert "DUP_KK" in _flags(api, ProposalRow, p1) and "DUP_KK" not in _flags(api, ProposalRow, p3)
    # Deleting one of them closes the pair: the group dissolves, the flag leaves the other.
    r = api.send("op1", batch(dev_a, [op(p2, kind="DELETE", base_version=1, local_rev=2, record_type="proposal")]))
    assert r.json()["results"][0]["status"] == "ACCEPTED"
    assert "kk_programme" not in _groups(api)
    assert "DUP_KK" not in _flags(api, ProposalRow, p1)


def test_probable_same_person_under_another_nik_is_grouped_after_the_batch(api: Api) -> None:
    dev_a, dev_b, _ = _setup(api)
    born = date(1955, 12, 1)
    pc = payload(DESA_A, serial=20, kk_serial=20, name="Djoko Soesilo", sex="L", born=born)
    pd = payload(DESA_B, serial=21, kk_serial=21, name="Joko Susilo", sex="L", born=born)
    _send(api, "op1", dev_a, person_ops(pc))
    _send(api, "op2", dev_b, person_ops(pd))
    (_, mc), (_, md) = person_ids(pc), person_ids(pd)
    [(g, members)] = _groups(api)["person"]
    assert members == {mc, md} and g.score is not None
    assert "DUP_PERSON" in _flags(api, MemberRow, md) and "DUP_PERSON" in _flags(api, MemberRow, mc)


def test_editing_the_nik_away_dissolves_the_group(api: Api) -> None:
    dev_a, dev_b, _ = _setup(api)
    nik = nik_for(DESA_A, date(1961, 4, 2), "P", 31)
    pa = payload(DESA_A, nik=nik, born=date(1961, 4, 2), kk_serial=1)
    pb = payload(DESA_B, nik=nik, born=date(1961, 4, 2), kk_serial=2, name="Siti Aminah")
    _send(api, "op1", dev_a, person_ops(pa))
    _send(api, "op2", dev_b, person_ops(pb))
    hb, mb = person_ids(pb)
    fixed = member(hb, DESA_B, serial=77, born=date(1961, 4, 2), name="Sri Wahyuni")
    _send(api, "op2", dev_b, [op(mb, fixed, base_version=1, local_rev=2)])
    assert "nik" not in _groups(api)
    assert [g.kind for g, _m in _groups(api, "DISSOLVED")["nik"]] == ["nik"]
    assert "DUP_NIK" not in _flags(api, MemberRow, person_ids(pa)[1])


def test_reference_rule_auto_rejects_pusat_recipient_for_a_kabupaten_programme(api: Api, engine: Any) -> None:
    # A regency programme configured on this server (a person programme: not in the default catalogue).
    api.client.app.state.catalogue = Catalogue([Programme("BANSOS-BLT", "Bansos Kabupaten Belitung",  # type: ignore[attr-defined]
                                                          SourceLevel.KABUPATEN, target=Target.PERSON)])
    dev_a, _, _ = _setup(api)
    born = date(1966, 7, 7)
    nik = nik_for(DESA_A, born, "L", 12)
    with Session(engine) as s:
        s.add(ReferenceRecipient(nik=nik, programme="PKH", level="pusat", status="aktif", period="2026",
                                 kecamatan_code=nik[:6], change_seq=0, imported_at=datetime.now(UTC)))
        s.commit()
    person = payload(DESA_A, nik=nik, born=born, sex="L", programme="BPNT")
    hid, mid = person_ids(person)
    a, b = str(uuid.uuid4()), str(uuid.uuid4())
    _send(api, "op1", dev_a, [*person_ops(person, b), op(a, proposal("BANSOS-BLT", member_id=mid))])
    with Session(engine) as s:
        regional, central = s.get(ProposalRow, a), s.get(ProposalRow, b)
        assert regional is not None and central is not None
        assert (regional.review_state, regional.review_reason_code) == ("REJECTED", "R05")
        assert "REF_REJECT" in json.loads(regional.flags)
        # BPNT names the household: every member's NIK counts, and a pusat programme is only flagged.
        assert central.household_id == hid and central.review_state == "PENDING"
        assert "REF_MATCH" in json.loads(central.flags)


def test_a_reference_list_imported_later_flags_the_proposals_it_concerns(api: Api, engine: Any,
                                                                         tmp_path: Any) -> None:
    """Rule 5 after the fact: an import rechecks the live proposals on a listed member (person
    programme) or on the household a listed member lives in (household programme)."""
    from server.services.reference_import import import_csv
    from server.settings import Settings

    dev_a, _, _ = _setup(api)
    head = payload(DESA_A, serial=40, kk_serial=40, name="Sahrul", sex="L", born=date(1970, 2, 2), programme="BPNT")
    wife = payload(DESA_A, serial=41, kk_serial=40, name="Rosita", sex="P", born=date(1972, 3, 3), programme="PBI-JK",
                   relation="istri")
    bpnt, pbi = str(uuid.uuid4()), str(uuid.uuid4())
    _send(api, "op1", dev_a, person_ops(head, bpnt))
    [_h, m_wife, p_wife] = person_ops(wife, pbi)
    _send(api, "op1", dev_a, [m_wife, p_wife])
    cursor = api.changes("op1", dev_a)["next_cursor"]
    src = tmp_path / "penerima.csv"
    src.write_text(f"nik,programme,level,status,period\n{wife['nik']},PKH,pusat,aktif,2026\n", encoding="utf-8")
    report = import_csv(engine, src, settings=Settings(environment="test", secret_key="x" * 40,
                                                       database_url="sqlite://"))
    assert report.ok, report.summary()
    # The wife's own PBI-JK and her household's BPNT are flagged (both pusat programmes: flag only).
    assert "REF_MATCH" in _flags(api, ProposalRow, pbi) and "REF_MATCH" in _flags(api, ProposalRow, bpnt)
    changed = {c["record"]["record_id"] for c in api.changes("op1", dev_a, since=cursor)["changes"] if c["record"]}
    assert changed == {bpnt, pbi}  # the village pulls the flags
