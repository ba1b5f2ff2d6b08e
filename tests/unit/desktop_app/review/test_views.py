"""Wire -> view records (desktop_app.review.views): a proposal with its family, flags joined from the
proposal, its member and its household, what a decision sends of what was shown, and how its outcome reads."""

from __future__ import annotations

from desktop_app.review.views import DecisionResult, decided_view, proposal_view, seen_of
from domain.flags import FlagCode
from sync.review_protocol import FLAG_TEXT, DecidedProposal
from tests.support.review_families import family, wire_proposal
from tests.support.serverdata import DESA_A


def test_a_proposal_view_carries_its_family_with_labels() -> None:
    fam = family(DESA_A, 3, size=4, person_programme="PBI-JK")
    pkh = proposal_view(wire_proposal(fam, "PKH"))
    assert pkh.target_label == "Keluarga (KPM)" and pkh.member_role == "Pengurus (penerima)"
    assert pkh.member is not None and pkh.member.record_id == fam.member_ids[1]  # the spouse receives it
    assert pkh.name == fam.members[1]["name"] and pkh.kk == fam.kk
    assert [m.relation_label for m in pkh.members][:2] == ["Kepala Keluarga", "Istri"]  # head first, as on the KK
    assert pkh.household is not None and ("Jenis atap terluas", pkh.household.housing[3][1]) in pkh.household.housing
    assert pkh.musdesus_text.startswith("Disepakati Musdesus, 02-11-2026, BA ")
    pbi = proposal_view(wire_proposal(fam, "PBI-JK"))
    assert pbi.target_label == "Perorangan" and pbi.member is not None
    assert pbi.member.record_id == fam.member_ids[-1] and pbi.member_role == "Sasaran usulan"
    assert pbi.family_ids == {pbi.record_id, fam.household_id, *fam.member_ids}


def test_flags_of_the_proposal_its_member_and_household_are_joined() -> None:
    fam = family(DESA_A, 4)
    e = proposal_view(wire_proposal(
        fam, flags=[{"code": "REF_MATCH", "message": "BPNT (pusat, aktif, 2026)"}],
        member_flags=[{"code": "DUP_NIK", "message": FLAG_TEXT["DUP_NIK"], "related_record_ids": ["m9"]}]))
    assert [f.code for f in e.flags] == [FlagCode.REF_MATCH, FlagCode.DUP_NIK]
    assert "BPNT (pusat, aktif, 2026)" in e.flags[0].explanation
    assert e.flags[1].related == ("m9",) and "Rincian" not in e.flags[1].explanation  # generic server text
    assert e.in_duplicate_group and e.state_label == "Menunggu verifikasi"


def test_a_return_reads_with_its_fields_to_fix() -> None:
    fam = family(DESA_A, 5)
    e = proposal_view(wire_proposal(fam, review_state="RETURNED", review_note="Foto KK buram",
                                    review_fields=["household.kk", "member.birth_date"]))
    assert e.outcome_text == "Dikembalikan: Foto KK buram (perbaiki: Nomor KK, Tanggal lahir)"


def test_decisions_send_the_version_and_change_seq_shown() -> None:
    a, b = family(DESA_A, 1), family(DESA_A, 2)
    shown = [proposal_view(wire_proposal(a, version=1, change_seq=40)),
             proposal_view(wire_proposal(b, version=3, change_seq=57))]
    assert seen_of(shown) == ({a.proposals["PKH"]: 1, b.proposals["PKH"]: 3},
                              {a.proposals["PKH"]: 40, b.proposals["PKH"]: 57})


def test_decision_outcome_names_each_proposal_not_decided() -> None:
    stale = "Usulan sudah berubah (versi 2) sejak dibuka; muat ulang lalu putuskan lagi."
    res = DecisionResult(["r1"], {"r2": stale}, frozenset({"r2"}))
    text = res.describe({"r1": "Siti Aminah", "r2": "Budi Santoso"})
    assert text == f"1 usulan diputuskan. 1 tidak diputuskan — Budi Santoso: {stale}"
    assert stale in res.summary


def test_a_decided_proposal_shows_the_servers_answer_and_keeps_its_family() -> None:
    fam = family(DESA_A, 6)
    shown = proposal_view(wire_proposal(
        fam, version=2, change_seq=7, flags=[{"code": "EDITED_AFTER_APPROVAL", "message": "x"}],
        member_flags=[{"code": "DUP_NIK", "message": "x", "related_record_ids": ["m9"]}]))
    answer = DecidedProposal(record_id=shown.record_id, change_seq=12, review_state="RETURNED", review_note="cek",
                             review_fields=["member.nik"], flags=[], updated_at="2026-11-20T09:00:00Z")
    e = decided_view(shown, answer)
    assert (e.review_state, e.note, e.review_fields, e.change_seq) == ("RETURNED", "cek", ["member.nik"], 12)
    # The server cleared EDITED_AFTER_APPROVAL; the member's DUP_NIK is not the decision's to clear.
    assert [f.code for f in e.flags] == [FlagCode.DUP_NIK] and e.flags[0].related == ("m9",)
    assert e.members == shown.members and e.version == 2
    assert shown.review_state == "PENDING"  # the shown copy is not changed behind the table's back


def test_a_conflict_of_the_family_is_the_one_to_settle_when_the_proposal_has_none() -> None:
    fam = family(DESA_A, 7)
    wire = wire_proposal(fam)
    pengurus = next(m for m in wire["members"] if m["record_id"] == wire["member_id"])
    pengurus["conflict"] = {"fields": ["occupation"], "village": {**pengurus["payload"], "occupation": "pedagang"}}
    e = proposal_view(wire)
    assert e.conflict is None and e.has_conflict
    rtype, rid, _conflict, _payload = e.conflict_source()  # type: ignore[misc]
    assert (rtype, rid) == ("member", fam.member_ids[1])
    assert e.conflict_rows() == [("occupation", "Pekerjaan", "mengurus_rumah_tangga", "pedagang")]
