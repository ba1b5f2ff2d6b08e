"""Wire -> view records (desktop_app.review.views): flags joined with the recorded warnings, what a
decision sends of what was shown, and how its outcome reads."""

from __future__ import annotations

from desktop_app.review.views import DecisionResult, decided_view, proposal_table, seen_of
from domain.flags import FlagCode
from sync.review_protocol import FLAG_TEXT
from tests.support.serverdata import DESA_A, payload


def test_entry_view_joins_flags_and_recorded_warnings() -> None:
    p = payload(DESA_A, serial=3)
    e = proposal_table({"record_id": "r1", "version": 2, "change_seq": 3, "desa_code": DESA_A, "desa_name": "",
                     "payload": p, "review_state": "PENDING", "batch_id": "b1", "updated_at": "2026-11-20T08:00:00Z",
                     "flags": [{"code": "DUP_NIK", "message": FLAG_TEXT["DUP_NIK"], "related_record_ids": ["r2"]},
                               {"code": "REF_MATCH", "message": "BPNT (pusat, aktif, 2026)"},
                               {"code": "DATA_WARNING", "message": FLAG_TEXT["DATA_WARNING"]}],
                     "warnings": [{"field": "birth_date", "code": "nik_birth_date_mismatch",
                                   "message": "Tanggal lahir tidak cocok dengan NIK.", "severity": "warning"}]})
    # The NIK contradiction is its own flag; DATA_WARNING carried only that one, so it is not repeated.
    assert [f.code for f in e.flags] == [FlagCode.NIK_MISMATCH, FlagCode.DUP_NIK, FlagCode.REF_MATCH]
    assert e.flags[1].related == ("r2",) and "Rincian" not in e.flags[1].explanation  # generic server text
    assert "BPNT (pusat, aktif, 2026)" in e.flags[2].explanation
    assert e.state_label == "Menunggu verifikasi"


def _view(rid: str, version: int, seq: int, name: str) -> object:
    p = payload(DESA_A, serial=int(seq) % 900 + 1, name=name)
    return proposal_table({"record_id": rid, "version": version, "change_seq": seq, "desa_code": DESA_A,
                        "desa_name": "", "payload": p, "review_state": "PENDING", "batch_id": "b1",
                        "updated_at": "2026-11-20T08:00:00Z"})


def test_decisions_send_the_version_and_change_seq_shown() -> None:
    entries = [_view("r1", 1, 40, "Siti Aminah"), _view("r2", 3, 57, "Budi Santoso")]
    assert seen_of(entries) == ({"r1": 1, "r2": 3}, {"r1": 40, "r2": 57})  # type: ignore[arg-type]


def test_decision_outcome_names_each_entry_not_decided() -> None:
    stale = "Entri sudah berubah (versi 2) sejak dibuka; muat ulang lalu putuskan lagi."
    res = DecisionResult(["r1"], {"r2": stale}, frozenset({"r2"}))
    text = res.describe({"r1": "Siti Aminah", "r2": "Budi Santoso"})
    assert text == f"1 entri diputuskan. 1 tidak diputuskan — Budi Santoso: {stale}"
    assert stale in res.summary


def test_a_decided_entry_shows_the_servers_answer_and_keeps_its_data() -> None:
    from sync.review_protocol import DecidedEntry

    p = payload(DESA_A, serial=4)
    shown = proposal_table({"record_id": "r1", "version": 2, "change_seq": 7, "desa_code": DESA_A, "desa_name": "",
                        "payload": p, "review_state": "PENDING", "batch_id": "b1", "updated_at": "2026-11-20T08:00:00Z",
                        "nik_info": {"digits": p["nik"], "valid": False, "problems": ["Kode wilayah tidak dikenal."]},
                        "flags": [{"code": "EDITED_AFTER_APPROVAL", "message": "x"},
                                  {"code": "DUP_NIK", "message": "x", "related_record_ids": ["r9"]}]})
    assert [f.code for f in shown.flags] == [FlagCode.NIK_INVALID, FlagCode.EDITED_AFTER_APPROVAL, FlagCode.DUP_NIK]
    answer = DecidedEntry(record_id="r1", change_seq=12, review_state="REJECTED", review_reason_code="R03",
                          review_reason_text="Duplikat", review_note="sama dengan r9", flags=["DUP_NIK"],
                          updated_at="2026-11-20T09:00:00Z")
    e = decided_view(shown, answer)
    assert (e.review_state, e.reason_code, e.note, e.change_seq) == ("REJECTED", "R03", "sama dengan r9", 12)
    # The server cleared EDITED_AFTER_APPROVAL; the client's own reading of the NIK stays; DUP_NIK keeps its links.
    assert [f.code for f in e.flags] == [FlagCode.NIK_INVALID, FlagCode.DUP_NIK] and e.flags[1].related == ("r9",)
    assert e.outcome_text.startswith("Ditolak: ") and e.payload == shown.payload and e.version == 2
    assert shown.review_state == "PENDING"  # the shown copy is not changed behind the table's back
