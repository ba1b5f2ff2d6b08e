"""The review workspace's Qt models: qtmodeltester, sorting and filtering as a reviewer uses them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt

from desktop_app.review.views import CriteriaRow, Dashboard, StatRow
from desktop_app.review.views import batch_view as _batch_view
from desktop_app.review.views import group_view as _group_view
from desktop_app.review.views import proposal_view as _proposal_view
from tests.support.review_families import family, wire_proposal
from tests.support.serverdata import DESA_A, DESA_B
from ui.review.dashboard import DashboardModel
from ui.review.models import (
    ROW_ROLE,
    BatchFilterProxy,
    BatchTableModel,
    ComparisonModel,
    DuplicateGroupModel,
    ProposalFilterProxy,
    ProposalTableModel,
)


def batch(i: int, *, desa: str = DESA_A, entries: int = 10, manifest: int | None = 10, pending: int = 10,
          flags: dict[str, int] | None = None) -> Any:
    return _batch_view({
        "batch_id": f"batch-{i:04d}", "desa_code": desa, "desa_name": "", "operator": f"op{i}",
        "device_id": "dev-1", "device_label": "pc",
        "received_at": datetime(2026, 11, 20, 8, i % 60, tzinfo=UTC), "entry_count": entries,
        "manifest_entry_count": manifest, "manifest_content_hash": "ab" * 32,
        "flag_counts": flags or {}, "decision_counts": {"PENDING": pending, "APPROVED": entries - pending},
    })


def proposal(i: int, *, desa: str = DESA_A, flags: list[str] | None = None, state: str = "PENDING") -> Any:
    fam = family(desa, i, head_name=f"Warga Nomor {i}", size=1)
    return _proposal_view(wire_proposal(fam, flags=[{"code": c, "message": "x"} for c in flags or []],
                                        review_state=state))


def test_batch_model_passes_modeltester_and_sorts_numbers_as_numbers(qtmodeltester: Any) -> None:
    model = BatchTableModel()
    model.set_rows([batch(1, entries=9, pending=9), batch(2, entries=200, pending=5), batch(3, entries=30, pending=0)])
    qtmodeltester.check(model)
    proxy = BatchFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.sort(3, Qt.SortOrder.DescendingOrder)  # "Data"
    assert [proxy.index(r, 3).data() for r in range(3)] == ["200", "30", "9"]  # not "9" > "30" as text


def test_inbox_filters_by_text_and_quick_filter() -> None:
    model = BatchTableModel()
    model.set_rows([batch(1, desa=DESA_A, pending=0, entries=5, manifest=5), batch(2, desa=DESA_B, flags={"DUP_NIK": 2}),
                    batch(3, desa=DESA_B, entries=8, manifest=10)])
    proxy = BatchFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_text("perawas")  # DESA_B's name
    assert {proxy.index(r, 0).data(ROW_ROLE).batch_id for r in range(proxy.rowCount())} == {"batch-0002", "batch-0003"}
    proxy.set_text("")
    proxy.set_quick("pending")
    assert proxy.rowCount() == 2
    proxy.set_quick("flagged")
    assert [proxy.index(r, 0).data(ROW_ROLE).batch_id for r in range(proxy.rowCount())] == ["batch-0002"]
    proxy.set_quick("broken")
    rec = proxy.index(0, 0).data(ROW_ROLE)
    assert proxy.rowCount() == 1 and rec.arrived_whole is False
    assert "TIDAK UTUH (8 dari 10)" in rec.whole_text


def test_proposal_model_modeltester_flags_and_filter(qtmodeltester: Any) -> None:
    model = ProposalTableModel()
    model.set_rows([proposal(1), proposal(2, flags=["DUP_NIK"]), proposal(3, flags=["REF_MATCH"], state="REJECTED")])
    qtmodeltester.check(model)
    proxy = ProposalFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    assert model.index(1, 3).data() == "NIK sama di desa lain"
    assert "Sudah penerima bantuan lain" in model.index(2, 3).data()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    row = dict(zip(headers, [model.index(0, c).data() for c in range(model.columnCount())], strict=True))
    assert row["Nama"] == "Warga Nomor 1" and row["Program"] == "PKH" and row["Jenis"] == "Usulan baru"
    assert row["Sasaran"] == "Keluarga (KPM)" and row["Keluarga"].endswith("· 1 orang")
    proxy.set_quick("flagged")
    assert proxy.rowCount() == 2
    proxy.set_quick("pending")
    assert proxy.rowCount() == 2
    proxy.set_quick("all")
    proxy.set_text("nomor 3")
    assert proxy.rowCount() == 1


def test_proposal_model_replace_updates_one_row() -> None:
    model = ProposalTableModel()
    model.set_rows([proposal(1), proposal(2)])
    e = model.row_at(1)
    e.review_state = "APPROVED"
    changed: list[int] = []
    model.dataChanged.connect(lambda a, _b: changed.append(a.row()))
    model.replace(e)
    assert changed == [1]
    assert model.index(1, 0).data() == "Disetujui"


def test_group_and_comparison_models(qtmodeltester: Any) -> None:
    a = family(DESA_A, 7, size=2)
    b = family(DESA_B, 8, size=3, head_nik=a.head["nik"], head_name=a.head["name"])

    def member(f: Any) -> dict[str, Any]:
        return {"record_type": "member", "record_id": f.member_ids[0], "desa_code": f.desa, "desa_name": "",
                "member": {"record_id": f.member_ids[0], "version": 1, "desa_code": f.desa, "payload": f.head},
                "household": {"record_id": f.household_id, "version": 1, "desa_code": f.desa, "payload": f.household},
                "members": []}

    g = _group_view({"group_id": 5, "kind": "nik", "kind_text": "NIK sama (anggota keluarga)", "record_type": "member",
                     "state": "OPEN", "spans_kecamatan": False, "members": [member(a), member(b)]})
    gm = DuplicateGroupModel()
    gm.set_rows([g])
    qtmodeltester.check(gm)
    assert gm.index(0, 0).data() == "NIK sama (anggota keluarga)" and gm.index(0, 3).data() == "Terbuka"
    cm = ComparisonModel()
    cm.set_members(g.members)
    qtmodeltester.check(cm)
    assert cm.columnCount() == 2
    labels = [cm.headerData(r, Qt.Orientation.Vertical) for r in range(cm.rowCount())]
    nik_row, kk_row, desa_row = labels.index("NIK"), labels.index("No. KK"), labels.index("Desa")
    assert cm.index(nik_row, 0).data() == cm.index(nik_row, 1).data() == a.head["nik"]
    assert cm.index(nik_row, 0).data(Qt.ItemDataRole.BackgroundRole) is None  # same value: not highlighted
    assert cm.index(desa_row, 0).data(Qt.ItemDataRole.BackgroundRole) is not None  # different desa: highlighted
    assert {cm.index(kk_row, c).data() for c in range(2)} == {a.kk, b.kk}


def test_dashboard_model(qtmodeltester: Any) -> None:
    dash = Dashboard(
        rows=[StatRow(DESA_A, "Buluh Tumbang", "PKH", "new", "PENDING", 4, 4),
              StatRow(DESA_A, "Buluh Tumbang", "BST", "new", "APPROVED", 2, 2),
              StatRow(DESA_A, "Buluh Tumbang", "PBI-JK", "removal", "PENDING", 3, 1),
              StatRow(DESA_B, "Perawas", "PKH", "new", "REJECTED", 1, 1)],
        criteria_rows=[CriteriaRow(DESA_A, "Buluh Tumbang", "lansia", 3)],
        total_kpm=6, kpm_by_desa={DESA_A: 5, DESA_B: 1},
    )
    m = DashboardModel()
    m.set_dashboard(dash)
    qtmodeltester.check(m)
    headers, rows = m.table()
    assert headers[:7] == ["Desa", "Usulan", "KPM", "KPM Menunggu verifikasi", "KPM Disetujui", "KPM Ditolak",
                           "KPM Dikembalikan untuk perbaikan"]
    assert "KPM PKH" in headers and "KPM Penghapusan/penonaktifan" in headers
    first = dict(zip(headers, rows[0], strict=True))
    # Families, not rows: 9 proposals of Buluh Tumbang are 5 families; 3 PBI-JK removals are 1 family.
    assert first["Desa"] == "Buluh Tumbang" and first["Usulan"] == 9 and first["KPM"] == 5
    assert first["KPM PKH"] == 4 and first["KPM PBI-JK"] == 1 and first["KPM Menunggu verifikasi"] == 5
    assert first["KPM Lanjut usia (lansia)"] == 3


def test_dashboard_counts_each_family_once_per_column_when_the_server_says_so(qtmodeltester: Any) -> None:
    # One family of Buluh Tumbang with PKH and PBI-JK pending: two rows of one KPM each, yet one family waiting.
    dash = Dashboard(
        rows=[StatRow(DESA_A, "Buluh Tumbang", "PKH", "new", "PENDING", 1, 1),
              StatRow(DESA_A, "Buluh Tumbang", "PBI-JK", "new", "PENDING", 1, 1)],
        total_kpm=1, kpm_by_desa={DESA_A: 1},
        kpm_by={(DESA_A, "state", "PENDING"): 1, (DESA_A, "programme", "PKH"): 1, (DESA_A, "programme", "PBI-JK"): 1,
                (DESA_A, "type", "new"): 1})
    m = DashboardModel()
    m.set_dashboard(dash)
    qtmodeltester.check(m)
    headers, rows = m.table()
    line = dict(zip(headers, rows[0], strict=True))
    assert (line["Usulan"], line["KPM"], line["KPM Menunggu verifikasi"], line["KPM Usulan baru"]) == (2, 1, 1, 1)
    assert (line["KPM PKH"], line["KPM PBI-JK"]) == (1, 1)
