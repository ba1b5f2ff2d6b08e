"""The review service's own parts: decision checks before sending, the XLSX exports, the provisioned CA file."""

from __future__ import annotations

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from desktop_app.review.service import ReviewError, check_decision, export_dashboard
from desktop_app.review.views import CriteriaRow, Dashboard, StatRow
from domain.errors import KnownError
from tests.support.certs import TEST_CA
from tests.support.serverdata import DESA_A


@pytest.mark.parametrize(("decision", "reason", "note", "message"), [
    ("reject", None, "", "Pilih alasan"),
    ("reject", "R99", "", "memerlukan catatan"),
    ("return", None, " ", "catatan perbaikan"),
    ("maybe", None, "", "tidak dikenal"),
])
def test_decision_checks(decision: str, reason: str | None, note: str, message: str) -> None:
    with pytest.raises(ReviewError, match=message):
        check_decision(decision, reason, note)


def test_a_review_error_is_a_known_error_with_its_indonesian_text() -> None:
    with pytest.raises(KnownError) as exc:
        check_decision("return", None, "")
    assert isinstance(exc.value, ReviewError)
    assert str(exc.value) == exc.value.message == "Tulis catatan perbaikan untuk desa sebelum mengembalikan entri."


def test_dashboard_export(tmp_path: Path) -> None:
    dash = Dashboard([StatRow(DESA_A, "Buluh Tumbang", "PKH", "APPROVED", 5)],
                     [CriteriaRow(DESA_A, "Buluh Tumbang", "nelayan", 2)])
    path = tmp_path / "d.xlsx"
    assert export_dashboard(path, dash) == 1
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    header = rows[0]
    line = dict(zip(header, rows[1], strict=True))
    assert line["Kode desa"] == "19.02.01.2003" and line["Disetujui"] == 5 and line["Nelayan"] == 2


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
