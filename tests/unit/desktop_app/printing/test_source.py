"""The print provider over households, members and proposals: who a proposal names on paper."""

from __future__ import annotations

from pathlib import Path

from desktop_app.context import AppContext
from desktop_app.printing import documents as docs
from desktop_app.printing.engine import Table
from desktop_app.printing.model import Letterhead, Status
from desktop_app.printing.source import load_families
from domain.records import HouseholdPayload, MemberPayload, ProposalPayload, RecordType
from local_db import household_repo as hr
from local_db.repository import session_scope
from tests.support.seed import DESA

KK = "1902010101100001"


def _family(ctx: AppContext) -> dict[str, str]:
    who = hr.Who("Operator Uji", ctx.device_id)
    ids: dict[str, str] = {}
    with session_scope(ctx.engine, write=True) as s:
        hid = hr.save_household(s, HouseholdPayload(kk=KK, desa_code=DESA, dusun="Air Serkuk", rt="001", rw="002"),
                                who).record_id
        for key, nik, name, born, sex, rel in (
                ("istri", "1902015708850001", "Siti Aminah", "1985-08-17", "P", "istri"),
                ("kepala", "1902010905780001", "Ahmad Fauzi", "1978-05-09", "L", "kepala_keluarga"),
                ("anak", "1902010207090001", "Muhammad Rizki", "2009-07-02", "L", "anak")):
            ids[key] = hr.save_member(s, MemberPayload(household_id=hid, nik=nik, name=name, birth_date=born, sex=sex,
                                                       relation=rel), who).record_id
        ids["pkh"] = hr.save_proposal(s, ProposalPayload(programme="PKH", household_id=hid,
                                                         pengurus_id=ids["istri"]), who).record_id
        ids["pbi"] = hr.save_proposal(s, ProposalPayload(programme="PBI-JK", member_id=ids["anak"]), who).record_id
        gone = hr.save_proposal(s, ProposalPayload(programme="BPNT", household_id=hid, pengurus_id=ids["kepala"]),
                                who).record_id
        hr.soft_delete(s, RecordType.PROPOSAL, gone, who, reason="salah program")
    return ids


def test_a_family_is_its_household_head_first_with_its_proposals(data_dir: Path) -> None:
    with AppContext.open(data_dir) as ctx:
        ids = _family(ctx)
        with ctx.engine.begin() as c:
            c.exec_driver_sql("UPDATE proposals SET review_state = 'REJECTED', review_reason_code = 'R04' "
                              "WHERE record_id = ?", (ids["pbi"],))
        [fam] = load_families(ctx.engine)
        assert (fam.kk, fam.dusun, fam.rt_rw) == (KK, "Air Serkuk", "001/002")
        # The head first (recorded as kepala keluarga, though entered second), then in entry order.
        assert [m.name for m in fam.members] == ["Ahmad Fauzi", "Siti Aminah", "Muhammad Rizki"]
        assert [m.relation for m in fam.members] == ["Kepala Keluarga", "Istri", "Anak"]
        by_id = {p.record_id: p for p in fam.proposals}
        assert set(by_id) == {ids["pkh"], ids["pbi"]}  # the deleted one is not printed
        pkh, pbi = by_id[ids["pkh"]], by_id[ids["pbi"]]
        assert (pkh.household, pkh.recipient.name, pkh.status) == (True, "Siti Aminah", Status.PROPOSED)
        assert (pbi.household, pbi.recipient.name, pbi.status) == (False, "Muhammad Rizki", Status.REJECTED)
        assert pbi.reason  # the rejection reason's text
        assert load_families(ctx.engine, statuses=(Status.PROPOSED,))[0].proposals == (pkh,)
        assert load_families(ctx.engine, programme="PBI-JK")[0].proposals == (pbi,)
        assert load_families(ctx.engine, period="2000-01") == []
        [sheet] = load_families(ctx.engine, kk=KK)
        assert len(sheet.proposals) == 2


def test_the_deliberation_row_says_family_and_pengurus_or_the_member(data_dir: Path) -> None:
    with AppContext.open(data_dir) as ctx:
        _family(ctx)
        fams = load_families(ctx.engine)
    doc = docs.deliberation_list(fams, Letterhead(kop=("KOP",), desa_name="Buluh Tumbang"))
    rows = [r for b in doc.blocks if isinstance(b, Table) for r in b.rows]
    targets = sorted((r[4], r[5]) for r in rows)
    assert targets == [("PBI-JK", "Muhammad Rizki"), ("PKH", "keluarga (pengurus: Siti Aminah)")]


def test_a_family_sheet_without_any_proposal_still_prints(data_dir: Path) -> None:
    with AppContext.open(data_dir) as ctx:
        who = hr.Who("Operator Uji", ctx.device_id)
        with session_scope(ctx.engine, write=True) as s:
            hid = hr.save_household(s, HouseholdPayload(kk=KK, desa_code=DESA), who).record_id
            hr.save_member(s, MemberPayload(household_id=hid, nik="1902010905780001", name="Ahmad Fauzi",
                                            birth_date="1978-05-09", sex="L"), who)
        assert load_families(ctx.engine) == []
        [fam] = load_families(ctx.engine, kk=KK)
        assert fam.proposals == () and fam.head.name == "Ahmad Fauzi"
