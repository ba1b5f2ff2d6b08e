"""A proposal's history (desktop_app.review.history): audit rows and the versions of the proposal and
its family as one trail, the approved version marked."""

from __future__ import annotations

from desktop_app.review.history import history_items
from sync.review_protocol import AuditRow, VersionInfo
from tests.support.review_families import family
from tests.support.serverdata import DESA_A


def test_history_lists_decisions_and_village_versions_newest_first_with_what_changed() -> None:
    fam = family(DESA_A, 3)
    p1 = fam.proposal_payloads["PKH"]
    p2 = {**p1, "criteria": ["nelayan"], "note": "Rumah direnovasi bantuan desa"}
    member = fam.members[1]
    versions = [
        VersionInfo(version=1, change="create", payload=p1, review_state="PENDING", batch_id="b1",
                    created_at="2026-11-20T08:00:00", record_type="proposal", record_id="p1"),
        VersionInfo(version=1, change="approved", payload=p1, review_state="APPROVED", batch_id="b1",
                    created_at="2026-11-20T08:40:00", record_type="proposal", record_id="p1", approved=True),
        VersionInfo(version=2, change="update", payload=p2, review_state="PENDING", batch_id="b2",
                    created_at="2026-11-20T09:00:00", record_type="proposal", record_id="p1"),
        VersionInfo(version=1, change="create", payload=member, review_state="", batch_id="b1",
                    created_at="2026-11-20T08:00:00", record_type="member", record_id="m1"),
        VersionInfo(version=2, change="update", payload={**member, "occupation": "buruh_tani"}, review_state="",
                    batch_id="b2", created_at="2026-11-20T09:00:01", record_type="member", record_id="m1")]
    rows = [AuditRow(id=2, at="2026-11-20T10:00:00", username="rev1", action="return", record_id="p1",
                     before={"review_state": "PENDING", "review_note": None, "review_fields": []},
                     after={"review_state": "RETURNED", "review_note": "Foto rumah kurang jelas",
                            "review_fields": ["household.housing", "member.occupation"]}),
            AuditRow(id=1, at="2026-11-20T08:30:00", username="rev2", action="approve", record_id="p1",
                     before={"review_state": "PENDING", "review_reason_code": None},
                     after={"review_state": "APPROVED", "review_reason_code": None})]
    items = history_items(rows, versions)
    assert [(i.who, i.action) for i in items] == [
        ("rev1", "Dikembalikan untuk perbaikan"), ("", "Anggota keluarga: diubah desa (versi 2)"),
        ("", "Diubah desa (versi 2)"), ("", "Versi yang disetujui, disimpan saat desa mengubahnya (versi 1)"),
        ("rev2", "Disetujui"),
        ("", "Anggota keluarga: dikirim desa (versi 1)"), ("", "Dikirim desa (versi 1)")]
    ret, member_edit, edit, approved, _approve, _m1, _p1 = items
    assert ret.reason == "Foto rumah kurang jelas — perbaiki: Kondisi rumah, Pekerjaan"
    assert "Isian yang harus diperbaiki: - → Kondisi rumah, Pekerjaan" in ret.changes
    assert member_edit.changes == ("Pekerjaan utama: Mengurus rumah tangga → Buruh tani",)  # labels, not codes
    assert edit.changes[0].startswith("Kriteria usulan: ") and edit.changes[0].endswith("→ Nelayan")
    assert edit.changes[1] == "Catatan usulan: - → Rumah direnovasi bantuan desa"
    assert approved.approved and approved.batch_id == "b1"
    assert all(i.at is not None and i.at.tzinfo is not None for i in items)  # naive server times read as UTC
