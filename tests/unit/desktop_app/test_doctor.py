"""`bansos doctor`: what it checks, that it never leaks personal data, and its exit code."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app import paths
from desktop_app.backup import daily_backup
from desktop_app.cli import main
from desktop_app.context import AppContext
from desktop_app.doctor import FAIL, INFO, OK, WARN, Check, format_report, has_failures, run_doctor
from desktop_app.provisioning import META_SERVER_URL
from local_db.migrations import SCHEMA_VERSION
from sync.engine import META_LAST_SUCCESS, META_SKEW
from tests.support.household_seed import service
from tests.support.people import DESA, people
from tests.support.serverproc import ServerProcess, free_port
from tests.support.store import raw_data_dir


def by_label(checks: list[Check]) -> dict[str, Check]:
    return {c.label: c for c in checks}


def filled(data_dir: Path, n: int = 3, *, server_url: str | None = None) -> list[dict[str, str]]:
    rows = list(people(n))
    with AppContext.open(data_dir) as ctx:
        ctx.configure(desa_code=DESA, operator_name="Rina Marlina")
        if server_url:
            ctx.set_meta(META_SERVER_URL, server_url)
        svc = service(ctx)
        hid = svc.save_household({"kk": rows[0]["kk"], "address": rows[0]["address"]}).record_id
        for i, row in enumerate(rows):
            svc.save_member({"household_id": hid, "nik": row["nik"], "name": row["name"],
                             "birth_date": row["birth_date"], "sex": row["sex"],
                             "relation": "kepala_keluarga" if i == 0 else "famili_lain"}, override_reason="uji")
    return rows


def test_report_of_a_healthy_store_has_counts_and_no_personal_data(data_dir: Path) -> None:
    rows = filled(data_dir)
    daily_backup(paths.db_path(data_dir))
    checks = run_doctor(data_dir, check_server=False)
    c = by_label(checks)
    assert c["Pemeriksaan SQLite (quick_check)"].status == OK
    assert c["Enkripsi basis data"].status == OK and c["Enkripsi basis data"].detail.startswith("ya")
    assert c["Versi skema"].detail.startswith(f"{SCHEMA_VERSION} ")
    assert c["Desa"].status == OK and "19.02.01.2003" in c["Desa"].detail
    assert c["Keluarga"].detail.startswith("1 ") and c["Anggota keluarga"].detail.startswith("3 ")
    assert c["Usulan"].detail.startswith("0 ")
    assert c["Antrean kirim (outbox)"].detail.startswith("4 perubahan belum terkirim (keluarga 1, anggota 3)")
    assert c["Cadangan harian"].status == OK
    assert c["Sinkron terakhir"].status == WARN  # never synced
    assert not has_failures(checks)

    report = format_report(checks)
    for row in rows:
        for field in ("nik", "kk", "name", "address"):
            assert row[field] not in report, field
        assert row["name"].split()[0] not in report
    assert "Rina" not in report  # the operator's name
    assert str(Path.home()) not in report or str(Path.home()) in ("/", "")


def test_fresh_data_dir_warns_without_failing(data_dir: Path) -> None:
    checks = run_doctor(data_dir)
    c = by_label(checks)
    assert c["Basis data"].status == WARN
    assert c["Server"].status == WARN  # no server URL before provisioning
    assert not has_failures(checks)
    assert not paths.db_path(data_dir).exists()  # doctor creates nothing


def test_store_from_a_newer_app_fails(data_dir: Path) -> None:
    filled(data_dir, 1)
    conn = raw_data_dir(data_dir)
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    c = by_label(run_doctor(data_dir, check_server=False))
    assert c["Versi skema"].status == FAIL


def test_unreadable_store_fails_quick_check(data_dir: Path) -> None:
    paths.db_path(data_dir).write_bytes(b"ini bukan basis data SQLite" * 200)
    checks = run_doctor(data_dir, check_server=False)
    assert by_label(checks)["Pemeriksaan SQLite (quick_check)"].status == FAIL
    assert has_failures(checks)


def test_locked_store_is_reported_without_reading_it(data_dir: Path) -> None:
    """Another Windows account (no key in its keyring): "encrypted: yes", the key missing, nothing read."""
    from desktop_app import store_key

    rows = filled(data_dir, 2)
    store_key.forget(paths.db_path(data_dir))
    checks = run_doctor(data_dir, check_server=False)
    c = by_label(checks)
    assert c["Enkripsi basis data"].detail.startswith("ya")
    assert c["Kunci basis data"].status == FAIL and "buka-kunci" in c["Kunci basis data"].detail
    assert "Anggota keluarga" not in c and has_failures(checks)  # a locked store: no counts
    report = format_report(checks)
    assert all(row["nik"] not in report and row["name"] not in report for row in rows)


def test_unreachable_server_is_a_warning(data_dir: Path) -> None:
    filled(data_dir, 1, server_url=f"http://127.0.0.1:{free_port()}")
    c = by_label(run_doctor(data_dir, server_timeout=1.0))
    assert c["Koneksi server"].status == WARN
    assert "tidak terjangkau" in c["Koneksi server"].detail


@pytest.mark.slow
def test_reachable_server_and_clock_skew(data_dir: Path, tmp_path: Path) -> None:
    srv = ServerProcess(tmp_path)
    try:
        srv.init()
        srv.start()
        filled(data_dir, 1, server_url=srv.url)
        c = by_label(run_doctor(data_dir, server_timeout=5.0))
    finally:
        srv.kill()
    assert c["Koneksi server"].status == OK, c["Koneksi server"].detail
    # Same machine, same clock: the skew is within the warning limit.
    assert c["Selisih jam dengan server"].status == OK, c["Selisih jam dengan server"].detail


def test_cli_exit_code_follows_failures(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    filled(data_dir, 1)
    assert main(["--data-dir", str(data_dir), "doctor", "--tanpa-server"]) == 0
    out = capsys.readouterr().out
    assert "Ringkasan: 0 gagal" in out
    paths.db_path(data_dir).write_bytes(b"rusak" * 1000)
    for suffix in ("-wal", "-shm"):
        Path(str(paths.db_path(data_dir)) + suffix).unlink(missing_ok=True)
    assert main(["--data-dir", str(data_dir), "doctor", "--tanpa-server"]) == 1
    assert "GAGAL" in capsys.readouterr().out


def test_last_sync_and_recorded_clock_skew(data_dir: Path) -> None:
    filled(data_dir, 1)
    with AppContext.open(data_dir) as ctx:
        ctx.set_meta(META_LAST_SUCCESS, "2026-11-20T08:00:00+00:00")
        ctx.set_meta(META_SKEW, "-900")  # written by the last sync: this PC is 15 minutes slow
    c = by_label(run_doctor(data_dir, check_server=False))
    assert c["Sinkron terakhir"].status == INFO and c["Sinkron terakhir"].detail.startswith("2026-11-20T08:00:00")
    skew = c["Selisih jam dengan server"]
    assert skew.status == WARN and "900 detik lebih lambat" in skew.detail
