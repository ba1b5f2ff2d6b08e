"""`bansos-server purge-public-reports`: the retention job, run in-process on a migrated SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import Session

from server import db
from server.cli import main
from server.public import reports
from server.public.models import PublicAudit, PublicReport
from tests.support.public_seed import DESA


def _report(engine_url: str, days_old: int) -> str:
    engine = db.make_engine(engine_url)
    with Session(engine) as s:
        view = reports.submit(s, reports.ReportInput(
            kind="sanggah", name="Pak Kaya", desa_code=DESA, reason_code="pindah",
            reason="Sudah pindah ke kota lain sejak tahun lalu", reporter_name="Warga", reporter_phone="08123456789"),
            client="uji", active_statuses=["aktif"])
        rep = s.execute(select(PublicReport).where(PublicReport.ticket == view.ticket)).scalar_one()  # type: ignore[arg-type]
        rep.created_at = datetime.now(UTC) - timedelta(days=days_old)
        s.add(rep)
        s.commit()
    engine.dispose()
    return view.ticket


def test_purge_keeps_recent_reports_and_deletes_old_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("BANSOS_DATABASE_URL", url)
    monkeypatch.setenv("BANSOS_PUBLIC_RETENTION_DAYS", "90")
    assert main(["init"]) == 0
    old, recent = _report(url, 91), _report(url, 89)
    capsys.readouterr()
    assert main(["purge-public-reports"]) == 0
    assert "1 laporan warga yang lebih tua dari 90 hari dihapus" in capsys.readouterr().out
    engine = db.make_engine(url)
    with Session(engine) as s:
        left = s.execute(select(PublicReport.ticket)).scalars().all()
        last = s.execute(select(PublicAudit.action).order_by(PublicAudit.id.desc())).scalars().first()  # type: ignore[union-attr]
    engine.dispose()
    assert left == [recent] and old not in left and last == "reports_purged"
    assert main(["purge-public-reports", "--days", "30"]) == 0  # a shorter period given on the command line
    engine = db.make_engine(url)
    with Session(engine) as s:
        assert s.execute(select(PublicReport)).first() is None
    engine.dispose()
    assert main(["purge-public-reports", "--days", "0"]) == 2
