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
