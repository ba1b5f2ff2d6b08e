"""Pure parts of the review service: NIK/KK read back, flags explained, decision checks, XLSX export."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from desktop_app.services.review_service import (
    CriteriaRow,
    Dashboard,
    ReviewError,
    StatRow,
    _check_decision,
    _entry_view,
    decode_kk_lines,
    decode_nik_lines,
    explain_flag,
    export_dashboard,
    export_table_xlsx,
    flag_key,
)
from sync.review_protocol import FLAG_TEXT
from tests.support.certs import TEST_CA
from tests.support.serverdata import DESA_A, payload


def test_nik_read_back_in_words() -> None:
    p = payload(DESA_A, serial=12)  # woman born 17-05-1980
    lines = decode_nik_lines(p["nik"], p["birth_date"], p["sex"])
    text = "\n".join(lines)
    assert "Tanjung Pandan" in text or "Tanjungpandan" in text.replace(" ", "")
    assert "Lahir 17-05-80" in text and "perempuan" in text
    assert "✔ Struktur NIK sah" in text


def test_nik_contradicting_typed_data_is_explained() -> None:
    p = payload(DESA_A, serial=12)
    lines = decode_nik_lines(p["nik"], "1980-05-18", "L")
    assert any(line.startswith("⚠") and "tidak cocok" in line for line in lines)
    bad = decode_nik_lines("1902019913800001")
    assert any(line.startswith("✖") for line in bad)
    assert any("pencatatan" in line for line in decode_kk_lines(p["kk"]))


@pytest.mark.parametrize(("code", "title"), [
    ("DUP_NIK", "NIK sama di desa lain"),
    ("DUP_KK", "KK sama dalam program ini"),
    ("DUP_PERSON", "Kemungkinan orang yang sama"),
    ("REF_MATCH", "Sudah penerima bantuan lain"),
    ("REF_REJECT", "Ditolak otomatis: penerima bantuan pusat"),
    ("EDITED_AFTER_APPROVAL", "Diubah setelah disetujui"),
    ("RESUBMITTED", "Dikirim ulang setelah perbaikan"),
    ("CONFLICT_SOFT", "Perubahan digabung otomatis"),
    ("CONFLICT_HARD", "Konflik data"),
    ("DATA_WARNING", "Peringatan data"),
    ("OVERRIDE", "Disimpan walau mirip entri lain"),
])
def test_every_server_flag_has_an_indonesian_explanation(code: str, title: str) -> None:
    f = explain_flag(code)
    assert f.title == title
    assert len(f.explanation) > 40  # a sentence, not a code
    assert flag_key(code) == f.code


def test_unknown_flag_is_still_shown() -> None:
    f = explain_flag("SOMETHING_NEW")
    assert f.title == "SOMETHING_NEW" and "periksa" in f.explanation


def test_entry_view_joins_flags_and_recorded_warnings() -> None:
    p = payload(DESA_A, serial=3)
    e = _entry_view({"record_id": "r1", "version": 2, "change_seq": 3, "desa_code": DESA_A, "desa_name": "",
                     "payload": p, "review_state": "PENDING", "batch_id": "b1", "updated_at": "2026-11-20T08:00:00Z",
                     "flags": [{"code": "DUP_NIK", "message": FLAG_TEXT["DUP_NIK"], "related_record_ids": ["r2"]},
                               {"code": "REF_MATCH", "message": "BPNT (pusat, aktif, 2026)"},
                               {"code": "DATA_WARNING", "message": FLAG_TEXT["DATA_WARNING"]}],
                     "warnings": [{"field": "birth_date", "code": "nik_birth_date_mismatch",
                                   "message": "Tanggal lahir tidak cocok dengan NIK.", "severity": "warning"}]})
    # The NIK contradiction is its own flag; DATA_WARNING carried only that one, so it is not repeated.
    assert [f.code for f in e.flags] == ["nik_mismatch", "dup_nik", "reference"]
    assert e.flags[1].related == ("r2",) and "Rincian" not in e.flags[1].explanation  # generic server text
    assert "BPNT (pusat, aktif, 2026)" in e.flags[2].explanation
    assert e.state_label == "Menunggu verifikasi"


@pytest.mark.parametrize(("decision", "reason", "note", "message"), [
    ("reject", None, "", "Pilih alasan"),
    ("reject", "R99", "", "memerlukan catatan"),
    ("return", None, " ", "catatan perbaikan"),
    ("maybe", None, "", "tidak dikenal"),
])
def test_decision_checks(decision: str, reason: str | None, note: str, message: str) -> None:
    with pytest.raises(ReviewError, match=message):
        _check_decision(decision, reason, note)


def test_xlsx_keeps_nik_as_text(tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    n = export_table_xlsx(path, ["NIK", "Nama", "Jumlah"], [["0102030405060708", "A", 3], ["1902015705800012", "B", 4]],
                          text_columns=(0,))
    assert n == 2
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[1][0] == "0102030405060708"  # leading zero kept, not 1.02E+14
    assert rows[2][0] == "1902015705800012"
    assert rows[2][2] == 4


def test_dashboard_export(tmp_path: Path) -> None:
    dash = Dashboard([StatRow(DESA_A, "Buluh Tumbang", "PKH", "APPROVED", 5)],
                     [CriteriaRow(DESA_A, "Buluh Tumbang", "nelayan", 2)])
    path = tmp_path / "d.xlsx"
    assert export_dashboard(path, dash) == 1
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    header = rows[0]
    line = dict(zip(header, rows[1], strict=True))
    assert line["Kode desa"] == "19.02.01.2003" and line["Disetujui"] == 5 and line["Nelayan"] == 2


def test_every_flag_the_server_can_set_is_explained() -> None:
    from desktop_app.services.review_service import FLAG_INFO

    missing = [code for code in FLAG_TEXT if flag_key(code) not in FLAG_INFO]
    assert missing == []


# ---- the provisioned CA file -------------------------------------------------------------------



def _provision(data_dir: Path, tmp_path: Path, *, ca: str | None) -> None:
    import json

    from desktop_app.provisioning import import_provisioning

    f = tmp_path / "bansos-provision.json"
    f.write_text(json.dumps({"format": 1, "server_url": "https://bansos.belitungkab.go.id", "desa_code": DESA_A,
                             "desa_name": "Buluh Tumbang", "ca_cert_pem": ca, "created_at": "2026-11-01"}),
                 encoding="utf-8")
    import_provisioning(data_dir, f)


def test_review_client_from_a_provisioned_pc_verifies_with_its_ca_file(data_dir: Path, tmp_path: Path) -> None:
    from desktop_app.context import AppContext
    from desktop_app.provisioning import CA_FILE_NAME
    from desktop_app.services.review_service import ReviewService, ReviewSession
    from desktop_app.services.sync_service import SyncService

    _provision(data_dir, tmp_path, ca=TEST_CA)
    session = ReviewSession("https://bansos.belitungkab.go.id", "rev1", "reviewer", "190201", "token")
    with AppContext.open(data_dir) as ctx:
        svc = ReviewService.from_context(ctx, session)
        client = svc._client()
        ca = str(data_dir / CA_FILE_NAME)
        assert client.session.verify == ca
        # The same file the operators' sync trusts.
        assert SyncService.from_context(ctx).verify == ca


def test_review_client_without_a_provisioned_ca_uses_the_system_cas(data_dir: Path, tmp_path: Path) -> None:
    from desktop_app.context import AppContext
    from desktop_app.services.review_service import ReviewService, ReviewSession, ca_verify

    _provision(data_dir, tmp_path, ca=None)
    session = ReviewSession("https://bansos.belitungkab.go.id", "rev1", "reviewer", "190201", "token")
    with AppContext.open(data_dir) as ctx:
        assert ReviewService.from_context(ctx, session)._client().session.verify is True
    assert ca_verify(None) is True  # no store (tests, the bench): the system CAs


# ---- decisions on what was shown, and their outcome --------------------------------------------


def _view(rid: str, version: int, seq: int, name: str) -> object:
    p = payload(DESA_A, serial=int(seq) % 900 + 1, name=name)
    return _entry_view({"record_id": rid, "version": version, "change_seq": seq, "desa_code": DESA_A,
                        "desa_name": "", "payload": p, "review_state": "PENDING", "batch_id": "b1",
                        "updated_at": "2026-11-20T08:00:00Z"})


def test_decisions_send_the_version_and_change_seq_shown() -> None:
    from desktop_app.services.review_service import seen_of

    entries = [_view("r1", 1, 40, "Siti Aminah"), _view("r2", 3, 57, "Budi Santoso")]
    assert seen_of(entries) == ({"r1": 1, "r2": 3}, {"r1": 40, "r2": 57})  # type: ignore[arg-type]


def test_decision_outcome_names_each_entry_not_decided() -> None:
    from desktop_app.services.review_service import DecisionResult

    stale = "Entri sudah berubah (versi 2) sejak dibuka; muat ulang lalu putuskan lagi."
    res = DecisionResult(["r1"], {"r2": stale}, frozenset({"r2"}))
    text = res.describe({"r1": "Siti Aminah", "r2": "Budi Santoso"})
    assert text == f"1 entri diputuskan. 1 tidak diputuskan — Budi Santoso: {stale}"
    assert stale in res.summary


# ---- the history (Riwayat) ---------------------------------------------------------------------


def test_history_lists_decisions_and_village_versions_newest_first_with_what_changed() -> None:
    from desktop_app.services.review_service import history_items
    from sync.review_protocol import AuditRow, VersionInfo

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
