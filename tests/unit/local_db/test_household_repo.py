"""The household store's writes on a real SQLite file: each save with its op, audit row and sync
bookkeeping; duplicate rules 1, 2, 4, 5 in both directions; programme targets; moves; temporary id
-> NIK; soft delete; and the keyboard-entry scenario's data path (family of five, PKH on the family,
PBI-JK on two members, a second PKH refused in Indonesian)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from domain.programmes import BUILTIN, Catalogue, Programme, SourceLevel, Target
from domain.records import PAYLOADS, HouseholdPayload, MemberPayload, ProposalPayload, RecordType
from domain.states import SyncState
from domain.temp_ids import new_temp_id
from local_db import cipher
from local_db import household_errors as he
from local_db import household_repo as hr
from local_db.engine import close_store, db_path_of, key_of, open_store
from local_db.household_migration import migrate_to_households
from local_db.household_payloads import household_payload, member_payload
from local_db.repository import session_scope

DESA = "1902012003"
KK = "1902011403123100"
KK2 = "1902010308153101"
WHO = hr.Who("Rina Marlina", "dev-1")
TODAY = date(2026, 12, 6)
FAMILY = (  # name, sex, born, relation, NIK ("" = not issued yet)
    ("Budi Santoso", "L", "1980-03-12", "kepala_keluarga", "1902011203800001"),
    ("Siti Aminah", "P", "1985-08-17", "istri", "1902015708850002"),
    ("Andi Saputra", "L", "2008-05-02", "anak", "1902010205080003"),
    ("Rina Lestari", "P", "2012-11-20", "anak", "1902016011120004"),
    ("Bayu Pratama", "L", "2025-01-15", "anak", ""),
)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = open_store(tmp_path / "store.sqlite3")
    with eng.begin() as conn:
        migrate_to_households(conn)
    yield eng
    close_store(eng)


def q(engine: Engine, sql: str, *params: Any) -> list[dict[str, Any]]:
    conn = cipher.connect(db_path_of(engine), key_of(engine))  # the app's SQLite library
    conn.row_factory = cipher.dbapi.Row
    try:
        return [dict(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


def household(engine: Engine, kk: str = KK, **kw: Any) -> str:
    with session_scope(engine, write=True) as s:
        return hr.save_household(s, HouseholdPayload(kk=kk, desa_code=DESA, rt="001", rw="002",
                                                     address="Jl. Merdeka 1", **kw), WHO).record_id


def member(engine: Engine, hid: str, name: str = "Budi Santoso", sex: str = "L", born: str = "1980-03-12",
           relation: str = "kepala_keluarga", nik: str = "1902011203800001", record_id: str | None = None,
           **kw: Any) -> str:
    temp = "" if nik else new_temp_id()
    p = MemberPayload(household_id=hid, nik=nik, temp_id=temp, name=name, sex=sex, birth_date=born,
                      relation=relation, **kw)
    with session_scope(engine, write=True) as s:
        return hr.save_member(s, p, WHO, record_id=record_id, today=TODAY).record_id


def propose(engine: Engine, programme: str, *, household_id: str = "", member_id: str = "", pengurus_id: str = "",
            catalogue: Catalogue | None = None, **kw: Any) -> hr.Saved:
    p = ProposalPayload(programme=programme, household_id=household_id, member_id=member_id,
                        pengurus_id=pengurus_id, **kw)
    with session_scope(engine, write=True) as s:
        return hr.save_proposal(s, p, WHO, catalogue=catalogue or Catalogue(), today=TODAY)


def family(engine: Engine) -> tuple[str, list[str]]:
    hid = household(engine)
    return hid, [member(engine, hid, n, sx, b, r, nik) for n, sx, b, r, nik in FAMILY]


def ops(engine: Engine) -> list[dict[str, Any]]:
    return q(engine, "SELECT * FROM outbox ORDER BY seq")


def test_family_of_five_pkh_on_family_pbi_on_two_and_a_second_pkh_refused(engine: Engine) -> None:
    hid, mids = family(engine)
    head, wife, child = mids[0], mids[1], mids[4]
    pkh = propose(engine, "PKH", household_id=hid, pengurus_id=wife).record_id
    pbi = [propose(engine, "PBI-JK", member_id=m).record_id for m in (head, child)]
    with pytest.raises(he.DuplicateProposal) as err:
        propose(engine, "pkh", household_id=hid, pengurus_id=head)
    assert err.value.field == "programme"
    assert err.value.message.startswith("Program: keluarga ini sudah punya usulan PKH yang masih terbuka")

    members = q(engine, "SELECT * FROM members WHERE household_id = ? ORDER BY created_at", hid)
    assert [m["name"] for m in members] == [f[0] for f in FAMILY]
    assert members[4]["nik"] == "" and members[4]["temp_id"].startswith("TMP-")
    props = {p["record_id"]: p for p in q(engine, "SELECT * FROM proposals")}
    assert set(props) == {pkh, *pbi}
    assert (props[pkh]["target_id"], props[pkh]["pengurus_id"], props[pkh]["member_id"]) == (hid, wife, "")
    assert [props[p]["target_id"] for p in pbi] == [head, child]
    # One op per save, in save order (household -> members -> proposals), each a valid payload of its type.
    out = ops(engine)
    assert [o["record_type"] for o in out] == ["household"] + ["member"] * 5 + ["proposal"] * 3
    assert [o["record_id"] for o in out] == [hid, *mids, pkh, *pbi]
    for o in out:
        PAYLOADS[RecordType(o["record_type"])].model_validate_json(o["payload"])
        assert (o["kind"], o["local_rev"], o["base_version"], o["batch_id"]) == ("UPSERT", 1, None, None)
    audit = q(engine, "SELECT record_id, action, actor, device_id FROM auditlog ORDER BY id")
    assert [(a["record_id"], a["action"]) for a in audit] == [(o["record_id"], "CREATE") for o in out]
    assert {(a["actor"], a["device_id"]) for a in audit} == {(WHO.actor, WHO.device_id)}
    assert {r["sync_state"] for t in ("households", "members", "proposals")
            for r in q(engine, f"SELECT sync_state FROM {t}")} == {SyncState.NEW}


def test_rule1_same_nik_on_two_members_blocked_both_ways(engine: Engine) -> None:
    hid, hid2 = household(engine), household(engine, KK2)
    first = member(engine, hid)
    with pytest.raises(he.DuplicateMember) as err:
        member(engine, hid2, name="Budi S.")  # a new member with that NIK, in another family
    assert err.value.field == "nik"
    assert "sudah terdaftar sebagai anggota Budi Santoso di keluarga KK 1902011403123100" in err.value.message
    other = member(engine, hid2, "Siti Aminah", "P", "1985-08-17", "istri", "1902015708850002")
    with pytest.raises(he.DuplicateMember):  # an existing member edited to take the first one's NIK
        member(engine, hid2, "Siti Aminah", "L", "1980-03-12", "kepala_keluarga", "1902011203800001",
               record_id=other)
    member(engine, hid, record_id=first, name="Budi Santoso Putra")  # saving itself again is no duplicate
    with session_scope(engine, write=True) as s:
        hr.soft_delete(s, RecordType.MEMBER, first, WHO, reason="Meninggal dunia")
    member(engine, hid2, name="Budi Santoso")  # a deleted member blocks nothing


def test_rule2_same_kk_on_two_households_blocked_both_ways(engine: Engine) -> None:
    hid = household(engine)
    with pytest.raises(he.DuplicateHousehold) as err:
        household(engine, "1902.0114.0312.3100")  # typed with dots: the same KK
    assert err.value.field == "kk" and err.value.message.startswith("KK 1902011403123100 sudah terdaftar")
    hid2 = household(engine, KK2)
    with pytest.raises(he.DuplicateHousehold), session_scope(engine, write=True) as s:
        hr.save_household(s, HouseholdPayload(kk=KK, desa_code=DESA), WHO, record_id=hid2)
    with session_scope(engine, write=True) as s:  # editing the household itself keeps its KK
        hr.save_household(s, HouseholdPayload(kk=KK, desa_code=DESA, address="Jl. Baru 2"), WHO, record_id=hid)
    assert q(engine, "SELECT address, local_rev FROM households WHERE record_id = ?", hid) == [
        {"address": "Jl. Baru 2", "local_rev": 2}]


def test_rule4_second_open_proposal_blocked_until_decided_or_deleted(engine: Engine) -> None:
    hid, mids = family(engine)
    first = propose(engine, "BPNT", household_id=hid, pengurus_id=mids[0]).record_id
    with pytest.raises(he.DuplicateProposal):
        propose(engine, "BPNT", household_id=hid, pengurus_id=mids[1], type="correction", note="alamat")
    pbi = propose(engine, "PBI-JK", member_id=mids[2]).record_id
    with pytest.raises(he.DuplicateProposal) as err:
        propose(engine, "PBI-JK", member_id=mids[2])
    assert "anggota ini sudah punya usulan PBI-JK" in err.value.message
    propose(engine, "PBI-JK", member_id=mids[3])  # another member: another target
    # Editing the open proposal itself is no second proposal.
    with session_scope(engine, write=True) as s:
        hr.save_proposal(s, ProposalPayload(programme="PBI-JK", member_id=mids[2], note="ibu hamil"), WHO,
                         record_id=pbi)
    # Decided (server-owned review state pulled in): a removal for the same target may follow.
    conn = cipher.connect(db_path_of(engine), key_of(engine))  # the app's SQLite library
    conn.execute("UPDATE proposals SET review_state = 'APPROVED', server_version = 1 WHERE record_id = ?", (first,))
    conn.commit()
    conn.close()
    propose(engine, "BPNT", household_id=hid, type="removal", removal_reason="moved")
    with session_scope(engine, write=True) as s:
        hr.soft_delete(s, RecordType.PROPOSAL, pbi, WHO, reason="Salah input")
    propose(engine, "PBI-JK", member_id=mids[2])


def test_rule5_reference_recipient_flag_or_refusal_per_programme_rule(engine: Engine) -> None:
    hid, mids = family(engine)
    conn = cipher.connect(db_path_of(engine), key_of(engine))  # the app's SQLite library
    conn.executemany("INSERT INTO referencerecipient (nik, programme, level, status) VALUES (?,?,?,?)",
                     [(FAMILY[1][4], "PKH", "pusat", "aktif"), (FAMILY[2][4], "PBI-JK", "pusat", "nonaktif")])
    conn.commit()
    conn.close()
    kab = Catalogue([Programme("KASIH-IBU", "Kasih Ibu Kabupaten", SourceLevel.KABUPATEN, target=Target.HOUSEHOLD)])
    # A pusat programme: each listed member of the family is a warning recorded with the proposal.
    saved = propose(engine, "PKH", household_id=hid, pengurus_id=mids[0], catalogue=kab)
    assert [w.code for w in saved.warnings] == ["reference_recipient"] * 2
    assert "program PKH." in saved.warnings[0].message and "(status: nonaktif)" in saved.warnings[1].message
    stored = json.loads(q(engine, "SELECT warnings FROM proposals WHERE record_id = ?", saved.record_id)[0]["warnings"])
    assert [w["message"] for w in stored] == [w.message for w in saved.warnings]
    # A kabupaten programme refuses a family with an active pusat recipient (rule: pusat first).
    with pytest.raises(he.ReferenceRecipientRefused) as err:
        propose(engine, "KASIH-IBU", household_id=hid, pengurus_id=mids[0], catalogue=kab)
    assert err.value.field == "programme" and "penerima bantuan pusat tidak dapat diusulkan" in err.value.message
    assert not q(engine, "SELECT 1 FROM proposals WHERE programme = 'KASIH-IBU'")  # nothing half-written
    # An inactive listing is only a warning, naming the status.
    saved = propose(engine, "PBI-JK", member_id=mids[2], catalogue=kab)
    assert any("nonaktif" in w.message for w in saved.warnings)
    # The same rule allows a configured programme that opts out.
    optout = Catalogue([Programme("KASIH-IBU", "Kasih Ibu", SourceLevel.KABUPATEN, allow_pusat_recipients=True,
                                  target=Target.HOUSEHOLD)])
    propose(engine, "KASIH-IBU", household_id=hid, pengurus_id=mids[0], catalogue=optout)


def test_programme_that_does_not_fit_the_target_is_refused(engine: Engine) -> None:
    hid, mids = family(engine)
    with pytest.raises(he.WrongTarget) as err:
        propose(engine, "PKH", member_id=mids[0])
    assert err.value.field == "member_id" and "PKH ditujukan untuk keluarga" in err.value.message
    with pytest.raises(he.WrongTarget) as err:
        propose(engine, "PBI-JK", household_id=hid)
    assert err.value.field == "household_id" and "PBI-JK ditujukan untuk perorangan" in err.value.message
    hid2 = household(engine, KK2)
    outsider = member(engine, hid2, "Siti Aminah", "P", "1985-08-17", "kepala_keluarga", "1902015708850099")
    with pytest.raises(he.InvalidRecord) as ierr:
        propose(engine, "PKH", household_id=hid, pengurus_id=outsider)
    assert ierr.value.field == "pengurus_id"
    with pytest.raises(he.InvalidRecord) as ierr:
        propose(engine, "ZAKAT", household_id=hid, pengurus_id=mids[0])
    assert ierr.value.message.startswith("Program: Program 'ZAKAT' tidak dikenal")
    assert [p.code for p in BUILTIN if p.target is Target.PERSON] == ["PBI-JK"]
    assert not q(engine, "SELECT 1 FROM proposals")


def test_member_moves_to_another_household_with_history(engine: Engine) -> None:
    hid, mids = family(engine)
    hid2 = household(engine, KK2)
    child = mids[2]
    with session_scope(engine, write=True) as s:
        hr.move_member(s, child, hid2, WHO, reason="Menikah, ikut KK baru")
    row = q(engine, "SELECT * FROM members WHERE record_id = ?", child)[0]
    assert (row["household_id"], row["local_rev"], row["nik"]) == (hid2, 2, FAMILY[2][4])
    history = q(engine, "SELECT action, before, after, reason FROM auditlog WHERE record_id = ? ORDER BY id", child)
    assert [h["action"] for h in history] == ["CREATE", "MOVE"]
    assert json.loads(history[1]["before"])["household_id"] == hid
    assert json.loads(history[1]["after"])["household_id"] == hid2
    assert history[1]["reason"] == "Menikah, ikut KK baru"
    last = ops(engine)[-1]
    assert (last["record_type"], last["record_id"], last["local_rev"]) == ("member", child, 2)
    assert json.loads(last["payload"])["household_id"] == hid2
    with pytest.raises(he.RecordNotFound), session_scope(engine, write=True) as s:
        hr.move_member(s, child, "no-such-household", WHO)


def test_temporary_id_replaced_by_nik_keeps_the_old_id(engine: Engine) -> None:
    _hid, mids = family(engine)
    baby = mids[4]
    temp = q(engine, "SELECT temp_id FROM members WHERE record_id = ?", baby)[0]["temp_id"]
    with pytest.raises(he.DuplicateMember), session_scope(engine, write=True) as s:
        hr.replace_member_temp_id(s, baby, FAMILY[0][4], WHO)  # the father's NIK
    with pytest.raises(he.InvalidRecord) as err, session_scope(engine, write=True) as s:
        hr.replace_member_temp_id(s, baby, "12345", WHO)
    assert err.value.field == "nik" and err.value.message.startswith("NIK")
    with session_scope(engine, write=True) as s:
        hr.replace_member_temp_id(s, baby, "1902011501250005", WHO)
    row = q(engine, "SELECT * FROM members WHERE record_id = ?", baby)[0]
    assert (row["nik"], row["temp_id"], json.loads(row["former_ids"])) == ("1902011501250005", "", [temp])
    audit = q(engine, "SELECT action, reason FROM auditlog WHERE record_id = ? ORDER BY id", baby)
    assert audit[-1] == {"action": "ID_CHANGE", "reason": f"NIK menggantikan nomor sementara {temp}"}
    payload = MemberPayload.model_validate_json(ops(engine)[-1]["payload"])
    assert (payload.nik, payload.former_ids) == ("1902011501250005", [temp])
    with pytest.raises(he.DuplicateMember):  # the NIK now counts under rule 1
        member(engine, household(engine, KK2), "Bayu", "L", "2025-01-15", "anak", "1902011501250005")


def test_soft_delete_keeps_the_row_queues_a_delete_and_never_implies_others(engine: Engine) -> None:
    hid, mids = family(engine)
    pkh = propose(engine, "PKH", household_id=hid, pengurus_id=mids[0]).record_id
    with session_scope(engine, write=True) as s:
        with pytest.raises(he.RecordRefused) as err:
            hr.soft_delete(s, RecordType.HOUSEHOLD, hid, WHO, reason="Pindah")
        assert err.value.code == "has_members"
        with pytest.raises(he.RecordRefused) as err:
            hr.soft_delete(s, RecordType.MEMBER, mids[0], WHO, reason="Pindah")
        assert err.value.code == "has_open_proposals"
        with pytest.raises(he.InvalidRecord) as err:
            hr.soft_delete(s, RecordType.PROPOSAL, pkh, WHO, reason="  ")
        assert err.value.field == "delete_reason"
    with session_scope(engine, write=True) as s:
        hr.soft_delete(s, RecordType.PROPOSAL, pkh, WHO, reason="Diganti usulan baru")
        for m in mids:
            hr.soft_delete(s, RecordType.MEMBER, m, WHO, reason="Pindah domisili")
        hr.soft_delete(s, RecordType.HOUSEHOLD, hid, WHO, reason="Pindah domisili")
    assert q(engine, "SELECT deleted, delete_reason, local_rev FROM proposals WHERE record_id = ?", pkh) == [
        {"deleted": 1, "delete_reason": "Diganti usulan baru", "local_rev": 2}]
    deletes = [o for o in ops(engine) if o["kind"] == "DELETE"]
    assert [o["record_type"] for o in deletes] == ["proposal"] + ["member"] * 5 + ["household"]
    assert q(engine, "SELECT count(*) AS n FROM auditlog WHERE action = 'DELETE'")[0]["n"] == 7
    with pytest.raises(he.RecordNotFound), session_scope(engine, write=True) as s:
        hr.soft_delete(s, RecordType.PROPOSAL, pkh, WHO, reason="lagi")


def test_edit_of_a_synced_record_is_dirty_and_goes_out_on_the_server_version(engine: Engine) -> None:
    hid = household(engine)
    conn = cipher.connect(db_path_of(engine), key_of(engine))  # the app's SQLite library
    conn.execute("UPDATE households SET sync_state = 'SYNCED', server_version = 3, base_version = 3")
    conn.commit()
    conn.close()
    with session_scope(engine, write=True) as s:
        hr.save_household(s, HouseholdPayload(kk=KK, desa_code=DESA, address="Jl. Sijuk Km. 5"), WHO, record_id=hid)
    row = q(engine, "SELECT sync_state, local_rev, base_version FROM households")[0]
    assert row == {"sync_state": "DIRTY", "local_rev": 2, "base_version": 3}
    assert (ops(engine)[-1]["local_rev"], ops(engine)[-1]["base_version"]) == (2, 3)


def test_invalid_input_is_refused_naming_the_field_and_nothing_is_written(engine: Engine) -> None:
    with pytest.raises(he.InvalidRecord) as err:
        household(engine, "1902011403120000")  # serial 0000
    assert err.value.field == "kk"
    hid = household(engine)
    with pytest.raises(he.InvalidRecord) as err:
        member(engine, hid, born="2030-01-01")
    assert err.value.field == "birth_date"
    with pytest.raises(he.RecordNotFound) as nf:
        member(engine, "no-such-household")
    assert nf.value.field == "household_id"
    assert len(q(engine, "SELECT * FROM members")) == 0 and len(ops(engine)) == 1


def test_each_check_reads_an_index(engine: Engine) -> None:
    from local_db import household_models as hm

    def plan(sql: str, *params: Any) -> str:
        return " ".join(r["detail"] for r in q(engine, "EXPLAIN QUERY PLAN " + sql, *params))

    assert "ix_members_nik" in plan(hm.SQL_SAME_NIK, "1", "")
    assert "ix_members_nik" in plan(hr._SQL_SAME_NIK_WITH_KK, "1", "")
    assert "ix_members_temp_id" in plan(hm.SQL_SAME_TEMP_ID, "1", "")
    assert "ix_households_kk" in plan(hm.SQL_SAME_KK, "1", "")
    assert "ix_proposals_open" in plan(hm.SQL_OPEN_PROPOSAL, "PKH", "x", "")
    assert "ix_members_household" in plan("SELECT * FROM members WHERE household_id = ? AND deleted = 0", "x")
    assert "autoindex_referencerecipient" in plan("SELECT programme, level, status FROM referencerecipient WHERE nik = ?", "1")


def test_household_members_together_one_head_and_history_on_a_plain_nik_edit(engine: Engine) -> None:
    hid, mids = family(engine)
    with pytest.raises(he.InvalidRecord) as err:
        member(engine, hid, "Joko Susilo", "L", "1975-01-01", "kepala_keluarga", "1902010101750009")
    assert err.value.field == "relation" and "hanya punya satu kepala keluarga" in err.value.message
    # The form saves the baby with the NIK typed over the temporary id: the old id still goes to history.
    temp = q(engine, "SELECT temp_id FROM members WHERE record_id = ?", mids[4])[0]["temp_id"]
    p = MemberPayload(household_id=hid, nik="1902011501250005", name="Bayu Pratama", sex="L", birth_date="2025-01-15",
                      relation="anak")
    with session_scope(engine, write=True) as s:
        hr.save_member(s, p, WHO, record_id=mids[4], today=TODAY)
    assert json.loads(q(engine, "SELECT former_ids FROM members WHERE record_id = ?", mids[4])[0]["former_ids"]) == [temp]
    assert q(engine, "SELECT action FROM auditlog WHERE record_id = ? ORDER BY id", mids[4])[-1]["action"] == "ID_CHANGE"


def test_bulk_insert_writes_the_same_rows_as_single_saves(engine: Engine) -> None:
    fams = [(HouseholdPayload(kk=KK, desa_code=DESA, rt="003", rw="001", address="Jl. Merdeka 1", phone="081234567890",
                              latitude=-2.74, longitude=107.65, assets=["lemari_es"], notes="rumah panggung"),
             [MemberPayload(household_id="", nik=nik, name=n, sex=sx, birth_date=b, relation=r)
              for n, sx, b, r, nik in FAMILY[:2]]),
            (HouseholdPayload(kk=KK2, desa_code=DESA), [])]
    with session_scope(engine, write=True) as s:
        hids = hr.bulk_insert_households(s, fams, WHO)
    # Read back, each row is exactly the payload it was made from (what a single save would store).
    for hid, (h, ms) in zip(hids, fams, strict=True):
        assert household_payload(q(engine, "SELECT * FROM households WHERE record_id = ?", hid)[0]) == h
        stored = q(engine, "SELECT * FROM members WHERE household_id = ? ORDER BY nik", hid)
        assert [member_payload(r) for r in stored] == [m.model_copy(update={"household_id": hid}) for m in ms]
    members = q(engine, "SELECT * FROM members ORDER BY nik")
    assert [(m["nik"], m["household_id"], m["relation"], m["sync_state"], m["local_rev"]) for m in members] == [
        (FAMILY[0][4], hids[0], "kepala_keluarga", "NEW", 1), (FAMILY[1][4], hids[0], "istri", "NEW", 1)]
    out = ops(engine)
    assert [(o["record_type"], o["record_id"]) for o in out] == [
        ("household", hids[0]), ("member", out[1]["record_id"]), ("member", out[2]["record_id"]), ("household", hids[1])]
    for o in out:
        PAYLOADS[RecordType(o["record_type"])].model_validate_json(o["payload"])
    assert json.loads(out[1]["payload"])["household_id"] == hids[0]
    assert q(engine, "SELECT count(*) AS n FROM auditlog WHERE action = 'CREATE'")[0]["n"] == 4
    # The rows read back as the records single saves make: rule 1 and 2 now see them.
    with pytest.raises(he.DuplicateMember):
        member(engine, hids[1])
    with pytest.raises(he.DuplicateHousehold):
        household(engine)
