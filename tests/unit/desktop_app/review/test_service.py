"""The review service's own parts: decision checks before sending (a return names fields), the XLSX
exports (the dashboard in families), the provisioned CA file, the protocol header on every request."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from desktop_app.review.service import ReviewError, check_decision, export_dashboard
from desktop_app.review.views import CriteriaRow, Dashboard, StatRow
from domain.errors import KnownError
from tests.support.certs import TEST_CA
from tests.support.serverdata import DESA_A


@pytest.mark.parametrize(("decision", "reason", "note", "fields", "message"), [
    ("reject", None, "", (), "Pilih alasan"),
    ("reject", "R99", "", (), "memerlukan catatan"),
    ("return", None, " ", ("member.nik",), "catatan perbaikan"),
    ("return", None, "Cek KK", (), "Centang isian"),
    ("return", None, "Cek KK", ("kk",), "Isian tidak dikenal: kk"),
    ("maybe", None, "", (), "tidak dikenal"),
])
def test_decision_checks(decision: str, reason: str | None, note: str, fields: tuple[str, ...], message: str) -> None:
    with pytest.raises(ReviewError, match=message):
        check_decision(decision, reason, note, fields)


def test_a_review_error_is_a_known_error_with_its_indonesian_text() -> None:
    with pytest.raises(KnownError) as exc:
        check_decision("return", None, "")
    assert isinstance(exc.value, ReviewError)
    assert str(exc.value) == exc.value.message == "Tulis catatan perbaikan untuk desa sebelum mengembalikan usulan."


def test_dashboard_export_counts_families(tmp_path: Path) -> None:
    dash = Dashboard([StatRow(DESA_A, "Buluh Tumbang", "PKH", "new", "APPROVED", 5, 5),
                      StatRow(DESA_A, "Buluh Tumbang", "PBI-JK", "new", "PENDING", 4, 2)],
                     [CriteriaRow(DESA_A, "Buluh Tumbang", "nelayan", 2)], total_kpm=6, kpm_by_desa={DESA_A: 6})
    path = tmp_path / "d.xlsx"
    assert export_dashboard(path, dash) == 1
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    line = dict(zip(rows[0], rows[1], strict=True))
    assert line["Kode desa"] == "19.02.01.2003" and line["Usulan"] == 9 and line["KPM"] == 6
    assert line["KPM Disetujui"] == 5 and line["KPM PBI-JK"] == 2 and line["KPM Usulan baru"] == 7
    assert line["KPM Nelayan"] == 2


def test_every_review_request_carries_protocol_2() -> None:
    from desktop_app.review.service import ReviewService
    from desktop_app.review.views import ReviewSession
    from sync.protocol import PROTOCOL_HEADER

    svc = ReviewService(ReviewSession("http://127.0.0.1:9", "rev1", "reviewer", "190201", "t"))
    assert svc._client().session.headers[PROTOCOL_HEADER] == "2"


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
    from desktop_app.review.service import ReviewService
    from desktop_app.review.views import ReviewSession
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
    from desktop_app.review.service import ReviewService, ca_verify
    from desktop_app.review.views import ReviewSession

    _provision(data_dir, tmp_path, ca=None)
    session = ReviewSession("https://bansos.belitungkab.go.id", "rev1", "reviewer", "190201", "token")
    with AppContext.open(data_dir) as ctx:
        assert ReviewService.from_context(ctx, session)._client().session.verify is True
    assert ca_verify(None) is True  # no store (tests, the bench): the system CAs
