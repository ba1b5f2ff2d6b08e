"""`bansos-server` commands, run in-process through server.cli.main against real SQLite files."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlmodel import Session, select

from server import db
from server.cli import main
from server.models import HouseholdRow, MemberRow, ProposalRow, ReferenceRecipient, User
from server.services.reference_import import import_csv
from tests.support.serverdata import DESA_A, nik_for


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def initialised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("BANSOS_DATABASE_URL", _url(tmp_path))
    monkeypatch.delenv("BANSOS_PASSWORD", raising=False)
    assert main(["init"]) == 0
    return _url(tmp_path)


def test_init_is_repeatable(initialised: str) -> None:
    assert main(["init"]) == 0


def test_create_user_reads_the_password_from_env_or_stdin(initialised: str, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BANSOS_PASSWORD", "rahasia-kuat-1")
    assert main(["create-user", "--username", "op1", "--role", "operator", "--area", "19.02.01.2003"]) == 0
    monkeypatch.delenv("BANSOS_PASSWORD")
    monkeypatch.setattr("sys.stdin", io.StringIO("rahasia-kuat-2\n"))
    assert main(["create-user", "--username", "rev1", "--role", "reviewer", "--area", "19.02.01"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("rahasia-kuat-3\n"))
    assert main(["create-user", "--username", "x", "--role", "reviewer", "--area", "19.02.01.2003"]) == 2
    assert "kecamatan" in capsys.readouterr().err
    engine = db.make_engine(initialised)
    with Session(engine) as s:
        users = {u.username: (u.role, u.area_code) for u in s.exec(select(User))}
    assert users == {"op1": ("operator", DESA_A), "rev1": ("reviewer", "190201")}


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["nik", "programme", "level", "status", "period"])
        w.writerows(rows)


def test_import_reference_is_idempotent_with_a_rejects_file(initialised: str, tmp_path: Path) -> None:
    from datetime import date

    good = [[nik_for(DESA_A, date(1960, 1, i), "L", i), "PKH", "pusat", "aktif", "2026"] for i in range(1, 6)]
    bad = [["190201570580000", "PKH", "pusat", "aktif", "2026"],  # 15 digits
           [nik_for(DESA_A, date(1960, 2, 1), "L", 9), "PKH", "desa", "aktif", "2026"]]  # unknown level
    src = tmp_path / "penerima.csv"
    _write_csv(src, good + bad)
    assert main(["import-reference", str(src)]) == 0
    with open(f"{src}.rejects.csv", encoding="utf-8") as f:
        rejects = list(csv.reader(f))
    assert [r[0] for r in rejects[1:]] == ["7", "8"]
    assert "16 digit" in rejects[1][1] and "level" in rejects[2][1]
    assert main(["import-reference", str(src)]) == 0  # the same file again: nothing new
    engine = db.make_engine(initialised)
    with Session(engine) as s:
        refs = s.exec(select(ReferenceRecipient)).all()
    assert len(refs) == 5 and {r.kecamatan_code for r in refs} == {"190201"}


def test_import_reference_resumes_after_an_interruption(initialised: str, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date, timedelta

    import server.services.reference_import as ri

    rows = [[nik_for(DESA_A, date(1950, 1, 1) + timedelta(days=i), "P", i + 1), "BPNT", "pusat", "aktif", "2026"]
            for i in range(25)]
    src = tmp_path / "besar.csv"
    _write_csv(src, rows)
    monkeypatch.setattr(ri, "CHUNK", 10)
    engine = db.make_engine(initialised)
    real_commit = ri._commit
    calls = {"n": 0}

    def failing_commit(*args: object, **kw: object) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt  # the operator pressed Ctrl+C during the second chunk
        real_commit(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(ri, "_commit", failing_commit)
    with pytest.raises(KeyboardInterrupt):
        import_csv(engine, src)
    with Session(engine) as s:
        assert len(s.exec(select(ReferenceRecipient)).all()) == 10
    monkeypatch.setattr(ri, "_commit", real_commit)
    report = import_csv(engine, src)
    assert report.ok and report.inserted == 15 and report.skipped_resumed == 10
    with Session(engine) as s:
        assert len(s.exec(select(ReferenceRecipient)).all()) == 25


def test_import_reference_refuses_a_file_without_the_columns(initialised: str, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "salah.csv"
    src.write_text("nama,nik\nBudi,1902011705800001\n", encoding="utf-8")
    assert main(["import-reference", str(src)]) == 1
    assert "kolom wajib tidak ada" in capsys.readouterr().out


def test_demo_builds_accounts_records_and_a_cross_village_duplicate(initialised: str,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    assert main(["demo"]) == 0  # re-running is safe
    out = capsys.readouterr().out
    assert "reviewer1" in out and "reviewer1-demo-sandi" in out
    engine = db.make_engine(initialised)
    with Session(engine) as s:
        proposals = s.exec(select(ProposalRow)).all()
        members = s.exec(select(MemberRow)).all()
        households = s.exec(select(HouseholdRow)).all()
        assert {p.desa_code for p in proposals} == {"1902012003", "1902012004", "1902012007"}
        assert (len(households), len(members), len(proposals)) == (8, 9, 9)
        # A household with two members: Sukardi (PKH on the household) and his wife (PBI-JK on her).
        two = [h for h in households if len([m for m in members if m.household_id == h.record_id]) == 2]
        assert len(two) == 1
        flagged = [m for m in members if "DUP_NIK" in m.flags]
        assert len(flagged) == 2 and len({m.desa_code for m in flagged}) == 2
        assert any("REF_MATCH" in p.flags for p in proposals)
    engine.dispose()


def test_provision_writes_the_file_the_installer_imports(tmp_path: Path) -> None:
    pem = tmp_path / "ca.pem"
    pem.write_text("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", encoding="utf-8")
    out = tmp_path / "desa.json"
    assert main(["provision", "--desa", "19.02.01.2003", "--server-url", "https://bansos.belitung.go.id/",
                 "--ca-cert", str(pem), "--out", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == 1 and data["desa_code"] == DESA_A and data["desa_name"] == "Buluh Tumbang"
    assert data["server_url"] == "https://bansos.belitung.go.id" and "BEGIN CERTIFICATE" in data["ca_cert_pem"]
    assert set(data) == {"format", "server_url", "desa_code", "desa_name", "ca_cert_pem", "created_at"}
    assert main(["provision", "--desa", "19.02.01.9999", "--server-url", "https://x.id", "--out", str(out)]) == 2


def test_serve_refuses_the_default_secret_in_production(monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("BANSOS_ENVIRONMENT", "production")
    monkeypatch.delenv("BANSOS_SECRET_KEY", raising=False)
    monkeypatch.setenv("BANSOS_DATABASE_URL", "sqlite://")
    assert main(["serve", "--port", "1"]) == 2
    assert "BANSOS_SECRET_KEY" in capsys.readouterr().err
