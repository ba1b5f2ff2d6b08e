"""An entry's history (desktop_app.review.history): audit rows and village versions as one trail."""

from __future__ import annotations

from desktop_app.review.history import history_items
from sync.review_protocol import AuditRow, VersionInfo
from tests.support.serverdata import DESA_A, payload


def test_history_lists_decisions_and_village_versions_newest_first_with_what_changed() -> None:
    p1 = payload(DESA_A, serial=3)
    p2 = {**p1, "address": "Jl. Baru 7", "criteria": ["nelayan"]}
    versions = [VersionInfo(version=1, change="create", payload=p1, review_state="PENDING", batch_id="b1",
                            created_at="2026-11-20T08:00:00"),
                VersionInfo(version=2, change="update", payload=p2, review_state="PENDING", batch_id="b2",
                            created_at="2026-11-20T09:00:00")]
    rows = [AuditRow(id=2, at="2026-11-20T10:00:00", username="rev1", action="approve", record_id="r1",
                     before={"review_state": "RETURNED", "review_reason_code": None, "review_note": "Cek alamat",
                             "voided": False},
                     after={"review_state": "APPROVED", "review_reason_code": None, "review_note": None,
                            "voided": False}),
            AuditRow(id=1, at="2026-11-20T08:30:00", username="rev2", action="return", record_id="r1",
                     before={"review_state": "PENDING", "review_reason_code": None, "review_note": None,
                             "voided": False},
                     after={"review_state": "RETURNED", "review_reason_code": None, "review_note": "Cek alamat",
                            "voided": False}),
            AuditRow(id=3, at="2026-11-20T11:00:00", username="rev1", action="reject", record_id="r1",
                     before={"review_state": "APPROVED", "review_reason_code": None}, after={
                         "review_state": "REJECTED", "review_reason_code": "R06", "review_note": ""})]
    items = history_items(rows, versions)
    assert [(i.who, i.action) for i in items] == [
        ("rev1", "Ditolak"), ("rev1", "Disetujui"), ("", "Diubah desa (versi 2)"),
        ("rev2", "Dikembalikan untuk perbaikan"), ("", "Dikirim desa (versi 1)")]
    reject, approve, edit, ret, create = items
    assert reject.reason.startswith("R06 (") and len(reject.reason) > 10  # the code and its text
    assert reject.changes == ("Status verifikasi: Disetujui → Ditolak", "Kode alasan: - → R06")
    assert approve.changes == ("Status verifikasi: Dikembalikan untuk perbaikan → Disetujui",
                               "Catatan: Cek alamat → -")
    assert ret.reason == "Cek alamat"
    assert edit.source == "desa" and edit.batch_id == "b2"
    assert edit.changes[0] == f"Alamat: {p1['address']} → Jl. Baru 7"
    assert edit.changes[1].startswith("Kriteria: ") and edit.changes[1].endswith("→ Nelayan")
    assert create.changes == ()
    assert all(i.at is not None and i.at.tzinfo is not None for i in items)  # naive server times read as UTC
